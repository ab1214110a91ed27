#pragma once

// The confirmed near pairs among the measured samples: candidates from the pHash index, each
// confirmed by the two samples' signatures (imagesignature.h).

#include "duplicates.h"

#include <functional>
#include <vector>

namespace assay::jobs {
class Progress;
}

namespace assay::analysis {

// Prepared signatures of some inputs: slotOf[input] indexes `prepared`, or is -1 when the input
// has none (it was never measured by this extractor version, or it was not asked for).
struct SignatureSet
{
    std::vector<std::int32_t> slotOf;
    std::vector<PreparedSignature> prepared;

    const PreparedSignature *of(size_t input) const
    {
        const std::int32_t slot = slotOf[input];
        return slot < 0 ? nullptr : &prepared[size_t(slot)];
    }
};

// Loads the signatures of the inputs marked in `needed` (the others may be left out).
using SignatureLoader = std::function<SignatureSet(const std::vector<bool> &needed)>;

struct EdgeSearchStats
{
    std::int64_t valuePairs = 0;     // pHash value pairs the searches found
    std::int64_t compared = 0;       // sample pairs whose signatures were compared
    std::int64_t confirmed = 0;      // ... and confirmed
    int maxDistance = 0;             // photo pairs were searched up to this (lower when dense)
    int smallMaxDistance = 0;        // pairs with a small image up to this
    std::int64_t alignedValuePairs = 0; // registered-key value pairs (small images)
    std::int64_t alignedCompared = 0;   // sample pairs compared registered
    std::int64_t alignedConfirmed = 0;  // ... confirmed, and not already by the pHash search
    int alignedMaxDistance = 0;         // registered keys were searched up to this
    bool limited = false;            // a search hit the pair budget and was redone lower
    double searchSeconds = 0, signatureSeconds = 0, confirmSeconds = 0; // where the time went
    double alignedSeconds = 0; // of confirmSeconds: registering, searching and confirming again
    ShiftSearchStats shifted;  // the window search (smallshifts.h); its pairs not found before
    ResizeSearchStats resized; // the resampled search (smallresizes.h); the same
};

// The confirmed edges up to options.maxDistance (options.smallMaxDistance when either sample is
// small). Samples with an identical pHash are compared with up to 32 "leaders" of that hash
// (the first samples not confirmed against an earlier leader) and joined to the first that
// confirms them (an edge at distance 0); near hash values are compared leader against leader,
// at most 256 sample pairs per value pair. So a hash shared by thousands of different images
// (near-blank ones) costs thousands of comparisons, not millions.
// Samples without a signature get no near edges. Small images that `smallImages` gives are also
// searched by their own pixels (smallshifts.h, smallresizes.h; neither when it is empty).
// Reports to `progress`, which may cancel.
std::vector<SampleEdge> findDuplicateEdges(const DuplicateInputs &inputs,
                                           const DuplicateOptions &options,
                                           const SignatureLoader &signatures,
                                           jobs::Progress *progress = nullptr,
                                           EdgeSearchStats *stats = nullptr,
                                           const SmallImageSource &smallImages = {});

// Whether an input counts as small for the confirmation rule (its longer side at most
// rule.smallSide; unknown sizes are not small).
bool isSmallImage(const DuplicateInput &input, const ConfirmRule &rule);

} // namespace assay::analysis
