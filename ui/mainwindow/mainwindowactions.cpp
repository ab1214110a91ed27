// MainWindow: menus and shortcuts, project files (import, open, recent, demo, export), drag and
// drop.

#include "mainwindow.h"

#include "datasheet/datasheetpanel.h"

#include "importcontroller.h"
#include "startpage.h"

#include "browser/filterpanel.h"
#include "browser/samplegrid.h"
#include "editing/editcontroller.h"
#include "datasheet/datasheetpanel.h"
#include "exporting/exportcontroller.h"
#include "exporting/exportdialog.h"
#include "jobs/jobregistry.h"
#include "store/project.h"

#include <QApplication>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>


namespace assay::ui {

namespace {
const QString recentKey = QStringLiteral("recentProjects");
constexpr int maxRecent = 8;
} // namespace

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *importAction = file->addAction(tr("&Import Dataset…"), this,
                                            &MainWindow::chooseDatasetToImport);
    importAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    QAction *importFile = file->addAction(tr("Import &Manifest or Annotation File…"), this, [this] {
        const QString source = QFileDialog::getOpenFileName(
            this, tr("Choose a CSV manifest, a COCO or YOLO file, or an MNIST IDX file"),
            QString(),
            tr("Datasets (*.csv *.tsv *.json *.yaml *.yml *.data *-ubyte *-ubyte.gz);;"
               "Any file (*)"));
        if (!source.isEmpty())
            importWithProjectDialog(source);
    });
    importFile->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    QAction *openAction = file->addAction(tr("&Open Project…"), this,
                                          &MainWindow::chooseProjectToOpen);
    openAction->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addSeparator();
    m_exportAction = file->addAction(tr("&Export Dataset…"), this, &MainWindow::chooseExport);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setEnabled(false); // until a project is open
    connect(this, &MainWindow::projectOpened, m_exportAction, [this] {
        m_exportAction->setEnabled(true);
    });
    QMenu *datasheetMenu = m_datasheet->createExportMenu(file);
    file->addMenu(datasheetMenu);
    datasheetMenu->setEnabled(false);
    connect(this, &MainWindow::projectOpened, datasheetMenu, [datasheetMenu] {
        datasheetMenu->setEnabled(true);
    });
    file->addSeparator();
    QAction *quitAction = file->addAction(tr("&Quit"), this, &QWidget::close);
    quitAction->setShortcut(QKeySequence::Quit);

    QMenu *editMenu = menuBar()->addMenu(tr("&Edit"));
    editMenu->addAction(m_edits->createUndoAction(this));
    editMenu->addAction(m_edits->createRedoAction(this));

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *search = m_viewMenu->addAction(tr("&Search Paths"), this, [this] {
        showPanel(QStringLiteral("filters"));
        m_filters->searchBox()->setFocus();
        m_filters->searchBox()->selectAll();
    });
    search->setShortcut(QKeySequence::Find);
    QAction *clear = m_viewMenu->addAction(tr("&Clear Filters"), this, [this] {
        store::IndexQuery query;
        m_grid->applySort(query);
        setQuery(query);
    });
    clear->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    QAction *next = m_viewMenu->addAction(tr("&Next Sample"), this, [this] { m_grid->step(1); });
    next->setShortcuts({QKeySequence(Qt::Key_K)});
    QAction *previous = m_viewMenu->addAction(tr("&Previous Sample"), this,
                                              [this] { m_grid->step(-1); });
    previous->setShortcuts({QKeySequence(Qt::Key_J)});
    QAction *selectAll = m_viewMenu->addAction(tr("Select &All Shown"), this,
                                               [this] { m_grid->view()->selectAll(); });
    selectAll->setShortcut(QKeySequence::SelectAll);
    m_reviewAction = m_viewMenu->addAction(tr("&Review Mode"));
    m_reviewAction->setCheckable(true);
    m_reviewAction->setShortcut(QKeySequence(Qt::Key_R));
    m_reviewAction->setEnabled(false); // until a project is open
    m_reviewAction->setToolTip(tr("One large image at a time through the filtered samples: "
                                  "1–9 set the class, Space marks reviewed, X excludes"));
    connect(m_reviewAction, &QAction::triggered, this, &MainWindow::setReviewMode);
    connect(this, &MainWindow::projectOpened, m_reviewAction,
            [this] { m_reviewAction->setEnabled(true); });
    m_viewMenu->addSeparator();

    QMenu *scan = menuBar()->addMenu(tr("&Scan"));
    QAction *rescan = scan->addAction(tr("&Scan Stale Samples"), this, &MainWindow::startScan);
    rescan->setShortcut(QKeySequence(Qt::Key_F5));
    QAction *stop = scan->addAction(tr("S&top Running Jobs"), m_registry,
                                    &jobs::JobRegistry::cancelAll);
    stop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *keys = help->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    keys->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About Assay"), this, [this] {
        QMessageBox::about(this, tr("About Assay"),
                           tr("<h3>Assay %1</h3><p>A native inspector for machine-learning "
                              "image datasets.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::showShortcuts()
{
    QString rows;
    for (QAction *menu : menuBar()->actions()) {
        if (!menu->menu())
            continue;
        for (QAction *action : menu->menu()->actions()) {
            if (action->shortcut().isEmpty())
                continue;
            QStringList keys;
            for (const QKeySequence &key : action->shortcuts())
                keys << key.toString(QKeySequence::NativeText);
            rows += QStringLiteral("<tr><td>%1</td><td><b>%2</b></td></tr>")
                        .arg(action->text().remove(u'&').remove(QStringLiteral("…")),
                             keys.join(QStringLiteral(", ")));
        }
    }
    rows += tr("<tr><td>Move in the grid</td><td><b>Arrow keys, Page Up/Down, Home/End</b></td>"
               "</tr><tr><td>Extend the selection</td><td><b>Shift+click, Ctrl+click, drag</b>"
               "</td></tr><tr><td>Zoom the image / fit it</td><td><b>Wheel, +, −, F</b></td></tr>"
               "<tr><td>Previous / next in the inspector</td><td><b>Left/J, Right/K</b></td></tr>");
    QMessageBox box(QMessageBox::NoIcon, tr("Keyboard shortcuts"),
                    QStringLiteral("<table cellspacing=6>%1</table>").arg(rows), QMessageBox::Ok,
                    this);
    box.exec();
}

QString MainWindow::demoDatasetPath()
{
    return QStringLiteral("/usr/share/datasets/fashion-mnist");
}

QString MainWindow::defaultProjectPathFor(const QString &source)
{
    const QFileInfo info(source);
    const QString name = info.isDir() ? info.fileName() : info.completeBaseName();
    const QFileInfo parent(info.absolutePath());
    const QString folder = parent.isWritable() ? parent.absoluteFilePath() : QDir::homePath();
    return QDir(folder).filePath(name + QStringLiteral(".assay"));
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
        this, tr("Choose a dataset folder (ImageFolder, MNIST, or a folder with one CSV "
                 "manifest)"));
    if (!source.isEmpty())
        importWithProjectDialog(source);
}

void MainWindow::importWithProjectDialog(const QString &source)
{
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

namespace assay::ui {

void MainWindow::chooseExport()
{
    if (!m_project || m_exporter->isRunning())
        return;
    ExportDialog dialog(m_project->meta(QStringLiteral("dataset_format")),
                        m_project->datasetRoot(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_exporter->start(m_project->path(), dialog.options());
}

} // namespace assay::ui
