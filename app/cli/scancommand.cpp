#include "clicommon.h"

#include "analysis/duplicatestore.h"
#include "analysis/quality.h"
#include "analysis/refresh.h"
#include "jobs/progress.h"
#include "scan/scanner.h"
#include "store/featurestore.h"
#include "store/project.h"
#include "util/error.h"

namespace assay::cli {

int runScan(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Measure every sample whose features are missing or stale: one read, one "
                       "hash and one decode per image; quality issues are updated at the end. "
                       "Ctrl-C stops cleanly and a later scan resumes."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file (.assay)."));
    const QCommandLineOption threadsOption(QStringLiteral("threads"),
                                           QStringLiteral("Worker threads (default: one per "
                                                          "core)."),
                                           QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption pixelsOption(QStringLiteral("max-megapixels"),
                                          QStringLiteral("Refuse to decode images larger than "
                                                         "this (default 100)."),
                                          QStringLiteral("MP"), QStringLiteral("100"));
    parser.addOptions({threadsOption, pixelsOption});
    int exitCode = Ok;
    if (!parseCommand(parser, arguments, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        printErr(QStringLiteral("error: scan needs one project FILE\n\n%1").arg(helpText(parser)));
        return Usage;
    }
    bool threadsOk = false, pixelsOk = false;
    scan::ScanOptions options;
    options.threads = parser.value(threadsOption).toInt(&threadsOk);
    const double megapixels = parser.value(pixelsOption).toDouble(&pixelsOk);
    if (!threadsOk || options.threads < 0 || !pixelsOk || megapixels <= 0) {
        printErr(QStringLiteral("error: --threads takes a whole number >= 0 and "
                                "--max-megapixels a positive number\n"));
        return Usage;
    }
    options.limits.maxPixels = std::int64_t(megapixels * 1e6);
    const QString projectPath = parser.positionalArguments().front();
    try {
        scan::ScanSummary summary;
        std::unique_ptr<store::Project> project;
        {
            CliJob job(QStringLiteral("Scanning"));
            summary = scan::scanProject(projectPath, options, job.progress());
            project = store::Project::open(projectPath);
            analysis::refreshAfterScan(*project, summary.computed > 0, job.progress());
        }
        const std::int64_t issues =
            store::countIssues(project->db(), analysis::qualityIssueKinds());
        printOut(QStringLiteral("%1 %2 samples: %3 measured, %4 up to date, %5 unchanged "
                                "content; %6 could not be decoded\n")
                     .arg(summary.canceled ? QStringLiteral("Stopped after")
                                           : QStringLiteral("Scanned"))
                     .arg(summary.samples)
                     .arg(summary.computed)
                     .arg(summary.upToDate)
                     .arg(summary.unchangedContent)
                     .arg(summary.problems));
        const double rate = summary.seconds > 0 ? double(summary.computed) / summary.seconds : 0;
        printOut(QStringLiteral("%1 s on %2 threads (%3 images/s); %4 quality issues\n")
                     .arg(summary.seconds, 0, 'f', 2)
                     .arg(summary.threads)
                     .arg(rate, 0, 'f', 0)
                     .arg(issues));
        if (analysis::duplicatesComputed(*project)) {
            store::Database &db = project->db();
            printOut(QStringLiteral("%1 duplicate clusters (%2 samples): %3 span splits, %4 "
                                    "disagree on the label\n")
                         .arg(db.queryInt("SELECT count(DISTINCT cluster) FROM duplicate_members"))
                         .arg(db.queryInt("SELECT count(*) FROM duplicate_members"))
                         .arg(db.queryInt("SELECT count(DISTINCT cluster) FROM duplicate_members "
                                          "WHERE flags & 1"))
                         .arg(db.queryInt("SELECT count(DISTINCT cluster) FROM duplicate_members "
                                          "WHERE flags & 2")));
        }
        if (summary.canceled) {
            printErr(QStringLiteral("scan interrupted: finished work is saved; run scan again to "
                                    "resume\n"));
            return Interrupted;
        }
        return Ok;
    } catch (const Error &error) {
        printErr(QStringLiteral("error: %1\n").arg(error.message()));
        return Failed;
    }
}

} // namespace assay::cli
