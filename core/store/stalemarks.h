#pragma once

#include <QStringList>

#include <cstdint>

// Which stored analyses an edit made out of date. An edit marks them in its own transaction (so
// a crash cannot lose the mark); whoever brings an analysis up to date clears its name
// (analysis::refreshAfterEdit does it for the cheap ones). The UI reads the marks to show
// "out of date" and to start the refresh in the background.
namespace assay::store {

class Database;

// The names in the meta key "stale_analyses" (a comma-separated list).
namespace analysisname {
inline const QString duplicates = QStringLiteral("duplicates"); // label_conflict and leakage
inline const QString annotationChecks = QStringLiteral("annotation_checks");
inline const QString slices = QStringLiteral("slices"); // bias slices
} // namespace analysisname

// Adds `names` to the marks and, when any, increments meta "labels_generation" (a counter an
// analysis can store beside its results to tell whether labels changed since). In the caller's
// transaction.
void markStale(Database &db, const QStringList &names);
QStringList staleAnalyses(Database &db);
// Removes one name from the marks (its analysis is up to date again).
void clearStale(Database &db, const QString &name);
std::int64_t labelsGeneration(Database &db);
// clearStale, unless labels changed since `generation` (labelsGeneration() read before the
// analysis loaded its inputs): an edit made while it ran keeps the mark. In the caller's
// transaction, the one that stores the analysis.
void clearStaleSince(Database &db, const QString &name, std::int64_t generation);

} // namespace assay::store
