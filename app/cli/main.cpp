// assay-cli: the headless entry point. Argument parsing only; the work is in assay_core.

#include "clicommon.h"

#include "assay/version.h"

#include <QCoreApplication>

#include <functional>
#include <map>
#include <memory>

using namespace assay::cli;

namespace {

struct Command
{
    int (*run)(const QStringList &);
    const char *summary;
};

const std::map<QString, Command> &commands()
{
    static const std::map<QString, Command> table = {
        {QStringLiteral("import"), {runImport, "Import a dataset folder or manifest into a project"}},
        {QStringLiteral("info"), {runInfo, "Print a project's samples per split and class"}},
        {QStringLiteral("scan"), {runScan, "Measure every stale sample (features, thumbnails)"}},
        {QStringLiteral("report"), {runReport, "Report class balance, quality issues and duplicates"}},
        {QStringLiteral("check"), {runCheck, "Exit 1 when a chosen rule finds something (a CI gate)"}},
        {QStringLiteral("export"), {runExport, "Write the dataset with its edits, in its own format or another"}},
        {QStringLiteral("slices"), {runSlices, "Find bias slices: where the class mix (or the error) shifts"}},
        {QStringLiteral("import-predictions"), {runImportPredictions, "Store a model's predictions for error slices"}},
        // Edits: the same commands and journal as the window.
        {QStringLiteral("relabel"), {runRelabel, "Set the class of samples (an undoable edit)"}},
        {QStringLiteral("tag"), {runTag, "Add or remove a tag on samples"}},
        {QStringLiteral("exclude"), {runExclude, "Exclude samples from exports, or include them"}},
        {QStringLiteral("undo"), {runUndo, "Take back the latest edit"}},
        {QStringLiteral("redo"), {runRedo, "Make the latest undone edit again"}},
        {QStringLiteral("history"), {runHistory, "Print the edit journal"}},
        {QStringLiteral("datasheet"), {runDatasheet, "Write the datasheet: md, html, pdf, croissant, hf-card"}},
    };
    return table;
}

QString usage()
{
    QString text = QStringLiteral("Usage: assay-cli COMMAND [options]\n\n"
                                  "Assay inspects machine-learning image datasets.\n\n"
                                  "Commands:\n");
    for (const auto &[name, command] : commands())
        text += QStringLiteral("  %1%2\n").arg(name.leftJustified(20),
                                              QString::fromLatin1(command.summary));
    text += QStringLiteral("\nOptions:\n  -h, --help     Show this help\n"
                           "  --version      Show the version\n\n"
                           "Run 'assay-cli COMMAND --help' for a command's options.\n");
    return text;
}

} // namespace

int main(int argc, char *argv[])
{
    // The datasheet draws charts and PDFs (Qt Gui); every other command stays QtCore-only.
    const bool gui = argc > 1 && qstrcmp(argv[1], "datasheet") == 0;
    const std::unique_ptr<QCoreApplication> app =
        gui ? makeDatasheetApplication(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("assay-cli"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(assay::versionString));
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() < 2) {
        printErr(usage());
        return Usage;
    }
    const QString first = arguments.at(1);
    if (first == u"--help" || first == u"-h" || first == u"help") {
        printOut(usage());
        return Ok;
    }
    if (first == u"--version" || first == u"version") {
        printOut(QStringLiteral("assay-cli %1 (%2)\n")
                     .arg(QString::fromLatin1(assay::versionString),
                          QString::fromLatin1(assay::gitRevision)));
        return Ok;
    }
    const auto found = commands().find(first);
    if (found == commands().end()) {
        printErr(QStringLiteral("error: unknown command '%1'\n\n%2").arg(first, usage()));
        return Usage;
    }
    QStringList commandArguments = arguments;
    commandArguments.removeAt(1);
    commandArguments[0] = QStringLiteral("assay-cli ") + first;
    return found->second.run(commandArguments);
}
