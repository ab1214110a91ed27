#pragma once

// Small images (longer side at most 64 px) shifted or cropped by a few pixels: the third search
// for small images. At 28x28 a 1-pixel shift moves the pHash 13 bits (median) and no rescaled
// signature lines the copy up with its original again (docs/architecture.md, "Duplicates:
// calibration"); but the copy still holds the original's pixels, only elsewhere. So each small
// image, kept whole by the scan (SampleFeatures::smallImage), is indexed by the exact bytes of
// a square window at its centre (side: 3/4 of its shorter side, a multiple of 4); every image
// then looks up its windows of that side at each offset up to maxOffset from its own centre
// (and the sides that images up to maxSizeDifference px larger or smaller would use). A window
// found in another image proposes that pair at that alignment, and the pair confirms when the
// whole overlap of the two images, so aligned, agrees: each image less its mean, at most
// maxDifference grey levels apart on average, the overlap covering at least minOverlap of each.
//
// It finds what moved without resampling: shifts by whole pixels and crops kept at their size
// (PNG, BMP: the same bytes), cheaply (hash lookups, no pair budget). A copy that was also
// re-encoded lossily no longer holds the same bytes; it is left to the other two searches.

#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

namespace assay::jobs {
class Progress;
}

namespace assay::analysis {

struct SmallImage
{
    int width = 0, height = 0;
    const std::uint8_t *pixels = nullptr; // grey, row by row (a view into the stored bytes)
};

// Reads SampleFeatures::smallImage's layout (2-byte little-endian width and height, then the
// pixels). False when the bytes do not hold an image of that size.
bool parseSmallImage(std::string_view bytes, SmallImage &image);

struct ShiftRule
{
    int maxOffset = 3;          // px: windows are looked for this far from the centre
    int maxSizeDifference = 4;  // px: images this much larger or smaller per side can match
    double maxDifference = 2.0; // mean-free difference over the overlap (grey levels)
    double minOverlap = 0.8;    // share of each image the overlap must cover
    int minWindowRange = 16;    // grey levels: a window flatter than this (max - min) says nothing
    int maxBucket = 32;         // images indexed under one window at most (the rest are copies)
};

// The side of the window an image of this shorter side is indexed by (0: too small to index).
int shiftWindowSide(int shorterSide);

// Whether `b`, placed at offset (dx, dy) over `a` (b's pixel (x, y) lies on a's (x + dx, y + dy)),
// agrees with it by the rule.
bool confirmsShifted(const SmallImage &a, const SmallImage &b, int dx, int dy,
                     const ShiftRule &rule = {});

// Calls `visit(input, image)` for the small images of the inputs marked in `needed` (all when
// `needed` is empty); the image's pixels are valid during the call only.
using SmallImageVisitor = std::function<void(std::uint32_t input, const SmallImage &image)>;
using SmallImageSource =
    std::function<void(const std::vector<bool> &needed, const SmallImageVisitor &visit)>;

struct ShiftSearchStats
{
    std::int64_t indexed = 0;    // images indexed by a window
    std::int64_t candidates = 0; // sample pairs a window proposed
    std::int64_t confirmed = 0;
    double seconds = 0;
};

// The confirmed pairs (input indices, a < b) among the small images `source` gives, by the rule.
// Reads the source three times (index, look up, confirm the candidates). Reports to `progress`,
// which may cancel.
std::vector<std::pair<std::uint32_t, std::uint32_t>>
findShiftedPairs(const SmallImageSource &source, std::size_t inputCount,
                 const ShiftRule &rule = {}, jobs::Progress *progress = nullptr,
                 ShiftSearchStats *stats = nullptr);

} // namespace assay::analysis
