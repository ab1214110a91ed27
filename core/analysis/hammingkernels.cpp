#include "hammingkernels.h"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ASSAY_HAMMING_X86 1
#endif

namespace assay::analysis::hamming {

namespace {

constexpr std::size_t chunkPairs = std::size_t(1) << 16;
// Rows per block, and columns per tile: 16,384 hashes are 128 KB, which stay in L2 while every
// row of the block passes over them.
constexpr std::size_t rowBlock = 256;
constexpr std::size_t columnTile = 16384;

inline std::uint32_t idAt(const std::uint32_t *ids, std::size_t i)
{
    return ids ? ids[i] : std::uint32_t(i);
}

inline void emitLanes(unsigned lanes, std::uint32_t rowId, const std::uint32_t *ids,
                      std::size_t column, PairSink &sink)
{
    while (lanes) {
        const unsigned lane = unsigned(__builtin_ctz(lanes));
        lanes &= lanes - 1;
        sink.push(rowId, idAt(ids, column + lane));
    }
}

// The blocking shared by every instruction set: K::row compares one row with a column range,
// K::rows4 four consecutive rows. Always inlined, so that the scalar kernel is compiled for the
// instruction set of the function that calls this.
template<class K>
[[gnu::always_inline]] inline void
compareRowsBlocked(const std::uint64_t *values, const std::uint32_t *ids, std::size_t count,
                   std::size_t rowBegin, std::size_t rowEnd, const PairRule &rule, PairSink &sink)
{
    for (std::size_t r0 = rowBegin; r0 < rowEnd; r0 += rowBlock) {
        if (sink.stopped())
            return;
        const std::size_t r1 = std::min(r0 + rowBlock, rowEnd);
        // Inside the block: each row against the rows after it.
        for (std::size_t i = r0; i + 1 < r1; ++i)
            K::row(values, ids, i, i + 1, r1, rule, sink);
        // Past the block, tile by tile.
        for (std::size_t c0 = r1; c0 < count; c0 += columnTile) {
            const std::size_t c1 = std::min(c0 + columnTile, count);
            std::size_t i = r0;
            for (; i + 4 <= r1; i += 4)
                K::rows4(values, ids, i, c0, c1, rule, sink);
            for (; i < r1; ++i)
                K::row(values, ids, i, c0, c1, rule, sink);
        }
    }
}

// The scalar kernel, compiled twice: with the POPCNT instruction and without (a table lookup).
struct ScalarKernel
{
    [[gnu::always_inline]] static inline void row(const std::uint64_t *values,
                                                  const std::uint32_t *ids, std::size_t i,
                                                  std::size_t begin, std::size_t end,
                                                  const PairRule &rule, PairSink &sink)
    {
        const std::uint64_t a = values[i];
        for (std::size_t j = begin; j < end; ++j) {
            const std::uint64_t x = a ^ values[j];
            if (__builtin_popcountll(x) <= rule.maxDistance) [[unlikely]] {
                if (rule.accepts(x))
                    sink.push(idAt(ids, i), idAt(ids, j));
            }
        }
    }
    [[gnu::always_inline]] static inline void rows4(const std::uint64_t *values,
                                                    const std::uint32_t *ids, std::size_t i,
                                                    std::size_t begin, std::size_t end,
                                                    const PairRule &rule, PairSink &sink)
    {
        for (std::size_t r = 0; r < 4; ++r)
            row(values, ids, i + r, begin, end, rule, sink);
    }
};

void compareRowsPortable(const std::uint64_t *values, const std::uint32_t *ids, std::size_t count,
                         std::size_t rowBegin, std::size_t rowEnd, const PairRule &rule,
                         PairSink &sink)
{
    compareRowsBlocked<ScalarKernel>(values, ids, count, rowBegin, rowEnd, rule, sink);
}

#ifdef ASSAY_HAMMING_X86

#define ASSAY_TARGET_POPCNT __attribute__((target("popcnt")))
#define ASSAY_TARGET_AVX2 __attribute__((target("avx2,popcnt")))
#define ASSAY_TARGET_AVX512 __attribute__((target("avx512f,avx512vpopcntdq,popcnt")))

ASSAY_TARGET_POPCNT void compareRowsPopcnt(const std::uint64_t *values, const std::uint32_t *ids,
                                           std::size_t count, std::size_t rowBegin,
                                           std::size_t rowEnd, const PairRule &rule, PairSink &sink)
{
    compareRowsBlocked<ScalarKernel>(values, ids, count, rowBegin, rowEnd, rule, sink);
}

// AVX2 has no vector popcount: count nibbles with a table lookup (vpshufb) and sum the bytes of
// each lane with vpsadbw (Mula's method).
struct Avx2Rule
{
    __m256i below; // maxDistance + 1
    __m256i equal, low, tops;
};

ASSAY_TARGET_AVX2 inline Avx2Rule avx2Rule(const PairRule &rule)
{
    return {_mm256_set1_epi64x(rule.maxDistance + 1), _mm256_set1_epi64x(std::int64_t(rule.equal)),
            _mm256_set1_epi64x(std::int64_t(rule.low)),
            _mm256_set1_epi64x(std::int64_t(rule.differingTops))};
}

ASSAY_TARGET_AVX2 inline __m256i popcount256(__m256i x)
{
    const __m256i table = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, //
                                           0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
    const __m256i nibble = _mm256_set1_epi8(0x0f);
    const __m256i lo = _mm256_shuffle_epi8(table, _mm256_and_si256(x, nibble));
    const __m256i hi =
        _mm256_shuffle_epi8(table, _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble));
    return _mm256_sad_epu8(_mm256_add_epi8(lo, hi), _mm256_setzero_si256());
}

ASSAY_TARGET_AVX2 inline unsigned laneMask(__m256i m)
{
    return unsigned(_mm256_movemask_pd(_mm256_castsi256_pd(m)));
}

// Lanes of x within the distance.
ASSAY_TARGET_AVX2 inline unsigned nearLanes(__m256i x, const Avx2Rule &r)
{
    return laneMask(_mm256_cmpgt_epi64(r.below, popcount256(x)));
}

// Lanes of x (already within the distance) that also pass the block rule.
ASSAY_TARGET_AVX2 inline unsigned ruleLanes(__m256i x, const Avx2Rule &r)
{
    const __m256i zero = _mm256_setzero_si256();
    const __m256i equalOk = _mm256_cmpeq_epi64(_mm256_and_si256(x, r.equal), zero);
    const __m256i sum = _mm256_or_si256(_mm256_add_epi64(_mm256_and_si256(x, r.low), r.low), x);
    const __m256i topsOk = _mm256_cmpeq_epi64(_mm256_andnot_si256(sum, r.tops), zero);
    return laneMask(_mm256_and_si256(equalOk, topsOk));
}

ASSAY_TARGET_AVX2 inline __m256i load4(const std::uint64_t *p)
{
    return _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p));
}

struct Avx2Kernel
{
    ASSAY_TARGET_AVX2 static void row(const std::uint64_t *values, const std::uint32_t *ids,
                                      std::size_t i, std::size_t begin, std::size_t end,
                                      const PairRule &rule, PairSink &sink)
    {
        const Avx2Rule r = avx2Rule(rule);
        const __m256i a = _mm256_set1_epi64x(std::int64_t(values[i]));
        std::size_t j = begin;
        for (; j + 4 <= end; j += 4) {
            const __m256i x = _mm256_xor_si256(a, load4(values + j));
            if (const unsigned near = nearLanes(x, r)) [[unlikely]]
                emitLanes(near & ruleLanes(x, r), idAt(ids, i), ids, j, sink);
        }
        for (; j < end; ++j) {
            const std::uint64_t x = values[i] ^ values[j];
            if (rule.accepts(x))
                sink.push(idAt(ids, i), idAt(ids, j));
        }
    }
    ASSAY_TARGET_AVX2 static void rows4(const std::uint64_t *values, const std::uint32_t *ids,
                                        std::size_t i, std::size_t begin, std::size_t end,
                                        const PairRule &rule, PairSink &sink)
    {
        const Avx2Rule r = avx2Rule(rule);
        const __m256i a0 = _mm256_set1_epi64x(std::int64_t(values[i]));
        const __m256i a1 = _mm256_set1_epi64x(std::int64_t(values[i + 1]));
        const __m256i a2 = _mm256_set1_epi64x(std::int64_t(values[i + 2]));
        const __m256i a3 = _mm256_set1_epi64x(std::int64_t(values[i + 3]));
        std::size_t j = begin;
        for (; j + 4 <= end; j += 4) {
            const __m256i b = load4(values + j);
            const __m256i x0 = _mm256_xor_si256(a0, b), x1 = _mm256_xor_si256(a1, b);
            const __m256i x2 = _mm256_xor_si256(a2, b), x3 = _mm256_xor_si256(a3, b);
            const __m256i c0 = _mm256_cmpgt_epi64(r.below, popcount256(x0));
            const __m256i c1 = _mm256_cmpgt_epi64(r.below, popcount256(x1));
            const __m256i c2 = _mm256_cmpgt_epi64(r.below, popcount256(x2));
            const __m256i c3 = _mm256_cmpgt_epi64(r.below, popcount256(x3));
            const __m256i any = _mm256_or_si256(_mm256_or_si256(c0, c1), _mm256_or_si256(c2, c3));
            if (!_mm256_testz_si256(any, any)) [[unlikely]] {
                emitLanes(laneMask(c0) & ruleLanes(x0, r), idAt(ids, i), ids, j, sink);
                emitLanes(laneMask(c1) & ruleLanes(x1, r), idAt(ids, i + 1), ids, j, sink);
                emitLanes(laneMask(c2) & ruleLanes(x2, r), idAt(ids, i + 2), ids, j, sink);
                emitLanes(laneMask(c3) & ruleLanes(x3, r), idAt(ids, i + 3), ids, j, sink);
            }
        }
        if (j < end)
            for (std::size_t k = 0; k < 4; ++k)
                row(values, ids, i + k, j, end, rule, sink);
    }
};

ASSAY_TARGET_AVX2 void compareRowsAvx2(const std::uint64_t *values, const std::uint32_t *ids,
                                       std::size_t count, std::size_t rowBegin, std::size_t rowEnd,
                                       const PairRule &rule, PairSink &sink)
{
    compareRowsBlocked<Avx2Kernel>(values, ids, count, rowBegin, rowEnd, rule, sink);
}

struct Avx512Rule
{
    __m512i maxDistance, equal, low, tops;
};

ASSAY_TARGET_AVX512 inline Avx512Rule avx512Rule(const PairRule &rule)
{
    return {_mm512_set1_epi64(rule.maxDistance), _mm512_set1_epi64(std::int64_t(rule.equal)),
            _mm512_set1_epi64(std::int64_t(rule.low)),
            _mm512_set1_epi64(std::int64_t(rule.differingTops))};
}

ASSAY_TARGET_AVX512 inline __mmask8 nearLanes(__mmask8 lanes, __m512i x, const Avx512Rule &r)
{
    return _mm512_mask_cmple_epu64_mask(lanes, _mm512_popcnt_epi64(x), r.maxDistance);
}

ASSAY_TARGET_AVX512 inline __mmask8 ruleLanes(__mmask8 lanes, __m512i x, const Avx512Rule &r)
{
    lanes = _mm512_mask_testn_epi64_mask(lanes, x, r.equal);
    const __m512i sum = _mm512_add_epi64(_mm512_and_si512(x, r.low), r.low);
    // tops & ~(sum | x): 0x02 is the truth table of ~A & ~B & C.
    const __m512i missing = _mm512_ternarylogic_epi64(sum, x, r.tops, 0x02);
    return _mm512_mask_testn_epi64_mask(lanes, missing, missing);
}

struct Avx512Kernel
{
    ASSAY_TARGET_AVX512 static void row(const std::uint64_t *values, const std::uint32_t *ids,
                                        std::size_t i, std::size_t begin, std::size_t end,
                                        const PairRule &rule, PairSink &sink)
    {
        const Avx512Rule r = avx512Rule(rule);
        const __m512i a = _mm512_set1_epi64(std::int64_t(values[i]));
        std::size_t j = begin;
        for (; j + 8 <= end; j += 8) {
            const __m512i x = _mm512_xor_si512(a, _mm512_loadu_si512(values + j));
            if (const __mmask8 near = nearLanes(0xff, x, r)) [[unlikely]]
                emitLanes(ruleLanes(near, x, r), idAt(ids, i), ids, j, sink);
        }
        if (j < end) {
            const auto lanes = __mmask8((1u << (end - j)) - 1);
            const __m512i x = _mm512_xor_si512(a, _mm512_maskz_loadu_epi64(lanes, values + j));
            if (const __mmask8 near = nearLanes(lanes, x, r))
                emitLanes(ruleLanes(near, x, r), idAt(ids, i), ids, j, sink);
        }
    }
    ASSAY_TARGET_AVX512 static void rows4(const std::uint64_t *values, const std::uint32_t *ids,
                                          std::size_t i, std::size_t begin, std::size_t end,
                                          const PairRule &rule, PairSink &sink)
    {
        const Avx512Rule r = avx512Rule(rule);
        const __m512i a0 = _mm512_set1_epi64(std::int64_t(values[i]));
        const __m512i a1 = _mm512_set1_epi64(std::int64_t(values[i + 1]));
        const __m512i a2 = _mm512_set1_epi64(std::int64_t(values[i + 2]));
        const __m512i a3 = _mm512_set1_epi64(std::int64_t(values[i + 3]));
        std::size_t j = begin;
        for (; j + 8 <= end; j += 8) {
            const __m512i b = _mm512_loadu_si512(values + j);
            const __m512i x0 = _mm512_xor_si512(a0, b), x1 = _mm512_xor_si512(a1, b);
            const __m512i x2 = _mm512_xor_si512(a2, b), x3 = _mm512_xor_si512(a3, b);
            const __mmask8 n0 = nearLanes(0xff, x0, r), n1 = nearLanes(0xff, x1, r);
            const __mmask8 n2 = nearLanes(0xff, x2, r), n3 = nearLanes(0xff, x3, r);
            if ((n0 | n1 | n2 | n3) != 0) [[unlikely]] {
                emitLanes(ruleLanes(n0, x0, r), idAt(ids, i), ids, j, sink);
                emitLanes(ruleLanes(n1, x1, r), idAt(ids, i + 1), ids, j, sink);
                emitLanes(ruleLanes(n2, x2, r), idAt(ids, i + 2), ids, j, sink);
                emitLanes(ruleLanes(n3, x3, r), idAt(ids, i + 3), ids, j, sink);
            }
        }
        if (j < end)
            for (std::size_t k = 0; k < 4; ++k)
                row(values, ids, i + k, j, end, rule, sink);
    }
};

ASSAY_TARGET_AVX512 void compareRowsAvx512(const std::uint64_t *values, const std::uint32_t *ids,
                                           std::size_t count, std::size_t rowBegin,
                                           std::size_t rowEnd, const PairRule &rule, PairSink &sink)
{
    compareRowsBlocked<Avx512Kernel>(values, ids, count, rowBegin, rowEnd, rule, sink);
}

#endif // ASSAY_HAMMING_X86

} // namespace

InstructionSet bestInstructionSet()
{
#ifdef ASSAY_HAMMING_X86
    // __builtin_cpu_supports also checks that the operating system saves the wider registers.
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq"))
        return InstructionSet::Avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt"))
        return InstructionSet::Avx2;
    if (__builtin_cpu_supports("popcnt"))
        return InstructionSet::Popcnt;
#endif
    return InstructionSet::Portable;
}

InstructionSet supportedInstructionSet(InstructionSet wanted)
{
    return std::min(wanted, bestInstructionSet());
}

const char *instructionSetName(InstructionSet set)
{
    switch (set) {
    case InstructionSet::Avx512:
        return "AVX-512 VPOPCNTQ";
    case InstructionSet::Avx2:
        return "AVX2";
    case InstructionSet::Popcnt:
        return "POPCNT";
    case InstructionSet::Portable:
        break;
    }
    return "portable";
}

CompareRows compareRowsFor(InstructionSet set)
{
#ifdef ASSAY_HAMMING_X86
    switch (supportedInstructionSet(set)) {
    case InstructionSet::Avx512:
        return compareRowsAvx512;
    case InstructionSet::Avx2:
        return compareRowsAvx2;
    case InstructionSet::Popcnt:
        return compareRowsPopcnt;
    case InstructionSet::Portable:
        break;
    }
#else
    (void)set;
#endif
    return compareRowsPortable;
}

std::size_t PairSink::keptIn(std::size_t chunk) const
{
    if (m_overflow && chunk + 1 == m_chunks.size())
        return 0;
    if (chunk + 1 == m_chunks.size())
        return std::size_t(m_next - m_chunks[chunk].get());
    return chunkPairs;
}

std::size_t PairSink::size() const
{
    std::size_t total = 0;
    for (std::size_t c = 0; c < m_chunks.size(); ++c)
        total += keptIn(c);
    return total;
}

void PairSink::grow()
{
    if (m_overflow) { // stopped: keep overwriting the scratch chunk
        m_next = m_chunks.back().get();
        return;
    }
    if (!m_chunks.empty()) {
        const std::size_t kept = m_shared.kept.fetch_add(chunkPairs) + chunkPairs;
        if (kept > m_shared.limit)
            m_shared.stop.store(true, std::memory_order_relaxed);
    }
    m_overflow = stopped();
    m_chunks.push_back(std::make_unique_for_overwrite<std::uint64_t[]>(chunkPairs));
    m_next = m_chunks.back().get();
    m_end = m_next + chunkPairs;
}

} // namespace assay::analysis::hamming
