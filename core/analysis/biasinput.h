#pragma once

#include "biasslices.h"

namespace assay::store {
class Database;
class SampleIndex;
}

// What the bias-slice engine reads of a project: one row per present sample (the rows of a
// store::SampleIndex, in its order) with its label, prediction and attributes.
namespace assay::analysis::bias {

// Attributes, in this order (their order is the canonical order of a slice's predicates):
// split; folder (the path component at parameters.folderDepth, left out when it repeats the
// split, marked as the label's source when every labelled sample's folder is its class); the
// imported attributes (text: categorical, numbers: quantile bins); file format and colour mode;
// brightness, contrast, sharpness, width, height, megapixels, aspect, file size; duplicate
// membership; the quality flags dark, bright, blurry, odd aspect ratio, grayscale and low
// information. An attribute missing on every row is left out.
//
// The label is the image-level class; a detection image without one takes the class most of its
// objects have (ties: the first class), as multi-label slices are out of scope (spec §6).
// Exact-duplicate groups keep their lowest sample id in the tests (duplicateCopy marks the rest).
SliceData sliceDataFromIndex(const store::SampleIndex &index, store::Database &db,
                             const SliceParameters &parameters);

// Loads a SampleIndex first.
SliceData loadSliceData(store::Database &db, const SliceParameters &parameters);

} // namespace assay::analysis::bias
