// The statistics toolkit against reference values. The constants were computed once with
// Debian 12's SciPy 1.10.1 (special.gammaincc, stats.chi2.sf, stats.norm.sf,
// stats.chi2_contingency(correction=False), stats.contingency.association(method='cramer'))
// and statsmodels 0.13.5 (multipletests(method='fdr_bh'), proportion_confint(method='wilson')).

#include "analysis/stats.h"
#include "closeto.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace assay;

using Table = std::vector<std::vector<double>>;
using Values = std::vector<double>;

class TestStats : public QObject
{
    Q_OBJECT
private slots:
    void gammaQ_data();
    void gammaQ();
    void gammaQEdgeCases();
    void chiSquareSf_data();
    void chiSquareSf();
    void normalSf_data();
    void normalSf();
    void wilson_data();
    void wilson();
    void wilsonDefaultsAndNoTrials();
    void benjaminiHochberg_data();
    void benjaminiHochberg();
    void chiSquareIndependence_data();
    void chiSquareIndependence();
    void chiSquareDegenerate_data();
    void chiSquareDegenerate();
    void normalizedEntropy_data();
    void normalizedEntropy();
};

void TestStats::gammaQ_data()
{
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("x");
    QTest::addColumn<double>("expected");
    QTest::newRow("a 0.5, tiny x") << 0.5 << 1e-10 << 0.9999887162083294;
    QTest::newRow("a 0.5, x 0.5") << 0.5 << 0.5 << 0.31731050786291115;
    QTest::newRow("exponential") << 1.0 << 1.0 << 0.36787944117144245;
    QTest::newRow("a 0.1, x 0.05") << 0.1 << 0.05 << 0.22446136454896942;
    QTest::newRow("a 0.1, x 3") << 0.1 << 3.0 << 0.0015652717471143507;
    QTest::newRow("a 2.5, x 3") << 2.5 << 3.0 << 0.30621891841327875;
    QTest::newRow("a 3, x 50") << 3.0 << 50.0 << 2.509303552201055e-19;
    QTest::newRow("a 7, x 7.5") << 7.0 << 7.5 << 0.3781546943234694;
    QTest::newRow("a 10, x 5") << 10.0 << 5.0 << 0.9681719426937951;
    QTest::newRow("a 10, x 20") << 10.0 << 20.0 << 0.0049954123083075785;
    QTest::newRow("a 25, x 24") << 25.0 << 24.0 << 0.5540012230749957;
    QTest::newRow("a 50, x 200") << 50.0 << 200.0 << 1.6927979958857254e-37;
    QTest::newRow("a 100, x 90") << 100.0 << 90.0 << 0.84177901081357;
    QTest::newRow("a 100, x 120") << 100.0 << 120.0 << 0.027863739890520652;
    QTest::newRow("a 1000, x 1100") << 1000.0 << 1100.0 << 0.0010593232539299773;
    QTest::newRow("a 1e4, x 1e4") << 1e4 << 1e4 << 0.4986701916600448;
    QTest::newRow("a 1e4, x 9800") << 1e4 << 9800.0 << 0.9777924561860303;
    QTest::newRow("a 1e5, x 101500") << 1e5 << 101500.0 << 1.173684513722169e-06;
    QTest::newRow("a 0.5, x 700") << 0.5 << 700.0 << 2.1010145162644003e-306;
}

void TestStats::gammaQ()
{
    QFETCH(double, a);
    QFETCH(double, x);
    QFETCH(double, expected);
    VERIFY_CLOSE(stats::regularizedGammaQ(a, x), expected);
}

void TestStats::gammaQEdgeCases()
{
    QCOMPARE(stats::regularizedGammaQ(3.0, 0.0), 1.0);
    QCOMPARE(stats::regularizedGammaQ(3.0, std::numeric_limits<double>::infinity()), 0.0);
    QCOMPARE(stats::regularizedGammaQ(2.0, 1e6), 0.0); // underflows to 0, no NaN
    QVERIFY(std::isnan(stats::regularizedGammaQ(0.0, 1.0)));
    QVERIFY(std::isnan(stats::regularizedGammaQ(-1.0, 1.0)));
    QVERIFY(std::isnan(stats::regularizedGammaQ(1.0, -1.0)));
    QVERIFY(std::isnan(stats::regularizedGammaQ(std::nan(""), 1.0)));
    QCOMPARE(stats::chiSquareSf(0.0, 3.0), 1.0);
    QCOMPARE(stats::chiSquareSf(-2.0, 3.0), 1.0);
    QVERIFY(std::isnan(stats::chiSquareSf(2.0, 0.0)));
}

void TestStats::chiSquareSf_data()
{
    QTest::addColumn<double>("x2");
    QTest::addColumn<double>("df");
    QTest::addColumn<double>("expected");
    QTest::newRow("critical value, df 1") << 3.841458820694124 << 1.0 << 0.04999999999999989;
    QTest::newRow("10, df 5") << 10.0 << 5.0 << 0.07523524614651217;
    QTest::newRow("0.1, df 2") << 0.1 << 2.0 << 0.951229424500714;
    QTest::newRow("100, df 50") << 100.0 << 50.0 << 3.454931382984871e-05;
    QTest::newRow("0.001, df 1") << 1e-3 << 1.0 << 0.9747728793699604;
    QTest::newRow("250, df 3") << 250.0 << 3.0 << 6.543750030967994e-54;
    QTest::newRow("5000, df 4800") << 5000.0 << 4800.0 << 0.02167398920030608;
    QTest::newRow("30, df 30") << 30.0 << 30.0 << 0.4656537089440098;
    QTest::newRow("2, df 7") << 2.0 << 7.0 << 0.9598403687301016;
}

void TestStats::chiSquareSf()
{
    QFETCH(double, x2);
    QFETCH(double, df);
    QFETCH(double, expected);
    VERIFY_CLOSE(stats::chiSquareSf(x2, df), expected);
}

void TestStats::normalSf_data()
{
    QTest::addColumn<double>("z");
    QTest::addColumn<double>("expected");
    QTest::newRow("0") << 0.0 << 0.5;
    QTest::newRow("1.96") << 1.959963984540054 << 0.025;
    QTest::newRow("-1.5") << -1.5 << 0.9331927987311419;
    QTest::newRow("0.3") << 0.3 << 0.3820885778110474;
    QTest::newRow("1") << 1.0 << 0.15865525393145707;
    QTest::newRow("5") << 5.0 << 2.866515718791933e-07;
    QTest::newRow("10") << 10.0 << 7.61985302416047e-24;
    QTest::newRow("37") << 37.0 << 5.7255712225239266e-300;
    QTest::newRow("-10") << -10.0 << 1.0;
}

void TestStats::normalSf()
{
    QFETCH(double, z);
    QFETCH(double, expected);
    VERIFY_CLOSE(stats::normalSf(z), expected);
}

void TestStats::wilson_data()
{
    QTest::addColumn<double>("successes");
    QTest::addColumn<double>("n");
    QTest::addColumn<double>("z");
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    const double z95 = 1.959963984540054;
    QTest::newRow("0 of 10") << 0.0 << 10.0 << z95 << 0.0 << 0.27753279986288926;
    QTest::newRow("3 of 10") << 3.0 << 10.0 << z95 << 0.10779126740630104 << 0.6032218525388546;
    QTest::newRow("10 of 10") << 10.0 << 10.0 << z95 << 0.7224672001371106 << 1.0;
    QTest::newRow("81 of 263") << 81.0 << 263.0 << z95 << 0.2552885198782742 << 0.36620957698280004;
    QTest::newRow("1 of a million")
        << 1.0 << 1e6 << z95 << 1.7652457674537176e-07 << 5.664911804311445e-06;
    QTest::newRow("7 of 40, 99 %")
        << 7.0 << 40.0 << 2.575829303548901 << 0.07064423503673015 << 0.3718333537431997;
}

void TestStats::wilson()
{
    QFETCH(double, successes);
    QFETCH(double, n);
    QFETCH(double, z);
    QFETCH(double, lo);
    QFETCH(double, hi);
    const stats::Interval interval = stats::wilsonInterval(successes, n, z);
    VERIFY_CLOSE(interval.lo, lo);
    VERIFY_CLOSE(interval.hi, hi);
}

void TestStats::wilsonDefaultsAndNoTrials()
{
    const stats::Interval byDefault = stats::wilsonInterval(3.0, 10.0);
    VERIFY_CLOSE(byDefault.lo, 0.10779126740630104);
    VERIFY_CLOSE(byDefault.hi, 0.6032218525388546);
    const stats::Interval none = stats::wilsonInterval(0.0, 0.0);
    QCOMPARE(none.lo, 0.0);
    QCOMPARE(none.hi, 1.0);
}

void TestStats::benjaminiHochberg_data()
{
    QTest::addColumn<Values>("p");
    QTest::addColumn<Values>("q");
    QTest::newRow("mixed, with ties") << Values{0.01, 0.04, 0.03, 0.005, 0.5, 0.2, 0.04, 0.9, 0.012}
                                      << Values{0.036000000000000004,
                                                0.060000000000000005,
                                                0.060000000000000005,
                                                0.036000000000000004,
                                                0.5625,
                                                0.2571428571428572,
                                                0.060000000000000005,
                                                0.9,
                                                0.036000000000000004};
    QTest::newRow("all large") << Values{0.8, 0.9, 0.95} << Values{0.95, 0.95, 0.95};
    QTest::newRow("capped at 1") << Values{1.0, 0.7} << Values{1.0, 1.0};
    QTest::newRow("single") << Values{0.03} << Values{0.03};
    QTest::newRow("empty") << Values{} << Values{};
}

void TestStats::benjaminiHochberg()
{
    QFETCH(Values, p);
    QFETCH(Values, q);
    const Values got = stats::benjaminiHochberg(p);
    QCOMPARE(got.size(), q.size());
    for (size_t i = 0; i < q.size(); ++i)
        VERIFY_CLOSE(got[i], q[i]);
}

void TestStats::chiSquareIndependence_data()
{
    QTest::addColumn<Table>("table");
    QTest::addColumn<double>("x2");
    QTest::addColumn<int>("df");
    QTest::addColumn<double>("p");
    QTest::addColumn<double>("cramersV");
    QTest::addColumn<double>("g");
    QTest::newRow("2x2") << Table{{10, 20}, {30, 25}} << 3.505892255892255 << 1
                         << 0.06115089757606777 << 0.2030905986149808 << 3.558866864788909;
    QTest::newRow("3x3") << Table{{12, 5, 7}, {3, 14, 9}, {8, 8, 20}} << 16.231121055094484 << 4
                         << 0.0027242077522994946 << 0.30719209442701534 << 15.327101722360014;
    // The reference is the table without its empty row and column: {{5, 9}, {7, 2}}.
    QTest::newRow("empty row and column")
        << Table{{5, 9, 0}, {0, 0, 0}, {7, 2, 0}} << 3.884499759499758 << 1 << 0.04873377839000807
        << 0.4109638595926579 << 4.057383040392656;
    QTest::newRow("2x4") << Table{{120, 80, 5, 40}, {100, 95, 15, 20}} << 14.311150067028503 << 3
                         << 0.0025108103501383745 << 0.17357631458012324 << 14.662667730157306;
}

void TestStats::chiSquareIndependence()
{
    QFETCH(Table, table);
    QFETCH(double, x2);
    QFETCH(int, df);
    QFETCH(double, p);
    QFETCH(double, cramersV);
    QFETCH(double, g);
    const stats::ChiSquareResult result = stats::chiSquareIndependence(table);
    QCOMPARE(result.df, df);
    VERIFY_CLOSE(result.x2, x2);
    VERIFY_CLOSE(result.p, p);
    VERIFY_CLOSE(result.cramersV, cramersV);
    VERIFY_CLOSE(result.g, g);
}

void TestStats::chiSquareDegenerate_data()
{
    QTest::addColumn<Table>("table");
    QTest::newRow("empty") << Table{};
    QTest::newRow("one row") << Table{{4, 5, 6}};
    QTest::newRow("one non-empty row") << Table{{4, 5, 6}, {0, 0, 0}};
    QTest::newRow("one non-empty column") << Table{{4, 0}, {7, 0}};
    QTest::newRow("all zero") << Table{{0, 0}, {0, 0}};
}

void TestStats::chiSquareDegenerate()
{
    QFETCH(Table, table);
    const stats::ChiSquareResult result = stats::chiSquareIndependence(table);
    QCOMPARE(result.df, 0);
    QCOMPARE(result.x2, 0.0);
    QCOMPARE(result.p, 1.0);
    QCOMPARE(result.cramersV, 0.0);
    QCOMPARE(result.g, 0.0);
}

void TestStats::normalizedEntropy_data()
{
    QTest::addColumn<Values>("counts");
    QTest::addColumn<double>("expected");
    QTest::newRow("even") << Values{1, 1, 1, 1} << 1.0;
    QTest::newRow("uneven") << Values{3, 1, 2} << 0.9206198357143052;
    QTest::newRow("empty class lowers it") << Values{65, 41, 34, 0} << 0.7643298061914029;
    QTest::newRow("halves of four") << Values{5, 5, 10, 0} << 0.75;
    QTest::newRow("one class holds all") << Values{5, 0} << 0.0;
    QTest::newRow("single class") << Values{7} << 1.0;
    QTest::newRow("no classes") << Values{} << 1.0;
    QTest::newRow("no samples") << Values{0, 0, 0} << 0.0;
}

void TestStats::normalizedEntropy()
{
    QFETCH(Values, counts);
    QFETCH(double, expected);
    VERIFY_CLOSE(stats::normalizedEntropy(counts), expected);
}

QTEST_GUILESS_MAIN(TestStats)
#include "tst_stats.moc"
