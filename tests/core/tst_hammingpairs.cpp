// The near-pair search against a naive all-pairs reference (every pair found, none extra) for
// thresholds 0 to 16, 24 and 64, every block count the planner could pick and some it would not,
// parts small enough to use every level of the tree, each kernel against the scalar rule on
// every instruction set this processor has, one and two threads; planted pairs; edge cases; the
// pair limit; cancelling. The clusters are tested in tst_nearclusters.cpp.

#include "analysis/hammingkernels.h"
#include "analysis/hammingpairs.h"
#include "hashsets.h"
#include "jobs/progress.h"
#include "util/error.h"

#include <QTest>

#include <algorithm>
#include <random>
#include <set>

using namespace assay;
using namespace assay::analysis;
using namespace assay::testhashes;

namespace {

bool hasInstructions(HashInstructions set)
{
    using hamming::InstructionSet;
    const InstructionSet best = hamming::bestInstructionSet();
    switch (set) {
    case HashInstructions::Avx512:
        return best >= InstructionSet::Avx512;
    case HashInstructions::Avx2:
        return best >= InstructionSet::Avx2;
    case HashInstructions::Popcnt:
        return best >= InstructionSet::Popcnt;
    default:
        return true;
    }
}

} // namespace

Q_DECLARE_METATYPE(HashInstructions)

class TestHammingPairs : public QObject
{
    Q_OBJECT
private slots:
    void kernelsApplyTheRule_data();
    void kernelsApplyTheRule();
    void matchesReference_data();
    void matchesReference();
    void constantBits_data();
    void constantBits();
    void plantedPairsAreFound();
    void emptyAndSingle();
    void identicalHashes();
    void exactlyAtTheThreshold();
    void rejectsBadArguments();
    void truncatesAtPairLimit();
    void canceled();
};

void TestHammingPairs::kernelsApplyTheRule_data()
{
    QTest::addColumn<HashInstructions>("instructions");
    QTest::newRow("AVX-512") << HashInstructions::Avx512;
    QTest::newRow("AVX2") << HashInstructions::Avx2;
    QTest::newRow("POPCNT") << HashInstructions::Popcnt;
    QTest::newRow("portable") << HashInstructions::Portable;
}

// Each kernel against the scalar rule, on runs of every length up to 40 and on ones long enough
// for the row blocks and column tiles, with rules whose every part matters: hashes a few bits
// apart, `equal` and `differingTops` drawn at random over 8-bit blocks.
void TestHammingPairs::kernelsApplyTheRule()
{
    QFETCH(HashInstructions, instructions);
    if (!hasInstructions(instructions))
        QSKIP("not supported by this processor");
    using namespace hamming;
    const InstructionSet set = instructions == HashInstructions::Avx512 ? InstructionSet::Avx512
                               : instructions == HashInstructions::Avx2 ? InstructionSet::Avx2
                               : instructions == HashInstructions::Popcnt
                                   ? InstructionSet::Popcnt
                                   : InstructionSet::Portable;
    QCOMPARE(supportedInstructionSet(set), set);
    const CompareRows compare = compareRowsFor(set);
    std::mt19937_64 random(23);
    std::uint64_t tops = 0;
    for (int b = 0; b < 8; ++b)
        tops |= std::uint64_t(1) << (8 * b + 7);
    auto check = [&](std::size_t count, std::size_t rowEnd) {
        std::vector<std::uint64_t> values(count);
        std::vector<std::uint32_t> ids(count);
        const std::uint64_t base = random();
        for (std::size_t i = 0; i < count; ++i) {
            values[i] = flipBits(base, int(random() % 12), random);
            ids[i] = std::uint32_t(count - i) * 3;
        }
        const PairRule rule{int(random() % 10), random() & random() & random(), ~tops,
                            random() & tops};
        std::vector<std::uint64_t> expected, actual;
        for (std::size_t i = 0; i < rowEnd; ++i)
            for (std::size_t j = i + 1; j < count; ++j)
                if (rule.accepts(values[i] ^ values[j]))
                    expected.push_back(std::uint64_t(std::min(ids[i], ids[j])) << 32 |
                                       std::max(ids[i], ids[j]));
        PairSink::Shared shared;
        shared.limit = std::size_t(-1);
        PairSink sink(shared);
        compare(values.data(), ids.data(), count, 0, rowEnd, rule, sink);
        sink.drain([&](const std::uint64_t *begin, const std::uint64_t *end) {
            actual.insert(actual.end(), begin, end);
        });
        std::sort(expected.begin(), expected.end());
        std::sort(actual.begin(), actual.end());
        return actual == expected;
    };
    for (int round = 0; round < 20; ++round)
        for (std::size_t count = 1; count <= 40; ++count)
            QVERIFY2(check(count, count), qPrintable(QStringLiteral("%1 hashes").arg(count)));
    for (int round = 0; round < 5; ++round) {
        QVERIFY(check(1000, 1000));
        QVERIFY(check(20000, 300)); // past a row block, across two column tiles
    }
}

void TestHammingPairs::matchesReference_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("maxDistance");
    QTest::addColumn<bool>("clustered");
    QTest::addColumn<int>("blocks"); // 0: the planner's choice, -1: brute force
    QTest::addColumn<int>("threads");
    QTest::addColumn<HashInstructions>("instructions");
    QTest::addColumn<int>("leafSize"); // 0: the default
    const auto autoSet = HashInstructions::Auto;
    for (int t : {0, 1, 2, 3, 4, 6, 8, 10, 12, 14, 16}) {
        QTest::addRow("random, T %d", t) << 5000 << t << false << 0 << 1 << autoSet << 0;
        QTest::addRow("clustered, T %d", t) << 5000 << t << true << 0 << 1 << autoSet << 0;
        QTest::addRow("clustered, T %d, brute force", t)
            << 5000 << t << true << -1 << 1 << autoSet << 0;
    }
    QTest::addRow("random, T 24") << 2000 << 24 << false << 0 << 1 << autoSet << 0;
    QTest::addRow("random, T 64, every pair") << 300 << 64 << false << 0 << 1 << autoSet << 0;
    // Block counts: folded 32-bit blocks, 16-bit blocks, the planner's and more, one-bit blocks.
    const std::vector<std::pair<int, int>> blockCounts{
        {1, 2},  {1, 3},  {3, 4},  {4, 5},   {4, 6},   {4, 8},   {4, 16},  {4, 64}, {8, 9},
        {8, 10}, {8, 11}, {8, 12}, {12, 13}, {12, 16}, {16, 17}, {16, 19}, {16, 24}};
    for (auto [t, blocks] : blockCounts)
        QTest::addRow("clustered, T %d, %d blocks", t, blocks)
            << 6000 << t << true << blocks << 1 << autoSet << 0;
    QTest::addRow("clustered, T 8, 2 threads") << 20000 << 8 << true << 0 << 2 << autoSet << 0;
    QTest::addRow("clustered, T 8, 2 threads, brute force")
        << 20000 << 8 << true << -1 << 2 << autoSet << 0;
    QTest::addRow("random, T 4, 2 threads") << 20000 << 4 << false << 0 << 2 << autoSet << 0;
    // Small parts: the deeper levels of the tree do the work (not at T 16 with 24 blocks, whose
    // C(24, 8) combinations take seconds when nothing stops the descent).
    for (auto [t, blocks] : blockCounts)
        for (int leaf : {2, 9})
            if (t != 16 || blocks != 24)
                QTest::addRow("clustered, T %d, %d blocks, parts of %d", t, blocks, leaf)
                    << 3000 << t << true << blocks << 1 << autoSet << leaf;
    const std::vector<std::pair<HashInstructions, const char *>> sets{
        {HashInstructions::Avx512, "AVX-512"},
        {HashInstructions::Avx2, "AVX2"},
        {HashInstructions::Popcnt, "POPCNT"},
        {HashInstructions::Portable, "portable"}};
    for (auto [set, name] : sets) {
        if (!hasInstructions(set))
            continue;
        QTest::addRow("clustered, T 8, %s", name) << 5000 << 8 << true << 0 << 1 << set << 0;
        QTest::addRow("clustered, T 5, %s, brute force", name)
            << 3000 << 5 << true << -1 << 1 << set << 0;
        QTest::addRow("clustered, T 12, 9 hashes, %s", name)
            << 9 << 12 << true << 0 << 1 << set << 0;
        // 16- and 32-bit blocks are folded into fewer parts: the rule must check them.
        QTest::addRow("clustered, T 3, 4 blocks, %s", name)
            << 5000 << 3 << true << 4 << 1 << set << 9;
        QTest::addRow("clustered, T 2, 4 blocks, %s", name)
            << 5000 << 2 << true << 4 << 1 << set << 2;
        QTest::addRow("random, T 1, 3 blocks, %s", name)
            << 5000 << 1 << false << 3 << 1 << set << 2;
    }
}

void TestHammingPairs::matchesReference()
{
    QFETCH(int, n);
    QFETCH(int, maxDistance);
    QFETCH(bool, clustered);
    QFETCH(int, blocks);
    QFETCH(int, threads);
    QFETCH(HashInstructions, instructions);
    QFETCH(int, leafSize);
    const TestSet set = makeSet(std::size_t(n), maxDistance, clustered, std::size_t(n) / 10,
                                std::uint64_t(n * 131 + maxDistance * 7 + blocks));
    NearPairOptions options;
    options.threads = threads;
    options.instructions = instructions;
    options.maxPairs = std::size_t(-1);
    options.leafSize = std::size_t(leafSize);
    if (blocks > 0) {
        options.method = NearPairMethod::Index;
        options.blocks = blocks;
    } else if (blocks < 0) {
        options.method = NearPairMethod::BruteForce;
    }
    const NearPairs expected = reference(set.hashes, maxDistance);
    compareNearPairs(findNearPairs(set.hashes, maxDistance, options), expected);
    if (blocks == 0 && threads == 1)
        compareNearPairs(findNearPairsBruteForce(set.hashes, maxDistance, options), expected);
}

void TestHammingPairs::constantBits_data()
{
    QTest::addColumn<int>("maxDistance");
    QTest::addColumn<int>("blocks");
    QTest::addColumn<int>("varying"); // bits that vary; the others are the same in every hash
    QTest::addColumn<bool>("spread"); // varying bits spread over the hash, or the top ones
    for (int t : {1, 2, 4, 8, 12})
        for (int extra : {0, 1, 3})
            for (int varying : {20, 40})
                for (bool spread : {false, true})
                    QTest::addRow("T %d, %d blocks, %d varying bits%s", t, t + 1 + extra, varying,
                                  spread ? ", spread" : "")
                        << t << t + 1 + extra << varying << spread;
}

// Hashes whose bits are mostly the same everywhere (near-blank images, shared borders): the bit
// permutation moves them apart and whole parts that cannot hold a pair are skipped; the pairs
// must not change.
void TestHammingPairs::constantBits()
{
    QFETCH(int, maxDistance);
    QFETCH(int, blocks);
    QFETCH(int, varying);
    QFETCH(bool, spread);
    std::mt19937_64 random(std::uint64_t(maxDistance * 100 + varying));
    std::vector<std::uint64_t> hashes;
    for (int i = 0; i < 3000; ++i) {
        std::uint64_t hash = 0x5a5a5a5a5a5a5a5aull;
        for (int b = 0; b < varying; ++b)
            if (random() & 1)
                hash ^= std::uint64_t(1) << (spread ? b * 64 / varying : 63 - b);
        hashes.push_back(hash);
    }
    NearPairOptions options;
    options.method = NearPairMethod::Index;
    options.blocks = blocks;
    options.maxPairs = std::size_t(-1);
    options.leafSize = 9;
    compareNearPairs(findNearPairs(hashes, maxDistance, options), reference(hashes, maxDistance));
}

void TestHammingPairs::plantedPairsAreFound()
{
    for (int t : {1, 4, 8, 12, 16}) {
        const TestSet set = makeSet(30000, t, false, 1000, std::uint64_t(t));
        const NearPairs near = findNearPairs(set.hashes, t);
        std::set<std::pair<std::uint32_t, std::uint32_t>> found;
        for (const HashPair &pair : near.pairs)
            found.emplace(pair.a, pair.b);
        for (auto [x, y] : set.planted) {
            std::uint32_t a = near.valueOf[x], b = near.valueOf[y];
            if (a == b) {
                QCOMPARE(set.hashes[x], set.hashes[y]); // planted at distance 0
                continue;
            }
            QVERIFY(found.count({std::min(a, b), std::max(a, b)}) == 1);
        }
    }
}

void TestHammingPairs::emptyAndSingle()
{
    const NearPairs empty = findNearPairs({}, 8);
    QVERIFY(empty.values.empty());
    QVERIFY(empty.valueOf.empty());
    QVERIFY(empty.pairs.empty());
    QVERIFY(!empty.truncated);

    const std::vector<std::uint64_t> one{0x1234};
    const NearPairs single = findNearPairs(one, 16);
    QCOMPARE(single.values, one);
    QCOMPARE(single.valueOf, std::vector<std::uint32_t>{0});
    QVERIFY(single.pairs.empty());
    QVERIFY(findNearPairsBruteForce(one, 16).pairs.empty());
}

void TestHammingPairs::identicalHashes()
{
    for (std::size_t n : {2, 1000, 100000}) {
        const std::vector<std::uint64_t> same(n, 0xfeedfacecafebeefull);
        const NearPairs near = findNearPairs(same, 8);
        QCOMPARE(near.values.size(), std::size_t(1));
        QCOMPARE(near.valueOf, std::vector<std::uint32_t>(n, 0));
        QVERIFY(near.pairs.empty());
    }
    // Two groups of identical hashes at distance 3: one pair, each value standing for many.
    std::vector<std::uint64_t> two(200000, 0);
    for (std::size_t i = 0; i < two.size(); i += 2)
        two[i] = 0b111;
    const NearPairs near = findNearPairs(two, 4);
    QCOMPARE(near.values, (std::vector<std::uint64_t>{0, 0b111}));
    QCOMPARE(near.pairs.size(), std::size_t(1));
    QCOMPARE(near.pairs[0], (HashPair{0, 1, 3}));
    QCOMPARE(near.valueOf[0], std::uint32_t(1));
    QCOMPARE(near.valueOf[1], std::uint32_t(0));
}

void TestHammingPairs::exactlyAtTheThreshold()
{
    // Pairs at exactly T are in, at T + 1 out, whichever blocks the differing bits fall in.
    std::mt19937_64 random(5);
    for (int t = 1; t <= 16; ++t) {
        std::vector<std::uint64_t> hashes;
        for (int i = 0; i < 2000; ++i)
            hashes.push_back(random());
        for (int i = 0; i < 300; ++i) {
            const std::size_t of = random() % 2000;
            const bool in = i % 2 == 0;
            hashes.push_back(flipBits(hashes[of], in ? t : t + 1, random));
        }
        compareNearPairs(findNearPairs(hashes, t), reference(hashes, t));
    }
}

void TestHammingPairs::rejectsBadArguments()
{
    const std::vector<std::uint64_t> hashes{1, 2, 3};
    QVERIFY_THROWS_EXCEPTION(Error, findNearPairs(hashes, -1));
    QVERIFY_THROWS_EXCEPTION(Error, findNearPairs(hashes, 65));
    NearPairOptions options;
    options.method = NearPairMethod::Index;
    options.blocks = 8; // cannot index T = 8: a pair may differ in every block
    QVERIFY_THROWS_EXCEPTION(Error, findNearPairs(hashes, 8, options));
    options.blocks = 65;
    QVERIFY_THROWS_EXCEPTION(Error, findNearPairs(hashes, 8, options));
}

void TestHammingPairs::truncatesAtPairLimit()
{
    // Thousands of near-blank images: 3,000 hashes 2 or 3 bits from blank (~3 M pairs within 6).
    std::mt19937_64 random(11);
    std::vector<std::uint64_t> blank;
    for (int i = 0; i < 3000; ++i)
        blank.push_back(flipBits(0, 2 + int(random() % 2), random) | (std::uint64_t(i % 2) << 63));
    const NearPairs all = reference(blank, 6);
    for (std::size_t limit : {std::size_t(0), std::size_t(1000), std::size_t(200000)}) {
        for (bool bruteForce : {false, true}) {
            NearPairOptions options;
            options.maxPairs = limit;
            options.threads = 2;
            const NearPairs near = bruteForce ? findNearPairsBruteForce(blank, 6, options)
                                              : findNearPairs(blank, 6, options);
            QVERIFY(near.truncated);
            QCOMPARE(near.pairs.size(), limit);
            QVERIFY(std::is_sorted(near.pairs.begin(), near.pairs.end(),
                                   [](const HashPair &x, const HashPair &y) {
                                       return std::pair(x.a, x.b) < std::pair(y.a, y.b);
                                   }));
            for (const HashPair &pair : near.pairs)
                QVERIFY(std::binary_search(all.pairs.begin(), all.pairs.end(), pair,
                                           [](const HashPair &x, const HashPair &y) {
                                               return std::pair(x.a, x.b) < std::pair(y.a, y.b);
                                           }));
        }
    }
    // At the limit exactly nothing is lost; one below, one pair is (over a million pairs: the
    // counting sort of the pairs, not the comparison sort).
    QVERIFY(all.pairs.size() > 1000000);
    NearPairOptions exact;
    exact.maxPairs = all.pairs.size();
    exact.threads = 2;
    const NearPairs near = findNearPairs(blank, 6, exact);
    QVERIFY(!near.truncated);
    QVERIFY(near.pairs == all.pairs);
    exact.maxPairs = all.pairs.size() - 1;
    const NearPairs oneShort = findNearPairs(blank, 6, exact);
    QVERIFY(oneShort.truncated);
    QCOMPARE(oneShort.pairs.size(), all.pairs.size() - 1);
    for (std::size_t i = 1; i < oneShort.pairs.size(); ++i)
        QVERIFY(std::pair(oneShort.pairs[i - 1].a, oneShort.pairs[i - 1].b) <
                std::pair(oneShort.pairs[i].a, oneShort.pairs[i].b));
}

void TestHammingPairs::canceled()
{
    const TestSet set = makeSet(20000, 8, true, 0, 3);
    jobs::Progress progress;
    const NearPairs near = findNearPairs(set.hashes, 8, {}, &progress);
    QCOMPARE(progress.done(), progress.total());
    QVERIFY(progress.total() > 0);
    jobs::Progress canceled;
    canceled.cancel();
    QVERIFY_THROWS_EXCEPTION(jobs::Canceled, findNearPairs(set.hashes, 8, {}, &canceled));
    QVERIFY_THROWS_EXCEPTION(jobs::Canceled, findNearPairsBruteForce(set.hashes, 8, {}, &canceled));
}

QTEST_GUILESS_MAIN(TestHammingPairs)
#include "tst_hammingpairs.moc"
