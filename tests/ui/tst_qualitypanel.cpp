// The Quality panel: issue kinds with counts, and the histogram of the chosen metric filled from
// the index once per choice (a feedback loop once rebuilt it forever while nothing was measured).

#include "formats/importer.h"
#include "jobs/progress.h"
#include "panels/metrichistogram.h"
#include "panels/qualitypanel.h"
#include "store/project.h"
#include "store/sampleindex.h"
#include "testdata.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace assay;

class TestQualityPanel : public QObject
{
    Q_OBJECT
private slots:
    void countsAndHistogram();
};

void TestQualityPanel::countsAndHistogram()
{
    QTemporaryDir dir;
    test::writeImages(dir.filePath(QStringLiteral("data/cat")), 30);
    const QString project = dir.filePath(QStringLiteral("p.assay"));
    jobs::Progress progress;
    formats::importDataset(dir.filePath(QStringLiteral("data")), project, {}, progress);
    auto opened = store::Project::open(project);
    const auto index = store::SampleIndex::load(opened->db()); // not scanned: every value NaN

    ui::QualityPanel panel;
    panel.resize(400, 500);
    panel.show();
    panel.setCounts({{QStringLiteral("dark"), 3}, {QStringLiteral("corrupt"), 1}}, 10, 30);
    QCOMPARE(panel.table()->rowCount(), 2);
    QSignalSpy chosen(&panel, &ui::QualityPanel::issueKindChosen);
    QTest::mouseClick(panel.table()->viewport(), Qt::LeftButton, {},
                      panel.table()->visualItemRect(panel.table()->item(0, 0)).center());
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen.first().first().toString(), QStringLiteral("corrupt")); // kinds in list order

    panel.setIndex(index);
    QTest::qWait(300);
    QCOMPARE(panel.histogramFills(), 1); // once, not in a loop
    QCOMPARE(panel.histogram()->currentKey(), QStringLiteral("luma_p99"));
    QVERIFY(panel.histogram()->isShowingEmptyState());
    // The user picks another metric: its values are loaded, once.
    QComboBox *combo = panel.histogram()->metricCombo();
    const int width = combo->findData(QStringLiteral("width"));
    QVERIFY(width >= 0);
    combo->setCurrentIndex(width);
    emit combo->activated(width);
    QTest::qWait(300);
    QCOMPARE(panel.histogramFills(), 2);
    QCOMPARE(panel.histogram()->currentKey(), QStringLiteral("width"));
    QCOMPARE(panel.histogram()->measuredCount(), 0);
}

QTEST_MAIN(TestQualityPanel)
#include "tst_qualitypanel.moc"
