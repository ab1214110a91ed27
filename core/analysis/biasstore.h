#pragma once

#include "biasslices.h"

#include <QStringList>

namespace assay::store {
class Database;
class Project;
class SampleIndex;
}
namespace assay::jobs {
class Progress;
}

// Bias slices in the project: the search run after a scan or on request, its stored results
// (what the CLI reports and a panel shows), imported predictions, and the samples of a slice.
namespace assay::analysis::bias {

// The parameters of the last search (defaults when there was none).
SliceParameters storedSliceParameters(store::Database &db);

// Searches the project's present samples with `parameters` and stores the results and the
// parameters (replacing the previous ones). `threads` 0: one per core; it does not change the
// results.
SliceResults refreshSlices(store::Project &project, const SliceParameters &parameters,
                           jobs::Progress &progress, int threads = 0);

// After a scan: the search again, with the stored parameters.
void refreshSlicesAfterScan(store::Project &project, jobs::Progress &progress);

// Whether a search was stored, and its results (attributes without their per-row codes).
bool hasStoredSlices(store::Database &db);
bool loadStoredSlices(store::Database &db, SliceResults &results);

// Reported (not redundant) slices of the stored search, label shift and errors: what
// `check --fail-on slices` counts. 0 when there is no stored search.
std::int64_t storedReportedSlices(store::Database &db);
std::int64_t storedReportedErrorSlices(store::Database &db);

// A record's predicates by name, as sliceRowsInIndex wants them.
std::vector<NamedPredicate> namedPredicates(const SliceResults &results,
                                            const std::vector<Predicate> &predicates);

// The rows of `index` in a slice whose predicates are named as stored ({"attribute", "bin"}),
// binned with the stored parameters. Empty when an attribute or bin no longer exists.
std::vector<std::uint32_t> sliceRowsInIndex(const store::SampleIndex &index, store::Database &db,
                                            const std::vector<NamedPredicate> &predicates);
// The same as sample ids (loads an index).
std::vector<std::int64_t> sliceSampleIds(store::Database &db,
                                         const std::vector<NamedPredicate> &predicates);

struct PredictionImport
{
    std::int64_t rows = 0;     // data rows in the CSV
    std::int64_t stored = 0;   // predictions stored (one per sample; a later row wins)
    std::int64_t unknownPaths = 0;
    QStringList unknownExamples; // the first few paths that name no sample
    QStringList unknownClasses;  // predicted classes the project does not have (count as errors)
};

// Reads `csvPath` (columns: path, predicted class, optional score; a header row naming "path"
// is recognised, and then the columns "predicted"/"prediction"/"class" and "score"/
// "confidence") and replaces the project's predictions. Paths are root-relative (or absolute
// inside the root), "file#index" for container members. Throws assay::Error when no row names
// a sample.
PredictionImport importPredictions(store::Project &project, const QString &csvPath);

} // namespace assay::analysis::bias
