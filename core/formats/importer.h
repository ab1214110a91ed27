#pragma once

#include "datasetreader.h"

#include "model/importplan.h"

#include <QString>

namespace assay::jobs {
class Progress;
}

namespace assay::formats {

struct ImportOutcome
{
    ImportPlan plan; // what the reader found (items, skipped and refused entries)
    ImportResult result;
    bool projectCreated = false;
};

// Reads `source` and synchronises the project at `projectPath` with it (creating the project when
// it does not exist). The project is written in one transaction — after the reader is done, or,
// for a reader that streams (COCO), on a second thread while it reads: on any error or
// cancellation nothing is half-imported, and a project file this call created is removed again.
ImportOutcome importDataset(const QString &source, const QString &projectPath,
                            const ReadOptions &options, jobs::Progress &progress);

} // namespace assay::formats
