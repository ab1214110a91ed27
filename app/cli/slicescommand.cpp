#include "clicommon.h"

#include "analysis/biasjson.h"
#include "analysis/biasstore.h"
#include "store/project.h"
#include "util/error.h"

#include <QJsonDocument>

namespace assay::cli {

namespace {

bool readInt(const QCommandLineParser &parser, const QCommandLineOption &option, int low,
             int high, int &value)
{
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    value = parser.value(option).toInt(&ok);
    return ok && value >= low && value <= high;
}

bool readDouble(const QCommandLineParser &parser, const QCommandLineOption &option, double low,
                double high, double &value)
{
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    value = parser.value(option).toDouble(&ok);
    return ok && value >= low && value <= high;
}

} // namespace

int runSlices(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Find bias slices: groups of samples, described by up to L attribute "
                       "values, whose class mix differs from the whole (and, with imported "
                       "predictions, whose error rate is higher), with Benjamini-Hochberg over "
                       "every tested slice. Options not given keep the project's last values "
                       "(defaults: L 2, B 5, minimum support 30); the ones used are stored in "
                       "the project and printed with the results."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file (.assay)."));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print JSON (the keys report --json gains)."));
    const QCommandLineOption csv(QStringLiteral("csv"),
                                 QStringLiteral("Print every tested slice as CSV (error slices "
                                                "follow after a blank line)."));
    const QCommandLineOption minSupport(QStringLiteral("min-support"),
                                        QStringLiteral("Smallest slice (and complement)."),
                                        QStringLiteral("N"));
    const QCommandLineOption bins(QStringLiteral("bins"),
                                  QStringLiteral("Equal-frequency bins of numeric attributes."),
                                  QStringLiteral("B"));
    const QCommandLineOption maxLevel(QStringLiteral("max-level"),
                                      QStringLiteral("Predicates per slice, 1-3."),
                                      QStringLiteral("L"));
    const QCommandLineOption fdr(QStringLiteral("fdr"),
                                 QStringLiteral("False-discovery rate q (default 0.05)."),
                                 QStringLiteral("Q"));
    const QCommandLineOption minV(QStringLiteral("min-v"),
                                  QStringLiteral("Smallest Cramér's V reported (default 0.1)."),
                                  QStringLiteral("V"));
    const QCommandLineOption folderDepth(
        QStringLiteral("folder-depth"),
        QStringLiteral("Path component the 'folder' attribute reads (0: top level)."),
        QStringLiteral("D"));
    const QCommandLineOption noDedupe(QStringLiteral("no-dedupe"),
                                      QStringLiteral("Test every exact duplicate, not one per "
                                                     "group."));
    const QCommandLineOption threads(QStringLiteral("threads"),
                                     QStringLiteral("Worker threads (default: one per core)."),
                                     QStringLiteral("N"), QStringLiteral("0"));
    parser.addOptions({json, csv, minSupport, bins, maxLevel, fdr, minV, folderDepth, noDedupe,
                       threads});
    int exitCode = Ok;
    if (!parseCommand(parser, arguments, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        printErr(QStringLiteral("error: slices needs one project FILE\n\n%1").arg(helpText(parser)));
        return Usage;
    }
    try {
        auto project = store::Project::open(parser.positionalArguments().front());
        analysis::bias::SliceParameters parameters =
            analysis::bias::storedSliceParameters(project->db());
        int threadCount = 0;
        if (!readInt(parser, minSupport, 1, 1 << 30, parameters.minSupport) ||
            !readInt(parser, bins, 2, 100, parameters.bins) ||
            !readInt(parser, maxLevel, 1, 3, parameters.maxLevel) ||
            !readDouble(parser, fdr, 1e-12, 1, parameters.fdr) ||
            !readDouble(parser, minV, 0, 1, parameters.minV) ||
            !readInt(parser, folderDepth, 0, 100, parameters.folderDepth) ||
            !readInt(parser, threads, 0, 1024, threadCount)) {
            printErr(QStringLiteral("error: --min-support takes a whole number >= 1, --bins 2-100, "
                                    "--max-level 1-3, --fdr and --min-v a number in (0, 1], "
                                    "--folder-depth and --threads a whole number >= 0\n"));
            return Usage;
        }
        if (parser.isSet(noDedupe))
            parameters.dedupe = false;
        analysis::bias::SliceResults results;
        {
            CliJob job(QStringLiteral("Finding bias slices"));
            results = analysis::bias::refreshSlices(*project, parameters, job.progress(),
                                                    threadCount);
        }
        if (parser.isSet(csv)) {
            printOut(analysis::bias::slicesCsv(results));
            if (!results.errorSlices.empty())
                printOut(u'\n' + analysis::bias::errorSlicesCsv(results));
        } else if (parser.isSet(json)) {
            printOut(QString::fromUtf8(QJsonDocument(analysis::bias::reportJson(results))
                                           .toJson(QJsonDocument::Indented)));
        } else {
            printOut(analysis::bias::slicesText(results));
        }
        return Ok;
    } catch (const Error &error) {
        printErr(QStringLiteral("error: %1\n").arg(error.message()));
        return Failed;
    }
}

int runImportPredictions(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Store a model's predictions (CSV: path, predicted class, optional "
                       "score; a header row naming 'path' is recognised), replacing earlier "
                       "ones, and search the slices again: error slices are those where the "
                       "model errs more than elsewhere."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file (.assay)."));
    parser.addPositionalArgument(QStringLiteral("CSV"), QStringLiteral("Predictions."));
    int exitCode = Ok;
    if (!parseCommand(parser, arguments, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 2) {
        printErr(QStringLiteral("error: import-predictions needs a project FILE and a CSV\n\n%1")
                     .arg(helpText(parser)));
        return Usage;
    }
    try {
        auto project = store::Project::open(parser.positionalArguments().at(0));
        const analysis::bias::PredictionImport imported =
            analysis::bias::importPredictions(*project, parser.positionalArguments().at(1));
        printOut(QStringLiteral("Stored %1 predictions from %2 rows\n")
                     .arg(imported.stored)
                     .arg(imported.rows));
        if (imported.unknownPaths > 0)
            printErr(QStringLiteral("warning: %1 rows name no sample of the project (e.g. %2)\n")
                         .arg(imported.unknownPaths)
                         .arg(imported.unknownExamples.join(QStringLiteral(", "))));
        if (!imported.unknownClasses.isEmpty())
            printErr(QStringLiteral("warning: predicted classes the project does not have "
                                    "(counted as errors): %1\n")
                         .arg(imported.unknownClasses.join(QStringLiteral(", "))));
        analysis::bias::SliceResults results;
        {
            CliJob job(QStringLiteral("Finding bias slices"));
            results = analysis::bias::refreshSlices(
                *project, analysis::bias::storedSliceParameters(project->db()), job.progress());
        }
        printOut(QStringLiteral("%1 of %2 labelled samples have a prediction; overall error %3; "
                                "%4 error slices reported\n")
                     .arg(results.predicted)
                     .arg(results.labeled)
                     .arg(results.predicted > 0
                              ? double(results.errors) / double(results.predicted)
                              : 0.0,
                          0, 'f', 3)
                     .arg(results.errorReported()));
        return Ok;
    } catch (const Error &error) {
        printErr(QStringLiteral("error: %1\n").arg(error.message()));
        return Failed;
    }
}

} // namespace assay::cli
