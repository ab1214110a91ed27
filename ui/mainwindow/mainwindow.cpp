#include "mainwindow.h"

#include "importcontroller.h"
#include "jobstatuswidget.h"
#include "startpage.h"

#include "jobs/jobregistry.h"
#include "models/countsmodel.h"
#include "scancontroller.h"

#include "analysis/classcounts.h"
#include "browser/samplegrid.h"
#include "panels/balancepanel.h"
#include "panels/qualitypanel.h"
#include "store/thumbnailcache.h"
#include "store/project.h"
#include "util/error.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace assay::ui {

namespace {
const QString recentKey = QStringLiteral("recentProjects");
constexpr int maxRecent = 8;

QString defaultProjectPathFor(const QString &source)
{
    const QFileInfo info(source);
    const QString name = info.isDir() ? info.fileName() : info.completeBaseName();
    return QDir::home().filePath(name + QStringLiteral(".assay"));
}
} // namespace

MainWindow::MainWindow(jobs::JobRegistry *registry, QWidget *parent)
    : QMainWindow(parent), m_registry(registry), m_importer(new ImportController(registry, this)),
      m_pages(new QStackedWidget(this)), m_startPage(new StartPage), m_header(new QLabel(this)),
      m_grid(new SampleGrid), m_filterLabel(new QLabel), m_clearFilter(new QPushButton),
      m_counts(new QTableView), m_countsModel(new CountsModel(this)),
      m_quality(new QualityPanel), m_balance(new BalancePanel),
      m_jobStatus(new JobStatusWidget(registry, this)),
      m_scanner(new ScanController(registry, this)), m_thumbnailRefresh(new QTimer(this))
{
    setWindowTitle(tr("Assay"));
    setAcceptDrops(true);
    setObjectName(QStringLiteral("MainWindow"));

    auto *projectPage = new QWidget;
    auto *layout = new QVBoxLayout(projectPage);
    layout->setContentsMargins(6, 6, 6, 6);
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    layout->addWidget(m_header);
    layout->addWidget(m_grid, 1);
    auto *filterBar = new QHBoxLayout(m_grid->toolbarSlot());
    filterBar->setContentsMargins(0, 0, 0, 0);
    filterBar->addWidget(m_filterLabel);
    filterBar->addWidget(m_clearFilter);
    filterBar->addStretch();
    m_clearFilter->setText(tr("Clear filter"));
    m_clearFilter->setToolTip(tr("Show every sample (Ctrl+Shift+A)"));
    connect(m_clearFilter, &QPushButton::clicked, this, [this] { setFilter({}); });

    m_startPage->setDemoAvailable(QFileInfo::exists(demoDatasetPath()));
    connect(m_startPage, &StartPage::importRequested, this, &MainWindow::chooseDatasetToImport);
    connect(m_startPage, &StartPage::openRequested, this, &MainWindow::chooseProjectToOpen);
    connect(m_startPage, &StartPage::demoRequested, this, &MainWindow::openDemo);
    connect(m_startPage, &StartPage::recentChosen, this, &MainWindow::openProject);
    m_pages->addWidget(m_startPage);
    m_pages->addWidget(projectPage);
    setCentralWidget(m_pages);

    m_counts->setModel(m_countsModel);
    m_counts->setObjectName(QStringLiteral("countsView"));
    m_counts->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_counts->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_counts->setAlternatingRowColors(true);
    m_counts->setToolTip(tr("Click a count to show those samples"));
    connect(m_counts, &QTableView::clicked, this, [this](const QModelIndex &index) {
        store::SampleFilter filter;
        const store::ProjectSummary &summary = m_countsModel->summary();
        if (index.row() < summary.classes.size())
            filter.className = summary.classes[index.row()];
        if (index.column() < summary.splits.size())
            filter.split = summary.splits[index.column()];
        setFilter(filter);
    });

    createActions();
    addPanel(tr("Samples per class and split"), QStringLiteral("countsDock"), m_counts,
             Qt::LeftDockWidgetArea);
    QDockWidget *qualityDock = addPanel(tr("Quality"), QStringLiteral("qualityDock"), m_quality,
                                        Qt::RightDockWidgetArea);
    QDockWidget *balanceDock = addPanel(tr("Balance"), QStringLiteral("balanceDock"), m_balance,
                                        Qt::RightDockWidgetArea);
    tabifyDockWidget(qualityDock, balanceDock);
    qualityDock->raise();
    connect(m_quality, &QualityPanel::issueKindChosen, this, [this](const QString &kind) {
        store::SampleFilter filter;
        filter.issueKind = kind;
        setFilter(filter);
    });
    connect(m_balance, &BalancePanel::filterRequested, this,
            [this](const QString &split, const QString &className) {
                setFilter({className, split, {}});
            });

    statusBar()->addPermanentWidget(m_jobStatus);

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
                    refreshAnalyses();
                    refreshGrid();
                    m_grid->refreshMissingThumbnails();
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

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry")))
        resize(1400, 860);
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

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *importAction = file->addAction(tr("&Import Dataset…"), this,
                                            &MainWindow::chooseDatasetToImport);
    importAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    QAction *openAction = file->addAction(tr("&Open Project…"), this,
                                          &MainWindow::chooseProjectToOpen);
    openAction->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addSeparator();
    QAction *quitAction = file->addAction(tr("&Quit"), this, &QWidget::close);
    quitAction->setShortcut(QKeySequence::Quit);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *clear = m_viewMenu->addAction(tr("&Clear Filter"), this, [this] { setFilter({}); });
    clear->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_viewMenu->addSeparator();

    QMenu *scan = menuBar()->addMenu(tr("&Scan"));
    QAction *rescan = scan->addAction(tr("&Scan Stale Samples"), this, &MainWindow::startScan);
    rescan->setShortcut(QKeySequence(Qt::Key_F5));
    QAction *stop = scan->addAction(tr("S&top Running Jobs"), m_registry,
                                    &jobs::JobRegistry::cancelAll);
    stop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Assay"), this, [this] {
        QMessageBox::about(this, tr("About Assay"),
                           tr("<h3>Assay %1</h3><p>A native inspector for machine-learning "
                              "image datasets.</p>")
                               .arg(QApplication::applicationVersion()));
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
    m_project = std::move(project);
    m_filter = {};
    m_grid->setCacheFile(store::ThumbnailCache::pathFor(m_project->path()));
    refreshAnalyses();
    refreshGrid();
    m_pages->setCurrentIndex(1);
    setWindowTitle(tr("%1 — Assay").arg(QFileInfo(path).fileName()));
    rememberRecent(m_project->path());
    // Opening a project brings whatever is stale up to date in the background.
    if (!m_project->isReadOnly())
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

void MainWindow::setFilter(const store::SampleFilter &filter)
{
    m_filter = filter;
    refreshGrid();
}

void MainWindow::refreshGrid()
{
    if (!m_project)
        return;
    const store::SampleListing listing = store::listSamples(m_project->db(), m_filter);
    m_grid->setListing(listing);
    QStringList parts;
    if (!m_filter.className.isEmpty())
        parts << tr("class <b>%1</b>").arg(m_filter.className.toHtmlEscaped());
    if (!m_filter.split.isEmpty())
        parts << tr("split <b>%1</b>").arg(m_filter.split.toHtmlEscaped());
    if (!m_filter.issueKind.isEmpty())
        parts << tr("issue <b>%1</b>").arg(issueKindTitle(m_filter.issueKind).toHtmlEscaped());
    const QString count = QLocale().toString(qlonglong(listing.rows.size()));
    m_filterLabel->setText(parts.isEmpty() ? tr("All %1 samples").arg(count)
                                           : tr("%1 samples with %2")
                                                 .arg(count, parts.join(tr(" and "))));
    m_clearFilter->setVisible(!parts.isEmpty());
}

void MainWindow::refreshAnalyses()
{
    store::Database &db = m_project->db();
    m_countsModel->setSummary(m_project->summary());
    refreshHeader();
    const qint64 scanned = db.queryInt(
        "SELECT count(*) FROM features f JOIN samples s ON s.id = f.sample_id WHERE s.status = 0");
    m_quality->setCounts(store::issueCounts(db), scanned, m_countsModel->summary().samples);
    m_balance->setReport(analysis::computeBalance(analysis::loadClassCounts(db)));
}

void MainWindow::refreshHeader()
{
    const store::ProjectSummary &summary = m_countsModel->summary();
    const QLocale locale;
    QString text = tr("<b>%1</b> — %2 samples in %3 classes")
                       .arg(QFileInfo(m_project->path()).fileName().toHtmlEscaped(),
                            locale.toString(qlonglong(summary.samples)))
                       .arg(summary.classes.size());
    if (summary.unlabeled > 0)
        text += tr(", %1 unlabeled").arg(locale.toString(qlonglong(summary.unlabeled)));
    if (summary.missing > 0)
        text += tr(", <span style='color:#b00'>%1 missing</span>")
                    .arg(locale.toString(qlonglong(summary.missing)));
    text += tr("<br><small>%1 dataset at %2</small>")
                .arg(summary.format.toHtmlEscaped(), summary.root.toHtmlEscaped());
    m_header->setText(text);
}

QString MainWindow::demoDatasetPath()
{
    return QStringLiteral("/usr/share/datasets/fashion-mnist");
}

void MainWindow::openDemo()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(folder);
    const QString projectPath = QDir(folder).filePath(QStringLiteral("fashion-mnist-demo.assay"));
    if (QFileInfo::exists(projectPath))
        openProject(projectPath);
    else
        importDataset(demoDatasetPath(), projectPath);
}

void MainWindow::importDataset(const QString &source, const QString &projectPath)
{
    if (m_importer->isRunning()) {
        showError(tr("Import running"), tr("Wait for the running import to finish."));
        return;
    }
    statusBar()->showMessage(tr("Importing %1…").arg(source));
    m_importer->start(source, projectPath);
}

void MainWindow::chooseDatasetToImport()
{
    const QString source = QFileDialog::getExistingDirectory(
        this, tr("Choose a dataset folder (ImageFolder, MNIST, or a folder with a CSV manifest)"));
    if (source.isEmpty())
        return;
    const QString projectPath = QFileDialog::getSaveFileName(
        this, tr("Save the project as"), defaultProjectPathFor(source),
        tr("Assay projects (*.assay)"));
    if (!projectPath.isEmpty())
        importDataset(source, projectPath);
}

void MainWindow::chooseProjectToOpen()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), QString(),
                                                      tr("Assay projects (*.assay)"));
    if (!path.isEmpty())
        openProject(path);
}

void MainWindow::rememberRecent(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(recentKey).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > maxRecent)
        recent.removeLast();
    settings.setValue(recentKey, recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(recentKey).toStringList();
    m_startPage->setRecentProjects(recent);
    for (const QString &path : recent)
        m_recentMenu->addAction(path, this, [this, path] { openProject(path); });
    m_recentMenu->setEnabled(!recent.isEmpty());
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

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.front().isLocalFile())
        return;
    const QString path = urls.front().toLocalFile();
    if (path.endsWith(QStringLiteral(".assay")))
        openProject(path);
    else
        importDataset(path, defaultProjectPathFor(path));
    event->acceptProposedAction();
}

} // namespace assay::ui
