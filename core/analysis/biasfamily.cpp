#include "biasfamily.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <thread>

namespace assay::analysis::bias {

namespace {

using Bits = std::vector<std::uint64_t>;

// Per group, the popcount of the AND of `Count` bitsets over the group's run of bits.
template<int Count>
void countGroups(const std::uint64_t *const *sets, const std::vector<size_t> &starts,
                 std::int64_t *out)
{
    const size_t groups = starts.size() - 1;
    for (size_t g = 0; g < groups; ++g) {
        const size_t begin = starts[g], end = starts[g + 1];
        std::int64_t n = 0;
        if (begin < end) {
            const size_t first = begin >> 6, last = (end - 1) >> 6;
            auto word = [&](size_t w) {
                std::uint64_t bits = sets[0][w];
                for (int s = 1; s < Count; ++s)
                    bits &= sets[s][w];
                return bits;
            };
            const std::uint64_t firstMask = ~std::uint64_t(0) << (begin & 63);
            const unsigned top = unsigned((end - 1) & 63);
            const std::uint64_t lastMask =
                top == 63 ? ~std::uint64_t(0) : (std::uint64_t(2) << top) - 1;
            if (first == last) {
                n = std::popcount(word(first) & firstMask & lastMask);
            } else {
                n = std::popcount(word(first) & firstMask) + std::popcount(word(last) & lastMask);
                for (size_t w = first + 1; w < last; ++w)
                    n += std::popcount(word(w));
            }
        }
        out[g] = n;
    }
}

} // namespace

std::int64_t Family::size(size_t member) const
{
    std::int64_t n = 0;
    for (int g = 0; g < groups; ++g)
        n += counts[member * size_t(groups) + size_t(g)];
    return n;
}

void parallelChunks(size_t count, int threads, size_t chunk,
                    const std::function<void(size_t, size_t)> &f)
{
    if (count == 0)
        return;
    chunk = std::max<size_t>(chunk, 1);
    const size_t chunks = (count + chunk - 1) / chunk;
    size_t workers = threads > 0 ? size_t(threads) : std::max(1u, std::thread::hardware_concurrency());
    workers = std::min(workers, chunks);
    std::atomic<size_t> next{0};
    auto run = [&] {
        for (size_t c; (c = next.fetch_add(1)) < chunks;)
            f(c * chunk, std::min(count, (c + 1) * chunk));
    };
    if (workers <= 1) {
        run();
        return;
    }
    std::vector<std::thread> pool;
    for (size_t i = 1; i < workers; ++i)
        pool.emplace_back(run);
    run();
    for (std::thread &thread : pool)
        thread.join();
}

std::vector<std::int64_t> valueGroupCounts(const BinnedAttribute &attribute,
                                           const std::vector<std::uint32_t> &rows,
                                           const std::vector<size_t> &groupStarts)
{
    const size_t groups = groupStarts.size() - 1;
    std::vector<std::int64_t> counts(size_t(attribute.values.size()) * groups, 0);
    for (size_t g = 0; g < groups; ++g) {
        for (size_t i = groupStarts[g]; i < groupStarts[g + 1]; ++i)
            ++counts[size_t(attribute.codes[rows[i]]) * groups + g];
    }
    return counts;
}

Family enumerateFamily(const FamilyInput &input)
{
    const std::vector<BinnedAttribute> &attributes = *input.attributes;
    Family family;
    family.groups = int(input.groupStarts.size()) - 1;
    const size_t groups = size_t(family.groups);
    const std::int64_t universe = std::int64_t(input.rows.size());
    auto inBounds = [&](std::int64_t n) {
        return n >= input.minSupport && n <= universe - input.minSupport;
    };
    auto add = [&](std::array<int, 3> member, int level, const std::int64_t *counts) {
        family.members.push_back(member);
        family.levels.push_back(level);
        family.counts.insert(family.counts.end(), counts, counts + groups);
    };

    // Level 1, and which predicate each (attribute, value) became.
    std::vector<std::vector<int>> predicateOf(attributes.size());
    for (int a : input.active) {
        const BinnedAttribute &attribute = attributes[size_t(a)];
        const std::vector<std::int64_t> counts =
            valueGroupCounts(attribute, input.rows, input.groupStarts);
        predicateOf[size_t(a)].assign(size_t(attribute.values.size()), -1);
        for (int v = 0; v < int(attribute.values.size()); ++v) {
            const std::int64_t *perGroup = counts.data() + size_t(v) * groups;
            std::int64_t n = 0;
            for (size_t g = 0; g < groups; ++g)
                n += perGroup[g];
            if (!inBounds(n))
                continue;
            const int index = int(family.predicates.size());
            predicateOf[size_t(a)][size_t(v)] = index;
            family.predicates.push_back({a, v});
            add({index, -1, -1}, 1, perGroup);
        }
    }
    const size_t predicates = family.predicates.size();
    if (input.maxLevel < 2 || predicates < 2)
        return family;

    // One bitset per level-1 predicate over the grouped rows; an attribute's values are
    // disjoint, so each attribute fills its own bitsets on its own thread.
    const size_t words = (input.rows.size() + 63) / 64;
    std::vector<Bits> bits(predicates, Bits(words, 0));
    parallelChunks(input.active.size(), input.threads, 1, [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
            const int a = input.active[i];
            const std::vector<int> &of = predicateOf[size_t(a)];
            const std::vector<std::uint16_t> &codes = attributes[size_t(a)].codes;
            for (size_t r = 0; r < input.rows.size(); ++r) {
                const int p = of[codes[input.rows[r]]];
                if (p >= 0)
                    bits[size_t(p)][r >> 6] |= std::uint64_t(1) << (r & 63);
            }
        }
    });

    // Level 2: pairs of level-1 predicates on distinct attributes.
    std::vector<std::array<int, 3>> pairs;
    for (size_t i = 0; i < predicates; ++i) {
        for (size_t j = i + 1; j < predicates; ++j) {
            if (family.predicates[i].attribute != family.predicates[j].attribute)
                pairs.push_back({int(i), int(j), -1});
        }
    }
    std::vector<std::int64_t> pairCounts(pairs.size() * groups);
    parallelChunks(pairs.size(), input.threads, 32, [&](size_t begin, size_t end) {
        for (size_t c = begin; c < end; ++c) {
            const std::uint64_t *sets[] = {bits[size_t(pairs[c][0])].data(),
                                           bits[size_t(pairs[c][1])].data()};
            countGroups<2>(sets, input.groupStarts, pairCounts.data() + c * groups);
        }
    });
    std::vector<std::int64_t> level2Keys; // i * predicates + j of the pairs in F, ascending
    for (size_t c = 0; c < pairs.size(); ++c) {
        const std::int64_t *perGroup = pairCounts.data() + c * groups;
        std::int64_t n = 0;
        for (size_t g = 0; g < groups; ++g)
            n += perGroup[g];
        if (!inBounds(n))
            continue;
        add(pairs[c], 2, perGroup);
        level2Keys.push_back(std::int64_t(pairs[c][0]) * std::int64_t(predicates) + pairs[c][1]);
    }
    if (input.maxLevel < 3)
        return family;

    // Level 3: triples all of whose pairs are in F.
    auto inLevel2 = [&](int i, int j) {
        return std::binary_search(level2Keys.begin(), level2Keys.end(),
                                  std::int64_t(i) * std::int64_t(predicates) + j);
    };
    std::vector<std::array<int, 3>> triples;
    for (std::int64_t key : level2Keys) {
        const int i = int(key / std::int64_t(predicates)), j = int(key % std::int64_t(predicates));
        for (int k = j + 1; k < int(predicates); ++k) {
            const int ak = family.predicates[size_t(k)].attribute;
            if (ak == family.predicates[size_t(i)].attribute ||
                ak == family.predicates[size_t(j)].attribute)
                continue;
            if (inLevel2(i, k) && inLevel2(j, k))
                triples.push_back({i, j, k});
        }
    }
    std::vector<std::int64_t> tripleCounts(triples.size() * groups);
    parallelChunks(triples.size(), input.threads, 32, [&](size_t begin, size_t end) {
        for (size_t c = begin; c < end; ++c) {
            const std::uint64_t *sets[] = {bits[size_t(triples[c][0])].data(),
                                           bits[size_t(triples[c][1])].data(),
                                           bits[size_t(triples[c][2])].data()};
            countGroups<3>(sets, input.groupStarts, tripleCounts.data() + c * groups);
        }
    });
    for (size_t c = 0; c < triples.size(); ++c) {
        const std::int64_t *perGroup = tripleCounts.data() + c * groups;
        std::int64_t n = 0;
        for (size_t g = 0; g < groups; ++g)
            n += perGroup[g];
        if (inBounds(n))
            add(triples[c], 3, perGroup);
    }
    return family;
}

} // namespace assay::analysis::bias
