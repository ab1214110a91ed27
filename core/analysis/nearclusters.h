#pragma once

// Near-duplicate clusters at a threshold, joined from the pairs findNearPairs stored at its
// maximum distance: changing the threshold re-clusters without searching again.

#include "hammingpairs.h"

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace assay::analysis {

struct NearClusters
{
    static constexpr std::uint32_t noCluster = std::numeric_limits<std::uint32_t>::max();

    int threshold = 0;
    std::vector<std::uint32_t> offsets;     // cluster c holds members[offsets[c] .. offsets[c + 1])
    std::vector<std::uint32_t> members;     // value indices: representative first, then by distance
    std::vector<std::uint8_t> distances;    // per member: Hamming distance to the representative
    std::vector<std::uint32_t> inputCounts; // per cluster: the inputs its values stand for
    std::vector<std::uint32_t> clusterOfValue; // value index -> cluster, or noCluster

    std::size_t size() const { return offsets.empty() ? 0 : offsets.size() - 1; }
    std::uint32_t representative(std::size_t c) const { return members[offsets[c]]; }
    std::span<const std::uint32_t> membersOf(std::size_t c) const
    {
        return std::span(members).subspan(offsets[c], offsets[c + 1] - offsets[c]);
    }
    std::span<const std::uint8_t> distancesOf(std::size_t c) const
    {
        return std::span(distances).subspan(offsets[c], offsets[c + 1] - offsets[c]);
    }
};

// Joins the values linked by pairs with distance <= threshold (0 .. near.maxDistance; throws
// assay::Error outside) with union-find. A cluster is a connected group that stands for at least
// two inputs: two or more values, or one value several inputs share (identical hashes).
//
// The representative is the best-connected member: the most links within the threshold, ties
// broken by the smaller sum of those links' distances, then the lower value index. For the usual
// star-shaped cluster (an original and its edits) that is the original. Distances are exact
// Hamming distances to it, so a member joined through a chain can be farther than the threshold.
// Clusters come largest first (by inputs), ties by representative; members by distance, then
// index. A truncated NearPairs gives clusters of the pairs it kept.
NearClusters clusterNearPairs(const NearPairs &near, int threshold);

// The inputs each value stands for: value v's are inputs[offsets[v] .. offsets[v + 1]), ascending.
struct ValueInputs
{
    std::vector<std::uint32_t> offsets;
    std::vector<std::uint32_t> inputs;

    std::span<const std::uint32_t> of(std::uint32_t value) const
    {
        return std::span(inputs).subspan(offsets[value], offsets[value + 1] - offsets[value]);
    }
};
ValueInputs inputsByValue(const NearPairs &near);

} // namespace assay::analysis
