#pragma once

// Near-duplicate pairs of 64-bit perceptual hashes: every pair of distinct hash values whose
// Hamming distance is at most T, found without comparing all pairs.
//
// The index is a generalised multi-index hash. Split the 64 bits into m blocks; two hashes at
// distance d <= T differ in at most d blocks, so they agree exactly on at least k = m - T of
// them. Each pair is attributed to the first k blocks on which it agrees and is found only under
// that combination: the search walks the combinations as a tree, partitioning the hashes by the
// value of one block per level (counting sort), and compares all pairs inside a part once the part
// is small or the combination complete, with a SIMD kernel that checks the distance and the "first
// k agreeing blocks" rule on eight pairs at once. m = T + 1 is classic multi-index hashing (one
// exact block); a few more blocks make the parts much smaller at the price of more combinations.
// The planner picks m from the measured costs (tests/bench/bench_duplicates.cpp), or the blocked
// brute force when no m beats it (large T).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace assay::jobs {
class Progress;
}

namespace assay::analysis {

struct HashPair
{
    std::uint32_t a = 0, b = 0; // indices into NearPairs::values, a < b
    std::uint8_t distance = 0;

    friend bool operator==(const HashPair &, const HashPair &) = default;
};

struct NearPairs
{
    std::vector<std::uint64_t> values;  // the distinct hashes, ascending
    std::vector<std::uint32_t> valueOf; // input index -> index into values
    std::vector<HashPair> pairs;        // 1 <= distance <= maxDistance, sorted by (a, b)
    int maxDistance = 0;                // the threshold the pairs were found at
    bool truncated = false;             // stopped at the pair limit: pairs is a subset
};

enum class NearPairMethod {
    Auto,      // the planner's choice
    Index,     // the block index, with `blocks` blocks (0: the planner's count)
    BruteForce // all pairs, blocked SIMD
};

enum class HashInstructions { Auto, Portable, Popcnt, Avx2, Avx512 };

struct NearPairOptions
{
    // Worker threads; 0: one per core.
    int threads = 0;
    // Past this many pairs the search stops and sets `truncated`: 2^25 pairs are 400 MB of results
    // (and ~20 bytes a pair at the peak, while they are sorted).
    std::size_t maxPairs = std::size_t(1) << 25;
    NearPairMethod method = NearPairMethod::Auto;
    // For Method::Index: maxDistance + 1 .. 64, or 0 for the planner's count.
    int blocks = 0;
    // Capped at what the processor supports; tests and benchmarks ask for the lesser ones.
    HashInstructions instructions = HashInstructions::Auto;
    // Worker threads yield to the interface thread (nice + 10).
    bool lowerPriority = false;
    // Parts compared pair by pair instead of split further; 0: the tuned size. For tests.
    std::size_t leafSize = 0;
};

// All pairs of distinct hash values within maxDistance (0 .. 64; throws assay::Error outside).
// Identical hashes collapse into one value (their inputs are at distance 0 through valueOf). Stops
// keeping pairs past options.maxPairs and sets truncated (then `pairs` holds exactly maxPairs of
// them). Reports to `progress` and throws jobs::Canceled when it is canceled.
NearPairs findNearPairs(std::span<const std::uint64_t> hashes, int maxDistance,
                        const NearPairOptions &options = {}, jobs::Progress *progress = nullptr);

// The reference: the same result from comparing every pair (blocked SIMD, multi-threaded).
NearPairs findNearPairsBruteForce(std::span<const std::uint64_t> hashes, int maxDistance,
                                  const NearPairOptions &options = {},
                                  jobs::Progress *progress = nullptr);

// What findNearPairs would do for this many distinct values: blocks (0 for brute force).
int plannedBlocks(std::size_t distinctValues, int maxDistance);

inline int hammingDistance(std::uint64_t a, std::uint64_t b)
{
    return __builtin_popcountll(a ^ b);
}

} // namespace assay::analysis
