#include "clicommon.h"

#include "edit/journalquery.h"
#include "export/exporter.h"
#include "jobs/progress.h"
#include "store/project.h"
#include "util/error.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace assay::cli {

int runExport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write the project's dataset, with the edits made in Assay. To the dataset's own format "
        "only the edited records change; to another format, what it cannot hold is reported."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file (.assay)."));
    const QCommandLineOption formatOption(
        QStringLiteral("format"),
        QStringLiteral("Format to write: %1 (default: the dataset's own).")
            .arg(exporting::targetChoices()),
        QStringLiteral("FORMAT"));
    const QCommandLineOption outOption(QStringLiteral("out"),
                                       QStringLiteral("New or empty folder to write into "
                                                      "(outside the dataset)."),
                                       QStringLiteral("DIR"));
    const QCommandLineOption inPlaceOption(
        QStringLiteral("in-place"),
        QStringLiteral("Write the changed files back into the dataset itself (its own format "
                       "only); the files replaced are first copied to ROOT/.assay-backup/."));
    const QCommandLineOption imagesOption(
        QStringLiteral("images"),
        QStringLiteral("How images reach the output: copy (default), link (hard links where "
                       "possible) or none."),
        QStringLiteral("MODE"), QStringLiteral("copy"));
    const QCommandLineOption reportOption(QStringLiteral("report"),
                                          QStringLiteral("Also write the report as JSON to FILE."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        QStringLiteral("Print the report as JSON."));
    const QCommandLineOption changesOption(
        QStringLiteral("changes"),
        QStringLiteral("Write the edit journal (the changes made in Assay) to FILE: CSV when it "
                       "ends in .csv, else JSON. Default when there are edits: DIR.changes.json "
                       "beside the output folder (in place: beside the project file)."),
        QStringLiteral("FILE"));
    const QCommandLineOption noChangesOption(QStringLiteral("no-changes"),
                                             QStringLiteral("Write no changes report."));
    parser.addOptions({formatOption, outOption, inPlaceOption, imagesOption, reportOption,
                       jsonOption, changesOption, noChangesOption});
    int exitCode = Ok;
    if (!parseCommand(parser, arguments, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        printErr(QStringLiteral("error: export needs one project FILE\n\n%1").arg(helpText(parser)));
        return Usage;
    }
    exporting::ExportOptions options;
    options.inPlace = parser.isSet(inPlaceOption);
    options.outDir = parser.value(outOption);
    if (options.inPlace == !options.outDir.isEmpty()) {
        printErr(QStringLiteral("error: give either --out DIR or --in-place\n"));
        return Usage;
    }
    const QString images = parser.value(imagesOption);
    if (images == u"copy")
        options.images = exporting::ImageCopy::Copy;
    else if (images == u"link")
        options.images = exporting::ImageCopy::Link;
    else if (images == u"none")
        options.images = exporting::ImageCopy::None;
    else {
        printErr(QStringLiteral("error: --images is copy, link or none, not '%1'\n").arg(images));
        return Usage;
    }
    const QString projectPath = parser.positionalArguments().front();
    try {
        store::OpenOptions openOptions;
        openOptions.readOnly = !options.inPlace; // in place, the project learns the new files
        auto project = store::Project::open(projectPath, openOptions);
        const QString own = project->meta(QStringLiteral("dataset_format"));
        const QString format = parser.isSet(formatOption) ? parser.value(formatOption) : own;
        const auto target = exporting::parseTarget(format);
        if (!target) {
            printErr(QStringLiteral("error: cannot export to '%1'; choose %2\n")
                         .arg(format, exporting::targetChoices()));
            return Usage;
        }
        options.target = *target;
        exporting::ExportReport report;
        {
            CliJob job(QStringLiteral("Exporting"));
            report = exporting::exportProject(*project, options, job.progress());
        }
        // The changes report goes beside the export, never into it: the exported dataset differs
        // from the original by exactly the edits.
        const bool anyEdits = project->db().queryInt(
                                  "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE name = "
                                  "'edits') AND EXISTS(SELECT 1 FROM edits)")
                              != 0;
        if (!parser.isSet(noChangesOption) && (anyEdits || parser.isSet(changesOption))) {
            QString changes = parser.value(changesOption);
            if (changes.isEmpty()) {
                const QString base = options.inPlace ? project->path() : report.outDir;
                changes = (base.endsWith(QStringLiteral(".assay")) ? base.chopped(6) : base)
                          + QStringLiteral(".changes.json");
            }
            edit::writeJournalFile(project->db(), changes, project->path());
            report.changesFile = QFileInfo(changes).absoluteFilePath();
        }
        const QJsonDocument json(report.toJson());
        if (parser.isSet(reportOption)) {
            QFile file(parser.value(reportOption));
            if (!file.open(QIODevice::WriteOnly) || file.write(json.toJson()) < 0)
                throw Error(QStringLiteral("cannot write the report to %1: %2")
                                .arg(file.fileName(), file.errorString()));
        }
        printOut(parser.isSet(jsonOption) ? QString::fromUtf8(json.toJson()) : report.toText());
        return Ok;
    } catch (const jobs::Canceled &) {
        printErr(QStringLiteral("export interrupted: no file was left half-written\n"));
        return Interrupted;
    } catch (const Error &error) {
        printErr(QStringLiteral("error: %1\n").arg(error.message()));
        return Failed;
    }
}

} // namespace assay::cli
