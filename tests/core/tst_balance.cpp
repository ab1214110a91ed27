// Class balance on hand-made counts. Reference values computed once with SciPy 1.10.1
// (stats.entropy, stats.chi2_contingency(correction=False)) on the same counts.

#include "analysis/balance.h"
#include "closeto.h"
#include "testdata.h"

#include <QJsonArray>
#include <QTest>

#include <cmath>

using namespace assay;
using namespace assay::analysis;

namespace {

// classes cat, dog, bird, fish (never seen); splits train, val, test.
ClassCounts animals()
{
    ClassCounts counts;
    counts.classes = test::strings({"cat", "dog", "bird", "fish"});
    counts.splits = test::strings({"train", "val", "test"});
    counts.samples = {{50, 30, 20, 0}, {5, 5, 10, 0}, {10, 6, 4, 0}};
    return counts;
}

} // namespace

class TestBalance : public QObject
{
    Q_OBJECT
private slots:
    void totalsRatioEntropyAndEmptyClasses();
    void perSplitFigures();
    void shareDifferences();
    void splitTestMatchesReference();
    void singleSplitHasNoTest();
    void emptySecondSplitHasNoTest();
    void fewerThanTwoNonEmptyClasses();
    void raggedInputIsReshaped();
    void emptyInput();
    void jsonHasContractKeys();
    void jsonAnnotationsOnlyWhenPresent();
    void detectionCountsObjects();
};

void TestBalance::totalsRatioEntropyAndEmptyClasses()
{
    const BalanceReport report = computeBalance(animals());
    QCOMPARE(report.classTotals, (std::vector<std::int64_t>{65, 41, 34, 0}));
    QCOMPARE(report.splitTotals, (std::vector<std::int64_t>{100, 20, 20}));
    QCOMPARE(report.total, std::int64_t(140));
    VERIFY_CLOSE(report.imbalanceRatio, 65.0 / 34.0);
    QCOMPARE(report.emptyClasses, QStringList{QStringLiteral("fish")});
    VERIFY_CLOSE(report.normalizedEntropy, 0.7643298061914029);
}

void TestBalance::perSplitFigures()
{
    const BalanceReport report = computeBalance(animals());
    QCOMPARE(report.perSplit.size(), size_t(3));
    VERIFY_CLOSE(report.perSplit[0].imbalanceRatio, 2.5);
    VERIFY_CLOSE(report.perSplit[1].imbalanceRatio, 2.0);
    VERIFY_CLOSE(report.perSplit[2].imbalanceRatio, 2.5);
    VERIFY_CLOSE(report.perSplit[0].normalizedEntropy, 0.7427376486136671);
    VERIFY_CLOSE(report.perSplit[1].normalizedEntropy, 0.75);
    VERIFY_CLOSE(report.perSplit[2].normalizedEntropy, 0.7427376486136671);
}

void TestBalance::shareDifferences()
{
    const BalanceReport report = computeBalance(animals());
    QCOMPARE(report.shareDifference.size(), size_t(3));
    VERIFY_CLOSE(report.shareDifference[2][0], 0.0357142857142857);    // test, cat
    VERIFY_CLOSE(report.shareDifference[1][2], 0.2571428571428571);    // val, bird
    VERIFY_CLOSE(report.shareDifference[0][1], 0.0071428571428571175); // train, dog
    QCOMPARE(report.shareDifference[0][3], 0.0);                       // fish: never seen
    for (const auto &row : report.shareDifference) {
        double sum = 0;
        for (double d : row)
            sum += d;
        QVERIFY(std::abs(sum) < 1e-12); // shares of a split and overall both sum to 1
    }
}

void TestBalance::splitTestMatchesReference()
{
    const BalanceReport report = computeBalance(animals());
    QCOMPARE(report.splitTest.df, 4); // fish is ignored: (3 - 1)(3 - 1)
    VERIFY_CLOSE(report.splitTest.x2, 8.80697494757753);
    VERIFY_CLOSE(report.splitTest.p, 0.06610949475229239);
    VERIFY_CLOSE(report.splitTest.cramersV, 0.17735129533114224);
    VERIFY_CLOSE(report.splitTest.g, 7.978553891425804);
}

void TestBalance::singleSplitHasNoTest()
{
    ClassCounts counts;
    counts.classes = test::strings({"a", "b", "c"});
    counts.splits = test::strings({"train"});
    counts.samples = {{10, 20, 40}};
    const BalanceReport report = computeBalance(counts);
    QCOMPARE(report.splitTest.df, 0);
    QCOMPARE(report.splitTest.p, 1.0);
    QCOMPARE(report.splitTest.x2, 0.0);
    VERIFY_CLOSE(report.imbalanceRatio, 4.0);
    VERIFY_CLOSE(report.perSplit[0].imbalanceRatio, 4.0);
    QCOMPARE(report.shareDifference[0], (std::vector<double>{0.0, 0.0, 0.0}));
    QVERIFY(report.emptyClasses.isEmpty());
}

void TestBalance::emptySecondSplitHasNoTest()
{
    ClassCounts counts;
    counts.classes = test::strings({"a", "b"});
    counts.splits = test::strings({"train", "test"});
    counts.samples = {{10, 20}, {0, 0}};
    const BalanceReport report = computeBalance(counts);
    QCOMPARE(report.splitTest.df, 0);
    QCOMPARE(report.splitTest.p, 1.0);
    QCOMPARE(report.shareDifference[1], (std::vector<double>{0.0, 0.0}));
    QCOMPARE(report.perSplit[1].imbalanceRatio, 1.0);
    QCOMPARE(report.perSplit[1].normalizedEntropy, 0.0);
}

void TestBalance::fewerThanTwoNonEmptyClasses()
{
    ClassCounts counts;
    counts.classes = test::strings({"a", "b", "c"});
    counts.splits = test::strings({"train", "test"});
    counts.samples = {{0, 12, 0}, {0, 3, 0}};
    const BalanceReport report = computeBalance(counts);
    QCOMPARE(report.imbalanceRatio, 1.0);
    QCOMPARE(report.normalizedEntropy, 0.0);
    QCOMPARE(report.emptyClasses, test::strings({"a", "c"}));
    QCOMPARE(report.splitTest.df, 0); // one non-empty class: nothing to test
    QCOMPARE(report.splitTest.p, 1.0);
}

void TestBalance::raggedInputIsReshaped()
{
    ClassCounts counts;
    counts.classes = test::strings({"a", "b"});
    counts.splits = test::strings({"train", "val", "test"});
    counts.samples = {{4, 6, 99}, {3}}; // extra entry dropped, missing ones are 0
    const BalanceReport report = computeBalance(counts);
    QCOMPARE(report.samples.size(), size_t(3));
    QCOMPARE(report.samples[0], (std::vector<std::int64_t>{4, 6}));
    QCOMPARE(report.samples[1], (std::vector<std::int64_t>{3, 0}));
    QCOMPARE(report.samples[2], (std::vector<std::int64_t>{0, 0}));
    QCOMPARE(report.classTotals, (std::vector<std::int64_t>{7, 6}));
    QVERIFY(report.annotations.empty());
}

void TestBalance::emptyInput()
{
    const BalanceReport report = computeBalance(ClassCounts{});
    QCOMPARE(report.total, std::int64_t(0));
    QCOMPARE(report.imbalanceRatio, 1.0);
    QCOMPARE(report.splitTest.df, 0);
    const QJsonObject json = balanceJson(report);
    QVERIFY(json.value(QStringLiteral("splits")).toObject().isEmpty());
}

void TestBalance::jsonHasContractKeys()
{
    const QJsonObject json = balanceJson(computeBalance(animals()));
    for (const char *key : {"splits", "imbalance_ratio", "entropy", "empty_classes", "split_test",
                            "per_split", "share_difference"})
        QVERIFY2(json.contains(QString::fromUtf8(key)), key);
    const QJsonObject splits = json.value(QStringLiteral("splits")).toObject();
    QCOMPARE(splits.keys(), test::strings({"test", "train", "val"}));
    const QJsonObject train = splits.value(QStringLiteral("train")).toObject();
    QCOMPARE(train.value(QStringLiteral("cat")).toInteger(), 50);
    QCOMPARE(train.value(QStringLiteral("fish")).toInteger(), 0);
    VERIFY_CLOSE(json.value(QStringLiteral("imbalance_ratio")).toDouble(), 65.0 / 34.0);
    VERIFY_CLOSE(json.value(QStringLiteral("entropy")).toDouble(), 0.7643298061914029);
    QCOMPARE(json.value(QStringLiteral("empty_classes")).toArray(),
             QJsonArray{QStringLiteral("fish")});
    const QJsonObject splitTest = json.value(QStringLiteral("split_test")).toObject();
    QCOMPARE(splitTest.value(QStringLiteral("df")).toInt(), 4);
    VERIFY_CLOSE(splitTest.value(QStringLiteral("chi2")).toDouble(), 8.80697494757753);
    VERIFY_CLOSE(splitTest.value(QStringLiteral("p")).toDouble(), 0.06610949475229239);
    VERIFY_CLOSE(splitTest.value(QStringLiteral("cramers_v")).toDouble(), 0.17735129533114224);
    const QJsonObject val =
        json.value(QStringLiteral("per_split")).toObject().value(QStringLiteral("val")).toObject();
    VERIFY_CLOSE(val.value(QStringLiteral("imbalance_ratio")).toDouble(), 2.0);
    VERIFY_CLOSE(val.value(QStringLiteral("entropy")).toDouble(), 0.75);
    const QJsonObject testShares = json.value(QStringLiteral("share_difference"))
                                       .toObject()
                                       .value(QStringLiteral("test"))
                                       .toObject();
    VERIFY_CLOSE(testShares.value(QStringLiteral("cat")).toDouble(), 0.0357142857142857);
    QVERIFY(!json.contains(QStringLiteral("annotations")));
}

void TestBalance::jsonAnnotationsOnlyWhenPresent()
{
    ClassCounts counts = animals();
    counts.annotations = {{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}};
    QVERIFY(!balanceJson(computeBalance(counts)).contains(QStringLiteral("annotations")));
    counts.annotations = {{120, 31, 20, 0}, {5, 5, 11, 0}, {10, 9, 4, 0}};
    const QJsonObject json = balanceJson(computeBalance(counts));
    const QJsonObject annotations = json.value(QStringLiteral("annotations")).toObject();
    QCOMPARE(annotations.keys(), test::strings({"test", "train", "val"}));
    QCOMPARE(annotations.value(QStringLiteral("train"))
                 .toObject()
                 .value(QStringLiteral("cat"))
                 .toInteger(),
             120);
    // The analysis itself is on samples; annotations are carried along.
    VERIFY_CLOSE(json.value(QStringLiteral("imbalance_ratio")).toDouble(), 65.0 / 34.0);
}

void TestBalance::detectionCountsObjects()
{
    analysis::ClassCounts counts;
    counts.classes = {QStringLiteral("a"), QStringLiteral("b")};
    counts.splits = {QStringLiteral("train")};
    counts.samples = {{0, 0}};
    counts.annotations = {{30, 10}};
    const analysis::BalanceReport report = analysis::computeBalance(counts);
    QVERIFY(report.ofObjects);
    QCOMPARE(report.total, 40);
    QCOMPARE(report.imbalanceRatio, 3.0);
    QVERIFY(report.emptyClasses.isEmpty());
    const QJsonObject json = analysis::balanceJson(report);
    QCOMPARE(json[QStringLiteral("counted")].toString(), QStringLiteral("objects"));
    QCOMPARE(json[QStringLiteral("samples")].toInt(), 0);
}

QTEST_GUILESS_MAIN(TestBalance)
#include "tst_balance.moc"
