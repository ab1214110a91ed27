// Duplicate clusters: exact copies (pixels, bytes) and near ones joined, leaks across splits and
// label conflicts marked, representatives taken from the earliest split.

#include "analysis/duplicates.h"

#include <QTest>

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

QTEST_GUILESS_MAIN(TestDuplicates)
#include "tst_duplicates.moc"
