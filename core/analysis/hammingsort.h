#pragma once

// The sorting steps around the near-pair search: grouping identical hashes before it and putting
// the pairs the workers found in order after it. Radix sorts, since both run over millions.

#include "hammingpairs.h"

#include <span>
#include <vector>

namespace assay::analysis::hamming {

class PairSink;

// values: the distinct hashes, ascending; valueOf: input index -> index into values.
void groupIdenticalHashes(std::span<const std::uint64_t> hashes, std::vector<std::uint64_t> &values,
                          std::vector<std::uint32_t> &valueOf);

// The first `keep` pairs the sinks hold (draining them), sorted by (a, b), with their distances.
std::vector<HashPair> sortPairs(std::span<PairSink *const> sinks, std::size_t keep,
                                const std::vector<std::uint64_t> &values);

} // namespace assay::analysis::hamming
