// The clusters joined from stored near pairs: by hand (representative, order, distances, repeated
// hashes), and at several thresholds on random and clustered hashes (closed under the links,
// connected, exact distances, the best-connected representative); inputs by value.

#include "analysis/hammingpairs.h"
#include "analysis/nearclusters.h"
#include "hashsets.h"
#include "util/error.h"

#include <QTest>

#include <limits>
#include <set>

using namespace assay;
using namespace assay::analysis;
using namespace assay::testhashes;

class TestNearClusters : public QObject
{
    Q_OBJECT
private slots:
    void clustersByHand();
    void identicalHashes();
    void clustersAtThresholds_data();
    void clustersAtThresholds();
    void clusterArgumentsAndInputs();
};

void TestNearClusters::identicalHashes()
{
    for (std::size_t n : {2, 1000, 100000}) {
        const std::vector<std::uint64_t> same(n, 0xfeedfacecafebeefull);
        const NearClusters clusters = clusterNearPairs(findNearPairs(same, 8), 8);
        QCOMPARE(clusters.size(), std::size_t(1));
        QCOMPARE(clusters.inputCounts[0], std::uint32_t(n));
        QCOMPARE(clusters.representative(0), std::uint32_t(0));
    }
}

void TestNearClusters::clustersByHand()
{
    // a - b at 2, b - c at 2 (a - c at 4), d alone far away, e twice.
    const std::uint64_t a = 0, b = 0b11, c = 0b1111, d = ~std::uint64_t(0), e = 0xff00ff00;
    const std::vector<std::uint64_t> hashes{c, a, d, b, e, e};
    const NearPairs near = findNearPairs(hashes, 4);
    QCOMPARE(near.values, (std::vector<std::uint64_t>{a, b, c, e, d}));
    QCOMPARE(near.pairs, (std::vector<HashPair>{{0, 1, 2}, {0, 2, 4}, {1, 2, 2}}));

    const NearClusters at2 = clusterNearPairs(near, 2);
    QCOMPARE(at2.size(), std::size_t(2));
    // {a, b, c} stands for three inputs, {e} for two: larger first. b has two links.
    QCOMPARE(at2.inputCounts, (std::vector<std::uint32_t>{3, 2}));
    QCOMPARE(at2.representative(0), std::uint32_t(1));
    QCOMPARE(std::vector(at2.membersOf(0).begin(), at2.membersOf(0).end()),
             (std::vector<std::uint32_t>{1, 0, 2}));
    QCOMPARE(std::vector(at2.distancesOf(0).begin(), at2.distancesOf(0).end()),
             (std::vector<std::uint8_t>{0, 2, 2}));
    QCOMPARE(std::vector(at2.membersOf(1).begin(), at2.membersOf(1).end()),
             (std::vector<std::uint32_t>{3}));
    QCOMPARE(at2.clusterOfValue, (std::vector<std::uint32_t>{0, 0, 0, 1, NearClusters::noCluster}));

    // At 4 all three are linked to each other; b's links are the shortest.
    const NearClusters at4 = clusterNearPairs(near, 4);
    QCOMPARE(at4.representative(0), std::uint32_t(1));
    QCOMPARE(std::vector(at4.distancesOf(0).begin(), at4.distancesOf(0).end()),
             (std::vector<std::uint8_t>{0, 2, 2}));

    // At 1 only the repeated hash is a cluster; at 0 too.
    for (int t : {0, 1}) {
        const NearClusters low = clusterNearPairs(near, t);
        QCOMPARE(low.size(), std::size_t(1));
        QCOMPARE(low.representative(0), std::uint32_t(3));
        QCOMPARE(low.inputCounts[0], std::uint32_t(2));
    }

    // A tie on links and distance sums goes to the lower index.
    const std::vector<std::uint64_t> tied{0b1110000, 0b0000111};
    const NearClusters pair = clusterNearPairs(findNearPairs(tied, 6), 6);
    QCOMPARE(pair.size(), std::size_t(1));
    QCOMPARE(pair.representative(0), std::uint32_t(0));
    QCOMPARE(std::vector(pair.distancesOf(0).begin(), pair.distancesOf(0).end()),
             (std::vector<std::uint8_t>{0, 6}));
}

void TestNearClusters::clustersAtThresholds_data()
{
    QTest::addColumn<bool>("clustered");
    QTest::addRow("random with planted pairs") << false;
    QTest::addRow("clustered") << true;
}

void TestNearClusters::clustersAtThresholds()
{
    QFETCH(bool, clustered);
    TestSet set = makeSet(4000, 10, clustered, 600, 17);
    for (std::size_t i = 0; i < 200; ++i) // some repeated hashes
        set.hashes.push_back(set.hashes[i * 7]);
    const NearPairs near = findNearPairs(set.hashes, 10);
    std::vector<std::uint32_t> inputs(near.values.size(), 0);
    for (std::uint32_t v : near.valueOf)
        ++inputs[v];
    for (int t : {0, 1, 2, 4, 6, 8, 10}) {
        const NearClusters clusters = clusterNearPairs(near, t);
        QCOMPARE(clusters.threshold, t);
        QCOMPARE(clusters.clusterOfValue.size(), near.values.size());
        // Every link within t joins one cluster (transitively: clusters are closed).
        std::vector<std::vector<std::uint32_t>> links(near.values.size());
        std::vector<std::uint32_t> linkCount(near.values.size(), 0);
        for (const HashPair &pair : near.pairs) {
            if (pair.distance > t)
                continue;
            QVERIFY(clusters.clusterOfValue[pair.a] != NearClusters::noCluster);
            QCOMPARE(clusters.clusterOfValue[pair.a], clusters.clusterOfValue[pair.b]);
            links[pair.a].push_back(pair.b);
            links[pair.b].push_back(pair.a);
            ++linkCount[pair.a];
            ++linkCount[pair.b];
        }
        std::size_t covered = 0;
        std::uint32_t previousInputs = std::numeric_limits<std::uint32_t>::max();
        for (std::size_t c = 0; c < clusters.size(); ++c) {
            const auto members = clusters.membersOf(c);
            const auto distances = clusters.distancesOf(c);
            covered += members.size();
            const std::uint32_t representative = clusters.representative(c);
            std::uint32_t clusterInputs = 0;
            for (std::size_t i = 0; i < members.size(); ++i) {
                QCOMPARE(clusters.clusterOfValue[members[i]], std::uint32_t(c));
                QCOMPARE(int(distances[i]),
                         hammingDistance(near.values[members[i]], near.values[representative]));
                if (i > 0)
                    QVERIFY(distances[i] > distances[i - 1] ||
                            (distances[i] == distances[i - 1] && members[i] > members[i - 1]));
                QVERIFY(linkCount[members[i]] <= linkCount[representative]);
                clusterInputs += inputs[members[i]];
            }
            QCOMPARE(clusters.inputCounts[c], clusterInputs);
            QVERIFY(clusterInputs >= 2);
            QVERIFY(clusterInputs <= previousInputs);
            previousInputs = clusterInputs;
            // Connected: everything reachable from the representative through links within t.
            std::set<std::uint32_t> reached{representative};
            std::vector<std::uint32_t> frontier{representative};
            while (!frontier.empty()) {
                const std::uint32_t v = frontier.back();
                frontier.pop_back();
                for (std::uint32_t w : links[v])
                    if (reached.insert(w).second)
                        frontier.push_back(w);
            }
            QCOMPARE(reached.size(), members.size());
        }
        // Values outside clusters: linked to nothing and standing for one input.
        std::size_t outside = 0;
        for (std::uint32_t v = 0; v < near.values.size(); ++v) {
            if (clusters.clusterOfValue[v] != NearClusters::noCluster)
                continue;
            ++outside;
            QCOMPARE(linkCount[v], std::uint32_t(0));
            QCOMPARE(inputs[v], std::uint32_t(1));
        }
        QCOMPARE(covered + outside, near.values.size());
    }
}

void TestNearClusters::clusterArgumentsAndInputs()
{
    const std::vector<std::uint64_t> hashes{5, 7, 5, 1000000, 7, 5};
    const NearPairs near = findNearPairs(hashes, 3);
    QVERIFY_THROWS_EXCEPTION(Error, clusterNearPairs(near, 4));
    QVERIFY_THROWS_EXCEPTION(Error, clusterNearPairs(near, -1));
    const ValueInputs inputs = inputsByValue(near);
    QCOMPARE(near.values, (std::vector<std::uint64_t>{5, 7, 1000000}));
    QCOMPARE(std::vector(inputs.of(0).begin(), inputs.of(0).end()),
             (std::vector<std::uint32_t>{0, 2, 5}));
    QCOMPARE(std::vector(inputs.of(1).begin(), inputs.of(1).end()),
             (std::vector<std::uint32_t>{1, 4}));
    QCOMPARE(std::vector(inputs.of(2).begin(), inputs.of(2).end()),
             (std::vector<std::uint32_t>{3}));
}

QTEST_GUILESS_MAIN(TestNearClusters)
#include "tst_nearclusters.moc"
