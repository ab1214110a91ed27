#include "clicommon.h"

#include "report/scanreport.h"
#include "store/project.h"
#include "util/error.h"

#include <QJsonDocument>

namespace assay::cli {

int runReport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Report what Assay found: class balance and quality issues."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file (.assay)."));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        QStringLiteral("Print JSON instead of text."));
    parser.addOption(jsonOption);
    int exitCode = Ok;
    if (!parseCommand(parser, arguments, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        printErr(QStringLiteral("error: report needs one project FILE\n\n%1").arg(helpText(parser)));
        return Usage;
    }
    try {
        store::OpenOptions options;
        options.readOnly = true;
        auto project = store::Project::open(parser.positionalArguments().front(), options);
        if (parser.isSet(jsonOption))
            printOut(QString::fromUtf8(
                QJsonDocument(report::projectReportJson(*project)).toJson(QJsonDocument::Indented)));
        else
            printOut(report::projectReportText(*project));
        return Ok;
    } catch (const Error &error) {
        printErr(QStringLiteral("error: %1\n").arg(error.message()));
        return Failed;
    }
}

} // namespace assay::cli
