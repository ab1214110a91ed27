// The Balance panel: bars per split and class, the Samples / Objects toggle, clicking a bar,
// the empty state. With ASSAY_SCREENSHOT_DIR set, also renders the panel to PNG files there.

#include "analysis/balance.h"
#include "panels/balancepanel.h"

#include <QAbstractBarSeries>
#include <QApplication>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace assay;

namespace {

analysis::ClassCounts threeClasses(bool withObjects)
{
    analysis::ClassCounts counts;
    counts.classes = {QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("bird")};
    counts.splits = {QStringLiteral("train"), QStringLiteral("test")};
    counts.samples = {{50, 30, 10}, {5, 3, 1}};
    if (withObjects)
        counts.annotations = {{120, 60, 15}, {12, 7, 2}};
    return counts;
}

QAbstractBarSeries *barSeries(const ui::BalancePanel &panel)
{
    const auto series = panel.chartView()->chart()->series();
    return series.size() == 1 ? qobject_cast<QAbstractBarSeries *>(series.front()) : nullptr;
}

QList<qreal> values(const QBarSet *set)
{
    QList<qreal> out;
    for (int i = 0; i < set->count(); ++i)
        out << set->at(i);
    return out;
}

} // namespace

class TestBalancePanel : public QObject
{
    Q_OBJECT
private slots:
    void showsOneBarSetPerSplit();
    void togglesBetweenSamplesAndObjects();
    void detectionDatasetShowsObjects();
    void toggleDisabledWithoutAnnotations();
    void clickingABarRequestsAFilter();
    void manyClassesUseHorizontalBars();
    void emptyReportShowsNoLabels();
    void screenshot();
};

void TestBalancePanel::showsOneBarSetPerSplit()
{
    ui::BalancePanel panel;
    panel.setReport(analysis::computeBalance(threeClasses(true)));
    QAbstractBarSeries *series = barSeries(panel);
    QVERIFY(series);
    QCOMPARE(series->type(), QAbstractSeries::SeriesTypeBar);
    const auto sets = series->barSets();
    QCOMPARE(sets.size(), 2);
    QCOMPARE(sets[0]->label(), QStringLiteral("train"));
    QCOMPARE(sets[1]->label(), QStringLiteral("test"));
    QCOMPARE(values(sets[0]), (QList<qreal>{50, 30, 10}));
    QCOMPARE(values(sets[1]), (QList<qreal>{5, 3, 1}));
    QVERIFY(!panel.isShowingEmptyState());
    QVERIFY(panel.chartView()->renderHints().testFlag(QPainter::Antialiasing));
    const QString summary = panel.summaryLabel()->text().replace(QChar(0x00A0), u' ');
    QVERIFY2(summary.contains(QStringLiteral("99 samples")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("5.0×")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("χ²")), qPrintable(summary));
}

void TestBalancePanel::togglesBetweenSamplesAndObjects()
{
    ui::BalancePanel panel;
    panel.setReport(analysis::computeBalance(threeClasses(true)));
    QVERIFY(panel.objectsButton()->isEnabled());
    QVERIFY(panel.samplesButton()->isChecked());
    panel.objectsButton()->click();
    QCOMPARE(panel.measure(), ui::BalancePanel::Measure::Objects);
    auto sets = barSeries(panel)->barSets();
    QCOMPARE(values(sets[0]), (QList<qreal>{120, 60, 15}));
    QCOMPARE(values(sets[1]), (QList<qreal>{12, 7, 2}));
    panel.samplesButton()->click();
    QCOMPARE(panel.measure(), ui::BalancePanel::Measure::Samples);
    sets = barSeries(panel)->barSets();
    QCOMPARE(values(sets[0]), (QList<qreal>{50, 30, 10}));
}

void TestBalancePanel::detectionDatasetShowsObjects()
{
    // Objects and no image-level labels (COCO, VOC, YOLO): objects from the start.
    analysis::ClassCounts counts = threeClasses(true);
    counts.samples = {{0, 0, 0}, {0, 0, 0}};
    ui::BalancePanel panel;
    panel.setReport(analysis::computeBalance(counts));
    QCOMPARE(panel.measure(), ui::BalancePanel::Measure::Objects);
    QVERIFY(panel.objectsButton()->isChecked());
    QVERIFY(!panel.samplesButton()->isEnabled());
    QCOMPARE(values(barSeries(panel)->barSets()[0]), (QList<qreal>{120, 60, 15}));
}

void TestBalancePanel::toggleDisabledWithoutAnnotations()
{
    ui::BalancePanel panel;
    panel.setReport(analysis::computeBalance(threeClasses(true)));
    panel.setMeasure(ui::BalancePanel::Measure::Objects);
    panel.setReport(analysis::computeBalance(threeClasses(false)));
    QVERIFY(!panel.objectsButton()->isEnabled());
    QVERIFY(panel.samplesButton()->isChecked());
    QCOMPARE(panel.measure(), ui::BalancePanel::Measure::Samples);
    panel.setMeasure(ui::BalancePanel::Measure::Objects);
    QCOMPARE(panel.measure(), ui::BalancePanel::Measure::Samples);
    QCOMPARE(values(barSeries(panel)->barSets()[0]), (QList<qreal>{50, 30, 10}));
}

void TestBalancePanel::clickingABarRequestsAFilter()
{
    ui::BalancePanel panel;
    panel.setReport(analysis::computeBalance(threeClasses(true)));
    QSignalSpy spy(&panel, &ui::BalancePanel::filterRequested);
    emit barSeries(panel)->barSets()[1]->clicked(1);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy[0][0].toString(), QStringLiteral("test"));
    QCOMPARE(spy[0][1].toString(), QStringLiteral("dog"));
}

void TestBalancePanel::manyClassesUseHorizontalBars()
{
    analysis::ClassCounts counts;
    counts.splits = {QStringLiteral("train")};
    counts.samples.resize(1);
    for (int c = 0; c < 20; ++c) {
        counts.classes << QStringLiteral("class %1").arg(c);
        counts.samples[0].push_back(c + 1);
    }
    ui::BalancePanel panel;
    panel.setReport(analysis::computeBalance(counts));
    QAbstractBarSeries *series = barSeries(panel);
    QCOMPARE(series->type(), QAbstractSeries::SeriesTypeHorizontalBar);
    QSignalSpy spy(&panel, &ui::BalancePanel::filterRequested);
    emit series->barSets()[0]->clicked(0); // the bottom bar is the last class
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy[0][1].toString(), QStringLiteral("class 19"));
    QCOMPARE(series->barSets()[0]->at(0), 20.0);
}

void TestBalancePanel::emptyReportShowsNoLabels()
{
    ui::BalancePanel panel;
    panel.setReport(analysis::computeBalance(threeClasses(true)));
    panel.setReport(analysis::computeBalance({}));
    QVERIFY(panel.isShowingEmptyState());
    QVERIFY(panel.chartView()->chart()->series().isEmpty());
    panel.show();
    QVERIFY(!panel.objectsButton()->isVisible());
    const auto labels = panel.findChildren<QLabel *>();
    QVERIFY(std::any_of(labels.begin(), labels.end(), [](const QLabel *label) {
        return label->isVisible() && label->text() == QStringLiteral("No labels yet");
    }));
}

void TestBalancePanel::screenshot()
{
    const QString dir = qEnvironmentVariable("ASSAY_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("set ASSAY_SCREENSHOT_DIR to render the panel");
    analysis::ClassCounts counts;
    counts.classes = {QStringLiteral("T-shirt/top"), QStringLiteral("Trouser"),
                      QStringLiteral("Pullover"), QStringLiteral("Dress"), QStringLiteral("Coat"),
                      QStringLiteral("Sandal"), QStringLiteral("Shirt"), QStringLiteral("Sneaker"),
                      QStringLiteral("Bag"), QStringLiteral("Ankle boot")};
    counts.splits = {QStringLiteral("train"), QStringLiteral("val"), QStringLiteral("test")};
    counts.samples = {{6000, 5400, 6000, 3100, 6000, 6000, 5200, 6000, 800, 6000},
                      {600, 540, 600, 310, 600, 600, 520, 600, 80, 600},
                      {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}};
    const auto render = [&](const analysis::ClassCounts &input, QSize size, const QString &name) {
        ui::BalancePanel panel;
        panel.setReport(analysis::computeBalance(input));
        panel.resize(size);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(panel.grab().save(QDir(dir).filePath(name)));
    };
    render(counts, {800, 450}, QStringLiteral("balancepanel.png"));
    render(counts, {600, 400}, QStringLiteral("balancepanel-600x400.png"));
    render(counts, {1200, 600}, QStringLiteral("balancepanel-1200x600.png"));
    render({}, {600, 400}, QStringLiteral("balancepanel-empty.png"));
    analysis::ClassCounts many;
    many.splits = {QStringLiteral("train"), QStringLiteral("test")};
    many.samples.resize(2);
    for (int c = 0; c < 30; ++c) {
        many.classes << QStringLiteral("species_%1").arg(c, 2, 10, QLatin1Char('0'));
        many.samples[0].push_back(c == 7 ? 0 : 40 + (c * 37) % 300);
        many.samples[1].push_back(c == 7 ? 0 : 10 + (c * 13) % 60);
    }
    render(many, {1200, 600}, QStringLiteral("balancepanel-many-1200x600.png"));
}

QTEST_MAIN(TestBalancePanel)
#include "tst_balancepanel.moc"
