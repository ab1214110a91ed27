#pragma once

// Hash sets for the near-pair and cluster tests, and the naive all-pairs reference.

#include "analysis/hammingpairs.h"

#include <QTest>

#include <algorithm>
#include <random>
#include <vector>

namespace assay::testhashes {

using analysis::hammingDistance;
using analysis::HashPair;
using analysis::NearPairs;

inline std::uint64_t flipBits(std::uint64_t hash, int count, std::mt19937_64 &random)
{
    std::uint64_t flips = 0;
    while (__builtin_popcountll(flips) < count)
        flips |= std::uint64_t(1) << (random() % 64);
    return hash ^ flips;
}

struct TestSet
{
    std::vector<std::uint64_t> hashes;
    std::vector<std::pair<std::size_t, std::size_t>> planted; // input indices, distance <= T
};

// Uniform random hashes, or (clustered) hashes drawn around n / 40 centres with each bit flipped
// with probability 1/8, plus `planted` copies of random members with 0 .. T bits flipped.
inline TestSet makeSet(std::size_t n, int maxDistance, bool clustered, std::size_t planted,
                       std::uint64_t seed)
{
    std::mt19937_64 random(seed);
    TestSet set;
    std::vector<std::uint64_t> centres(std::max<std::size_t>(1, n / 40));
    for (std::uint64_t &centre : centres)
        centre = random();
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t hash = random();
        if (clustered) {
            hash = centres[random() % centres.size()];
            for (int bit = 0; bit < 64; ++bit)
                if (random() % 8 == 0)
                    hash ^= std::uint64_t(1) << bit;
        }
        set.hashes.push_back(hash);
    }
    for (std::size_t p = 0; p < planted && n > 0; ++p) {
        const std::size_t of = random() % n;
        const int distance = int(random() % std::uint64_t(std::min(maxDistance, 64) + 1));
        set.planted.emplace_back(of, set.hashes.size());
        set.hashes.push_back(flipBits(set.hashes[of], distance, random));
    }
    return set;
}

inline NearPairs reference(const std::vector<std::uint64_t> &hashes, int maxDistance)
{
    NearPairs result;
    result.maxDistance = maxDistance;
    result.values = hashes;
    std::sort(result.values.begin(), result.values.end());
    result.values.erase(std::unique(result.values.begin(), result.values.end()),
                        result.values.end());
    for (std::uint64_t hash : hashes)
        result.valueOf.push_back(
            std::uint32_t(std::lower_bound(result.values.begin(), result.values.end(), hash) -
                          result.values.begin()));
    for (std::uint32_t a = 0; a < result.values.size(); ++a)
        for (std::uint32_t b = a + 1; b < result.values.size(); ++b) {
            const int distance = hammingDistance(result.values[a], result.values[b]);
            if (distance <= maxDistance)
                result.pairs.push_back({a, b, std::uint8_t(distance)});
        }
    return result;
}

// Compares field by field, so that a failure says which part differs.
inline void compareNearPairs(const NearPairs &actual, const NearPairs &expected)
{
    QCOMPARE(actual.values, expected.values);
    QCOMPARE(actual.valueOf, expected.valueOf);
    QCOMPARE(actual.maxDistance, expected.maxDistance);
    QCOMPARE(actual.truncated, false);
    QCOMPARE(actual.pairs.size(), expected.pairs.size());
    for (std::size_t i = 0; i < actual.pairs.size(); ++i) {
        const HashPair &a = actual.pairs[i], &e = expected.pairs[i];
        if (!(a == e))
            QFAIL(qPrintable(QStringLiteral("pair %1: (%2, %3, %4), expected (%5, %6, %7)")
                                 .arg(i)
                                 .arg(a.a)
                                 .arg(a.b)
                                 .arg(a.distance)
                                 .arg(e.a)
                                 .arg(e.b)
                                 .arg(e.distance)));
    }
}
} // namespace assay::testhashes
