#pragma once

#include <QString>

#include <cstdint>

namespace assay {

enum class SampleStatus : int {
    Present = 0,
    Missing = 1, // the file vanished since it was imported; kept with its edits and results
};

// One row of the samples table, as the UI and the CLI see it.
struct SampleRecord
{
    std::int64_t id = 0;
    QString path;             // relative to the dataset root, '/'-separated
    std::int64_t member = -1; // index inside a container file (MNIST IDX), or -1
    QString split;            // null when the sample has no split
    QString label;            // null when unlabeled
    std::int64_t size = 0;
    std::int64_t mtime = 0;
    SampleStatus status = SampleStatus::Present;
};

} // namespace assay
