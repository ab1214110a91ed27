#pragma once

namespace assay::store {
class Database;
class Project;
}

namespace assay::analysis {

// After label edits: brings the stored analyses an edit marked stale up to
// date where that is cheap, and clears their marks (store/stalemarks.h).
//  - duplicates: the clusters depend on pixels only and stay; their conflict and leak flags and
//    the label_conflict and leakage issues are recomputed from the members' current classes,
//    objects and splits (one pass over the clustered samples, in one transaction). A cluster
//    keeps its representative until the next full duplicates refresh.
//  - annotation checks: recomputed (a pass over the objects), when marked.
//  - bias slices: searched again with the stored parameters, when a search is stored (1M
//    samples: about a second).
// Returns whether anything was recomputed.
bool refreshAfterEdit(store::Project &project);

// The duplicates part alone; in its own transaction.
void refreshDuplicateLabels(store::Database &db);

} // namespace assay::analysis
