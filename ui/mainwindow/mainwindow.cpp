#include "mainwindow.h"

#include "importcontroller.h"
#include "jobstatuswidget.h"
#include "startpage.h"

#include "jobs/jobregistry.h"
#include "models/countsmodel.h"
#include "models/samplelistmodel.h"
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
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
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
      m_pages(new QStackedWidget(this)), m_startPage(new StartPage), m_header(new QLabel(this)), m_samples(new QTableView),
      m_counts(new QTableView), m_sampleModel(new SampleListModel(this)),
      m_countsModel(new CountsModel(this)), m_jobStatus(new JobStatusWidget(registry, this))
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
    layout->addWidget(m_samples);
    m_samples->setModel(m_sampleModel);
    m_samples->setObjectName(QStringLiteral("sampleView"));
    m_samples->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_samples->setAlternatingRowColors(true);
    m_samples->verticalHeader()->hide();
    m_samples->verticalHeader()->setDefaultSectionSize(22);
    m_samples->horizontalHeader()->setSectionResizeMode(SampleListModel::PathColumn,
                                                        QHeaderView::Stretch);
    m_samples->setWordWrap(false);

    m_startPage->setDemoAvailable(QFileInfo::exists(demoDatasetPath()));
    connect(m_startPage, &StartPage::importRequested, this, &MainWindow::chooseDatasetToImport);
    connect(m_startPage, &StartPage::openRequested, this, &MainWindow::chooseProjectToOpen);
    connect(m_startPage, &StartPage::demoRequested, this, &MainWindow::openDemo);
    connect(m_startPage, &StartPage::recentChosen, this, &MainWindow::openProject);
    m_pages->addWidget(m_startPage);
    m_pages->addWidget(projectPage);
    setCentralWidget(m_pages);

    auto *countsDock = new QDockWidget(tr("Samples per class and split"), this);
    countsDock->setObjectName(QStringLiteral("countsDock"));
    m_counts->setModel(m_countsModel);
    m_counts->setObjectName(QStringLiteral("countsView"));
    m_counts->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_counts->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_counts->setAlternatingRowColors(true);
    countsDock->setWidget(m_counts);
    addDockWidget(Qt::LeftDockWidgetArea, countsDock);
    countsDock->hide();

    statusBar()->addPermanentWidget(m_jobStatus);
    createActions();

    connect(m_importer, &ImportController::finished, this,
            [this, countsDock](const QString &path, const QString &summary) {
                if (openProject(path)) {
                    countsDock->show();
                    statusBar()->showMessage(summary.section(u'\n', 0, 0), 10000);
                }
            });
    connect(m_importer, &ImportController::failed, this, [this](const QString &message) {
        showError(tr("Import failed"), message);
        emit importFailed(message);
    });
    connect(m_importer, &ImportController::canceled, this, [this] {
        statusBar()->showMessage(tr("Import canceled; nothing was written"), 8000);
    });
    connect(this, &MainWindow::projectOpened, countsDock, &QDockWidget::show);

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry")))
        resize(1280, 800);
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
    m_sampleModel->setProject(nullptr);
    m_project = std::move(project);
    m_sampleModel->setProject(m_project.get());
    m_countsModel->setSummary(m_project->summary());
    refreshHeader();
    m_pages->setCurrentIndex(1);
    setWindowTitle(tr("%1 — Assay").arg(QFileInfo(path).fileName()));
    rememberRecent(m_project->path());
    emit projectOpened(m_project->path());
    return true;
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
