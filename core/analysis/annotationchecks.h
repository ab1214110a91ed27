#pragma once

#include "model/issue.h"

#include <QStringList>

#include <cstdint>
#include <vector>

namespace assay {
struct ImportPlan;
}

namespace assay::store {
class Project;
}

namespace assay::analysis {

// Issue kinds the annotation checks write, beside the quality kinds (analysis/quality.h); the
// strings are a contract: report --json, check. README "Annotation checks" gives the rules.
namespace issuekind {
inline const QString boxOutsideImage = QStringLiteral("box_outside_image");
inline const QString boxEmptyArea = QStringLiteral("box_empty_area");
inline const QString polygonTooFewPoints = QStringLiteral("polygon_too_few_points");
inline const QString polygonSelfIntersecting = QStringLiteral("polygon_self_intersecting");
inline const QString rleSizeMismatch = QStringLiteral("rle_size_mismatch");
inline const QString unknownCategory = QStringLiteral("unknown_category");
inline const QString classIdOutOfRange = QStringLiteral("class_id_out_of_range");
inline const QString noAnnotations = QStringLiteral("no_annotations");
inline const QString emptyLabelFile = QStringLiteral("empty_label_file");
inline const QString missingImage = QStringLiteral("missing_image");
inline const QString duplicateBox = QStringLiteral("duplicate_box");
inline const QString conflictingBox = QStringLiteral("conflicting_box");
} // namespace issuekind

QStringList annotationIssueKinds();

struct AnnotationCheckOptions
{
    double overlapIou = 0.95;      // duplicate / conflicting boxes: IoU at least this
    double outsideTolerance = 0.5; // px a box may pass an edge by (rounding) before it counts
    size_t maxRingCorners = 20000; // rings with more corners are not tested for crossings
};

// The annotation problems of a project, from its annotations and its samples' image sizes (the
// size the source declared, else the scanned one); no image is read. Samples that are missing
// from disk are not checked, except for `listedMissing`: samples the dataset's source lists
// whose file is not there, which get a missing_image issue.
std::vector<Issue> computeAnnotationIssues(store::Project &project,
                                           const std::vector<std::int64_t> &listedMissing,
                                           const AnnotationCheckOptions &options = {});

// Recomputes the annotation issues and stores them, replacing only the annotation kinds. With
// the plan an import just applied, the listed-but-missing images are its items that were not
// found; without one (after a scan), those the previous check found that are still missing.
void refreshAnnotationChecks(store::Project &project, const ImportPlan *plan = nullptr,
                             const AnnotationCheckOptions &options = {});

// After a scan: rechecks when a scan measured the size of an image with annotations whose
// source declared none (the only thing a scan changes for these checks). Returns whether it did.
bool refreshAnnotationChecksAfterScan(store::Project &project);

} // namespace assay::analysis
