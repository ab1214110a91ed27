#pragma once

#include "change.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace assay::store {
class Database;
}

// The edits a person can make, each built as one EditBatch for EditSession::apply. They read
// the project for names (the batch's text) and for values they derive from (a polygon's
// vertices, a box to nudge), and write nothing. Ids are row ids: samples.id, annotations.id,
// categories.id, splits.id. A batch of any size is one undo step and one transaction.
namespace assay::edit {

// Image-level class of samples; categoryId 0 clears it (unlabeled).
EditBatch setSampleClass(store::Database &db, const std::vector<std::int64_t> &samples,
                         std::int64_t categoryId);
// Class of objects; categoryId 0 clears it.
EditBatch setAnnotationClass(store::Database &db, const std::vector<std::int64_t> &annotations,
                             std::int64_t categoryId);

// Moves or resizes a box (any object's bounding box). Repeated calls for one box merge into one
// undo step (merge key "box:<id>").
EditBatch setBox(store::Database &db, std::int64_t annotationId, const Box &box);
// Moves a box by (dx, dy) pixels from where it is now (arrow-key nudges; they merge too).
EditBatch nudgeBox(store::Database &db, std::int64_t annotationId, double dx, double dy);
EditBatch addBox(store::Database &db, std::int64_t sampleId, std::int64_t categoryId,
                 const Box &box);
EditBatch deleteAnnotations(store::Database &db, const std::vector<std::int64_t> &annotations);

// Polygon vertices, by ring and vertex index; the object's box follows the polygon. Refused
// (when applied) if the polygon changed since it was read here. Dragging one vertex merges.
EditBatch moveVertex(store::Database &db, std::int64_t annotationId, int ring, int vertex,
                     double x, double y);
EditBatch insertVertex(store::Database &db, std::int64_t annotationId, int ring, int before,
                       double x, double y);
EditBatch deleteVertex(store::Database &db, std::int64_t annotationId, int ring, int vertex);

EditBatch setTag(store::Database &db, const std::vector<std::int64_t> &samples,
                 const QString &tag, bool on);
EditBatch setReviewed(store::Database &db, const std::vector<std::int64_t> &samples, bool on);
// Excluded samples stay in the project but are left out of exports (README "Edits").
EditBatch setExcluded(store::Database &db, const std::vector<std::int64_t> &samples, bool on);
// splitId 0 removes the samples from any split.
EditBatch moveToSplit(store::Database &db, const std::vector<std::int64_t> &samples,
                      std::int64_t splitId);

EditBatch renameCategory(store::Database &db, std::int64_t categoryId, const QString &name);
EditBatch addCategory(store::Database &db, const QString &name,
                      const QString &supercategory = {});
// Every sample and object of class `from` gets class `into`; then `from` is removed.
EditBatch mergeCategories(store::Database &db, std::int64_t from, std::int64_t into);

// "Revert this change" of the history: sets each value a journal row changed back to what it
// was, as a new edit, refused where the value changed since. Rows of one batch or chosen ones.
EditBatch revertBatch(store::Database &db, std::int64_t batchId);
EditBatch revertRows(store::Database &db, const std::vector<std::int64_t> &rowIds);

// Lookups for callers that start from names.
std::int64_t findCategory(store::Database &db, const QString &name); // 0 when there is none
std::int64_t findSplit(store::Database &db, const QString &name);
// The split named so, created when there is none (not an edit: an empty split is harmless and
// undo leaves it).
std::int64_t ensureSplit(store::Database &db, const QString &name);

} // namespace assay::edit
