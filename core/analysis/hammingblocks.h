#pragma once

// The blocks of the near-pair index: their layout over the 64 bits, the bit permutation that
// spreads information evenly over them, and partitioning hashes by the value of one block.

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace assay::analysis::hamming {

// `blocks` fields of nearly equal width covering the 64 bits from the lowest up. Pairs within
// maxDistance agree on at least `depth` = blocks - maxDistance of them.
struct Layout
{
    int blocks = 0;
    int depth = 0;
    std::array<int, 64> shift{};
    std::array<int, 64> width{};
    std::array<std::uint64_t, 64> mask{}; // the block's bits, in place
    std::array<std::uint64_t, 64> top{};  // its highest bit
    std::uint64_t low = 0;                // every bit but the tops

    // The top bits of the blocks in which x has a set bit (see PairRule).
    std::uint64_t nonzeroTops(std::uint64_t x) const { return (((x & low) + low) | x) & ~low; }
};

Layout makeLayout(int blocks, int maxDistance);

// Where each bit goes (bit b of a hash becomes bit to[b]) so that every block holds about the same
// information: bits are taken by falling entropy (from how often they are set in `values`) and
// each goes to the block with the least entropy so far that has room. Without it, bits that are
// (nearly) constant across a dataset (the pHash DC bit, borders every image shares) fill some
// blocks, and partitioning by those leaves nearly everything in one part. Distances are unchanged.
std::array<int, 64> balancedBitOrder(const std::vector<std::uint64_t> &values,
                                     const Layout &layout);
std::vector<std::uint64_t> permuteBits(const std::vector<std::uint64_t> &values,
                                       const std::array<int, 64> &to);

// The part of a hash when partitioning `size` hashes by one block: the block's value, or, for a
// block wider than that many parts call for, a multiplicative hash of it (the rule's `equal` bits
// then weed out hashes that share a part but not the block).
class BlockKey
{
public:
    BlockKey(const Layout &layout, int block, std::size_t size)
        : m_shift(layout.shift[std::size_t(block)]),
          m_field(layout.mask[std::size_t(block)] >> layout.shift[std::size_t(block)])
    {
        const int width = layout.width[std::size_t(block)];
        const int wanted = std::clamp(int(std::bit_width(size)) - 1, 1, 16);
        m_bits = std::min(width, wanted);
        m_fold = width > m_bits;
    }
    std::size_t parts() const { return std::size_t(1) << m_bits; }
    std::uint32_t operator()(std::uint64_t value) const
    {
        const std::uint64_t field = (value >> m_shift) & m_field;
        return std::uint32_t(m_fold ? (field * 0x9E3779B97F4A7C15ull) >> (64 - m_bits) : field);
    }

private:
    int m_shift;
    std::uint64_t m_field;
    int m_bits = 0;
    bool m_fold = false;
};

// Counting sort by key. Afterwards part p holds [p ? ends[p - 1] : 0, ends[p]).
void partition(const std::uint64_t *values, const std::uint32_t *ids, std::size_t size,
               const BlockKey &key, std::uint64_t *outValues, std::uint32_t *outIds,
               std::vector<std::uint32_t> &ends);

// Whether some block whose top bit is in `differingTops` holds the same bits in every one of the
// hashes: then no pair of them differs there, and a node that requires it is empty.
bool someBlockConstant(const std::uint64_t *values, std::size_t size, const Layout &layout,
                       std::uint64_t differingTops);

} // namespace assay::analysis::hamming
