#pragma once

#include "model/importplan.h"

#include <vector>

namespace assay::formats {

// Takes a plan's samples and objects while a reader is still reading, so that
// formats::importDataset can write them on a second thread (COCO streams; other readers hand
// over nothing and their plan is written once read).
//
// A streaming reader calls items() whenever the items so far (plan.items, and the splits and
// categories they name) are final, and annotations() with objects of items already handed over,
// in order; plan.categories then names every category they use. The objects handed over are not
// kept in plan.annotations; plan.annotationsStreamed counts them.
class PlanSink
{
public:
    virtual ~PlanSink() = default;
    virtual void items(const ImportPlan &plan) = 0;
    virtual void annotations(const ImportPlan &plan, std::vector<ImportAnnotation> &&batch) = 0;
    // A batch handed over earlier that the sink is done with, for the reader to fill again: its
    // objects keep their allocations. Empty when none is ready.
    virtual std::vector<ImportAnnotation> spentBatch() { return {}; }
};

} // namespace assay::formats
