#pragma once

#include "balance.h"

namespace assay::store {
class Database;
class SampleIndex;
}

namespace assay::analysis {

// Samples (by their class label) and annotations (by their class) per split and class, for the
// present samples of a project. Samples without a split count under "(none)".
ClassCounts loadClassCounts(store::Database &db);

// The same from the browser's in-memory index (samples) and the annotations table (objects).
ClassCounts classCountsFromIndex(const store::SampleIndex &index, store::Database &db);

} // namespace assay::analysis
