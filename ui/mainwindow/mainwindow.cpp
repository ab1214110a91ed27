#include "mainwindow.h"

#include "importcontroller.h"
#include "jobstatuswidget.h"
#include "scancontroller.h"
#include "startpage.h"

#include "analysis/annotationchecks.h"
#include "analysis/biasstore.h"
#include "analysis/classcounts.h"
#include "analysis/duplicatestore.h"
#include "analysis/storedduplicates.h"
#include "bias/biaspanel.h"
#include "datasheet/datasheetpanel.h"
#include "browser/browsercontroller.h"
#include "browser/filterpanel.h"
#include "browser/samplegrid.h"
#include "browser/samplegridmodel.h"
#include "edit/journalquery.h"
#include "editing/editcontroller.h"
#include "editing/reviewview.h"
#include "editing/sampleeditactions.h"
#include "exporting/exportcontroller.h"
#include "history/historypanel.h"
#include "inspector/sampleinspector.h"
#include "jobs/jobregistry.h"
#include "jobs/progress.h"
#include "duplicates/duplicatespanel.h"
#include "models/countsmodel.h"
#include "panels/balancepanel.h"
#include "panels/qualitypanel.h"
#include "store/project.h"
#include "store/sampledetails.h"
#include "store/thumbnailcache.h"
#include "util/error.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace assay::ui {

MainWindow::MainWindow(jobs::JobRegistry *registry, QWidget *parent)
    : QMainWindow(parent), m_registry(registry), m_importer(new ImportController(registry, this)),
      m_scanner(new ScanController(registry, this)), m_exporter(new ExportController(registry, this)),
      m_browser(new BrowserController(this)), m_edits(new EditController(registry, this)),
      m_sampleEdits(new SampleEditActions(m_edits, this)),
      m_pages(new QStackedWidget(this)), m_startPage(new StartPage), m_header(new QLabel(this)),
      m_grid(new SampleGrid), m_review(nullptr), m_centre(new QStackedWidget),
      m_resultLabel(new QLabel), m_filters(new FilterPanel),
      m_inspector(new SampleInspector), m_counts(new QTableView),
      m_countsModel(new CountsModel(this)), m_quality(new QualityPanel),
      m_balance(new BalancePanel), m_duplicates(new DuplicatesPanel), m_bias(new BiasPanel),
      m_datasheet(new DatasheetPanel),
      m_jobStatus(new JobStatusWidget(registry, this)),
      m_thumbnailRefresh(new QTimer(this))
{
    setWindowTitle(tr("Assay"));
    setAcceptDrops(true);
    setObjectName(QStringLiteral("MainWindow"));
    setDockNestingEnabled(true);

    auto *projectPage = new QWidget;
    auto *layout = new QVBoxLayout(projectPage);
    layout->setContentsMargins(6, 6, 6, 6);
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    layout->addWidget(m_header);
    m_review = new ReviewView(m_edits, m_sampleEdits);
    m_review->setThumbnails(m_grid->thumbnails());
    m_centre->addWidget(m_grid);
    m_centre->addWidget(m_review);
    layout->addWidget(m_centre, 1);
    connect(m_review, &ReviewView::leaveRequested, this, [this] { setReviewMode(false); });
    connect(m_review, &ReviewView::currentSampleChanged, this, &MainWindow::onCurrentSample);
    auto *resultBar = new QHBoxLayout(m_grid->toolbarSlot());
    resultBar->setContentsMargins(0, 0, 0, 0);
    resultBar->addWidget(m_resultLabel);

    connect(m_startPage, &StartPage::importRequested, this, &MainWindow::chooseDatasetToImport);
    connect(m_startPage, &StartPage::openRequested, this, &MainWindow::chooseProjectToOpen);
    connect(m_startPage, &StartPage::demoRequested, this, &MainWindow::openDemo);
    connect(m_startPage, &StartPage::recentChosen, this, &MainWindow::openProject);
    m_startPage->setDemoAvailable(QFileInfo::exists(demoDatasetPath()));
    m_pages->addWidget(m_startPage);
    m_pages->addWidget(projectPage);
    setCentralWidget(m_pages);

    createActions();
    createPanels();
    connectJobs();
    statusBar()->addPermanentWidget(m_jobStatus);

    connect(m_browser, &BrowserController::indexChanged, this, [this] {
        m_filters->setIndex(m_browser->index().get());
        m_grid->setSortOptions(m_browser->index().get());
        if (!m_browser->index()->isPartial())
            refreshAnalyses();
    });
    connect(m_browser, &BrowserController::resultChanged, this, &MainWindow::onResult);
    connect(m_edits, &EditController::samplesChanged, this, &MainWindow::onSamplesEdited);
    m_grid->view()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_grid->view(), &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        QMenu *menu = createGridMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(m_grid->view()->viewport()->mapToGlobal(at));
    });
    // Duplicate conflict flags, slices and annotation checks were recomputed: new issues.
    connect(m_edits, &EditController::analysesRefreshed, m_browser, &BrowserController::reload);
    connect(m_filters, &FilterPanel::editedSinceChosen, this, &MainWindow::showEditedSince);
    connect(m_edits, &EditController::failed, this,
            [this](const QString &message) { showError(tr("Edit refused"), message); });
    connect(m_edits, &EditController::message, this,
            [this](const QString &message) { statusBar()->showMessage(message, 10000); });
    connect(m_filters, &FilterPanel::filtersEdited, this, [this] {
        store::IndexQuery query = m_filters->filters();
        m_grid->applySort(query);
        m_browser->setQuery(query);
    });
    connect(m_grid, &SampleGrid::sortChanged, this, [this] {
        store::IndexQuery query = m_browser->query();
        m_grid->applySort(query);
        m_browser->setQuery(query);
    });
    // In review mode the inspector follows the review, not the grid reloading behind it.
    connect(m_grid, &SampleGrid::currentSampleChanged, this, [this](qint64 sampleId) {
        if (!isReviewMode())
            onCurrentSample(sampleId);
    });
    connect(m_inspector, &SampleInspector::stepRequested, m_grid, &SampleGrid::step);

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry")))
        resize(1500, 900);
    if (!settings.contains(QStringLiteral("window/state")))
        arrangeDocks();
}

// The first layout, once the window has its size: the inspector beside the grid, the analysis
// panels below it with nearly half the column (their tables and charts need the room).
void MainWindow::arrangeDocks()
{
    auto *inspector = findChild<QDockWidget *>(QStringLiteral("inspectorDock"));
    auto *quality = findChild<QDockWidget *>(QStringLiteral("qualityDock"));
    resizeDocks({inspector, quality}, {height() * 50 / 100, height() * 45 / 100}, Qt::Vertical);
    resizeDocks({inspector}, {460}, Qt::Horizontal);
}

MainWindow::~MainWindow()
{
    m_edits->setProject(nullptr); // before the project it edits goes
}

void MainWindow::createPanels()
{
    auto *filterScroll = new QScrollArea;
    filterScroll->setWidget(m_filters);
    filterScroll->setWidgetResizable(true);
    filterScroll->setFrameShape(QFrame::NoFrame);
    filterScroll->setMinimumWidth(240);
    addPanel(tr("Filters"), QStringLiteral("filtersDock"), filterScroll, Qt::LeftDockWidgetArea);
    QDockWidget *inspectorDock = addPanel(tr("Inspector"), QStringLiteral("inspectorDock"),
                                          m_inspector, Qt::RightDockWidgetArea);
    m_inspector->setMinimumWidth(360);

    m_counts->setModel(m_countsModel);
    m_counts->setObjectName(QStringLiteral("countsView"));
    m_counts->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_counts->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_counts->setAlternatingRowColors(true);
    m_counts->setToolTip(tr("Click a count to show those samples"));
    connect(m_counts, &QTableView::clicked, this, [this](const QModelIndex &index) {
        const store::ProjectSummary &summary = m_countsModel->summary();
        filterBy(index.row() < summary.classes.size() ? summary.classes[index.row()] : QString(),
                 index.column() < summary.splits.size() ? summary.splits[index.column()]
                                                        : QString(),
                 {});
    });
    QDockWidget *qualityDock = addPanel(tr("Quality"), QStringLiteral("qualityDock"), m_quality,
                                        Qt::RightDockWidgetArea);
    QDockWidget *balanceDock = addPanel(tr("Balance"), QStringLiteral("balanceDock"), m_balance,
                                        Qt::RightDockWidgetArea);
    QDockWidget *countsDock = addPanel(tr("Counts"), QStringLiteral("countsDock"), m_counts,
                                       Qt::RightDockWidgetArea);
    QDockWidget *duplicatesDock = addPanel(tr("Duplicates"), QStringLiteral("duplicatesDock"),
                                           m_duplicates, Qt::RightDockWidgetArea);
    m_duplicates->setThumbnails(m_grid->thumbnails());
    m_duplicates->setEditActions(m_sampleEdits);
    QDockWidget *biasDock = addPanel(tr("Bias"), QStringLiteral("biasDock"), m_bias,
                                     Qt::RightDockWidgetArea);
    m_history = new HistoryPanel(m_edits);
    QDockWidget *historyDock = addPanel(tr("History"), QStringLiteral("historyDock"), m_history,
                                        Qt::RightDockWidgetArea);
    splitDockWidget(inspectorDock, qualityDock, Qt::Vertical);
    tabifyDockWidget(qualityDock, balanceDock);
    tabifyDockWidget(balanceDock, countsDock);
    tabifyDockWidget(countsDock, duplicatesDock);
    tabifyDockWidget(duplicatesDock, biasDock);
    QDockWidget *datasheetDock = addPanel(tr("Datasheet"), QStringLiteral("datasheetDock"),
                                          m_datasheet, Qt::RightDockWidgetArea);
    tabifyDockWidget(biasDock, datasheetDock);
    tabifyDockWidget(datasheetDock, historyDock);
    qualityDock->raise();

    // Box editing in the inspector, and the journal's rows leading back to their samples.
    m_inspector->setEditController(m_edits);
    connect(m_inspector, &SampleInspector::editFailed, this,
            [this](const QString &message) { showError(tr("Edit refused"), message); });
    connect(this, &MainWindow::projectOpened, m_history, &HistoryPanel::reload);
    connect(m_history, &HistoryPanel::sampleActivated, this,
            [this](qint64 sample, qint64 annotation) {
                showPanel(QStringLiteral("inspector"));
                m_inspector->selectAnnotationWhenShown(sample, annotation);
                if (!selectSample(sample))
                    showSampleSet({sample}, tr("the edited sample"));
            });

    connect(m_quality, &QualityPanel::issueKindChosen, this,
            [this](const QString &kind) { filterBy({}, {}, kind); });
    connect(m_quality, &QualityPanel::rangeChosen, this,
            [this](const QString &key, double low, double high) {
                store::IndexQuery query;
                m_grid->applySort(query);
                query.ranges = {{key, low, std::nextafter(high, -INFINITY)}};
                setQuery(query);
            });
    connect(m_duplicates, &DuplicatesPanel::samplesChosen, this,
            [this](const std::vector<std::int64_t> &ids, const QString &name) {
                showSampleSet(ids, name);
            });
    connect(m_bias, &BiasPanel::sliceChosen, this,
            [this](const std::vector<analysis::bias::NamedPredicate> &predicates,
                   const QString &text) {
                const auto index = m_browser->index();
                if (!m_project || !index)
                    return;
                std::vector<std::int64_t> ids;
                for (std::uint32_t row :
                     analysis::bias::sliceRowsInIndex(*index, m_project->db(), predicates))
                    ids.push_back(index->ids[row]);
                std::sort(ids.begin(), ids.end());
                showSampleSet(std::move(ids), tr("the slice %1").arg(text));
            });
    connect(m_duplicates, &DuplicatesPanel::thresholdChosen, this,
            &MainWindow::reclusterDuplicates);
    connect(m_balance, &BalancePanel::filterRequested, this,
            [this](const QString &split, const QString &className) {
                filterBy(className, split, {});
            });
}

QDockWidget *MainWindow::addPanel(const QString &title, const QString &name, QWidget *panel,
                                  Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    dock->setWidget(panel);
    addDockWidget(area, dock);
    m_viewMenu->addAction(dock->toggleViewAction());
    return dock;
}

void MainWindow::connectJobs()
{
    connect(m_importer, &ImportController::finished, this,
            [this](const QString &path, const QString &summary) {
                if (openProject(path))
                    statusBar()->showMessage(summary.section(u'\n', 0, 0), 10000);
            });
    connect(m_importer, &ImportController::failed, this, [this](const QString &message) {
        showError(tr("Import failed"), message);
        emit importFailed(message);
    });
    connect(m_importer, &ImportController::canceled, this, [this] {
        statusBar()->showMessage(tr("Import canceled; nothing was written"), 8000);
    });
    // While a scan fills the thumbnail cache, the grid asks again for what it lacked.
    m_thumbnailRefresh->setInterval(1000);
    connect(m_thumbnailRefresh, &QTimer::timeout, m_grid, &SampleGrid::refreshMissingThumbnails);
    connect(m_scanner, &ScanController::finished, this,
            [this](const QString &path, const QString &summary, bool canceled) {
                m_thumbnailRefresh->stop();
                if (m_project && m_project->path() == path) {
                    m_browser->reload(); // the panels follow when the new index arrives
                    m_grid->refreshMissingThumbnails();
                    onCurrentSample(m_grid->currentSampleId());
                }
                statusBar()->showMessage(canceled ? tr("Scan stopped; finished work is kept")
                                                  : summary,
                                         10000);
                emit scanFinished();
            });
    connect(m_scanner, &ScanController::failed, this, [this](const QString &message) {
        m_thumbnailRefresh->stop();
        showError(tr("Scan failed"), message);
        emit scanFinished();
    });
    connect(m_exporter, &ExportController::finished, this,
            [this](const QString &path, const QString &report, bool inPlace) {
                if (inPlace && m_project && m_project->path() == path)
                    m_browser->reload(); // write-back re-synchronised the project
                statusBar()->showMessage(report.section(u'\n', 0, 0), 10000);
                emit exportFinished(report);
                if (isVisible())
                    QMessageBox::information(this, tr("Export finished"), report);
            });
    connect(m_exporter, &ExportController::failed, this, [this](const QString &message) {
        showError(tr("Export failed"), message);
        emit exportFinished(QString());
    });
    connect(m_exporter, &ExportController::canceled, this, [this] {
        statusBar()->showMessage(tr("Export canceled; no file was left half-written"), 8000);
        emit exportFinished(QString());
    });
}

bool MainWindow::openProject(const QString &path)
{
    std::unique_ptr<store::Project> project;
    try {
        project = store::Project::open(path);
    } catch (const Error &error) {
        showError(tr("Cannot open project"), error.message());
        return false;
    }
    m_scanner->stop();
    setReviewMode(false);
    m_edits->setProject(nullptr);
    m_project = std::move(project);
    m_edits->setProject(m_project.get());
    m_sessionStart = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    try {
        const std::vector<std::int64_t> edited = edit::samplesEditedSince(m_project->db());
        m_grid->model()->setEditedSamples(QSet<qint64>(edited.begin(), edited.end()));
    } catch (const Error &error) {
        statusBar()->showMessage(error.message(), 8000);
    }
    m_datasheet->setProject(m_project.get());
    m_inspector->clear();
    m_grid->setProject(store::ThumbnailCache::pathFor(m_project->path()),
                       m_project->datasetRoot());
    m_duplicates->setDatasetRoot(m_project->datasetRoot());
    m_browser->setProject(m_project->path());
    m_header->setText(tr("<b>%1</b> — loading…")
                          .arg(QFileInfo(m_project->path()).fileName().toHtmlEscaped()));
    m_pages->setCurrentIndex(1);
    setWindowTitle(tr("%1 — Assay").arg(QFileInfo(path).fileName()));
    rememberRecent(m_project->path());
    // Opening a project brings whatever is stale up to date in the background.
    if (m_scanOnOpen && !m_project->isReadOnly())
        startScan();
    emit projectOpened(m_project->path());
    return true;
}

void MainWindow::startScan()
{
    if (!m_project || m_scanner->isRunning())
        return;
    m_scanner->start(m_project->path());
    m_thumbnailRefresh->start();
}

void MainWindow::showPanel(const QString &name)
{
    if (auto *dock = findChild<QDockWidget *>(name + QStringLiteral("Dock"))) {
        dock->show();
        dock->raise();
    }
}

void MainWindow::setQuery(const store::IndexQuery &query)
{
    m_filters->setQuery(query);
    m_grid->setSort(query);
    m_browser->setQuery(query);
}

const store::IndexQuery &MainWindow::query() const
{
    return m_browser->query();
}

void MainWindow::filterBy(const QString &className, const QString &split, const QString &issueKind)
{
    const auto index = m_browser->index();
    if (!index)
        return;
    store::IndexQuery query;
    m_grid->applySort(query);
    if (!className.isEmpty())
        query.classes = {int(index->classes.indexOf(className))};
    if (split == store::noSplitName)
        query.splits = {-1};
    else if (!split.isEmpty())
        query.splits = {int(index->splits.indexOf(split))};
    if (!issueKind.isEmpty())
        query.issueKinds = {int(index->issueKinds.indexOf(issueKind))};
    setQuery(query);
}

bool MainWindow::selectSample(qint64 sampleId)
{
    return m_grid->selectSample(sampleId);
}

void MainWindow::onResult()
{
    const auto index = m_browser->index();
    const auto result = m_browser->result();
    m_grid->setResult(index, result);
    // The inspector is never empty while there is something to show.
    if (m_grid->currentSampleId() == 0 && !result->rows.empty())
        m_grid->step(0);
    const qint64 matched = qint64(result->rows.size());
    const qint64 total = qint64(index->size());
    m_filters->setCounts(result->counts, matched, total);
    const QLocale locale;
    m_resultLabel->setText(matched == total
                               ? tr("All %1 samples").arg(locale.toString(total))
                               : tr("<b>%1</b> of %2 samples match the filters")
                                     .arg(locale.toString(matched), locale.toString(total)));
    emit resultShown();
}

// After an edit, undo or redo (here or elsewhere): the index is read again (classes, splits and
// tags of the edited samples), and the inspector shows the current sample's new state.
void MainWindow::onSamplesEdited(const edit::ChangeEvent &event)
{
    m_grid->model()->addEditedSamples(event.sampleIds);
    m_browser->reload();
    onCurrentSample(isReviewMode() ? m_review->currentSampleId() : m_grid->currentSampleId());
}

QMenu *MainWindow::createGridMenu(QWidget *parent)
{
    auto *menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("gridMenu"));
    const auto index = m_browser->index();
    const QStringList tags = index ? index->tags : QStringList();
    const QLocale locale;
    const qint64 matched = m_browser->result() ? qint64(m_browser->result()->rows.size()) : 0;
    const std::vector<qint64> selected = m_grid->selectedSampleIds();
    auto all = [this] { return filteredSampleIds(); };
    if (selected.empty()) {
        menu->addSection(tr("All %1 shown").arg(locale.toString(matched)));
        m_sampleEdits->addTo(menu, all, tags);
        return menu;
    }
    menu->addSection(tr("%n selected", nullptr, int(selected.size())));
    // The samples selected when the menu opened.
    const std::vector<std::int64_t> ids(selected.begin(), selected.end());
    m_sampleEdits->addTo(menu, [ids] { return ids; }, tags);
    menu->addSeparator();
    QMenu *allMenu = menu->addMenu(tr("&All %1 in This Filter").arg(locale.toString(matched)));
    allMenu->setObjectName(QStringLiteral("allInFilterMenu"));
    m_sampleEdits->addTo(allMenu, all, tags);
    return menu;
}

void MainWindow::showEditedSince(const QString &since)
{
    if (!m_project)
        return;
    QString from, name;
    const QDateTime now = QDateTime::currentDateTime();
    if (since == u"session") {
        from = m_sessionStart;
        name = tr("samples edited since %1 (this session)")
                   .arg(QLocale().toString(QDateTime::fromString(m_sessionStart, Qt::ISODateWithMs)
                                               .toLocalTime()
                                               .time(),
                                           QLocale::ShortFormat));
    } else if (since == u"hour") {
        from = now.addSecs(-3600).toUTC().toString(Qt::ISODateWithMs);
        name = tr("samples edited in the last hour");
    } else if (since == u"today") {
        from = QDateTime(now.date(), QTime(0, 0)).toUTC().toString(Qt::ISODateWithMs);
        name = tr("samples edited today");
    } else {
        name = tr("samples ever edited");
    }
    store::IndexQuery query = m_browser->query();
    try {
        query.sampleIds = edit::samplesEditedSince(m_project->db(), from);
    } catch (const Error &error) {
        showError(tr("Cannot read the edit journal"), error.message());
        return;
    }
    if (query.sampleIds.empty()) { // (an empty list would mean "any sample")
        statusBar()->showMessage(tr("No %1.").arg(name.replace(QStringLiteral("samples"),
                                                              QStringLiteral("sample"))),
                                 10000);
        return;
    }
    query.sampleSet = name;
    setQuery(query);
}

void MainWindow::setReviewMode(bool on)
{
    if (on == isReviewMode() || (on && !m_project))
        return;
    if (on && (!m_browser->index() || m_browser->index()->isPartial())) {
        statusBar()->showMessage(tr("The samples are still loading; review mode is available "
                                    "in a moment."),
                                 8000);
        if (m_reviewAction)
            m_reviewAction->setChecked(false);
        return;
    }
    if (on) {
        std::vector<std::int64_t> ids = filteredSampleIds();
        const auto current = std::find(ids.begin(), ids.end(), m_grid->currentSampleId());
        const size_t position = current == ids.end() ? 0 : size_t(current - ids.begin());
        m_centre->setCurrentWidget(m_review);
        m_review->start(std::move(ids), position, m_project->datasetRoot());
    } else {
        const std::int64_t reviewed = m_review->currentSampleId();
        m_review->stop();
        m_centre->setCurrentWidget(m_grid);
        if (reviewed)
            m_grid->selectSample(reviewed);
        m_grid->view()->setFocus();
    }
    if (m_reviewAction)
        m_reviewAction->setChecked(on);
}

bool MainWindow::isReviewMode() const
{
    return m_centre->currentWidget() == m_review;
}

std::vector<std::int64_t> MainWindow::filteredSampleIds() const
{
    std::vector<std::int64_t> ids;
    const auto index = m_browser->index();
    const auto result = m_browser->result();
    if (!index || !result)
        return ids;
    ids.reserve(result->rows.size());
    for (const std::uint32_t row : result->rows)
        ids.push_back(index->ids[row]);
    return ids;
}

void MainWindow::onCurrentSample(qint64 sampleId)
{
    if (!m_project || sampleId == 0) {
        m_inspector->clear();
        return;
    }
    try {
        if (const auto details = store::loadSampleDetails(m_project->db(), sampleId))
            m_inspector->showSample(*details, m_project->datasetRoot());
    } catch (const Error &error) {
        statusBar()->showMessage(error.message(), 8000);
    }
}

// The panels' numbers come from the browser's in-memory index: at a million samples the
// equivalent GROUP BY queries take seconds.
void MainWindow::refreshAnalyses()
{
    const auto index = m_browser->index();
    if (!m_project || !index)
        return;
    store::Database &db = m_project->db();
    store::ProjectSummary summary;
    summary.format = m_project->meta(QStringLiteral("dataset_format"));
    summary.root = m_project->datasetRoot();
    summary.missing = db.queryInt("SELECT count(*) FROM samples WHERE status = 1");
    store::summarizeIndex(*index, summary);
    m_countsModel->setSummary(summary);
    refreshHeader();
    const store::IndexQualityCounts quality = store::qualityCounts(*index);
    QMap<QString, qint64> perKind;
    for (qsizetype k = 0; k < index->issueKinds.size(); ++k)
        perKind.insert(index->issueKinds[k], quality.perKind[size_t(k)]);
    // Annotations naming an image that is not on disk: the index holds present samples only.
    store::Statement missing(db, "SELECT count(DISTINCT i.sample_id) FROM issues i "
                                 "JOIN samples s ON s.id = i.sample_id "
                                 "WHERE i.kind = ? AND s.status = 1");
    missing.bind(1, analysis::issuekind::missingImage);
    QMap<QString, qint64> notInGrid;
    if (missing.step() && missing.int64(0) > 0)
        notInGrid.insert(analysis::issuekind::missingImage, missing.int64(0));
    m_quality->setCounts(perKind, quality.scanned, summary.samples, notInGrid);
    m_quality->setIndex(index);
    m_balance->setReport(analysis::computeBalance(analysis::classCountsFromIndex(*index, db)));
    refreshDuplicates();
    refreshBias();
    m_datasheet->markStale();
}

void MainWindow::showSampleSet(std::vector<std::int64_t> ids, const QString &name)
{
    store::IndexQuery query;
    m_grid->applySort(query);
    query.sampleIds = std::move(ids);
    query.sampleSet = name;
    setQuery(query);
}

void MainWindow::refreshBias()
{
    analysis::bias::SliceResults results;
    const bool computed = analysis::bias::loadStoredSlices(m_project->db(), results);
    m_bias->setResults(std::move(results), computed);
}

void MainWindow::refreshDuplicates()
{
    store::Database &db = m_project->db();
    const bool computed = !m_project->meta(QStringLiteral("duplicates")).isEmpty();
    const analysis::DuplicateOptions options = analysis::storedDuplicateOptions(*m_project);
    m_duplicates->setClusters(computed ? analysis::loadStoredDuplicateClusters(db)
                                       : std::vector<analysis::StoredDuplicateCluster>(),
                              computed, options.threshold, options.maxDistance);
}

// Clusters again from the stored pairs at another threshold, then reloads the index (the
// duplicate issues changed).
void MainWindow::reclusterDuplicates(int bits)
{
    if (!m_project || m_project->isReadOnly())
        return;
    m_duplicates->setBusy(true);
    QApplication::setOverrideCursor(Qt::WaitCursor);
    try {
        // From the stored pairs: no search, no signatures (milliseconds to cluster; the time is
        // writing the new clusters and their issues).
        analysis::reclusterDuplicates(*m_project, bits);
    } catch (const Error &error) {
        showError(tr("Re-clustering failed"), error.message());
    }
    QApplication::restoreOverrideCursor();
    m_duplicates->setBusy(false);
    m_browser->reload(); // the panels follow when the new index arrives
}

void MainWindow::refreshHeader()
{
    const store::ProjectSummary &summary = m_countsModel->summary();
    const QLocale locale;
    qlonglong objects = 0;
    for (const auto &perClass : summary.objectsPerSplitClass)
        for (const std::int64_t n : perClass)
            objects += n;
    QString text = objects > 0 && summary.unlabeled == summary.samples
                       ? tr("<b>%1</b> — %2 samples, %3 objects in %4 classes")
                             .arg(QFileInfo(m_project->path()).fileName().toHtmlEscaped(),
                                  locale.toString(qlonglong(summary.samples)),
                                  locale.toString(objects))
                             .arg(summary.classes.size())
                       : tr("<b>%1</b> — %2 samples in %3 classes")
                             .arg(QFileInfo(m_project->path()).fileName().toHtmlEscaped(),
                                  locale.toString(qlonglong(summary.samples)))
                             .arg(summary.classes.size());
    // In a detection dataset no sample has an image-level label, which is not news.
    const bool detection = objects > 0 && summary.unlabeled == summary.samples;
    if (summary.unlabeled > 0 && !detection)
        text += tr(", %1 unlabeled").arg(locale.toString(qlonglong(summary.unlabeled)));
    if (summary.missing > 0)
        text += tr(", <span style='color:#b00'>%1 missing</span>")
                    .arg(locale.toString(qlonglong(summary.missing)));
    text += tr("<br><small>%1 dataset at %2</small>")
                .arg(summary.format.toHtmlEscaped(), summary.root.toHtmlEscaped());
    m_header->setText(text);
}

void MainWindow::showError(const QString &title, const QString &message)
{
    statusBar()->showMessage(message, 15000);
    if (QApplication::platformName() != u"offscreen")
        QMessageBox::warning(this, title, message);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_registry->cancelAll();
    m_scanner->stop();
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

} // namespace assay::ui
