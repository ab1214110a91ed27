#include "clicommon.h"

#include "analysis/annotationchecks.h"
#include "formats/importer.h"
#include "jobs/progress.h"
#include "report/projectinfo.h"
#include "store/featurestore.h"
#include "store/project.h"
#include "util/error.h"

#include <QFileInfo>

namespace assay::cli {

int runImport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Import a dataset into a project file, or synchronise the project with it "
                       "again: new files are added, vanished files marked missing, unchanged "
                       "samples kept as they are."));
    parser.addPositionalArgument(QStringLiteral("DATASET"),
                                 QStringLiteral("Dataset folder, CSV manifest, MNIST IDX file or "
                                                "COCO annotation file."));
    const QCommandLineOption projectOption(QStringLiteral("project"),
                                           QStringLiteral("Project file to create or update."),
                                           QStringLiteral("FILE"));
    const QCommandLineOption formatOption(QStringLiteral("format"),
                                          QStringLiteral("Dataset format: %1 (default auto).")
                                              .arg(formats::formatChoices()),
                                          QStringLiteral("FORMAT"), QStringLiteral("auto"));
    const QCommandLineOption rootOption(QStringLiteral("root"),
                                        QStringLiteral("Dataset root for a CSV manifest's paths "
                                                       "(default: the manifest's folder)."),
                                        QStringLiteral("DIR"));
    const QCommandLineOption pathColumn(QStringLiteral("path-column"),
                                        QStringLiteral("CSV column with the image path."),
                                        QStringLiteral("NAME"));
    const QCommandLineOption labelColumn(QStringLiteral("label-column"),
                                         QStringLiteral("CSV column with the class label."),
                                         QStringLiteral("NAME"));
    const QCommandLineOption splitColumn(QStringLiteral("split-column"),
                                         QStringLiteral("CSV column with the split."),
                                         QStringLiteral("NAME"));
    const QCommandLineOption imagesOption(QStringLiteral("images-dir"),
                                          QStringLiteral("COCO: the folder file_name values are "
                                                         "relative to (default: detected)."),
                                          QStringLiteral("DIR"));
    const QCommandLineOption namesOption(QStringLiteral("class-names"),
                                         QStringLiteral("MNIST: file with one class name per "
                                                        "line."),
                                         QStringLiteral("FILE"));
    parser.addOptions({projectOption, formatOption, rootOption, pathColumn, labelColumn,
                       splitColumn, namesOption, imagesOption});
    int exitCode = Ok;
    if (!parseCommand(parser, arguments, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(projectOption)) {
        printErr(QStringLiteral("error: import needs a DATASET and --project FILE\n\n%1")
                     .arg(helpText(parser)));
        return Usage;
    }
    const auto format = formats::parseFormat(parser.value(formatOption));
    if (!format) {
        printErr(QStringLiteral("error: unknown format '%1'; use one of %2\n")
                     .arg(parser.value(formatOption), formats::formatChoices()));
        return Usage;
    }
    formats::ReadOptions options;
    options.format = *format;
    options.root = parser.value(rootOption);
    options.pathColumn = parser.value(pathColumn);
    options.labelColumn = parser.value(labelColumn);
    options.splitColumn = parser.value(splitColumn);
    options.namesFile = parser.value(namesOption);
    options.imagesDir = parser.value(imagesOption);
    const QString dataset = parser.positionalArguments().front();
    const QString projectPath = parser.value(projectOption);

    try {
        formats::ImportOutcome outcome;
        {
            CliJob job(QStringLiteral("Importing"));
            outcome = formats::importDataset(dataset, projectPath, options, job.progress());
        }
        auto project = store::Project::open(projectPath);
        printOut(report::importSummaryText(outcome.plan, outcome.result, project->sampleSummary()));
        const std::int64_t flagged =
            store::countIssues(project->db(), analysis::annotationIssueKinds());
        if (flagged > 0)
            printOut(QStringLiteral("%1 annotation issues (assay-cli report %2 lists them)\n")
                         .arg(flagged)
                         .arg(projectPath));
        printOut(QStringLiteral("Project: %1\n").arg(QFileInfo(projectPath).absoluteFilePath()));
        return Ok;
    } catch (const jobs::Canceled &) {
        printErr(QStringLiteral("import interrupted: nothing was written to %1\n")
                     .arg(projectPath));
        return Interrupted;
    } catch (const Error &error) {
        printErr(QStringLiteral("error: %1\n").arg(error.message()));
        return Failed;
    }
}

} // namespace assay::cli
