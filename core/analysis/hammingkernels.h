#pragma once

// The inner loops of the near-pair search: compare one run of 64-bit hashes with itself and hand
// the pairs a rule accepts to a sink. One implementation per instruction set (AVX-512 with
// VPOPCNTQ, AVX2, scalar POPCNT, portable), picked at run time, so the binary runs on any x86-64.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace assay::analysis::hamming {

enum class InstructionSet { Portable, Popcnt, Avx2, Avx512 };

// The best set this processor (and its operating system) supports.
InstructionSet bestInstructionSet();
// `wanted`, or the best supported set below it.
InstructionSet supportedInstructionSet(InstructionSet wanted);
const char *instructionSetName(InstructionSet set);

// Which pairs a kernel reports. With x = a ^ b: popcount(x) <= maxDistance, the bits of `equal`
// all agree, and every block whose top bit is in `differingTops` has some differing bit. The
// blocks are the fields the index splits a hash into; `low` holds every bit but each block's
// top bit, which lets "block is nonzero" be tested for all blocks at once: adding the low bits of
// a block to all-ones carries into its top bit exactly when one of them is set, and never
// further (the sum stays below 2^width).
struct PairRule
{
    int maxDistance = 0;
    std::uint64_t equal = 0;
    std::uint64_t low = 0;
    std::uint64_t differingTops = 0;

    bool accepts(std::uint64_t x) const
    {
        const std::uint64_t nonzeroTops = ((x & low) + low) | x;
        return __builtin_popcountll(x) <= maxDistance && (x & equal) == 0 &&
               (differingTops & ~nonzeroTops) == 0;
    }
};

// Pairs found by one worker, packed as (smaller id << 32 | larger id), in chunks so that growing
// never copies. Workers share a count and a stop flag: once the count passes the limit (or the
// job is canceled) every sink stops keeping pairs and the search winds down; memory stays bounded
// because a stopped sink overwrites one scratch chunk.
class PairSink
{
public:
    struct Shared
    {
        std::atomic<std::size_t> kept{0};
        std::atomic<bool> stop{false};
        std::size_t limit = 0;
    };

    explicit PairSink(Shared &shared) : m_shared(shared) {}

    void push(std::uint32_t a, std::uint32_t b)
    {
        if (m_next == m_end) [[unlikely]]
            grow();
        *m_next++ = a < b ? (std::uint64_t(a) << 32 | b) : (std::uint64_t(b) << 32 | a);
    }
    bool stopped() const { return m_shared.stop.load(std::memory_order_relaxed); }
    // Pairs kept so far (a stopped sink's scratch chunk does not count).
    std::size_t size() const;
    // Calls f(begin, end) for each kept chunk.
    template<class F> void visit(F &&f) const
    {
        for (std::size_t c = 0; c < m_chunks.size(); ++c)
            f(m_chunks[c].get(), m_chunks[c].get() + keptIn(c));
    }
    // The same, releasing each chunk afterwards.
    template<class F> void drain(F &&f)
    {
        for (std::size_t c = 0; c < m_chunks.size(); ++c) {
            f(m_chunks[c].get(), m_chunks[c].get() + keptIn(c));
            m_chunks[c].reset();
        }
        m_chunks.clear();
        m_next = m_end = nullptr;
    }

private:
    void grow();
    std::size_t keptIn(std::size_t chunk) const;

    Shared &m_shared;
    std::vector<std::unique_ptr<std::uint64_t[]>> m_chunks;
    std::uint64_t *m_next = nullptr;
    std::uint64_t *m_end = nullptr;
    bool m_overflow = false; // the last chunk is the scratch one
};

// Every pair (i, j) with rowBegin <= i < rowEnd and i < j < count that `rule` accepts, pushed as
// (ids[i], ids[j]), or (i, j) when ids is null. Rows are taken in blocks and the columns past a
// block in tiles that stay in the L2 cache, four rows against each loaded vector. Returns early
// when the sink stops.
using CompareRows = void (*)(const std::uint64_t *values, const std::uint32_t *ids,
                             std::size_t count, std::size_t rowBegin, std::size_t rowEnd,
                             const PairRule &rule, PairSink &sink);
CompareRows compareRowsFor(InstructionSet set);

} // namespace assay::analysis::hamming
