#pragma once

#include "biasattributes.h"

#include <array>
#include <functional>
#include <cstdint>
#include <vector>

// The candidate family F of bias slices (../shared/spec/bias-slices.md §2): every conjunction of
// up to L predicates on distinct attributes whose support n satisfies minSup <= n <= U - minSup,
// enumerated level by level (a level-ℓ candidate only when all its (ℓ-1)-parents are in F). The
// prune looks at support alone, never at labels or errors, so the family is fixed before any
// test and Benjamini-Hochberg over it stays valid.
//
// Rows are taken in an order that groups them (by class, or errors first), so a group is one run
// of bits: a slice's count per group is a popcount over that run of the AND of its predicates'
// bitsets, one pass over N/64 words whatever the number of groups.
namespace assay::analysis::bias {

struct FamilyInput
{
    const std::vector<BinnedAttribute> *attributes = nullptr;
    std::vector<int> active;          // attribute indices searched, ascending
    std::vector<std::uint32_t> rows;  // the tested rows, grouped: group g is rows[starts[g]..starts[g+1])
    std::vector<size_t> groupStarts;  // groups + 1 entries
    int maxLevel = 2;
    std::int64_t minSupport = 30;
    int threads = 0;
};

struct Family
{
    int groups = 0;
    std::vector<Predicate> predicates; // level-1 members, by attribute then value
    // Member m is predicates[members[m][0..level-1]] (ascending indices); -1 pads.
    std::vector<std::array<int, 3>> members;
    std::vector<int> levels;
    std::vector<std::int64_t> counts; // members.size() × groups
    std::int64_t size(size_t member) const;
};

Family enumerateFamily(const FamilyInput &input);

// Counts of each value of an attribute per group: [value * groups + group].
std::vector<std::int64_t> valueGroupCounts(const BinnedAttribute &attribute,
                                           const std::vector<std::uint32_t> &rows,
                                           const std::vector<size_t> &groupStarts);

// Runs f(begin, end) over [0, count) in chunks on up to `threads` threads (0: one per core).
// Work lands in slots the caller indexes, so the result is the same on any number of threads.
void parallelChunks(size_t count, int threads, size_t chunk,
                    const std::function<void(size_t, size_t)> &f);

} // namespace assay::analysis::bias
