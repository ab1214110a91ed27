#pragma once

#include "duplicates.h"

#include <QJsonObject>
#include <QStringList>

namespace assay::store {
class Database;
class Project;
}
namespace assay::jobs {
class Progress;
}

namespace assay::analysis {

struct NearPairs;

// Issue kinds the duplicate analysis writes (a contract: report --json, check --fail-on).
namespace issuekind {
inline const QString duplicate = QStringLiteral("duplicate");
inline const QString leakage = QStringLiteral("leakage");
inline const QString labelConflict = QStringLiteral("label_conflict");
} // namespace issuekind

QStringList duplicateIssueKinds();

// Every measured sample with its hashes, split, label and (detection) object classes.
DuplicateInputs loadDuplicateInputs(store::Database &db);

// Sample pairs behind the near value pairs (and behind identical pHashes), each confirmed by the
// average hash within options.confirmDistance. Value groups too large to pair member by member
// (thousands of near-blank images) are joined through their first members only.
std::vector<SampleEdge> nearEdges(const DuplicateInputs &inputs, const NearPairs &pairs,
                                  const DuplicateOptions &options);

// Finds duplicates among the measured samples and stores them: the clusters (duplicate_members),
// the near pairs up to options.maxDistance (near_pairs, for re-thresholding), the issues
// (duplicate, leakage, label_conflict) and the options used (meta "duplicates").
DuplicateFindings refreshDuplicates(store::Project &project, const DuplicateOptions &options,
                                    jobs::Progress &progress);

// The options of the last refresh (defaults when there was none).
DuplicateOptions storedDuplicateOptions(store::Project &project);

// The stored findings as report --json wants them: "duplicates" {"exact", "near"}, "leakage",
// "label_conflicts", plus "duplicate_summary".
QJsonObject duplicatesJson(store::Database &db);

} // namespace assay::analysis
