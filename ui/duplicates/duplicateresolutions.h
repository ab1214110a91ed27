#pragma once

#include "analysis/storedduplicates.h"

class QMenu;

namespace assay::ui {

class SampleEditActions;

// The one-click resolutions of a duplicate cluster, each one undoable edit (issue #6):
//  - keep the representative, exclude the other members (and include the representative);
//  - move every member to one split (asked; ends a leak across splits);
//  - give every member one class: the majority's first, then the others (a label conflict).
// Fills `menu` for `cluster`; the actions apply through `edits`.
void fillResolutionMenu(QMenu *menu, const analysis::StoredDuplicateCluster &cluster,
                        SampleEditActions *edits);

// The class most members have (ties: the representative's, then the first seen), or "" when
// no member has an image-level class.
QString majorityLabel(const analysis::StoredDuplicateCluster &cluster);

} // namespace assay::ui
