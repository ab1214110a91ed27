#include "hammingsort.h"

#include "hammingkernels.h"
#include "util/error.h"

#include <algorithm>
#include <limits>

namespace assay::analysis::hamming {

namespace {

struct Entry
{
    std::uint64_t value;
    std::uint32_t index;
};

// By value: one counting pass on the top 16 bits, then each bucket (a dozen entries at a million)
// sorted on its own. One scatter instead of an LSD sort's four.
void sortByValue(std::vector<Entry> &entries)
{
    constexpr std::size_t buckets = 1 << 16;
    std::vector<std::uint32_t> starts(buckets + 1, 0);
    for (const Entry &entry : entries)
        ++starts[(entry.value >> 48) + 1];
    for (std::size_t b = 0; b < buckets; ++b)
        starts[b + 1] += starts[b];
    std::vector<Entry> sorted(entries.size());
    std::vector<std::uint32_t> cursor(starts.begin(), starts.end() - 1);
    for (const Entry &entry : entries)
        sorted[cursor[entry.value >> 48]++] = entry;
    for (std::size_t b = 0; b < buckets; ++b)
        std::sort(sorted.begin() + starts[b], sorted.begin() + starts[b + 1],
                  [](const Entry &x, const Entry &y) { return x.value < y.value; });
    entries.swap(sorted);
}

// Calls f(pair) for the first `keep` pairs the sinks hold.
template<class F> void forKept(std::span<PairSink *const> sinks, std::size_t keep, F &&f)
{
    std::size_t seen = 0;
    for (PairSink *sink : sinks)
        sink->visit([&](const std::uint64_t *begin, const std::uint64_t *end) {
            for (const std::uint64_t *p = begin; p != end && seen < keep; ++p, ++seen)
                f(*p);
        });
}

} // namespace

void groupIdenticalHashes(std::span<const std::uint64_t> hashes, std::vector<std::uint64_t> &values,
                          std::vector<std::uint32_t> &valueOf)
{
    if (hashes.size() > std::numeric_limits<std::uint32_t>::max())
        throw Error(QStringLiteral("Too many hashes for the near-duplicate search (%1; at most "
                                   "4,294,967,295)")
                        .arg(hashes.size()));
    const std::size_t n = hashes.size();
    values.clear();
    valueOf.assign(n, 0);
    if (n == 0)
        return;
    std::vector<Entry> entries(n);
    for (std::size_t i = 0; i < n; ++i)
        entries[i] = {hashes[i], std::uint32_t(i)};
    if (n < (1 << 16))
        std::sort(entries.begin(), entries.end(),
                  [](const Entry &a, const Entry &b) { return a.value < b.value; });
    else
        sortByValue(entries);
    for (std::size_t i = 0; i < n; ++i) {
        if (i == 0 || entries[i].value != entries[i - 1].value)
            values.push_back(entries[i].value);
        valueOf[entries[i].index] = std::uint32_t(values.size() - 1);
    }
    values.shrink_to_fit();
}

std::vector<HashPair> sortPairs(std::span<PairSink *const> sinks, std::size_t keep,
                                const std::vector<std::uint64_t> &values)
{
    auto pairOf = [&](std::uint64_t p) { // p = a << 32 | b
        const auto a = std::uint32_t(p >> 32), b = std::uint32_t(p);
        return HashPair{a, b, std::uint8_t(__builtin_popcountll(values[a] ^ values[b]))};
    };
    const std::size_t n = values.size();
    std::vector<HashPair> pairs;
    if (keep < (std::size_t(1) << 20) || keep < n / 4) {
        std::vector<std::uint64_t> packed;
        packed.reserve(keep);
        forKept(sinks, keep, [&](std::uint64_t p) { packed.push_back(p); });
        for (PairSink *sink : sinks)
            sink->drain([](const std::uint64_t *, const std::uint64_t *) {});
        std::sort(packed.begin(), packed.end());
        pairs.resize(packed.size());
        std::transform(packed.begin(), packed.end(), pairs.begin(), pairOf);
        return pairs;
    }
    // Two stable counting passes over the value indices, by b straight out of the sinks, then by
    // a: 8 bytes a pair besides the sinks' 8 and the result's 12.
    std::vector<std::uint32_t> counts(n + 1, 0);
    forKept(sinks, keep, [&](std::uint64_t p) { ++counts[std::uint32_t(p) + 1]; });
    for (std::size_t i = 0; i < n; ++i)
        counts[i + 1] += counts[i];
    std::vector<std::uint64_t> byB(keep);
    std::size_t seen = 0;
    for (PairSink *sink : sinks)
        sink->drain([&](const std::uint64_t *begin, const std::uint64_t *end) {
            for (const std::uint64_t *p = begin; p != end && seen < keep; ++p, ++seen)
                byB[counts[std::uint32_t(*p)]++] = *p;
        });
    std::fill(counts.begin(), counts.end(), 0);
    for (std::uint64_t p : byB)
        ++counts[(p >> 32) + 1];
    for (std::size_t i = 0; i < n; ++i)
        counts[i + 1] += counts[i];
    pairs.resize(keep);
    for (std::uint64_t p : byB)
        pairs[counts[p >> 32]++] = pairOf(p);
    return pairs;
}

} // namespace assay::analysis::hamming
