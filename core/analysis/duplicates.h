#pragma once

#include "alignedsignature.h"
#include "smallresizes.h"
#include "smallshifts.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <string>
#include <vector>

namespace assay::analysis {

// What the duplicate analysis needs of one measured sample (from the stored features).
struct DuplicateInput
{
    std::int64_t sampleId = 0;
    QString path;             // for people: "path" or "path#member"
    int split = -1;           // index into DuplicateInputs::splits, or -1
    int label = -1;           // index into DuplicateInputs::classes, or -1
    std::string objects;      // detection: the sorted multiset of object class indices, as text
    std::string contentHash;  // the file's bytes (XXH3-128), empty when unknown
    std::uint64_t pixelHash = 0;
    std::uint64_t phash = 0;
    std::uint64_t ahash = 0;
    int width = 0, height = 0; // of the image as decoded at full size
};

struct DuplicateInputs
{
    QStringList classes;
    QStringList splits;
    std::vector<DuplicateInput> samples;
};

// The defaults come from the calibration with planted copies (docs/architecture.md,
// "Duplicates: calibration").
struct DuplicateOptions
{
    // pHash bits: confirmed pairs within this join a cluster (0 .. maxDistance). The slider.
    // 14: a 2-5 % crop of a photo moves its pHash up to 14 bits in 9 cases of 10.
    int threshold = 14;
    // Pairs of photos are searched, confirmed and kept (for re-thresholding) up to this.
    int maxDistance = 16;
    // Pairs with a small image (ConfirmRule::smallSide) are searched only up to this: the
    // pHashes of small images crowd together (Fashion-MNIST: 1.3 million pairs of its 70,000
    // images within 4 bits, 16 million within 8) and a copy's stays within a few bits.
    int smallMaxDistance = 6;
    // What confirms a candidate pair (imagesignature.h).
    ConfirmRule confirm;
    // Small images are searched a second time by their registered signatures
    // (alignedsignature.h): keys within this many bits (-1: not), confirmed by this rule.
    int alignedMaxDistance = 6;
    AlignRule align;
    // ... and a third time by windows of their own pixels (smallshifts.h), for copies shifted
    // or cropped by whole pixels.
    bool shiftSearch = true;
    ShiftRule shift;
    // ... and a fourth time, pairs of different sizes, by their pixels resampled onto one grid
    // (smallresizes.h), for re-sized copies.
    bool resizeSearch = true;
    ResizeRule resize;
    // Search budget: past this many hash-value pairs the search is redone at a lower distance
    // (0: 4 million plus 20 per sample).
    std::size_t maxPairs = 0;
};

enum class DuplicateKind : int {
    Exact = 0, // every member has the same decoded pixels
    Near = 1,
};

// A group of samples that are copies of one another.
struct DuplicateCluster
{
    DuplicateKind kind = DuplicateKind::Near;
    std::vector<size_t> members; // indices into DuplicateInputs::samples; representative first
    std::vector<int> distances;  // per member, pHash bits from the representative
    bool sameBytes = false;      // every member has the same file bytes
    int maxDistance = 0;
    bool leaks = false;    // members in more than one split
    bool conflict = false; // members disagree on their class (or objects)
};

struct SplitLeak
{
    int splitA = -1, splitB = -1; // indices into splits, splitA < splitB
    std::int64_t clusters = 0;
    std::vector<size_t> samples; // members of splitB (the later, evaluation split) with a twin in A
};

struct DuplicateFindings
{
    std::vector<DuplicateCluster> clusters; // largest first
    std::vector<SplitLeak> leaks;
    std::int64_t duplicateSamples = 0; // samples in a cluster
};

} // namespace assay::analysis

namespace assay::analysis {

// Two samples whose pHashes differ in `distance` bits, confirmed by their signatures.
struct SampleEdge
{
    size_t a = 0, b = 0; // indices into DuplicateInputs::samples
    int distance = 0;

    friend bool operator==(const SampleEdge &, const SampleEdge &) = default;
};

// Clusters from exact copies (same decoded pixels, or same bytes) and the confirmed edges within
// options.threshold; marks leaks across splits and label conflicts.
//
// Edges never chain unrelated images together: exact copies and edges at distance 0 (a confirmed
// identical pHash) make units, which always stay together; then, in each connected group of
// units, the unit with the most edges (ties: the smaller sum of their distances, the earlier
// split, the lower index) becomes a representative and takes every unit it has an edge with;
// the rest of the group is clustered again the same way. So every member of a near cluster was
// confirmed against the representative itself, within the threshold. Each cluster's
// representative sample is the representative unit's member in the earliest split.
DuplicateFindings clusterDuplicates(const DuplicateInputs &inputs,
                                    const std::vector<SampleEdge> &edges,
                                    const DuplicateOptions &options);

} // namespace assay::analysis
