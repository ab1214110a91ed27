#include "clicommon.h"

#include "report/projectinfo.h"
#include "store/project.h"
#include "util/error.h"

#include <QJsonDocument>

namespace assay::cli {

int runInfo(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Print what a project holds: samples per split and class."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file (.assay)."));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        QStringLiteral("Print JSON instead of a table."));
    parser.addOption(jsonOption);
    int exitCode = Ok;
    if (!parseCommand(parser, arguments, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        printErr(QStringLiteral("error: info needs one project FILE\n\n%1").arg(helpText(parser)));
        return Usage;
    }
    try {
        store::OpenOptions options;
        options.readOnly = true;
        auto project = store::Project::open(parser.positionalArguments().front(), options);
        const store::ProjectSummary summary = project->summary();
        if (parser.isSet(jsonOption)) {
            QJsonObject json = report::summaryJson(summary);
            json.insert(QStringLiteral("project"), project->path());
            json.insert(QStringLiteral("schema_version"), project->schemaVersion());
            printOut(QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented)));
        } else {
            printOut(QStringLiteral("%1\n  dataset: %2 (%3)\n  %4 samples in %5 classes, %6 "
                                    "unlabeled, %7 missing\n\n")
                         .arg(project->path(), summary.root, summary.format)
                         .arg(summary.samples)
                         .arg(summary.classes.size())
                         .arg(summary.unlabeled)
                         .arg(summary.missing));
            printOut(report::summaryTable(summary));
        }
        return Ok;
    } catch (const Error &error) {
        printErr(QStringLiteral("error: %1\n").arg(error.message()));
        return Failed;
    }
}

} // namespace assay::cli
