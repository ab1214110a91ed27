// The main window on generated projects: counts, the grid, the scan on open, the panels'
// filters and cancelling a job from the status bar.

#include "browser/browsercontroller.h"
#include "browser/facetlist.h"
#include "browser/filterpanel.h"
#include "browser/samplegrid.h"
#include "browser/samplegridmodel.h"
#include "inspector/sampleinspector.h"
#include "store/indexquery.h"
#include "store/sampleindex.h"
#include "formats/importer.h"
#include "jobs/jobregistry.h"
#include "jobs/progress.h"
#include "mainwindow/jobstatuswidget.h"
#include "mainwindow/mainwindow.h"
#include "mainwindow/scancontroller.h"
#include "models/countsmodel.h"
#include "panels/qualitypanel.h"
#include "store/project.h"
#include "testdata.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTreeWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace assay;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void showsCountsAndGrid();
    void modelsPassTheModelTester();
    void importsFromTheWindow();
    void scanOnOpenFillsQualityAndFilters();
    void countsClickFiltersByClassAndSplit();
    void filterDockClassMatchesStore();
    void selectingAThumbnailShowsItInTheInspector();
    void keyboardStepsThroughTheFilteredSet();
    void cancelRunningScanFromStatusBar();
    void badProjectShowsErrorAndKeepsStartPage();

private:
    QString importedProject()
    {
        const QString project = m_dir->filePath(QStringLiteral("p.assay"));
        jobs::Progress progress;
        formats::importDataset(m_data, project, {}, progress);
        return project;
    }
    static int gridRows(ui::MainWindow &window) { return window.grid()->model()->rowCount(); }
    // Opens a project and waits until its grid shows the first result (and its scan is done).
    static void openAndWait(ui::MainWindow &window, const QString &project)
    {
        QSignalSpy shown(&window, &ui::MainWindow::resultShown);
        QSignalSpy scanned(&window, &ui::MainWindow::scanFinished);
        QVERIFY(window.openProject(project));
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 1, 30000);
        QTRY_VERIFY(!window.browser()->isBusy());
    }
    // Runs `change` and waits for the grid to show the result it asked for.
    template<typename Change>
    static void andWait(ui::MainWindow &window, Change change)
    {
        QSignalSpy shown(&window, &ui::MainWindow::resultShown);
        change();
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, 10000);
        QTRY_VERIFY(!window.browser()->isBusy());
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_data;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestMainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_data = m_dir->filePath(QStringLiteral("data"));
    test::writeImages(m_data + QStringLiteral("/train/cat"), 1500);
    test::writeImages(m_data + QStringLiteral("/train/dog"), 20);
    test::writeImages(m_data + QStringLiteral("/test/dog"), 5);
}

void TestMainWindow::showsCountsAndGrid()
{
    const QString project = importedProject();
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    window.show();
    openAndWait(window, project);
    QAbstractItemModel *counts = window.countsView()->model();
    // rows: cat, dog, total; columns: train, test, total
    QCOMPARE(counts->rowCount(), 3);
    QCOMPARE(counts->columnCount(), 3);
    QCOMPARE(counts->headerData(0, Qt::Vertical).toString(), QStringLiteral("cat"));
    QCOMPARE(counts->headerData(0, Qt::Horizontal).toString(), QStringLiteral("train"));
    QCOMPARE(counts->index(0, 0).data().toString(), QLocale().toString(1500));
    QCOMPARE(counts->index(1, 1).data().toString(), QStringLiteral("5"));
    QCOMPARE(counts->index(2, 2).data().toString(), QLocale().toString(1525));
    QCOMPARE(gridRows(window), 1525);
    QCOMPARE(window.grid()->model()->index(1524).data().toString(), QStringLiteral("dog"));
    QVERIFY(window.windowTitle().contains(QStringLiteral("p.assay")));
}

void TestMainWindow::modelsPassTheModelTester()
{
    const QString project = importedProject();
    auto opened = store::Project::open(project);

    ui::SampleGrid grid;
    QAbstractItemModelTester gridTester(grid.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto index = store::SampleIndex::load(opened->db());
    grid.setResult(index, std::make_shared<store::QueryResult>(store::runQuery(*index, {})));
    QCOMPARE(grid.model()->rowCount(), 1525);
    store::IndexQuery dogs;
    dogs.classes = {int(index->classes.indexOf(QStringLiteral("dog")))};
    grid.setResult(index, std::make_shared<store::QueryResult>(store::runQuery(*index, dogs)));
    QCOMPARE(grid.model()->rowCount(), 25);

    ui::CountsModel counts;
    QAbstractItemModelTester countsTester(&counts,
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    counts.setSummary(opened->summary());
    QCOMPARE(counts.rowCount(), 3);
}

void TestMainWindow::importsFromTheWindow()
{
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    window.show();
    QSignalSpy opened(&window, &ui::MainWindow::projectOpened);
    QSignalSpy scanned(&window, &ui::MainWindow::scanFinished);
    const QString project = m_dir->filePath(QStringLiteral("fromwindow.assay"));
    window.importDataset(m_data, project);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
    QVERIFY(window.project());
    QCOMPARE(window.project()->summary().samples, 1525);
    QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 30000);
    QTRY_VERIFY(registry.running().empty());
}

void TestMainWindow::scanOnOpenFillsQualityAndFilters()
{
    test::writeFile(m_data + QStringLiteral("/test/dog/broken.png"), "not a png at all");
    test::writeFile(m_data + QStringLiteral("/test/dog/empty.png"), QByteArray());
    const QString project = importedProject();
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    window.show();
    openAndWait(window, project);
    QTableWidget *quality = window.qualityPanel()->table();
    QCOMPARE(quality->rowCount(), 2); // zero bytes, unsupported type
    int zeroRow = -1;
    for (int row = 0; row < quality->rowCount(); ++row) {
        if (quality->item(row, 0)->data(Qt::UserRole).toString() == u"zero_byte")
            zeroRow = row;
    }
    QVERIFY(zeroRow >= 0);
    QCOMPARE(quality->item(zeroRow, 1)->text(), QStringLiteral("1"));
    const QRect cell = quality->visualItemRect(quality->item(zeroRow, 1));
    andWait(window, [&] {
        QTest::mouseClick(quality->viewport(), Qt::LeftButton, {}, cell.center());
    });
    const auto index = window.browser()->index();
    QCOMPARE(window.query().issueKinds,
             std::vector<int>{int(index->issueKinds.indexOf(QStringLiteral("zero_byte")))});
    QCOMPARE(gridRows(window), 1);
    QVERIFY(window.grid()->model()->data(window.grid()->model()->index(0),
                                         ui::SampleGridModel::HasIssueRole)
                .toBool());
    andWait(window, [&] { window.setQuery({}); });
    QCOMPARE(gridRows(window), 1527);
    // Thumbnails of good images arrive from the cache file.
    int good = 0;
    while (window.grid()->model()->index(good).data(ui::SampleGridModel::HasIssueRole).toBool())
        ++good;
    const QModelIndex first = window.grid()->model()->index(good);
    window.grid()->model()->data(first, ui::SampleGridModel::ThumbnailRole);
    QTRY_VERIFY(!window.grid()->model()->data(first, ui::SampleGridModel::ThumbnailRole)
                     .value<QImage>()
                     .isNull());
}

void TestMainWindow::countsClickFiltersByClassAndSplit()
{
    const QString project = importedProject();
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    window.show();
    openAndWait(window, project);
    window.showPanel(QStringLiteral("counts"));
    QTableView *counts = window.countsView();
    // Row "dog", column "test" → the 5 test dogs.
    const QRect cell = counts->visualRect(counts->model()->index(1, 1));
    andWait(window, [&] { QTest::mouseClick(counts->viewport(), Qt::LeftButton, {}, cell.center()); });
    const auto index = window.browser()->index();
    QCOMPARE(window.query().classes, std::vector<int>{int(index->classes.indexOf(QStringLiteral("dog")))});
    QCOMPARE(window.query().splits, std::vector<int>{int(index->splits.indexOf(QStringLiteral("test")))});
    QCOMPARE(gridRows(window), 5);
    // The filter dock follows: the dog box is checked.
    QCOMPARE(window.filterPanel()->classFacet()->checked(), window.query().classes);
}

void TestMainWindow::filterDockClassMatchesStore()
{
    const QString project = importedProject();
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    window.show();
    openAndWait(window, project);
    QTreeWidget *classes = window.filterPanel()->classFacet()->tree();
    QTreeWidgetItem *cat = classes->topLevelItem(0);
    QCOMPARE(cat->text(0), QStringLiteral("cat"));
    QCOMPARE(cat->text(1), QLocale().toString(1500));
    andWait(window, [&] { cat->setCheckState(0, Qt::Checked); });
    QCOMPARE(qint64(gridRows(window)),
             window.project()->db().queryInt(
                 "SELECT count(*) FROM samples WHERE category_id = "
                 "(SELECT id FROM categories WHERE name = 'cat')"));
    // Search narrows further; counts of the other facets follow.
    andWait(window, [&] {
        QTest::keyClicks(window.filterPanel()->searchBox(), QStringLiteral("img_1"));
    });
    const qint64 expected = window.project()->db().queryInt(
        "SELECT count(*) FROM samples WHERE category_id = "
        "(SELECT id FROM categories WHERE name = 'cat') AND path LIKE '%img!_1%' ESCAPE '!'");
    QCOMPARE(qint64(gridRows(window)), expected);
}

void TestMainWindow::selectingAThumbnailShowsItInTheInspector()
{
    const QString project = importedProject();
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    window.show();
    openAndWait(window, project);
    QListView *view = window.grid()->view();
    const QModelIndex third = view->model()->index(2, 0);
    QSignalSpy shown(window.inspector(), &ui::SampleInspector::imageShown);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(third).center());
    QTRY_VERIFY(shown.count() >= 1);
    const qint64 id = third.data(ui::SampleGridModel::SampleIdRole).toLongLong();
    QCOMPARE(shown.last().first().toLongLong(), id);
    QCOMPARE(window.grid()->currentSampleId(), id);
}

void TestMainWindow::keyboardStepsThroughTheFilteredSet()
{
    const QString project = importedProject();
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    window.show();
    openAndWait(window, project);
    const auto index = window.browser()->index();
    store::IndexQuery dogs;
    dogs.classes = {int(index->classes.indexOf(QStringLiteral("dog")))};
    andWait(window, [&] { window.setQuery(dogs); });
    QAbstractItemModel *model = window.grid()->model();
    const qint64 first = model->index(0, 0).data(ui::SampleGridModel::SampleIdRole).toLongLong();
    const qint64 second = model->index(1, 0).data(ui::SampleGridModel::SampleIdRole).toLongLong();
    QVERIFY(window.selectSample(first));
    QSignalSpy shown(window.inspector(), &ui::SampleInspector::imageShown);
    QTest::keyClick(&window, Qt::Key_K);
    QCOMPARE(window.grid()->currentSampleId(), second);
    QTRY_VERIFY(shown.count() >= 1 && shown.last().first().toLongLong() == second);
    QTest::keyClick(&window, Qt::Key_J);
    QCOMPARE(window.grid()->currentSampleId(), first);
    // Stepping stays inside the filtered set: every step lands on a dog.
    for (int i = 0; i < 30; ++i)
        QTest::keyClick(&window, Qt::Key_K);
    const int row = model->rowCount() - 1;
    QCOMPARE(window.grid()->currentSampleId(),
             model->index(row, 0).data(ui::SampleGridModel::SampleIdRole).toLongLong());
}

void TestMainWindow::cancelRunningScanFromStatusBar()
{
    QDir(m_data).removeRecursively();
    test::writeIdxImages(m_data + QStringLiteral("/train-images-idx3-ubyte"), 150000, 28, 28);
    const QString project = importedProject();
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    window.show();
    QSignalSpy scanned(&window, &ui::MainWindow::scanFinished);
    QVERIFY(window.openProject(project));
    QTRY_VERIFY(window.jobStatus()->isVisible());
    QTRY_VERIFY(window.project()->db().queryInt("SELECT count(*) FROM features") > 0);
    QTest::mouseClick(window.jobStatus()->cancelButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 30000);
    const qint64 kept = window.project()->db().queryInt("SELECT count(*) FROM features");
    QVERIFY2(kept > 0 && kept < 150000, qPrintable(QString::number(kept)));
    QTRY_VERIFY(!window.jobStatus()->isVisible());
}

void TestMainWindow::badProjectShowsErrorAndKeepsStartPage()
{
    const QString file = m_dir->filePath(QStringLiteral("bad.assay"));
    test::writeFile(file, "not a database");
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    window.show();
    QVERIFY(!window.openProject(file));
    QVERIFY(!window.project());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
