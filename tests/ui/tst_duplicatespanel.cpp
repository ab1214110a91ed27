// The Duplicates panel on a generated project with planted copies: the clusters it lists and how
// it filters and orders them, a cluster shown in the grid (and dropped again), the compare
// window, and the threshold slider re-clustering.

#include "analysis/duplicatestore.h"
#include "analysis/storedduplicates.h"
#include "browser/filterpanel.h"
#include "browser/samplegrid.h"
#include "browser/samplegridmodel.h"
#include "duplicates/comparewindow.h"
#include "duplicates/duplicateclustermodel.h"
#include "duplicates/duplicatespanel.h"
#include "formats/importer.h"
#include "inspector/imageviewer.h"
#include "jobs/jobregistry.h"
#include "jobs/progress.h"
#include "mainwindow/mainwindow.h"
#include "browser/browsercontroller.h"
#include "scan/scanner.h"
#include "store/project.h"
#include "testdata.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

using namespace assay;

namespace {

// The same picture a little brighter, encoded again: a near copy, not a byte or pixel copy.
QByteArray brighter(const QByteArray &png)
{
    const std::vector<uchar> bytes(png.begin(), png.end());
    cv::Mat image = cv::imdecode(bytes, cv::IMREAD_COLOR);
    image += cv::Scalar(12, 12, 12);
    std::vector<uchar> out;
    cv::imencode(".png", image, out);
    return QByteArray(reinterpret_cast<const char *>(out.data()), qsizetype(out.size()));
}

} // namespace

class TestDuplicatesPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void listsFiltersAndOrdersClusters();
    void clusterShowsInTheGridAndIsDropped();
    void compareWindowLinesUpTwoMembers();
    void thresholdSliderReclusters();

private:
    QString project() const { return m_dir.filePath(QStringLiteral("p.assay")); }
    // Opens the project (already scanned) and waits for the grid's first result.
    void openWithoutScan(ui::MainWindow &window) const
    {
        window.setScanOnOpen(false);
        QSignalSpy shown(&window, &ui::MainWindow::resultShown);
        QVERIFY(window.openProject(project()));
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, 20000);
        QTRY_VERIFY(!window.browser()->isBusy());
    }
    std::vector<analysis::StoredDuplicateCluster> stored()
    {
        return analysis::loadStoredDuplicateClusters(store::Project::open(project())->db());
    }

    QTemporaryDir m_dir;
    QString m_data;
};

void TestDuplicatesPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_data = m_dir.filePath(QStringLiteral("data"));
    std::uint32_t seed = 1;
    auto write = [&](const QString &relative, const QByteArray &bytes) {
        test::writeFile(m_data + u'/' + relative, bytes);
    };
    QByteArray first, second, third;
    for (const char *name : {"a", "b", "c", "d", "e", "f"}) {
        const QByteArray png = test::texturedPng(64, 48, seed++);
        write(QStringLiteral("train/cat/%1.png").arg(QLatin1StringView(name)), png);
        if (first.isEmpty())
            first = png;
        else if (second.isEmpty())
            second = png;
        else if (third.isEmpty())
            third = png;
    }
    write(QStringLiteral("test/cat/a_copy.png"), first);         // exact, leaks
    write(QStringLiteral("train/dog/b_again.png"), second);      // exact, label conflict
    write(QStringLiteral("test/dog/c_bright.png"), brighter(third)); // near, leaks and conflicts
    jobs::Progress progress;
    formats::importDataset(m_data, project(), {}, progress);
    scan::ScanOptions options;
    scan::scanProject(project(), options, progress);
    auto opened = store::Project::open(project());
    analysis::refreshDuplicates(*opened, analysis::storedDuplicateOptions(*opened), progress);
}

void TestDuplicatesPanel::listsFiltersAndOrdersClusters()
{
    const auto clusters = stored();
    QCOMPARE(clusters.size(), size_t(3));
    ui::DuplicatesPanel panel;
    panel.setClusters(clusters, true, 6, 12);
    ui::DuplicateClusterModel *model = panel.model();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(panel.thresholdSlider()->value(), 6);
    QCOMPARE(panel.thresholdSlider()->maximum(), 12);

    auto show = [&](ui::DuplicateClusterModel::Show kind) {
        panel.showChoice()->setCurrentIndex(panel.showChoice()->findData(int(kind)));
        QStringList firsts;
        for (int row = 0; row < model->rowCount(); ++row)
            firsts << model->cluster(row)->members.front().path.section(u'/', -1);
        firsts.sort();
        return firsts;
    };
    using Show = ui::DuplicateClusterModel::Show;
    QCOMPARE(show(Show::Exact).size(), 2);
    QCOMPARE(show(Show::Near).size(), 1);
    QCOMPARE(show(Show::Leakage).size(), 2);  // a and its test copy; c and its brighter one
    QCOMPARE(show(Show::Conflict).size(), 2); // b (cat and dog); c (cat and dog)
    show(Show::All);

    // Ordered by the largest distance inside each cluster, either way.
    auto distances = [&](ui::DuplicateClusterModel::Order order) {
        panel.orderChoice()->setCurrentIndex(panel.orderChoice()->findData(int(order)));
        std::vector<int> d;
        for (int row = 0; row < model->rowCount(); ++row)
            d.push_back(model->cluster(row)->maxDistance);
        return d;
    };
    const std::vector<int> farthest = distances(ui::DuplicateClusterModel::Order::Farthest);
    QVERIFY(std::is_sorted(farthest.rbegin(), farthest.rend()));
    const std::vector<int> closest = distances(ui::DuplicateClusterModel::Order::Closest);
    QVERIFY(std::is_sorted(closest.begin(), closest.end()));

    // The distance column says what its bits are, and why a member can be farther than the
    // slider (small copies joined by their pixels).
    const QString bitsTip =
        model->headerData(ui::DuplicateClusterModel::Distance, Qt::Horizontal, Qt::ToolTipRole)
            .toString();
    QVERIFY(bitsTip.contains(QStringLiteral("pHash")));
    QVERIFY(bitsTip.contains(QStringLiteral("re-sized")));

    // Conflicting labels are joined with "≠" and drawn as a warning.
    for (int row = 0; row < model->rowCount(); ++row) {
        const auto *cluster = model->cluster(row);
        const QModelIndex labels = model->index(row, ui::DuplicateClusterModel::Labels);
        QCOMPARE(labels.data().toString().contains(QStringLiteral("≠")), cluster->conflict);
        QCOMPARE(labels.data(Qt::FontRole).isValid(), cluster->conflict);
    }
    if (const QString shots = qEnvironmentVariable("ASSAY_SCREENSHOTS"); !shots.isEmpty()) {
        panel.resize(460, 420);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.grab().save(shots + QStringLiteral("/duplicates-panel.png"));
    }
}

void TestDuplicatesPanel::clusterShowsInTheGridAndIsDropped()
{
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    openWithoutScan(window);
    QSignalSpy shown(&window, &ui::MainWindow::resultShown);
    ui::DuplicatesPanel *panel = window.duplicatesPanel();
    QTRY_COMPARE(panel->model()->rowCount(), 3);
    const int total = window.grid()->model()->rowCount();
    QCOMPARE(total, 9);

    QSignalSpy chosen(panel, &ui::DuplicatesPanel::samplesChosen);
    const QModelIndex second = panel->model()->index(1, 0);
    QTest::mouseClick(panel->view()->viewport(), Qt::LeftButton, {},
                      panel->view()->visualRect(second).center());
    QTRY_COMPARE(chosen.count(), 1);
    QTest::qWait(50);
    QCOMPARE(chosen.count(), 1); // not twice for one click
    const auto ids = chosen.front().front().value<std::vector<std::int64_t>>();
    QCOMPARE(ids.size(), panel->model()->cluster(1)->members.size());
    QVERIFY(std::is_sorted(ids.begin(), ids.end()));
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, 10000);
    QTRY_VERIFY(!window.browser()->isBusy());
    QCOMPARE(window.grid()->model()->rowCount(), int(ids.size()));
    QVERIFY(window.filterPanel()->sampleSetRow()->isVisibleTo(window.filterPanel()));

    // The filter dock's ✕ drops the set: every sample again.
    shown.clear();
    auto *drop = window.filterPanel()->sampleSetRow()->findChild<QToolButton *>();
    QVERIFY(drop);
    drop->click();
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, 10000);
    QTRY_VERIFY(!window.browser()->isBusy());
    QCOMPARE(window.grid()->model()->rowCount(), total);
    QVERIFY(!window.filterPanel()->sampleSetRow()->isVisibleTo(window.filterPanel()));
}

void TestDuplicatesPanel::compareWindowLinesUpTwoMembers()
{
    ui::DuplicatesPanel panel;
    panel.setDatasetRoot(m_data);
    panel.setClusters(stored(), true, 6, 12);
    panel.showChoice()->setCurrentIndex(
        panel.showChoice()->findData(int(ui::DuplicateClusterModel::Show::Near)));
    QCOMPARE(panel.model()->rowCount(), 1);
    panel.view()->setCurrentIndex(panel.model()->index(0, 0)); // the near, leaking conflict
    auto *window = qobject_cast<ui::CompareWindow *>(panel.compareCurrent());
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QTRY_VERIFY_WITH_TIMEOUT(window->viewer(0)->hasImage() && window->viewer(1)->hasImage(),
                             10000);
    // A brighter re-encoded copy in another split with another class.
    QCOMPARE(window->differingRows(), (QStringList{QStringLiteral("Split"),
                                                   QStringLiteral("Label"),
                                                   QStringLiteral("File size")}));

    // Zooming one side zooms the other (same image size here: the same factor).
    window->viewer(0)->zoomIn();
    window->viewer(0)->zoomIn();
    QVERIFY(window->viewer(0)->zoom() > 1.0);
    QVERIFY(qAbs(window->viewer(1)->zoom() - window->viewer(0)->zoom()) < 1e-6);
    if (const QString shots = qEnvironmentVariable("ASSAY_SCREENSHOTS"); !shots.isEmpty())
        window->grab().save(shots + QStringLiteral("/duplicates-compare.png"));
    window->close();
}

void TestDuplicatesPanel::thresholdSliderReclusters()
{
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    openWithoutScan(window);
    ui::DuplicatesPanel *panel = window.duplicatesPanel();
    QTRY_COMPARE(panel->model()->rowCount(), 3);
    // At 0 bits only identical pHashes pair up: whether the brighter copy stays depends on its
    // distance, so compare with what the stored clusters say.
    int nearDistance = 0;
    for (const auto &cluster : panel->model()->clusters())
        if (cluster.kind == analysis::DuplicateKind::Near)
            nearDistance = cluster.maxDistance;
    QSignalSpy asked(panel, &ui::DuplicatesPanel::thresholdChosen);
    panel->thresholdSlider()->setValue(0);
    QTRY_COMPARE(asked.count(), 1); // once, after the slider rests
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), nearDistance > 0 ? 2 : 3, 10000);
    QCOMPARE(analysis::storedDuplicateOptions(*store::Project::open(project())).threshold, 0);
    panel->thresholdSlider()->setValue(6);
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 3, 10000);
}

QTEST_MAIN(TestDuplicatesPanel)
#include "tst_duplicatespanel.moc"
