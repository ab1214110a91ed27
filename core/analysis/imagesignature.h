#pragma once

// What confirms a near-duplicate pair that the pHash index proposes: the two images' 16x16 grey
// signatures (SampleFeatures::signature) compared. The rule and its limits come from the
// calibration with planted copies (docs/architecture.md, "Duplicates: calibration"):
//
// - Photos (longer side above 64 px): the 8x8 block means must correlate, 1 - r <= 0.03. A
//   correlation ignores brightness and contrast changes; at 8x8 a 1-pixel shift or a re-size
//   hardly moves it, while a mirrored copy or another photo of the same scene decorrelates.
// - Small images (longer side at most 64 px, e.g. Fashion-MNIST's 28x28, CIFAR's 32x32): whole
//   classes share a silhouette whose 16x16 thumbnails correlate above 0.99, so only the pixels
//   themselves tell a copy from a sibling: the mean absolute difference of the 16x16 signatures,
//   each less its mean (a brightness change cancels), must be at most 4 grey levels. (At 6,
//   planted re-sized copies are found more often, but on the 70,000 real Fashion-MNIST images
//   most clusters join different sneakers or sandals of one silhouette.)
// - Flat images (almost no contrast at 8x8), whose correlation is noise, use the small rule.
// - A photo that is up to 10 % narrower and/or lower than the other, and not larger either way,
//   may be a crop of it (without re-sizing): if the plain comparison fails, the larger one's
//   signature is sampled over windows of the smaller one's relative size at 5 x 5 placements,
//   and the best correlation counts (confirmsCrop). At 8x8 a 5 % crop stretches the content by
//   up to 5 %, which decorrelated one crop in ten past 0.05; with the windows, 0.03 keeps 93 %
//   of the crops and drops the near-identical stereo pairs that 0.05 let in.

#include <array>
#include <cstdint>

namespace assay::analysis {

inline constexpr int signatureSide = 16;
inline constexpr int signatureBytes = signatureSide * signatureSide;

struct ConfirmRule
{
    int smallSide = 64;           // px: an image whose longer side is at most this is small
    double smallDifference = 4.0; // small or flat: mean-free difference at most this (grey levels)
    double decorrelation = 0.03;  // photos: 1 - r of the 8x8 block means at most this
    double flatSpread = 2.0;      // grey levels: 8x8 block means with a lower deviation are flat
    double maxCrop = 0.10;        // photos: a crop may cut this share of a side at most
};

// A signature prepared for comparing: its pixels, and its 8x8 block means less their mean,
// scaled to unit length, with their standard deviation (grey levels); and the blocks' sums.
struct PreparedSignature
{
    std::array<std::uint8_t, signatureBytes> pixels{};
    std::array<float, 64> coarse{};
    std::array<std::int16_t, 64> blockSums{}; // of each 2x2 block's pixels: a quick lower bound
    float mean = 0;
    float spread = 0;
};
PreparedSignature prepareSignature(const std::uint8_t *pixels);

struct SignatureDistance
{
    double difference = 0;    // mean |a - b - (mean a - mean b)| over the 16x16 pixels
    double decorrelation = 1; // 1 - Pearson r of the 8x8 block means (1 when either is uniform)
};
SignatureDistance compareSignatures(const PreparedSignature &a, const PreparedSignature &b);

// The mean absolute difference of two 16x16 signatures' pixels, each less its mean (grey
// levels), and a lower bound of it from their 2x2 block sums (most different pairs fail on it).
double meanFreeDifference(const std::array<std::uint8_t, signatureBytes> &a, float meanA,
                          const std::array<std::uint8_t, signatureBytes> &b, float meanB);
double meanFreeBound(const std::array<std::int16_t, 64> &a, float meanA,
                     const std::array<std::int16_t, 64> &b, float meanB);

// Whether two images are near-identical by the rule above; `small` when either image is small.
bool confirmsDuplicate(const PreparedSignature &a, const PreparedSignature &b, bool small,
                       const ConfirmRule &rule = {});

// Whether `part` (partWidth x partHeight) matches a window of `whole` of the same relative size
// by the photo rule (see above); false unless the sizes look like a crop.
bool confirmsCrop(const PreparedSignature &whole, int wholeWidth, int wholeHeight,
                  const PreparedSignature &part, int partWidth, int partHeight,
                  const ConfirmRule &rule = {});

} // namespace assay::analysis
