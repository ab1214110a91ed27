#pragma once

#include "duplicateedges.h"
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

// Issue kinds the duplicate analysis writes (a contract: report --json, check --fail-on). One
// `duplicate` issue per member of a cluster; `leakage` for each member of a cluster spanning
// splits whose split comes after the cluster's earliest (in split id order: the copies in the
// evaluation splits that have a twin in training); `label_conflict` for every member of a
// cluster whose members disagree on their class.
namespace issuekind {
inline const QString duplicate = QStringLiteral("duplicate");
inline const QString leakage = QStringLiteral("leakage");
inline const QString labelConflict = QStringLiteral("label_conflict");
} // namespace issuekind

QStringList duplicateIssueKinds();

// Every measured sample with its hashes, size, split, label and (detection) object classes.
DuplicateInputs loadDuplicateInputs(store::Database &db);

// The stored signatures of the inputs marked in `needed` (those of the current extractor), for
// findDuplicateEdges.
SignatureSet loadSignatures(store::Database &db, const DuplicateInputs &inputs,
                            const std::vector<bool> &needed);

// Visits the stored small images (those of the current extractor) of the inputs marked in
// `needed` (all when empty), for findDuplicateEdges.
void visitSmallImages(store::Database &db, const DuplicateInputs &inputs,
                      const std::vector<bool> &needed, const SmallImageVisitor &visit);

// Finds duplicates among the measured samples and stores them: the clusters at
// options.threshold (duplicate_members), the confirmed pairs up to the searched distance
// (duplicate_pairs, for re-thresholding), the issues (duplicate, leakage, label_conflict) and the
// options used (meta "duplicates"), in one transaction. Throws jobs::Canceled when `progress` is
// canceled (nothing is written then).
DuplicateFindings refreshDuplicates(store::Project &project, const DuplicateOptions &options,
                                    jobs::Progress &progress, EdgeSearchStats *stats = nullptr);

// Whether refreshDuplicates has run on this project (with the calibrated analysis).
bool duplicatesComputed(store::Project &project);

// The options of the last refresh (defaults when there was none). maxDistance and
// smallMaxDistance are the distances actually searched: the range a new threshold may take.
DuplicateOptions storedDuplicateOptions(store::Project &project);

// Re-thresholding without searching again (the Duplicates panel's slider). The graph is what
// the last refresh stored: the inputs (without signatures) and the confirmed edges up to
// options.maxDistance. clusterDuplicates(graph.inputs, graph.edges, options) at any threshold
// from 0 to options.maxDistance then takes milliseconds (Fashion-MNIST's 70,000 samples: see
// docs/architecture.md); storeDuplicateClusters writes the clusters and issues it gives.
// Pairs with a small image exist only up to options.smallMaxDistance, whatever the threshold.
struct DuplicateGraph
{
    DuplicateInputs inputs;
    std::vector<SampleEdge> edges;
    DuplicateOptions options; // of the last refresh; threshold is the stored clusters'
    std::int64_t labelsGeneration = 0; // of the labels in `inputs` (store/stalemarks.h)
};
// Throws assay::Error when duplicates were never computed (duplicatesComputed).
DuplicateGraph loadDuplicateGraph(store::Project &project);
// Replaces the stored clusters and their issues with `findings` (clustered from `graph` at
// `threshold`) and records the threshold, in one transaction; the stored pairs stay.
void storeDuplicateClusters(store::Project &project, const DuplicateGraph &graph,
                            const DuplicateFindings &findings, int threshold);
// loadDuplicateGraph, clusterDuplicates at `threshold` and storeDuplicateClusters. Throws
// assay::Error when the threshold is outside 0 .. the stored maxDistance, or when duplicates
// were never computed.
DuplicateFindings reclusterDuplicates(store::Project &project, int threshold);

// For the filter dock: the samples (ascending ids) in a stored cluster, in a cluster that spans
// more than one split (every member, the training twin too), or in a cluster whose members
// disagree on their class.
enum class DuplicateMembership { InCluster, Leaks, LabelConflict };
std::vector<std::int64_t> duplicateSampleIds(store::Database &db, DuplicateMembership which);

// The stored findings as report --json wants them: "duplicates" {"exact", "near"}, "leakage",
// "label_conflicts", plus "duplicate_summary".
QJsonObject duplicatesJson(store::Database &db);

} // namespace assay::analysis
