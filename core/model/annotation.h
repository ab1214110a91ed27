#pragma once

#include <cstdint>

namespace assay {

// The image-level class label of a classification sample is the sample's category
// (samples.category_id); objects are annotations of one of these kinds.
enum class AnnotationKind : int {
    Box = 1,
    Polygon = 2,
    Mask = 3, // RLE
};

enum class AttributeType : int {
    Number = 0,
    Text = 1,
};

} // namespace assay
