#include "clicommon.h"

#include "report/checks.h"
#include "store/project.h"
#include "util/error.h"

#include <QJsonDocument>

namespace assay::cli {

int runCheck(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("A gate for training pipelines: exit 1 when any rule named in --fail-on "
                       "finds something (or cannot be checked because the project is not "
                       "scanned), 0 otherwise. Rules: leakage, label-conflicts, exact-duplicates, "
                       "near-duplicates, duplicates, slices, error-slices, and any quality or annotation issue kind "
                       "(corrupt, blurry, box_outside_image, ...). Reads the stored results; run "
                       "assay-cli scan first."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file (.assay)."));
    const QCommandLineOption failOnOption(
        QStringLiteral("fail-on"), QStringLiteral("Comma-separated rules that fail the check."),
        QStringLiteral("RULES"));
    const QCommandLineOption examplesOption(QStringLiteral("examples"),
                                            QStringLiteral("Examples printed per rule (default "
                                                           "5)."),
                                            QStringLiteral("N"), QStringLiteral("5"));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        QStringLiteral("Print JSON instead of text."));
    parser.addOptions({failOnOption, examplesOption, jsonOption});
    int exitCode = Ok;
    if (!parseCommand(parser, arguments, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        printErr(QStringLiteral("error: check needs one project FILE\n\n%1").arg(helpText(parser)));
        return Usage;
    }
    const QStringList names =
        parser.values(failOnOption).join(u',').split(u',', Qt::SkipEmptyParts);
    bool examplesOk = false;
    const int examples = parser.value(examplesOption).toInt(&examplesOk);
    if (names.isEmpty() || !examplesOk || examples < 0) {
        printErr(QStringLiteral("error: check needs --fail-on RULE[,RULE...] (and --examples a "
                                "whole number >= 0)\nvalid rules: %1\n")
                     .arg(report::checkRuleNames().join(QStringLiteral(", "))));
        return Usage;
    }
    std::vector<report::CheckRule> rules;
    QStringList unknown;
    for (const QString &name : names) {
        if (const auto rule = report::findCheckRule(name))
            rules.push_back(*rule);
        else
            unknown << name.trimmed();
    }
    if (!unknown.isEmpty()) {
        printErr(QStringLiteral("error: unknown rule%1 %2\nvalid rules: %3\n")
                     .arg(unknown.size() > 1 ? QStringLiteral("s") : QString(),
                          unknown.join(QStringLiteral(", ")),
                          report::checkRuleNames().join(QStringLiteral(", "))));
        return Usage;
    }
    try {
        store::OpenOptions options;
        options.readOnly = true;
        auto project = store::Project::open(parser.positionalArguments().front(), options);
        const std::vector<report::CheckResult> results =
            report::runChecks(*project, rules, examples);
        bool failed = false;
        for (const report::CheckResult &result : results)
            failed = failed || result.failed();
        if (parser.isSet(jsonOption))
            printOut(QString::fromUtf8(QJsonDocument(report::checkResultsJson(results))
                                           .toJson(QJsonDocument::Indented)));
        else
            printOut(report::checkResultsText(results));
        return failed ? Failed : Ok;
    } catch (const Error &error) {
        printErr(QStringLiteral("error: %1\n").arg(error.message()));
        return Usage + 1; // 3: the project could not be read (1 means a rule failed)
    }
}

} // namespace assay::cli
