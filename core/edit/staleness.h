#pragma once

#include "change.h"

#include <QStringList>

#include <cstdint>

namespace assay::store {
class Database;
}

// Which stored analyses an edit made out of date. An edit marks them in its own transaction (so
// a crash cannot lose the mark); whoever brings an analysis up to date clears its name
// (analysis::refreshAfterEdit does it for the cheap ones). The UI reads the marks to show
// "out of date" and to start the refresh in the background.
namespace assay::edit {

// The names in the meta key "stale_analyses" (a comma-separated list).
namespace analysisname {
inline const QString duplicates = QStringLiteral("duplicates"); // label_conflict and leakage
inline const QString annotationChecks = QStringLiteral("annotation_checks");
inline const QString slices = QStringLiteral("slices"); // bias slices
} // namespace analysisname

// The stored analyses a change of these fields makes stale: class or split -> duplicates (their
// label_conflict and leakage flags) and slices; objects or classes -> also annotation checks.
// Tags, reviewed and excluded -> none. (Class balance is not stored: it is counted from the
// tables whenever it is shown, so a view redraws it on the change notification.)
QStringList analysesStaleAfter(FieldSet fields);

// Adds `names` to the marks and, when any, increments meta "labels_generation" (a counter an
// analysis can store beside its results to tell whether labels changed since). In the caller's
// transaction.
void markStale(store::Database &db, const QStringList &names);
QStringList staleAnalyses(store::Database &db);
// Removes one name from the marks (its analysis is up to date again).
void clearStale(store::Database &db, const QString &name);
std::int64_t labelsGeneration(store::Database &db);

} // namespace assay::edit
