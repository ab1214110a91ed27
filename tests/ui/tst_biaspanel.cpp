// The Bias panel on a project with a planted slice (the darkest images are mostly "night"):
// the reported slices, the attribute bars and the heat map, and a slice shown in the grid.

#include "analysis/biasstore.h"
#include "analysis/refresh.h"
#include "bias/biascharts.h"
#include "bias/biaspanel.h"
#include "bias/biasslicemodel.h"
#include "browser/browsercontroller.h"
#include "browser/filterpanel.h"
#include "browser/samplegrid.h"
#include "browser/samplegridmodel.h"
#include "formats/importer.h"
#include "jobs/jobregistry.h"
#include "jobs/progress.h"
#include "mainwindow/mainwindow.h"
#include "scan/scanner.h"
#include "store/project.h"
#include "synthslicegen.h"
#include "testdata.h"

#include <QCheckBox>
#include <QDir>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace assay;
using namespace assay::analysis::bias;

class TestBiasPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void showsSlicesBarsAndResiduals();
    void sliceShowsInTheGrid();

private:
    QString project() const { return m_dir.filePath(QStringLiteral("p.assay")); }
    QTemporaryDir m_dir;
};

void TestBiasPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    const QString data = m_dir.filePath(QStringLiteral("data"));
    QDir().mkpath(data);
    test::SplitMix64 random(11);
    QString csv = QStringLiteral("path,label\n");
    for (int i = 0; i < 400; ++i) {
        const double brightness = 255.0 * random.uniform();
        // "night" is 75 % of the darkest fifth and 15 % elsewhere.
        const bool night = random.uniform() < (brightness < 51.0 ? 0.75 : 0.15);
        const QString name = QStringLiteral("img_%1.png").arg(i, 3, 10, QLatin1Char('0'));
        test::writeFile(QDir(data).filePath(name), test::greyNoisePng(brightness, random));
        csv += QStringLiteral("%1,%2\n").arg(name, night ? QStringLiteral("night")
                                                         : QStringLiteral("day"));
    }
    test::writeFile(QDir(data).filePath(QStringLiteral("labels.csv")), csv.toUtf8());
    jobs::Progress progress;
    formats::importDataset(QDir(data).filePath(QStringLiteral("labels.csv")), project(), {},
                           progress);
    scan::ScanOptions options;
    const scan::ScanSummary summary = scan::scanProject(project(), options, progress);
    // What the scan command and the window run after a scan: the slice search among it.
    analysis::refreshAfterScan(*store::Project::open(project()), summary.computed > 0, progress);
}

void TestBiasPanel::showsSlicesBarsAndResiduals()
{
    SliceResults results;
    QVERIFY(loadStoredSlices(store::Project::open(project())->db(), results));
    ui::BiasPanel panel;
    panel.setResults(results, true);
    ui::BiasSliceModel *model = panel.model();
    QCOMPARE(model->rowCount(), int(results.reported()));
    QVERIFY(model->rowCount() >= 1);
    // The planted slice first: the darkest brightness bin, driven by "night".
    const SliceRecord *top = model->slice(0);
    QVERIFY(top->text.startsWith(QStringLiteral("brightness")));
    QCOMPARE(model->index(0, ui::BiasSliceModel::DriverClass).data().toString(),
             QStringLiteral("night"));
    QVERIFY(model->index(0, ui::BiasSliceModel::Ratio).data().toString().contains(u'['));
    panel.showAll()->setChecked(true);
    QCOMPARE(model->rowCount(), int(results.slices.size()));
    panel.showAll()->setChecked(false);

    // Bars: one per attribute summary, brightness (the strongest) chosen, its residuals shown.
    QCOMPARE(panel.bars()->barCount(), int(results.attributeSummary.size()));
    QCOMPARE(panel.bars()->current(), 0);
    QSignalSpy chosen(panel.bars(), &ui::AttributeBars::barChosen);
    if (panel.bars()->barCount() > 1) {
        panel.bars()->setCurrent(1);
        QCOMPARE(chosen.count(), 1);
    }
    QCOMPARE(ui::ResidualHeatMap::colorOf(0).red(), 0xfa);
    QVERIFY(ui::ResidualHeatMap::colorOf(6).red() > ui::ResidualHeatMap::colorOf(6).blue());
    QVERIFY(ui::ResidualHeatMap::colorOf(-6).blue() > ui::ResidualHeatMap::colorOf(-6).red());
    if (const QString shots = qEnvironmentVariable("ASSAY_SCREENSHOTS"); !shots.isEmpty()) {
        panel.bars()->setCurrent(0);
        panel.resize(520, 560);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.grab().save(shots + QStringLiteral("/bias-slices.png"));
        panel.findChild<QTabWidget *>(QStringLiteral("biasTabs"))->setCurrentIndex(1);
        panel.grab().save(shots + QStringLiteral("/bias-attributes.png"));
    }
}

void TestBiasPanel::sliceShowsInTheGrid()
{
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    window.setScanOnOpen(false);
    QSignalSpy shown(&window, &ui::MainWindow::resultShown);
    QVERIFY(window.openProject(project()));
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, 20000);
    QTRY_VERIFY(!window.browser()->isBusy());
    ui::BiasPanel *panel = window.biasPanel();
    QTRY_VERIFY(panel->model()->rowCount() >= 1);
    const SliceRecord top = *panel->model()->slice(0);
    shown.clear();
    QTest::mouseClick(panel->view()->viewport(), Qt::LeftButton, {},
                      panel->view()->visualRect(panel->model()->index(0, 0)).center());
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, 10000);
    QTRY_VERIFY(!window.browser()->isBusy());
    // Every labelled sample was tested (no copies): the grid shows exactly the slice.
    QCOMPARE(window.grid()->model()->rowCount(), int(top.n));
    QVERIFY(window.filterPanel()->sampleSetRow()->isVisibleTo(window.filterPanel()));
}

QTEST_MAIN(TestBiasPanel)
#include "tst_biaspanel.moc"
