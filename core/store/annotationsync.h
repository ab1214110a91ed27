#pragma once

#include "database.h"

#include "model/importplan.h"

#include <cstdint>
#include <vector>

namespace assay::store {

// Brings the annotations of a plan's samples in line with the plan, inside the caller's
// transaction. Annotations are matched by (sample, source file, source index): unchanged ones are
// left alone (their ids stay), changed ones updated, new ones added, and ones that vanished from
// the source removed. `sampleIds[i]` is the id of plan item i; `categoryIds[c]` of category c.
void syncAnnotations(Database &db, const ImportPlan &plan,
                     const std::vector<std::int64_t> &sampleIds,
                     const std::vector<std::int64_t> &categoryIds, ImportResult &result);

} // namespace assay::store
