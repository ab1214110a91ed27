#pragma once

#include "balance.h"

namespace assay::store {
class Database;
}

namespace assay::analysis {

// Samples (by their class label) and annotations (by their class) per split and class, for the
// present samples of a project. Samples without a split count under "(none)".
ClassCounts loadClassCounts(store::Database &db);

} // namespace assay::analysis
