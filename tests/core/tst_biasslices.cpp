// Acceptance scenarios T1-T7 and T10 of ../shared/spec/bias-slices.md on SynthSliceGen data:
// null calibration, planted level-1 and level-2 slices, the power curve, error slices and
// determinism. Each scenario runs a fixed list of seeds, so every run sees the same datasets;
// the bounds are the spec's 3-sigma Monte-Carlo bounds.

#include "analysis/biasjson.h"
#include "analysis/biasslices.h"
#include "synthslicegen.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace assay;
using namespace assay::analysis::bias;
using test::SynthAttribute;
using test::SynthCondition;
using test::SynthSpec;

namespace {

constexpr double nullBound = 0.096; // 0.05 + 3 sqrt(0.05 · 0.95 / 200)

struct Want
{
    QString attribute;
    QString value; // or empty with bin >= 0: the attribute's bin-th value
    int bin = -1;
};

std::vector<Predicate> resolve(const SliceResults &results, const std::vector<Want> &wanted)
{
    std::vector<Predicate> predicates;
    for (const Want &want : wanted) {
        for (size_t a = 0; a < results.attributes.size(); ++a) {
            if (results.attributes[a].name != want.attribute)
                continue;
            const int value = want.bin >= 0 ? want.bin
                                            : int(results.attributes[a].values.indexOf(want.value));
            predicates.push_back({int(a), value});
        }
    }
    std::sort(predicates.begin(), predicates.end(),
              [](const Predicate &l, const Predicate &r) { return l.attribute < r.attribute; });
    return predicates;
}

bool same(const std::vector<Predicate> &a, const std::vector<Predicate> &b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](const Predicate &l, const Predicate &r) {
               return l.attribute == r.attribute && l.value == r.value;
           });
}

bool contains(const std::vector<Predicate> &outer, const std::vector<Predicate> &inner)
{
    return std::all_of(inner.begin(), inner.end(), [&](const Predicate &p) {
        return std::any_of(outer.begin(), outer.end(), [&](const Predicate &o) {
            return o.attribute == p.attribute && o.value == p.value;
        });
    });
}

double jaccard(const std::vector<std::uint32_t> &a, const std::vector<std::uint32_t> &b)
{
    std::vector<std::uint32_t> both;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
    const double all = double(a.size() + b.size() - both.size());
    return all > 0 ? double(both.size()) / all : 0.0;
}

bool shown(SliceStatus status)
{
    return status == SliceStatus::Reported || status == SliceStatus::Redundant;
}

bool anyShown(const SliceResults &results)
{
    return std::any_of(results.slices.begin(), results.slices.end(),
                       [](const SliceRecord &r) { return shown(r.status); });
}

// A source attribute with `share` of "web" and three other sources sharing the rest.
SynthAttribute source(double share)
{
    SynthAttribute attribute;
    attribute.name = QStringLiteral("source");
    attribute.levels = {QStringLiteral("web"), QStringLiteral("camera"), QStringLiteral("scan"),
                        QStringLiteral("phone")};
    const double rest = (1.0 - share) / 3.0;
    attribute.probabilities = {share, rest, rest, rest};
    return attribute;
}

std::vector<SynthAttribute> withSource(double share)
{
    std::vector<SynthAttribute> attributes{source(share)};
    SynthAttribute brightness;
    brightness.name = QStringLiteral("brightness");
    brightness.kind = SynthAttribute::Kind::Uniform;
    attributes.push_back(brightness);
    for (SynthAttribute &other : test::nullAttributes(2, 2))
        attributes.push_back(other);
    return attributes;
}

} // namespace

class TestBiasSlices : public QObject
{
    Q_OBJECT
private slots:
    void nullCalibrationOfPValues();       // T1
    void nullFullRule_data();
    void nullFullRule();                   // T2
    void nullWithImbalance();              // T3
    void plantedLevelOne();                // T4
    void plantedLevelTwo();                // T5
    void powerCurve();                     // T6
    void errorSlices();                    // T7
    void deterministicAcrossThreads();     // T10
    void familyIsFixedBySupportAlone();
    void redundantChildCollapses();
    void noLabelsGivesCompositionOnly();
};

void TestBiasSlices::nullCalibrationOfPValues()
{
    SliceParameters parameters;
    parameters.minV = 0;
    parameters.minRatio = 1; // RR filter off
    int withDiscovery = 0;
    std::int64_t levelOne = 0, levelOneBelow = 0;
    const int seeds = 200;
    for (int seed = 0; seed < seeds; ++seed) {
        SynthSpec spec;
        spec.n = 2000;
        spec.classes = 4;
        spec.attributes = test::nullAttributes(3, 3);
        spec.seed = 1000 + std::uint64_t(seed);
        const SliceResults results = computeSlices(test::generateSlices(spec), parameters);
        bool any = false;
        for (const SliceRecord &r : results.slices) {
            any = any || (r.status != SliceStatus::Untestable && r.q <= parameters.fdr);
            if (r.level == 1 && r.status != SliceStatus::Untestable) {
                ++levelOne;
                levelOneBelow += r.p < 0.05 ? 1 : 0;
            }
        }
        withDiscovery += any ? 1 : 0;
    }
    const double rate = double(withDiscovery) / seeds;
    const double raw = double(levelOneBelow) / double(levelOne);
    qInfo("T1: %d of %d null datasets with a BH discovery (%.3f); level-1 raw p < 0.05: %.4f "
          "of %lld",
          withDiscovery, seeds, rate, raw, static_cast<long long>(levelOne));
    QVERIFY2(rate <= nullBound, qPrintable(QString::number(rate)));
    QVERIFY2(raw >= 0.03 && raw <= 0.07, qPrintable(QString::number(raw)));
}

void TestBiasSlices::nullFullRule_data()
{
    QTest::addColumn<int>("n");
    QTest::newRow("400") << 400;
    QTest::newRow("5000") << 5000;
    QTest::newRow("50000") << 50000;
}

void TestBiasSlices::nullFullRule()
{
    QFETCH(int, n);
    int reported = 0;
    const int seeds = 200;
    for (int seed = 0; seed < seeds; ++seed) {
        SynthSpec spec;
        spec.n = n;
        spec.classes = 4;
        spec.attributes = test::nullAttributes(3, 3);
        spec.seed = 2000 + std::uint64_t(n) + std::uint64_t(seed);
        reported += anyShown(computeSlices(test::generateSlices(spec), {})) ? 1 : 0;
    }
    qInfo("T2 (N = %d): %d of %d null datasets report a slice (%.3f)", n, reported, seeds,
          double(reported) / seeds);
    QVERIFY(double(reported) / seeds <= nullBound);
}

void TestBiasSlices::nullWithImbalance()
{
    int reported = 0;
    const int seeds = 200;
    for (int seed = 0; seed < seeds; ++seed) {
        SynthSpec spec;
        spec.n = 3000;
        spec.classes = 20;
        spec.zipf = 1.2;
        spec.attributes = test::nullAttributes(3, 3);
        spec.seed = 3000 + std::uint64_t(seed);
        reported += anyShown(computeSlices(test::generateSlices(spec), {})) ? 1 : 0;
    }
    qInfo("T3 (K = 20, Zipf 1.2): %d of %d null datasets report a slice (%.3f)", reported, seeds,
          double(reported) / seeds);
    QVERIFY(double(reported) / seeds <= nullBound);
}

void TestBiasSlices::plantedLevelOne()
{
    int first = 0, driver = 0;
    const int seeds = 100;
    for (int seed = 0; seed < seeds; ++seed) {
        SynthSpec spec;
        spec.n = 5000;
        spec.classes = 5;
        spec.attributes = withSource(0.10);
        spec.planted = {{QStringLiteral("source"), QStringLiteral("web")}};
        spec.targetClass = 2;
        spec.lift = 2;
        spec.seed = 4000 + std::uint64_t(seed);
        const SliceResults results = computeSlices(test::generateSlices(spec), {});
        const auto planted = resolve(results, {{QStringLiteral("source"), QStringLiteral("web")}});
        const auto top = std::find_if(results.slices.begin(), results.slices.end(),
                                      [](const SliceRecord &r) { return shown(r.status); });
        if (top != results.slices.end() && same(top->predicates, planted) &&
            top->status == SliceStatus::Reported) {
            ++first;
            driver += top->driverClass == spec.targetClass ? 1 : 0;
        }
    }
    qInfo("T4: planted slice reported and ranked #1 in %d of %d seeds, driver right in %d", first,
          seeds, driver);
    QVERIFY(first >= 95);
    QVERIFY(driver >= 95);
}

void TestBiasSlices::plantedLevelTwo()
{
    int found = 0, unrelated = 0;
    const int seeds = 100;
    for (int seed = 0; seed < seeds; ++seed) {
        SynthSpec spec;
        spec.n = 20000;
        spec.classes = 5;
        spec.attributes = withSource(0.10);
        spec.planted = {{QStringLiteral("source"), QStringLiteral("web")},
                        {QStringLiteral("brightness"), QString(), 0, 255.0 / 5}};
        spec.targetClass = 1;
        spec.lift = 3;
        spec.seed = 5000 + std::uint64_t(seed);
        ComputeOptions options;
        options.keepCodes = true;
        const SliceResults results = computeSlices(test::generateSlices(spec), {}, options);
        const auto planted = resolve(results, {{QStringLiteral("source"), QStringLiteral("web")},
                                               {QStringLiteral("brightness"), QString(), 0}});
        const std::vector<std::uint32_t> plantedRows = sliceRows(results, planted);
        bool hit = false, other = false;
        for (const SliceRecord &r : results.slices) {
            if (!shown(r.status))
                continue;
            if (same(r.predicates, planted)) {
                hit = hit || r.status == SliceStatus::Reported;
                continue;
            }
            const bool related = contains(r.predicates, planted) ||
                                 contains(planted, r.predicates) ||
                                 jaccard(sliceRows(results, r.predicates), plantedRows) >= 0.3;
            other = other || !related;
        }
        found += hit ? 1 : 0;
        unrelated += other ? 1 : 0;
    }
    qInfo("T5: planted level-2 slice reported (not redundant) in %d of %d seeds; an unrelated "
          "slice reported in %d",
          found, seeds, unrelated);
    QVERIFY(found >= 90);
    QVERIFY(unrelated <= 10);
}

void TestBiasSlices::powerCurve()
{
    const int sizes[] = {50, 100, 200, 400};
    const double lifts[] = {1.25, 1.5, 2, 3};
    const int seeds = 50, n = 5000;
    std::vector<std::vector<int>> recall(4, std::vector<int>(4, 0));
    for (int i = 0; i < 4; ++i) {
        for (int j = 0; j < 4; ++j) {
            for (int seed = 0; seed < seeds; ++seed) {
                SynthSpec spec;
                spec.n = n;
                spec.classes = 5;
                spec.attributes = withSource(double(sizes[i]) / n);
                spec.planted = {{QStringLiteral("source"), QStringLiteral("web")}};
                spec.lift = lifts[j];
                spec.seed = 6000 + std::uint64_t(100 * (4 * i + j) + seed);
                const SliceResults results = computeSlices(test::generateSlices(spec), {});
                const auto planted =
                    resolve(results, {{QStringLiteral("source"), QStringLiteral("web")}});
                for (const SliceRecord &r : results.slices) {
                    if (r.status == SliceStatus::Reported && same(r.predicates, planted))
                        ++recall[size_t(i)][size_t(j)];
                }
            }
        }
    }
    qInfo("T6: recall of a planted level-1 slice (%d seeds each, N = %d, K = 5)", seeds, n);
    qInfo("  n_S \\ r   1.25   1.5    2      3");
    for (int i = 0; i < 4; ++i)
        qInfo("  %4d      %.2f   %.2f   %.2f   %.2f", sizes[i], recall[size_t(i)][0] / 50.0,
              recall[size_t(i)][1] / 50.0, recall[size_t(i)][2] / 50.0,
              recall[size_t(i)][3] / 50.0);
    // Report only; the shape is the check: more rows and a larger lift find it more often.
    QVERIFY(recall[3][3] >= recall[0][3]);
    QVERIFY(recall[3][3] >= recall[3][0]);
}

void TestBiasSlices::errorSlices()
{
    int recalled = 0;
    for (int seed = 0; seed < 100; ++seed) {
        SynthSpec spec;
        spec.n = 5000;
        spec.classes = 5;
        spec.attributes = withSource(0.10);
        spec.errorSlice = {{QStringLiteral("source"), QStringLiteral("web")}};
        spec.errorIn = 0.30;
        spec.errorOut = 0.10;
        spec.seed = 7000 + std::uint64_t(seed);
        const SliceResults results = computeSlices(test::generateSlices(spec), {});
        const auto planted = resolve(results, {{QStringLiteral("source"), QStringLiteral("web")}});
        for (const ErrorSliceRecord &r : results.errorSlices) {
            if (r.status == SliceStatus::Reported && same(r.predicates, planted))
                ++recalled;
        }
    }
    int falseAlarms = 0;
    for (int seed = 0; seed < 200; ++seed) {
        SynthSpec spec;
        spec.n = 5000;
        spec.classes = 5;
        spec.attributes = withSource(0.10);
        spec.errorOut = 0.15;
        spec.seed = 7500 + std::uint64_t(seed);
        const SliceResults results = computeSlices(test::generateSlices(spec), {});
        falseAlarms += results.errorReported() > 0 ? 1 : 0;
    }
    qInfo("T7: error slice recalled in %d of 100 seeds; %d of 200 null datasets report one",
          recalled, falseAlarms);
    QVERIFY(recalled >= 95);
    QVERIFY(falseAlarms / 200.0 <= nullBound);
}

void TestBiasSlices::deterministicAcrossThreads()
{
    SynthSpec spec;
    spec.n = 20000;
    spec.classes = 5;
    spec.attributes = withSource(0.10);
    spec.planted = {{QStringLiteral("source"), QStringLiteral("web")}};
    spec.lift = 2;
    spec.errorSlice = spec.planted;
    spec.errorIn = 0.3;
    spec.errorOut = 0.1;
    spec.seed = 10;
    SliceParameters parameters;
    parameters.maxLevel = 3;
    QString first, firstErrors;
    for (int threads : {1, 2, 4, 1}) {
        ComputeOptions options;
        options.threads = threads;
        const SliceResults results = computeSlices(test::generateSlices(spec), parameters, options);
        const QString csv = slicesCsv(results), errors = errorSlicesCsv(results);
        if (first.isEmpty()) {
            first = csv;
            firstErrors = errors;
            QVERIFY(results.slices.size() > 100);
        }
        QCOMPARE(csv.toUtf8(), first.toUtf8());
        QCOMPARE(errors.toUtf8(), firstErrors.toUtf8());
    }
}

void TestBiasSlices::familyIsFixedBySupportAlone()
{
    // The same attributes with labels drawn anew: the tested family is the same set of slices.
    SynthSpec spec;
    spec.n = 3000;
    spec.classes = 4;
    spec.attributes = test::nullAttributes(3, 2);
    spec.seed = 77;
    analysis::bias::SliceData data = test::generateSlices(spec);
    const SliceResults a = computeSlices(data, {});
    std::reverse(data.labels.begin(), data.labels.end());
    const SliceResults b = computeSlices(data, {});
    QStringList ta, tb;
    for (const SliceRecord &r : a.slices)
        ta << r.text;
    for (const SliceRecord &r : b.slices)
        tb << r.text;
    ta.sort();
    tb.sort();
    QCOMPARE(ta, tb);
    // Support bounds: every member has minSup <= n <= N - minSup.
    for (const SliceRecord &r : a.slices)
        QVERIFY(r.n >= 30 && r.n <= a.labeled - 30);
}

void TestBiasSlices::redundantChildCollapses()
{
    // A strong planted level-1 slice: its children on independent attributes say the same.
    SynthSpec spec;
    spec.n = 20000;
    spec.classes = 4;
    spec.attributes = withSource(0.2);
    spec.planted = {{QStringLiteral("source"), QStringLiteral("web")}};
    spec.lift = 3;
    spec.seed = 99;
    const SliceResults results = computeSlices(test::generateSlices(spec), {});
    int redundant = 0;
    for (const SliceRecord &r : results.slices) {
        if (r.status != SliceStatus::Redundant)
            continue;
        ++redundant;
        const SliceRecord &parent = results.slices[size_t(r.redundantOf - 1)];
        QCOMPARE(parent.id, r.redundantOf);
        QVERIFY(parent.level < r.level);
        QCOMPARE(parent.driverClass, r.driverClass);
        QVERIFY(r.text.contains(parent.text));
    }
    QVERIFY(redundant > 0);
    QCOMPARE(results.slices.front().text, QStringLiteral("source=web"));
}

void TestBiasSlices::noLabelsGivesCompositionOnly()
{
    SynthSpec spec;
    spec.n = 500;
    spec.attributes = test::nullAttributes(2, 1);
    analysis::bias::SliceData data = test::generateSlices(spec);
    std::fill(data.labels.begin(), data.labels.end(), -1);
    const SliceResults results = computeSlices(data, {});
    QVERIFY(results.slices.empty());
    QCOMPARE(results.attributeSummary.size(), size_t(3));
    for (const AttributeSummary &s : results.attributeSummary) {
        QCOMPARE(s.status, QStringLiteral("no_labels"));
        std::int64_t total = 0;
        for (std::int64_t n : s.valueCounts)
            total += n;
        QCOMPARE(total, std::int64_t(500));
    }
}

QTEST_GUILESS_MAIN(TestBiasSlices)
#include "tst_biasslices.moc"
