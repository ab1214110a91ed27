// assay: the desktop entry point. Argument parsing only; the window lives in assay_ui.

#include "assay/version.h"
#include "inspector/sampleinspector.h"
#include "jobs/jobregistry.h"
#include "jobs/workerpool.h"
#include "mainwindow/mainwindow.h"
#include "screenshotter.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QThreadPool>


int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("assay"));
    QApplication::setOrganizationName(QStringLiteral("Assay"));
    // "0.1.0 (d5b7f82de7)": --version and Help → About name the build's git revision.
    QApplication::setApplicationVersion(QStringLiteral("%1 (%2)").arg(
        QString::fromLatin1(assay::versionString), QString::fromLatin1(assay::gitRevision)));
    QApplication::setDesktopFileName(QStringLiteral("org.assayapp.Assay"));
    QIcon icon;
    for (const int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/%1x%1/apps/org.assayapp.Assay.png").arg(size));
    QApplication::setWindowIcon(icon);

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
                                         QStringLiteral("Bring a panel to the front: quality, "
                                                        "balance, counts, duplicates, bias, "
                                                        "datasheet, history, filters or "
                                                        "inspector."),
                                         QStringLiteral("NAME"));
    const QCommandLineOption selectOption(QStringLiteral("select"),
                                          QStringLiteral("Make sample ID current (the inspector "
                                                         "shows it)."),
                                          QStringLiteral("ID"));
    const QCommandLineOption showOption(
        QStringLiteral("show"),
        QStringLiteral("With --screenshot: review (review mode), review-step (review mode five "
                       "samples on, shot while the full image decodes), grid-menu (the grid's "
                       "context menu on a selection) or class-picker (the searchable class "
                       "picker)."),
        QStringLiteral("WHAT"));
    const QCommandLineOption annotationOption(
        QStringLiteral("annotation"),
        QStringLiteral("With --select: select object ID in the inspector (its edit handles "
                       "show)."),
        QStringLiteral("ID"));
    parser.addOptions({projectOption, demoOption, screenshotOption, panelOption, selectOption,
                       showOption, annotationOption});
    parser.process(app);

    assay::jobs::JobRegistry registry;
    assay::ui::MainWindow window(&registry);
    window.show();

    const QString screenshot = parser.value(screenshotOption);
    const qint64 select = parser.value(selectOption).toLongLong();
    if (const qint64 annotation = parser.value(annotationOption).toLongLong(); annotation > 0)
        window.inspector()->selectAnnotationWhenShown(select, annotation);
    Screenshotter *shooter = nullptr;
    if (!screenshot.isEmpty())
        shooter = new Screenshotter(&window, screenshot, parser.value(panelOption), select,
                                    parser.value(showOption));
    else if (select > 0)
        QObject::connect(&window, &assay::ui::MainWindow::resultShown, &window,
                         [&window, select] { window.selectSample(select); },
                         Qt::SingleShotConnection);

    QString projectPath = parser.value(projectOption);
    if (projectPath.isEmpty() && !parser.positionalArguments().isEmpty())
        projectPath = parser.positionalArguments().front();
    if (parser.isSet(demoOption)) {
        window.openDemo();
    } else if (!projectPath.isEmpty()) {
        if (!window.openProject(projectPath) && !screenshot.isEmpty())
            return 1;
    } else if (shooter) {
        shooter->shootStartPage();
    }

    const int code = app.exec();
    registry.cancelAll();
    assay::jobs::workerPool().waitForDone();
    return code;
}
