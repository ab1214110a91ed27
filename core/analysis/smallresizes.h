#pragma once

// Small images (longer side at most 64 px) re-sized: the fourth search for small images. At
// 28x28 a copy scaled by 15 % keeps its pHash within a few bits (8 at most on Fashion-MNIST), but
// the stored 16x16 signatures differ by as much as many different garments of one class do, so
// the signature rule cannot confirm such a pair (docs/architecture.md, "Duplicates:
// calibration"). Its own pixels can: one image resampled onto the other's grid (area averaging
// when shrinking, bilinear when growing), both lightly blurred, differs from a true copy by about
// a grey level, from the nearest different garment by several.
//
// Candidates are pairs of small images of different sizes, one a uniform scaling of the other
// (each side scaled alike, within a pixel's rounding; at most maxScale), whose pHashes are within
// maxHashDistance bits (a multi-index lookup of the rarer size's hashes among the other size's),
// whose stored signatures are within maxSignatureDifference (a loose first cut) and not flat
// (minSpread: blank images of any size would all agree), and that no search before joined. A
// candidate confirms when, for some scale a resampler could have used to turn one size into the
// other (scaleSteps steps across the rounding interval), in either direction, the two images, each
// blurred (blurSigma) and less its mean, differ by at most maxDifference grey levels on average.
// Resamplers differ (area, bilinear, bicubic, Lanczos); the blur evens out what they do differently
// at the pixel scale.

#include "imagesignature.h"
#include "smallshifts.h"

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace assay::jobs {
class Progress;
}

namespace assay::analysis {

struct DuplicateInputs;

struct ResizeRule
{
    double maxScale = 1.3;              // a larger scaling makes a different picture
    int maxHashDistance = 7;            // pHash bits: candidates (copies: 2,998 of 3,000)
    double maxSignatureDifference = 12; // the signatures' mean-free difference: the first cut
    double blurSigma = 0.8;             // px, on the grid the pair is compared on
    double maxDifference = 3.0;         // grey levels: confirms at most this
    // ... tried at the middle scale first: above this there, the other scales are not tried (of
    // 900 copies re-sized by three resamplers none was above 6.2; ~90 % of other candidates are)
    double screenDifference = 6.5;
    int scaleSteps = 5;                 // scales tried across a side's rounding interval
    int minSide = 12;                   // px: a shorter side below this is not searched
    double minSpread = 4;               // grey levels: a flatter signature says nothing
    // Past any of these the search stops (stats.limited): hashes compared in the lookups (two
    // large groups of compatible sizes cost about (their sizes' product) / 14, ~1 ns each),
    // candidates, and pairs compared by their pixels.
    std::int64_t maxCompares = 1'000'000'000;
    std::int64_t maxCandidates = 20'000'000;
    std::int64_t maxFitted = 400'000; // pairs compared by their pixels (~30 us each)
};

struct ResizeSearchStats
{
    std::int64_t sizePairs = 0;  // pairs of image sizes one of which scales to the other
    std::int64_t compares = 0;   // hashes compared in the multi-index lookups
    std::int64_t candidates = 0; // sample pairs within maxHashDistance
    std::int64_t fitted = 0;     // ... within the signature cut, resampled and compared
    std::int64_t confirmed = 0;  // ... confirmed (and not joined by an earlier search)
    bool limited = false;        // stopped at the candidate budget
    double seconds = 0;          // in all; of which:
    double lookupSeconds = 0;    // ... finding and cutting the candidates
    double imageSeconds = 0;     // ... reading and blurring their images
};

// Whether `b`, resampled onto `a`'s grid or `a` onto `b`'s, agrees with it by the rule (false
// when neither size is a uniform scaling of the other within rule.maxScale).
bool confirmsResized(const SmallImage &a, const SmallImage &b, const ResizeRule &rule = {});

// Whether an image of size (w1, h1) and one of (w2, h2), w1 * h1 <= w2 * h2, are one a uniform
// scaling of the other by the rule (the same size is not).
bool isUniformScaling(int w1, int h1, int w2, int h2, const ResizeRule &rule = {});

// The confirmed pairs (input indices, a < b) among the small images of `inputs` marked in
// `small` that the rule finds, leaving out the pairs in `known` (pairKey order: a < b). The
// signatures of `signatures(i)` (null: none) make the first cut; `source` gives the pixels.
struct ResizeSearchInput
{
    const DuplicateInputs *inputs = nullptr;
    const std::vector<bool> *small = nullptr;
    std::function<const PreparedSignature *(std::uint32_t input)> signature;
    std::function<bool(std::uint32_t a, std::uint32_t b)> known;
    SmallImageSource source;
};

std::vector<std::pair<std::uint32_t, std::uint32_t>>
findResizedPairs(const ResizeSearchInput &input, const ResizeRule &rule = {},
                 jobs::Progress *progress = nullptr, ResizeSearchStats *stats = nullptr);

} // namespace assay::analysis
