// assay: the desktop entry point. Argument parsing only; the window lives in assay_ui.

#include "assay/version.h"
#include "jobs/jobregistry.h"
#include "jobs/workerpool.h"
#include "mainwindow/mainwindow.h"
#include "mainwindow/scancontroller.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QThreadPool>
#include <QTimer>

#include <cstdio>

namespace {

// Saves the window to `file` once it has painted, then quits.
void screenshotAndQuit(QWidget *window, const QString &file)
{
    QTimer::singleShot(800, window, [window, file] {
        const bool saved = window->grab().save(file);
        std::fprintf(stderr, "%s %s\n", saved ? "wrote" : "could not write",
                     QFile::encodeName(file).constData());
        QApplication::exit(saved ? 0 : 1);
    });
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("assay"));
    QApplication::setOrganizationName(QStringLiteral("Assay"));
    QApplication::setApplicationVersion(QString::fromLatin1(assay::versionString));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Assay: inspect machine-learning image "
                                                    "datasets."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("PATH"),
                                 QStringLiteral("A project file (.assay) to open."),
                                 QStringLiteral("[PATH]"));
    const QCommandLineOption projectOption(QStringLiteral("project"),
                                           QStringLiteral("Open this project file."),
                                           QStringLiteral("FILE"));
    const QCommandLineOption demoOption(QStringLiteral("demo"),
                                        QStringLiteral("Open the Fashion-MNIST demo project "
                                                       "(imported on first use from %1).")
                                            .arg(assay::ui::MainWindow::demoDatasetPath()));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                              QStringLiteral("Render the window after loading, "
                                                             "save it as a PNG and quit."),
                                              QStringLiteral("FILE"));
    const QCommandLineOption panelOption(QStringLiteral("panel"),
                                         QStringLiteral("Bring a panel to the front: quality or "
                                                        "balance."),
                                         QStringLiteral("NAME"));
    parser.addOptions({projectOption, demoOption, screenshotOption, panelOption});
    parser.process(app);

    assay::jobs::JobRegistry registry;
    assay::ui::MainWindow window(&registry);
    window.show();

    const QString screenshot = parser.value(screenshotOption);
    const QString panel = parser.value(panelOption);
    if (!screenshot.isEmpty()) {
        // A project is shown once its scan has caught up, so thumbnails and panels are filled.
        auto shoot = [&window, screenshot, panel] {
            if (!panel.isEmpty())
                window.showPanel(panel);
            screenshotAndQuit(&window, screenshot);
        };
        QObject::connect(&window, &assay::ui::MainWindow::projectOpened, &window, [&window, shoot] {
            if (!window.scanner()->isRunning())
                shoot();
        });
        QObject::connect(&window, &assay::ui::MainWindow::scanFinished, &window, shoot);
        QObject::connect(&window, &assay::ui::MainWindow::importFailed, &app,
                         [] { QApplication::exit(1); });
    }

    QString projectPath = parser.value(projectOption);
    if (projectPath.isEmpty() && !parser.positionalArguments().isEmpty())
        projectPath = parser.positionalArguments().front();
    if (parser.isSet(demoOption)) {
        window.openDemo();
    } else if (!projectPath.isEmpty()) {
        if (!window.openProject(projectPath) && !screenshot.isEmpty())
            return 1;
    } else if (!screenshot.isEmpty()) {
        screenshotAndQuit(&window, screenshot); // the start page
    }

    const int code = app.exec();
    registry.cancelAll();
    assay::jobs::workerPool().waitForDone();
    return code;
}
