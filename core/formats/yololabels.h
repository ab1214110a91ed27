#pragma once

#include "model/importplan.h"

#include <QString>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace assay::jobs {
class Progress;
}

namespace assay::formats::yolo {

enum class LabelState : std::uint8_t { Missing, Empty, Present };

// What an image's label file held.
struct ItemResult
{
    LabelState state = LabelState::Missing;
    bool imageMissing = false;
    std::string labelFile;                     // root-relative, when there is one
    std::int64_t labelSize = 0, labelMtime = 0;
    std::vector<ImportAnnotation> annotations; // category holds the class id until the merge
    QString error;
};

// The label file of an image: "<path without extension>.txt" beside it, and the same with its
// last "images" folder swapped for "labels" (empty when the path has no such folder).
std::string besideLabel(std::string_view image);
std::string labelsTwin(std::string_view image);

// Stats every item (size, mtime, whether it exists) and reads its label file: the image path
// with its last "images" folder swapped for "labels" and the extension for ".txt", else the
// ".txt" beside the image. Objects are converted to pixels with the size from the image header
// (read only for label files with objects). Runs on up to four threads. Throws Error
// "<label file>:<line>: <problem>" for the first malformed file in item order, or
// jobs::Canceled.
void readLabels(const QString &root, std::vector<ImportItem> &items,
                std::vector<ItemResult> &results, jobs::Progress &progress);

} // namespace assay::formats::yolo
