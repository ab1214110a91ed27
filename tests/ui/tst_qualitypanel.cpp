// The Quality panel: issue kinds with counts, and the histogram of the chosen metric filled from
// the index once per choice (a feedback loop once rebuilt it forever while nothing was measured).

#include "analysis/annotationchecks.h"
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
    void annotationGroup();
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

// Annotation issues of an imported COCO dataset: a group of their own, clickable like the
// quality kinds; a missing image is counted but cannot be shown in the grid.
void TestQualityPanel::annotationGroup()
{
    QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("coco"));
    test::writeFile(root + QStringLiteral("/images/a.png"), test::texturedPng(40, 30, 1));
    test::writeFile(root + QStringLiteral("/images/b.png"), test::texturedPng(40, 30, 2));
    test::writeFile(root + QStringLiteral("/annotations/instances_train.json"), R"({
      "images": [{"id": 1, "file_name": "a.png", "width": 40, "height": 30},
                 {"id": 2, "file_name": "b.png", "width": 40, "height": 30},
                 {"id": 3, "file_name": "gone.png", "width": 40, "height": 30}],
      "categories": [{"id": 1, "name": "cat"}],
      "annotations": [{"id": 5, "image_id": 1, "category_id": 1, "bbox": [30, 0, 20, 10]},
                      {"id": 6, "image_id": 1, "category_id": 7, "bbox": [0, 0, 5, 5]},
                      {"id": 7, "image_id": 3, "category_id": 1, "bbox": [0, 0, 5, 5]}]})");
    const QString project = dir.filePath(QStringLiteral("p.assay"));
    jobs::Progress progress;
    formats::importDataset(root, project, {}, progress);
    auto opened = store::Project::open(project);
    const auto index = store::SampleIndex::load(opened->db());
    const store::IndexQualityCounts counts = store::qualityCounts(*index);
    QMap<QString, qint64> perKind;
    for (qsizetype k = 0; k < index->issueKinds.size(); ++k)
        perKind.insert(index->issueKinds[k], counts.perKind[size_t(k)]);

    ui::QualityPanel panel;
    panel.resize(400, 600);
    panel.show();
    panel.setCounts({}, 0, 2);
    QVERIFY(!panel.annotationTable()->isVisible()); // nothing to list: no group
    panel.setCounts(perKind, 0, 2, {{analysis::issuekind::missingImage, 1}});
    QCOMPARE(panel.table()->rowCount(), 0);
    QTableWidget *table = panel.annotationTable();
    QVERIFY(table->isVisible());
    QStringList kinds;
    for (int row = 0; row < table->rowCount(); ++row)
        kinds << table->item(row, 0)->data(Qt::UserRole).toString();
    // In the panel's order: missing image first, then geometry, then categories, then samples.
    QCOMPARE(kinds, test::strings({"missing_image", "box_outside_image", "unknown_category",
                                   "no_annotations"}));
    QCOMPARE(table->item(0, 1)->text(), QStringLiteral("1"));
    QCOMPARE(table->item(1, 0)->text(), QStringLiteral("Box outside the image"));

    QSignalSpy chosen(&panel, &ui::QualityPanel::issueKindChosen);
    auto click = [&](int row) {
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                          table->visualItemRect(table->item(row, 1)).center());
    };
    click(1);
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen.first().first().toString(), QStringLiteral("box_outside_image"));
    click(0); // the missing image is not in the grid: nothing to filter to
    QCOMPARE(chosen.count(), 1);
    click(3);
    QCOMPARE(chosen.count(), 2);
    QCOMPARE(chosen.last().first().toString(), QStringLiteral("no_annotations"));
}

QTEST_MAIN(TestQualityPanel)
#include "tst_qualitypanel.moc"
