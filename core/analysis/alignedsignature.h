#pragma once

// Small images (imagesignature.h: longer side at most 64 px) registered to their content, so
// that a re-sized copy lines up with its original. At 28x28 such a copy differs from its
// original more than many sibling garments do; on a plain background the content's centre and
// spread scale with it. See docs/architecture.md, "Duplicates: calibration": from the stored
// 16x16 signature a 1-pixel shift or a crop of a 28x28 image does not line up (a 0.57-pixel phase
// the area sampling loses), so those copies are still mostly missed.
//
// From the stored 16x16 signature: the background is the median of its border pixels (the
// image is registrable when most of the border is within a few grey levels of it); each pixel
// weighs its distance from the background; the weighted centre (cx, cy) and standard deviations
// (sx, sy) place a window of +/- 2 deviations around the centre, resampled (bilinear, 2x2
// samples per pixel, the background outside) to 16x16. The registered pixels give a 64-bit key
// (the signs of the low 8x8 DCT coefficients against their median, like a pHash) for a second
// multi-index search. A pair confirms when the centres are within maxShift of each other, each
// deviation within maxScale of the other's (a crop of at most 5 % per side, re-sized back, scales
// the content by at most ~10 %; a re-size of the whole image not at all), and the registered
// pixels, each less its mean, differ by at most alignedDifference grey levels on average (4: at
// 5 with keys within 8 bits, more re-sized copies join, and on the 70,000 real Fashion-MNIST
// images many members no longer look like their representative).

#include "imagesignature.h"

#include <array>
#include <cstdint>

namespace assay::analysis {

struct AlignRule
{
    double alignedDifference = 4.0; // mean-free difference of the registered pixels at most
    double maxShift = 0.07;         // content centres at most this far apart (image widths)
    double maxScale = 1.12;         // content deviations within this ratio
    double borderTolerance = 12;    // grey levels: border pixels this close are background ...
    double borderShare = 0.6;       // ... and at least this share of the border must be
    double minContent = 3.0;        // mean weight (grey levels) below this: nothing to register
};

struct AlignedSignature
{
    bool valid = false; // a plain background and some content
    std::array<std::uint8_t, signatureBytes> pixels{};
    std::array<std::int16_t, 64> blockSums{}; // of each 2x2 block: a quick lower bound
    float mean = 0;
    float cx = 0, cy = 0, sx = 0, sy = 0; // content centre and deviations, in image widths
    std::uint64_t key = 0;
};

AlignedSignature alignSignature(const PreparedSignature &signature, const AlignRule &rule = {});
// The same from grey pixels (width x height, rows packed).
AlignedSignature alignImage(const std::uint8_t *pixels, int width, int height,
                            const AlignRule &rule = {});

// The mean-free mean absolute difference of two registered signatures (grey levels).
double alignedDifference(const AlignedSignature &a, const AlignedSignature &b);

// Whether two valid registered signatures confirm a near-duplicate by the rule above.
bool confirmsAligned(const AlignedSignature &a, const AlignedSignature &b,
                     const AlignRule &rule = {});

} // namespace assay::analysis
