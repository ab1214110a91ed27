// The metric histogram of the Quality panel: bins, the metric chooser, threshold lines, clicking
// a bin, the empty state. With ASSAY_SCREENSHOT_DIR set, also renders it to a PNG file there.

#include "panels/metrichistogram.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>

using namespace assay;

namespace {

constexpr double Nan = std::numeric_limits<double>::quiet_NaN();
constexpr int NanEvery = 250;

// A standard normal from a fixed engine (Box-Muller, so it is the same on every library).
double gaussian(std::mt19937 &engine)
{
    const double u = (double(engine()) + 1.0) / 4294967297.0;
    const double v = double(engine()) / 4294967296.0;
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
}

// Brightness of `count` images: a dim mode and a main one, every NanEvery-th one not measured.
ui::MetricSeries brightness(int count = 5000)
{
    ui::MetricSeries series{QStringLiteral("brightness"), QStringLiteral("Brightness (p99)"),
                            QStringLiteral("luma"), false, {}, {81.6}};
    std::mt19937 engine(7);
    for (int i = 0; i < count; ++i) {
        const bool dim = engine() % 10 < 3;
        const double value = dim ? 52 + 14 * gaussian(engine) : 168 + 30 * gaussian(engine);
        const bool skipped = i % NanEvery == NanEvery - 1;
        series.values.push_back(skipped ? Nan : std::clamp(value, 0.0, 255.0));
    }
    return series;
}

ui::MetricSeries sharpness(int count = 2000)
{
    ui::MetricSeries series{QStringLiteral("sharpness"), QStringLiteral("Sharpness"),
                            QString(), true, {}, {30.0}};
    std::mt19937 engine(11);
    for (int i = 0; i < count; ++i)
        series.values.push_back(std::pow(10.0, 2.2 + 0.5 * gaussian(engine)));
    return series;
}

qint64 binTotal(const ui::MetricHistogram &histogram)
{
    qint64 total = 0;
    for (const auto &bin : histogram.bins())
        total += bin.count;
    return total;
}

// The middle of bin `index` in the chart view's viewport (the widget must be shown).
QPoint binCentre(const ui::MetricHistogram &histogram, std::size_t index)
{
    QChart *chart = histogram.chartView()->chart();
    const auto &edges = histogram.drawEdges();
    const double x = (edges[index] + edges[index + 1]) / 2;
    const double y = double(histogram.bins()[index].count) / 2;
    const QPointF inChart = chart->mapToPosition({x, y}, histogram.histogramSeries());
    return histogram.chartView()->mapFromScene(chart->mapToScene(inChart));
}

void clickBin(ui::MetricHistogram &histogram, std::size_t index)
{
    QTest::mouseClick(histogram.chartView()->viewport(), Qt::LeftButton, {},
                      binCentre(histogram, index));
}

std::size_t fullestBin(const ui::MetricHistogram &histogram)
{
    const auto &bins = histogram.bins();
    return std::size_t(std::max_element(bins.begin(), bins.end(), [](auto &a, auto &b) {
                           return a.count < b.count;
                       }) - bins.begin());
}

} // namespace

class TestMetricHistogram : public QObject
{
    Q_OBJECT
private slots:
    void binCountsAddUpToMeasuredValues();
    void comboSwitchesTheChart();
    void thresholdLineSitsAtItsValue();
    void clickingABinChoosesItsRange();
    void clickingALogBinGivesOriginalUnits();
    void hoverTellsTheBinRange();
    void wholeNumberMetricsGetWholeBins();
    void edgeCasesOfTheBins();
    void emptyStates();
    void setSeriesKeepsTheChosenMetric();
    void screenshot();
};

void TestMetricHistogram::binCountsAddUpToMeasuredValues()
{
    ui::MetricHistogram histogram;
    histogram.setSeries({brightness(), sharpness()});
    QCOMPARE(histogram.currentKey(), QStringLiteral("brightness"));
    QCOMPARE(histogram.metricCombo()->count(), 2);
    QCOMPARE(histogram.notMeasuredCount(), qint64(5000 / NanEvery));
    QCOMPARE(histogram.measuredCount(), qint64(5000 - 5000 / NanEvery));
    QCOMPARE(binTotal(histogram), histogram.measuredCount());
    QVERIFY(histogram.bins().size() >= 20 && histogram.bins().size() <= 60);
    for (std::size_t i = 1; i < histogram.bins().size(); ++i)
        QCOMPARE(histogram.bins()[i].low, histogram.bins()[i - 1].high);
    const QString caption = histogram.captionLabel()->text();
    QVERIFY2(caption.contains(QLocale().toString(4980)), qPrintable(caption));
    QVERIFY2(caption.contains(QStringLiteral("20 not measured")), qPrintable(caption));
    QVERIFY(!histogram.isShowingEmptyState());
    QVERIFY(histogram.chartView()->renderHints().testFlag(QPainter::Antialiasing));
    QVERIFY(!histogram.chartView()->chart()->legend()->isVisible());
    QCOMPARE(histogram.chartView()->chart()->animationOptions(), QChart::NoAnimation);
}

void TestMetricHistogram::comboSwitchesTheChart()
{
    ui::MetricHistogram histogram;
    histogram.setSeries({brightness(), sharpness()});
    histogram.resize(420, 300);
    histogram.show();
    QVERIFY(QTest::qWaitForWindowExposed(&histogram));
    const auto brightnessBins = histogram.bins().size();
    histogram.metricCombo()->setCurrentIndex(1);
    QCOMPARE(histogram.currentKey(), QStringLiteral("sharpness"));
    QCOMPARE(histogram.histogramSeries()->name(), QStringLiteral("Sharpness"));
    QCOMPARE(histogram.measuredCount(), qint64(2000));
    QCOMPARE(binTotal(histogram), qint64(2000));
    QVERIFY(histogram.bins().size() != brightnessBins);
    // Binned by log10: the chart's x runs over decades while the labels are plain values.
    QVERIFY(histogram.drawEdges().back() < 5);
    QVERIFY(histogram.bins().back().high > 1000);
    auto *axis = qobject_cast<QCategoryAxis *>(
        histogram.chartView()->chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(axis);
    QVERIFY2(axis->categoriesLabels().contains(QStringLiteral("100")),
             qPrintable(axis->categoriesLabels().join(u' ')));
    QVERIFY(axis->titleText().contains(QStringLiteral("log")));
    histogram.metricCombo()->setCurrentIndex(0);
    QCOMPARE(histogram.bins().size(), brightnessBins);
}

void TestMetricHistogram::thresholdLineSitsAtItsValue()
{
    ui::MetricHistogram histogram;
    histogram.setSeries({brightness(), sharpness()});
    QCOMPARE(histogram.thresholdLines().size(), 1);
    const QLineSeries *line = histogram.thresholdLines().front();
    QCOMPARE(line->count(), 2);
    QCOMPARE(line->at(0).x(), 81.6);
    QCOMPARE(line->at(1).x(), 81.6);
    QCOMPARE(line->at(0).y(), 0.0);
    qint64 most = 0;
    for (const auto &bin : histogram.bins())
        most = std::max(most, bin.count);
    QVERIFY(line->at(1).y() >= double(most));
    QCOMPARE(line->pen().color(), QColor(0xd6, 0x27, 0x28));
    QCOMPARE(line->pen().style(), Qt::DashLine);
    histogram.setCurrentKey(QStringLiteral("sharpness")); // log scale: at log10(30)
    QCOMPARE(histogram.thresholdLines().size(), 1);
    QCOMPARE(histogram.thresholdLines().front()->at(0).x(), std::log10(30.0));
}

void TestMetricHistogram::clickingABinChoosesItsRange()
{
    ui::MetricHistogram histogram;
    histogram.setSeries({brightness(), sharpness()});
    histogram.resize(420, 300);
    histogram.show();
    QVERIFY(QTest::qWaitForWindowExposed(&histogram));
    QSignalSpy spy(&histogram, &ui::MetricHistogram::rangeChosen);
    const std::size_t index = fullestBin(histogram);
    clickBin(histogram, index);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy[0][0].toString(), QStringLiteral("brightness"));
    QCOMPARE(spy[0][1].toDouble(), histogram.bins()[index].low);
    QCOMPARE(spy[0][2].toDouble(), histogram.bins()[index].high);
    const auto values = brightness().values;
    const auto inside = qint64(std::count_if(values.begin(), values.end(), [&](double v) {
        return v >= spy[0][1].toDouble() && v < spy[0][2].toDouble();
    }));
    QCOMPARE(inside, histogram.bins()[index].count);
    // The plot outside the bins, and empty bins, choose nothing.
    histogram.chooseBin(-1);
    histogram.chooseBin(int(histogram.bins().size()));
    QCOMPARE(spy.count(), 1);
}

void TestMetricHistogram::clickingALogBinGivesOriginalUnits()
{
    ui::MetricHistogram histogram;
    histogram.setSeries({brightness(), sharpness()});
    histogram.setCurrentKey(QStringLiteral("sharpness"));
    histogram.resize(420, 300);
    histogram.show();
    QVERIFY(QTest::qWaitForWindowExposed(&histogram));
    QSignalSpy spy(&histogram, &ui::MetricHistogram::rangeChosen);
    const std::size_t index = fullestBin(histogram);
    clickBin(histogram, index);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy[0][0].toString(), QStringLiteral("sharpness"));
    const double low = spy[0][1].toDouble();
    const double high = spy[0][2].toDouble();
    QCOMPARE(low, std::pow(10.0, histogram.drawEdges()[index]));
    QCOMPARE(high, std::pow(10.0, histogram.drawEdges()[index + 1]));
    QVERIFY2(low > 50 && high < 500, qPrintable(QStringLiteral("%1 %2").arg(low).arg(high)));
    const auto values = sharpness().values;
    const auto inside = qint64(std::count_if(values.begin(), values.end(),
                                      [&](double v) { return v >= low && v < high; }));
    QCOMPARE(inside, histogram.bins()[index].count);
}

void TestMetricHistogram::hoverTellsTheBinRange()
{
    ui::MetricSeries series{QStringLiteral("brightness"), QStringLiteral("Brightness"),
                            QStringLiteral("luma"), false, {}, {}};
    for (int i = 0; i < 100; ++i)
        series.values.push_back(0.5 + i % 50 * 5.0); // 50 distinct values, two of each
    ui::MetricHistogram histogram;
    histogram.setSeries({series});
    histogram.resize(420, 300);
    histogram.show();
    QVERIFY(QTest::qWaitForWindowExposed(&histogram));
    QCOMPARE(histogram.bins().size(), std::size_t(50));
    QCOMPARE(histogram.bins()[16].low, 80.0);
    QTest::mouseMove(histogram.chartView()->viewport(), binCentre(histogram, 16));
    QTRY_VERIFY(QToolTip::isVisible());
    QVERIFY2(QToolTip::text().startsWith(QStringLiteral("80 – 85: 2 samples")),
             qPrintable(QToolTip::text()));
}

void TestMetricHistogram::wholeNumberMetricsGetWholeBins()
{
    ui::MetricSeries width{QStringLiteral("width"), QStringLiteral("Width"),
                           QStringLiteral("px"), false, {}, {}};
    for (int i = 0; i < 300; ++i)
        width.values.push_back(double(20 + (i * 7) % 13));
    ui::MetricHistogram histogram;
    histogram.setSeries({width});
    QCOMPARE(histogram.bins().size(), std::size_t(13)); // 20..32, one bin each
    QCOMPARE(histogram.bins().front().low, 20.0);
    QCOMPARE(histogram.bins().front().high, 21.0);
    QCOMPARE(histogram.drawEdges().front(), 19.5); // the bar is centred on its value
    QCOMPARE(binTotal(histogram), qint64(300));

    width.values = {28, 28, 28, 28};
    histogram.setSeries({width});
    QCOMPARE(histogram.bins().size(), std::size_t(1));
    QCOMPARE(histogram.bins().front().count, qint64(4));
    QCOMPARE(histogram.bins().front().low, 28.0);
}

void TestMetricHistogram::edgeCasesOfTheBins()
{
    // Log scale with values <= 0: they fall in the first bin, whose low is the smallest value.
    auto bins = ui::computeHistogramBins({0, 5, 50, 500, Nan}, true);
    QVERIFY(bins.log);
    QCOMPARE(bins.notMeasured, qint64(1));
    QCOMPARE(bins.bins.front().low, 0.0);
    qint64 total = 0;
    for (const auto &bin : bins.bins)
        total += bin.count;
    QCOMPARE(total, qint64(4));
    QVERIFY(bins.bins.back().high > 500);
    QVERIFY(!ui::computeHistogramBins({-1, 0}, true).log); // nothing positive: linear
    bins = ui::computeHistogramBins({0.25}, false); // one value: one bin around it
    QCOMPARE(bins.bins.size(), std::size_t(1));
    QVERIFY(bins.bins[0].low <= 0.25 && bins.bins[0].high > 0.25);

    QCOMPARE(ui::compactNumber(81.6), QStringLiteral("81.6"));
    QCOMPARE(ui::compactNumber(0), QStringLiteral("0"));
    QCOMPARE(ui::compactNumber(0.0123), QStringLiteral("0.0123"));
    QCOMPARE(ui::compactNumber(12345), QStringLiteral("12.3k"));
    QCOMPARE(ui::compactNumber(2.5e6), QStringLiteral("2.5M"));
    QCOMPARE(ui::compactNumber(-40), QStringLiteral("-40"));
    const auto ticks = ui::axisTicks(0, 4, true, 8); // 1 to 10,000: the decades
    QCOMPARE(ticks, (std::vector<double>{1, 10, 100, 1000, 10000}));
}

void TestMetricHistogram::emptyStates()
{
    ui::MetricHistogram histogram;
    QVERIFY(histogram.isShowingEmptyState());
    histogram.setSeries({brightness()});
    QVERIFY(!histogram.isShowingEmptyState());
    ui::MetricSeries nothing{QStringLiteral("entropy"), QStringLiteral("Entropy"),
                             QStringLiteral("bits"), false, {Nan, Nan, Nan}, {1.5}};
    histogram.setSeries({nothing});
    histogram.show();
    QVERIFY(histogram.isShowingEmptyState());
    QVERIFY(histogram.bins().empty());
    QVERIFY(histogram.chartView()->chart()->series().isEmpty());
    QVERIFY(histogram.captionLabel()->text().contains(QStringLiteral("3 not measured")));
    const auto labels = histogram.findChildren<QLabel *>();
    QVERIFY(std::any_of(labels.begin(), labels.end(), [](const QLabel *label) {
        return label->isVisible() && label->text() == QStringLiteral("Nothing measured yet");
    }));
    nothing.values.clear();
    histogram.setSeries({nothing});
    QVERIFY(histogram.isShowingEmptyState());
    histogram.setSeries({});
    QVERIFY(histogram.isShowingEmptyState());
    QVERIFY(!histogram.metricCombo()->isVisible());
    QVERIFY(histogram.currentKey().isEmpty());
}

void TestMetricHistogram::setSeriesKeepsTheChosenMetric()
{
    ui::MetricHistogram histogram;
    histogram.setSeries({brightness(), sharpness()});
    histogram.metricCombo()->setCurrentIndex(1);
    QCOMPARE(histogram.currentKey(), QStringLiteral("sharpness"));
    ui::MetricSeries entropy{QStringLiteral("entropy"), QStringLiteral("Entropy"),
                             QStringLiteral("bits"), false, {3, 4, 5}, {1.5}};
    histogram.setSeries({entropy, brightness(), sharpness(200)});
    QCOMPARE(histogram.currentKey(), QStringLiteral("sharpness"));
    QCOMPARE(histogram.metricCombo()->currentText(), QStringLiteral("Sharpness"));
    QCOMPARE(histogram.measuredCount(), qint64(200)); // the new values are shown
    histogram.setSeries({entropy, brightness()}); // gone: the first one
    QCOMPARE(histogram.currentKey(), QStringLiteral("entropy"));
    histogram.setSeries({brightness(), sharpness()}); // back: still the one chosen
    QCOMPARE(histogram.currentKey(), QStringLiteral("sharpness"));
}

void TestMetricHistogram::screenshot()
{
    const QString dir = qEnvironmentVariable("ASSAY_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("set ASSAY_SCREENSHOT_DIR to render the histogram");
    ui::MetricHistogram histogram;
    histogram.setSeries({brightness(), sharpness()});
    histogram.resize(420, 300);
    histogram.show();
    QVERIFY(QTest::qWaitForWindowExposed(&histogram));
    const auto save = [&](const QString &name) {
        QTest::qWait(50); // the chart lays its axes out on posted events
        QVERIFY(histogram.grab().save(QDir(dir).filePath(name)));
    };
    save(QStringLiteral("metrichistogram.png"));
    histogram.setCurrentKey(QStringLiteral("sharpness"));
    save(QStringLiteral("metrichistogram-sharpness.png"));
    ui::MetricSeries width{QStringLiteral("width"), QStringLiteral("Width"),
                           QStringLiteral("pixels"), false, {}, {}};
    for (int i = 0; i < 60; ++i)
        width.values.push_back(i % 3 == 0 ? 640 : (i % 3 == 1 ? 480 : 512));
    ui::MetricSeries entropy{QStringLiteral("entropy"), QStringLiteral("Entropy"),
                             QStringLiteral("bits"), false, {Nan, Nan}, {1.5}};
    histogram.setSeries({width, entropy});
    save(QStringLiteral("metrichistogram-width.png"));
    histogram.setCurrentKey(QStringLiteral("entropy"));
    save(QStringLiteral("metrichistogram-empty.png"));
}

QTEST_MAIN(TestMetricHistogram)
#include "tst_metrichistogram.moc"
