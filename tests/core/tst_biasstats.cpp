// T0 of ../shared/spec/bias-slices.md: the statistics of bias slices on hand-made tables against
// reference values. The constants were computed once with Debian 12's SciPy 1.10.1
// (stats.chi2_contingency(correction=False) and with lambda_="log-likelihood" for G,
// stats.contingency.association(method="cramer"), stats.chi2.sf) and statsmodels 0.13.5
// (multipletests(method="fdr_bh"), proportion_confint(method="wilson"),
// proportions_ztest(alternative="larger")); mutual information as Σ p log2(p / (p_r p_c)) and
// adjusted residuals as (O - E) / sqrt(E (1 - R/N) (1 - C/N)) with NumPy.

#include "analysis/biasattributes.h"
#include "analysis/biasstats.h"
#include "analysis/stats.h"
#include "closeto.h"

#include <QTest>

#include <cmath>

using namespace assay;
using namespace assay::analysis::bias;

class TestBiasStats : public QObject
{
    Q_OBJECT
private slots:
    void sliceAgainstReference();
    void guardMergesSmallestClasses();
    void attributeTable();
    void benjaminiHochbergAndTails();
    void wilsonAndTwoProportions();
    void guardRuleEdges();
    void shortestDecimals_data();
    void shortestDecimals();
    void quantileBinsTiesGoLower();
    void categoricalTopValues();
};

void TestBiasStats::sliceAgainstReference()
{
    // Slice [40, 25, 20, 15] of classes [200, 300, 250, 250] (N = 1000).
    const SliceStatistics s = sliceStatistics({40, 25, 20, 15}, {200, 300, 250, 250});
    QVERIFY(s.test.testable);
    QCOMPARE(s.test.columns.merged, 0);
    VERIFY_CLOSE(s.test.x2, 28.703703703703702);
    QCOMPARE(s.test.df, 3);
    VERIFY_CLOSE(s.test.p, 2.5845665408193226e-06);
    VERIFY_CLOSE(s.test.g, 25.034940399329056);
    VERIFY_CLOSE(s.test.v, 0.16942167424418786);
    VERIFY_CLOSE(s.test.miBits, 0.018058892181531214);
    QCOMPARE(s.driverClass, 0);
    VERIFY_CLOSE(s.driverResidual, 5.270462766947299);
    VERIFY_CLOSE(s.ratio, 2.0);
    VERIFY_CLOSE(s.ratioLo, 1.5470064321622947);
    VERIFY_CLOSE(s.ratioHi, 2.489987066044691);
    // The other residuals, through the public helper.
    VERIFY_CLOSE(adjustedResidual(25, 100, 300, 1000), -1.1501092655705905);
    VERIFY_CLOSE(adjustedResidual(20, 100, 250, 1000), -1.2171612389003692);
    VERIFY_CLOSE(adjustedResidual(15, 100, 250, 1000), -2.4343224778007384);
}

void TestBiasStats::guardMergesSmallestClasses()
{
    // Slice [30, 10, 3, 1, 1] of [400, 400, 100, 8, 6]: merging the two smallest classes does
    // not satisfy Cochran's rule, merging three (100, 8, 6) does (checked with NumPy). The
    // engine's stricter rule (no cell below 5) comes to the same three here.
    const SliceStatistics s =
        sliceStatistics({30, 10, 3, 1, 1}, {400, 400, 100, 8, 6}, cochranShareBelow5);
    const SliceStatistics strict = sliceStatistics({30, 10, 3, 1, 1}, {400, 400, 100, 8, 6});
    QCOMPARE(strict.test.columns.merged, 3);
    VERIFY_CLOSE(strict.test.x2, 10.76181759859308);
    QVERIFY(s.test.testable);
    QCOMPARE(s.test.columns.merged, 3);
    QCOMPARE(s.test.columns.columns, 3);
    QCOMPARE(s.test.columns.columnOf, (std::vector<int>{0, 1, 2, 2, 2}));
    QCOMPARE(s.test.columns.otherColumn, 2);
    VERIFY_CLOSE(s.test.x2, 10.76181759859308);
    QCOMPARE(s.test.df, 2);
    VERIFY_CLOSE(s.test.p, 0.004603636246925192);
    VERIFY_CLOSE(s.test.v, 0.10850998803765098);

    // Two classes, one tiny: nothing can be merged into a second column: untestable.
    const SliceStatistics untestable = sliceStatistics({30, 0}, {970, 2});
    QVERIFY(!untestable.test.testable);
}

void TestBiasStats::attributeTable()
{
    const TableTest t = testTable({50, 30, 20, 20, 40, 40, 30, 30, 40}, 3, 3);
    QVERIFY(t.testable);
    VERIFY_CLOSE(t.x2, 24.0);
    QCOMPARE(t.df, 4);
    VERIFY_CLOSE(t.p, 7.987476059326673e-05);
    VERIFY_CLOSE(t.v, 0.2);
    VERIFY_CLOSE(t.miBits, 0.05884450519803418);
    // A row or class without counts is left out, not tested as zeros.
    const TableTest padded =
        testTable({50, 30, 0, 20, 0, 0, 0, 0, 20, 40, 0, 40, 30, 30, 0, 40}, 4, 4);
    QVERIFY(padded.testable);
    VERIFY_CLOSE(padded.x2, 24.0);
    QCOMPARE(padded.df, 4);
}

void TestBiasStats::benjaminiHochbergAndTails()
{
    const std::vector<double> q =
        stats::benjaminiHochberg({0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.001, 0.04});
    const std::vector<double> expected = {0.02666666666666667, 0.05333333333333334,
                                          0.05333333333333334, 0.02,
                                          0.2285714285714286,  0.5,
                                          0.008,               0.05333333333333334};
    for (size_t i = 0; i < q.size(); ++i)
        VERIFY_CLOSE(q[i], expected[i]);
    VERIFY_CLOSE(stats::chiSquareSf(105, 4), 8.470196430954039e-22);
    VERIFY_CLOSE(stats::chiSquareSf(1000, 10), 1.870290720915977e-208);
}

void TestBiasStats::wilsonAndTwoProportions()
{
    const stats::Interval a = stats::wilsonInterval(7, 50);
    VERIFY_CLOSE(a.lo, 0.06950833427016288);
    VERIFY_CLOSE(a.hi, 0.26186193710585537);
    const stats::Interval b = stats::wilsonInterval(0, 30);
    QCOMPARE(b.lo, 0.0);
    VERIFY_CLOSE(b.hi, 0.1135133931739688);
    const ProportionTest test = oneSidedTwoProportion(30, 100, 100, 900);
    VERIFY_CLOSE(test.z, 5.328394412248089);
    VERIFY_CLOSE(test.p, 4.954238614906544e-08);
    // The one-sided Fisher test the engine uses for error slices: scipy.stats.hypergeom.sf and
    // fisher_exact(alternative="greater").
    VERIFY_CLOSE(hypergeometricUpperTail(30, 1000, 130, 100), 1.589247330967189e-06);
    VERIFY_CLOSE(hypergeometricUpperTail(10, 1000, 130, 100), 0.8655665123472552);
    VERIFY_CLOSE(hypergeometricUpperTail(700, 1000000, 100000, 5000), 1.648329104970819e-19);
    QCOMPARE(hypergeometricUpperTail(0, 1000, 130, 100), 1.0);
    QCOMPARE(hypergeometricUpperTail(101, 1000, 130, 100), 0.0);
    // Nothing to compare: no errors at all.
    QCOMPARE(oneSidedTwoProportion(0, 50, 0, 50).p, 1.0);
    // SliceLine's score by hand: 0.5 (0.3 / 0.13 - 1) - 0.5 (1000 / 100 - 1).
    VERIFY_CLOSE(sliceLineScore(30, 100, 130, 1000), 0.5 * (0.3 / 0.13 - 1.0) - 0.5 * 9.0);
}

void TestBiasStats::guardRuleEdges()
{
    // Cochran: exactly 20% of the cells below 5 is allowed: 10 cells, 2 below 5 (E = 4 in the
    // slice row).
    const GuardedColumns ok =
        guardColumns({100, 900}, {40, 40, 306, 307, 307}, cochranShareBelow5);
    QCOMPARE(ok.merged, 0);
    QCOMPARE(ok.columns, 5);
    // Three cells below 5 of 10 is not: the two smallest classes merge (E = 8 together).
    const GuardedColumns merged =
        guardColumns({100, 900}, {40, 40, 40, 440, 440}, cochranShareBelow5);
    QCOMPARE(merged.merged, 2);
    QCOMPARE(merged.columns, 4);
    // The engine's rule: no cell below 5, so the first table merges too.
    const GuardedColumns strict = guardColumns({100, 900}, {40, 40, 306, 307, 307});
    QCOMPARE(strict.merged, 2);
    QCOMPARE(strict.columns, 4);
    QCOMPARE(strict.columnOf, (std::vector<int>{0, 0, 1, 2, 3}));
}

void TestBiasStats::shortestDecimals_data()
{
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    QTest::addColumn<double>("expected");
    QTest::newRow("integers") << 40.87 << 41.13 << 41.0;
    QTest::newRow("tens") << 32.0 << 64.0 << 40.0;
    QTest::newRow("close") << 12345.0 << 12350.0 << 12350.0;
    QTest::newRow("fraction") << 0.3312 << 0.3391 << 0.332;
    QTest::newRow("negative") << -5.0 << 3.0 << 0.0;
    QTest::newRow("adjacent") << 1.0 << 1.0000000000000002 << 1.0000000000000002;
}

void TestBiasStats::shortestDecimals()
{
    QFETCH(double, a);
    QFETCH(double, b);
    QFETCH(double, expected);
    const double x = shortestDecimalAbove(a, b);
    QVERIFY(x > a && x <= b);
    QCOMPARE(x, expected);
}

void TestBiasStats::quantileBinsTiesGoLower()
{
    RawAttribute raw;
    raw.name = QStringLiteral("brightness");
    raw.kind = RawAttribute::Kind::Numeric;
    // 10 values, B = 5: the quantile ranks are the 2nd, 4th, 6th, 8th values. Many ties at 3.
    raw.numbers = {1, 2, 3, 3, 3, 3, 3, 8, 9, 10, std::nan("")};
    const BinnedAttribute binned = binAttribute(raw, 5, 20);
    QCOMPARE(binned.binning, QStringLiteral("quantile"));
    // Edges above 2 (next 3), above 3 (next 8), above 8 (next 9): 3, 4 (shortest in (3, 8]), 9.
    QCOMPARE(binned.edges, (std::vector<double>{3, 4, 9}));
    QCOMPARE(binned.values, (QStringList{QStringLiteral("[1, 3)"), QStringLiteral("[3, 4)"),
                                         QStringLiteral("[4, 9)"), QStringLiteral("[9, 10]"),
                                         missingValue}));
    QCOMPARE(binned.codes, (std::vector<std::uint16_t>{0, 0, 1, 1, 1, 1, 1, 2, 3, 3, 4}));
    QCOMPARE(predicateText(binned, 0), QStringLiteral("brightness∈[1, 3)"));

    // Few distinct values are categories.
    RawAttribute widths;
    widths.name = QStringLiteral("width");
    widths.kind = RawAttribute::Kind::Numeric;
    widths.numbers = {64, 32, 32, 640};
    const BinnedAttribute w = binAttribute(widths, 5, 20);
    QCOMPARE(w.binning, QStringLiteral("categorical"));
    QCOMPARE(w.values, (QStringList{QStringLiteral("32"), QStringLiteral("64"),
                                    QStringLiteral("640")}));
    QCOMPARE(predicateText(w, 1), QStringLiteral("width=64"));
}

void TestBiasStats::categoricalTopValues()
{
    RawAttribute raw;
    raw.name = QStringLiteral("source");
    raw.values = {QStringLiteral("b"), QStringLiteral("a"), QStringLiteral("c"),
                  QStringLiteral("unused")};
    raw.codes = {0, 1, 2, 2, 2, 1, -1};
    const BinnedAttribute top2 = binAttribute(raw, 5, 2);
    // c (3), then a and b tie at... a (2) and b (1): a; the rest is (other).
    QCOMPARE(top2.values, (QStringList{QStringLiteral("c"), QStringLiteral("a"), otherValue,
                                       missingValue}));
    QCOMPARE(top2.codes, (std::vector<std::uint16_t>{2, 1, 0, 0, 0, 1, 3}));
}

QTEST_GUILESS_MAIN(TestBiasStats)
#include "tst_biasstats.moc"
