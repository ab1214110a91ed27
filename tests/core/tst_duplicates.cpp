// Duplicate clusters: exact copies (pixels, bytes) and near ones joined, leaks across splits and
// label conflicts marked, representatives taken from the earliest split; chains of edges never
// merge unrelated images; the confirmed edges from the pHash index and the signatures.

#include "analysis/duplicateedges.h"
#include "analysis/duplicates.h"

#include <QTest>

#include <random>
#include <set>

using namespace assay;
using namespace assay::analysis;

namespace {

DuplicateInput sample(std::int64_t id, int split, int label, std::uint64_t pixels,
                      std::uint64_t phash, std::string bytes = {})
{
    DuplicateInput s;
    s.sampleId = id;
    s.split = split;
    s.label = label;
    s.pixelHash = pixels;
    s.phash = phash;
    s.ahash = phash;
    s.contentHash = std::move(bytes);
    return s;
}

} // namespace

class TestDuplicates : public QObject
{
    Q_OBJECT
private slots:
    void exactAndNearJoin();
    void thresholdCutsNearEdges();
    void leaksAndConflicts();
    void detectionConflictsCompareObjects();
    void chainsDoNotMerge();
    void everyMemberLinksToTheRepresentative();
    void edgesConfirmedBySignatures();
    void identicalHashesOfDifferentImagesStayApart();
    void smallImagesSearchedCloser();
    void denseSearchIsLowered();
};

void TestDuplicates::exactAndNearJoin()
{
    DuplicateInputs inputs;
    inputs.splits = {QStringLiteral("train"), QStringLiteral("test")};
    inputs.classes = {QStringLiteral("cat"), QStringLiteral("dog")};
    inputs.samples = {sample(1, 0, 0, 11, 0x0F, "A"), sample(2, 0, 0, 11, 0x0F, "A"),
                      sample(3, 0, 0, 12, 0x1F, "B"), sample(4, 0, 1, 99, 0xFF00, "C"),
                      sample(5, 0, 1, 13, 0x0F, "D")};
    // 3 is 1 bit from 1; 5 has 1's pHash but other pixels.
    const DuplicateFindings findings = clusterDuplicates(inputs, {{0, 2, 1}, {0, 4, 0}}, {});
    QCOMPARE(findings.clusters.size(), size_t(1));
    const DuplicateCluster &cluster = findings.clusters[0];
    QCOMPARE(cluster.members.size(), size_t(4));
    QCOMPARE(cluster.kind, DuplicateKind::Near);
    QCOMPARE(cluster.maxDistance, 1);
    QVERIFY(!cluster.sameBytes);
    QCOMPARE(findings.duplicateSamples, 4);

    // Only 1 and 2: exact, same bytes.
    const DuplicateFindings exact = clusterDuplicates(inputs, {}, {});
    QCOMPARE(exact.clusters.size(), size_t(1));
    QCOMPARE(exact.clusters[0].kind, DuplicateKind::Exact);
    QVERIFY(exact.clusters[0].sameBytes);
    QCOMPARE(exact.clusters[0].distances, (std::vector<int>{0, 0}));
}

void TestDuplicates::thresholdCutsNearEdges()
{
    DuplicateInputs inputs;
    inputs.samples = {sample(1, -1, -1, 1, 0), sample(2, -1, -1, 2, 0x7F), sample(3, -1, -1, 3, 0x3)};
    const std::vector<SampleEdge> edges = {{0, 1, 7}, {0, 2, 2}};
    DuplicateOptions options;
    options.threshold = 2;
    QCOMPARE(clusterDuplicates(inputs, edges, options).clusters[0].members.size(), size_t(2));
    options.threshold = 8;
    QCOMPARE(clusterDuplicates(inputs, edges, options).clusters[0].members.size(), size_t(3));
    options.threshold = 1;
    QVERIFY(clusterDuplicates(inputs, edges, options).clusters.empty());
}

void TestDuplicates::leaksAndConflicts()
{
    DuplicateInputs inputs;
    inputs.splits = {QStringLiteral("train"), QStringLiteral("val"), QStringLiteral("test")};
    inputs.classes = {QStringLiteral("cat"), QStringLiteral("dog")};
    // A: test copy of a train image, same label. B: val/train pair that disagree on the label.
    inputs.samples = {sample(1, 2, 0, 5, 1), sample(2, 0, 0, 5, 1), sample(3, 1, 1, 6, 2),
                      sample(4, 0, 0, 6, 2), sample(5, 0, 0, 7, 3), sample(6, 0, -1, 7, 3)};
    const DuplicateFindings findings = clusterDuplicates(inputs, {}, {});
    QCOMPARE(findings.clusters.size(), size_t(3));
    int leaking = 0, conflicting = 0;
    for (const DuplicateCluster &cluster : findings.clusters) {
        leaking += cluster.leaks;
        conflicting += cluster.conflict;
        // The representative is the training copy.
        QCOMPARE(inputs.samples[cluster.members.front()].split, 0);
    }
    QCOMPARE(leaking, 2);
    QCOMPARE(conflicting, 1); // an unlabeled copy is not a conflict
    QCOMPARE(findings.leaks.size(), size_t(2));
    QCOMPARE(findings.leaks[0].splitA, 0);
    QCOMPARE(findings.leaks[0].splitB, 1);
    QCOMPARE(findings.leaks[0].samples, (std::vector<size_t>{2}));
    QCOMPARE(findings.leaks[1].splitB, 2);
    QCOMPARE(findings.leaks[1].samples, (std::vector<size_t>{0}));
}

void TestDuplicates::detectionConflictsCompareObjects()
{
    DuplicateInputs inputs;
    inputs.samples = {sample(1, 0, -1, 5, 1), sample(2, 0, -1, 5, 1), sample(3, 0, -1, 6, 2),
                      sample(4, 0, -1, 6, 2)};
    inputs.samples[0].objects = inputs.samples[1].objects = "0,0,1";
    inputs.samples[2].objects = "0";
    inputs.samples[3].objects = "1";
    const DuplicateFindings findings = clusterDuplicates(inputs, {}, {});
    QCOMPARE(findings.clusters.size(), size_t(2));
    for (const DuplicateCluster &cluster : findings.clusters)
        QCOMPARE(cluster.conflict, inputs.samples[cluster.members[0]].sampleId >= 3);
}

// The bug behind the calibration: union-find over near edges chained 10,000-24,000
// Fashion-MNIST images into one cluster. A chain a-b-c-d-... now gives clusters of at most three.
void TestDuplicates::chainsDoNotMerge()
{
    DuplicateInputs inputs;
    std::vector<SampleEdge> chain;
    for (int i = 0; i < 12; ++i) {
        inputs.samples.push_back(sample(i + 1, 0, 0, 100 + i, std::uint64_t(1) << i));
        if (i > 0)
            chain.push_back({size_t(i - 1), size_t(i), 2});
    }
    DuplicateOptions options;
    options.threshold = 4;
    const DuplicateFindings findings = clusterDuplicates(inputs, chain, options);
    QVERIFY(!findings.clusters.empty());
    for (const DuplicateCluster &cluster : findings.clusters) {
        QVERIFY(cluster.members.size() <= 3);
        QVERIFY(cluster.maxDistance <= options.threshold);
    }
}

void TestDuplicates::everyMemberLinksToTheRepresentative()
{
    std::mt19937 random(4);
    DuplicateInputs inputs;
    for (int i = 0; i < 300; ++i)
        inputs.samples.push_back(sample(i + 1, int(random() % 3), 0, 1000 + i, random()));
    std::vector<SampleEdge> edges;
    std::set<std::pair<size_t, size_t>> linked;
    for (int k = 0; k < 600; ++k) {
        const size_t a = random() % 300, b = random() % 300;
        if (a == b)
            continue;
        edges.push_back({a, b, 1 + int(random() % 8)});
        if (edges.back().distance <= 5)
            linked.insert({std::min(a, b), std::max(a, b)});
    }
    DuplicateOptions options;
    options.threshold = 5;
    const DuplicateFindings findings = clusterDuplicates(inputs, edges, options);
    std::set<size_t> seen;
    for (const DuplicateCluster &cluster : findings.clusters) {
        const size_t representative = cluster.members.front();
        for (const size_t m : cluster.members) {
            QVERIFY2(seen.insert(m).second, "a sample in two clusters");
            if (m != representative)
                QVERIFY(linked.count({std::min(m, representative), std::max(m, representative)}));
        }
    }
}

namespace {

std::array<std::uint8_t, signatureBytes> gradient(int seed)
{
    std::array<std::uint8_t, signatureBytes> p{};
    std::mt19937 random{std::uint32_t(seed)};
    const int dx = int(random() % 9) - 4, dy = int(random() % 9) - 4;
    for (int y = 0; y < signatureSide; ++y)
        for (int x = 0; x < signatureSide; ++x)
            p[size_t(y * signatureSide + x)] =
                std::uint8_t(std::clamp(128 + dx * (x - 8) * 3 + dy * (y - 8) * 3
                                            + int(random() % 60) - 30, 0, 255));
    return p;
}

SignatureLoader loaderOf(const std::vector<std::array<std::uint8_t, signatureBytes>> &pixels)
{
    return [pixels](const std::vector<bool> &needed) {
        SignatureSet set;
        set.slotOf.assign(pixels.size(), -1);
        for (size_t i = 0; i < pixels.size(); ++i) {
            if (!needed[i])
                continue;
            set.slotOf[i] = std::int32_t(set.prepared.size());
            set.prepared.push_back(prepareSignature(pixels[i].data()));
        }
        return set;
    };
}

} // namespace

void TestDuplicates::edgesConfirmedBySignatures()
{
    // 0 and 1: one photo, pHashes 3 bits apart; 2: another photo 3 bits from 0; 3: far away.
    DuplicateInputs inputs;
    inputs.samples = {sample(1, 0, 0, 1, 0x0), sample(2, 1, 0, 2, 0x7), sample(3, 0, 0, 3, 0x70),
                      sample(4, 0, 0, 4, ~std::uint64_t(0))};
    for (DuplicateInput &s : inputs.samples)
        s.width = s.height = 200;
    const auto pixels = std::vector{gradient(1), gradient(1), gradient(2), gradient(1)};
    EdgeSearchStats stats;
    const std::vector<SampleEdge> edges =
        findDuplicateEdges(inputs, {}, loaderOf(pixels), nullptr, &stats);
    QCOMPARE(edges, (std::vector<SampleEdge>{{0, 1, 3}}));
    QCOMPARE(stats.valuePairs, 3); // 0-1, 0-2, 1-2 within 16 bits; 3 is 64 bits away
    QCOMPARE(stats.compared, 3);
    QCOMPARE(stats.maxDistance, 16);
}

void TestDuplicates::identicalHashesOfDifferentImagesStayApart()
{
    // Fifty different images share one pHash; two of them are copies of the first.
    DuplicateInputs inputs;
    std::vector<std::array<std::uint8_t, signatureBytes>> pixels;
    for (int i = 0; i < 50; ++i) {
        inputs.samples.push_back(sample(i + 1, 0, 0, 100 + i, 0x1234));
        inputs.samples.back().width = inputs.samples.back().height = 28;
        pixels.push_back(gradient(i == 20 || i == 40 ? 0 : i));
    }
    const std::vector<SampleEdge> edges = findDuplicateEdges(inputs, {}, loaderOf(pixels));
    QCOMPARE(edges, (std::vector<SampleEdge>{{20, 0, 0}, {40, 0, 0}}));
    const DuplicateFindings findings = clusterDuplicates(inputs, edges, {});
    QCOMPARE(findings.clusters.size(), size_t(1));
    QCOMPARE(findings.clusters[0].members, (std::vector<size_t>{0, 20, 40}));
}

void TestDuplicates::smallImagesSearchedCloser()
{
    // The same two signatures 8 bits apart: found for photos, not for 28x28 images
    // (smallMaxDistance 6), whose pHashes crowd together.
    for (const int side : {28, 200}) {
        DuplicateInputs inputs;
        inputs.samples = {sample(1, 0, 0, 1, 0x0), sample(2, 0, 0, 2, 0xFF)};
        for (DuplicateInput &s : inputs.samples)
            s.width = s.height = side;
        const std::vector<SampleEdge> edges =
            findDuplicateEdges(inputs, {}, loaderOf({gradient(5), gradient(5)}));
        QCOMPARE(edges.size(), side > 64 ? size_t(1) : size_t(0));
    }
}

void TestDuplicates::denseSearchIsLowered()
{
    // Past the pair budget the photo search is redone 2 bits lower until it fits.
    DuplicateInputs inputs;
    std::vector<std::array<std::uint8_t, signatureBytes>> pixels;
    for (int i = 0; i < 40; ++i) {
        inputs.samples.push_back(sample(i + 1, 0, 0, 100 + i, (std::uint64_t(1) << (i % 20)) - 1));
        inputs.samples.back().width = inputs.samples.back().height = 200;
        pixels.push_back(gradient(i));
    }
    DuplicateOptions options;
    options.maxPairs = 30;
    EdgeSearchStats stats;
    findDuplicateEdges(inputs, options, loaderOf(pixels), nullptr, &stats);
    QVERIFY(stats.limited);
    QVERIFY(stats.maxDistance < 16);
    QVERIFY(stats.valuePairs <= 30);
}

QTEST_GUILESS_MAIN(TestDuplicates)
#include "tst_duplicates.moc"
