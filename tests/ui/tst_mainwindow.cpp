// The main window on generated projects: counts, the grid, the scan on open, the panels'
// filters and cancelling a job from the status bar.

#include "browser/samplegrid.h"
#include "browser/samplegridmodel.h"
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
#include <QListView>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
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
    QVERIFY(window.openProject(project));
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
    QSignalSpy scanned(&window, &ui::MainWindow::scanFinished);
    QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 30000);
}

void TestMainWindow::modelsPassTheModelTester()
{
    const QString project = importedProject();
    auto opened = store::Project::open(project);

    ui::SampleGrid grid;
    QAbstractItemModelTester gridTester(grid.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    grid.setListing(store::listSamples(opened->db(), {}));
    QCOMPARE(grid.model()->rowCount(), 1525);
    store::SampleFilter dogs;
    dogs.className = QStringLiteral("dog");
    grid.setListing(store::listSamples(opened->db(), dogs));
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
    QSignalSpy scanned(&window, &ui::MainWindow::scanFinished);
    QVERIFY(window.openProject(project));
    QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 30000);
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
    QTest::mouseClick(quality->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(window.filter().issueKind, QStringLiteral("zero_byte"));
    QCOMPARE(gridRows(window), 1);
    QVERIFY(window.grid()->model()->data(window.grid()->model()->index(0),
                                         ui::SampleGridModel::HasIssueRole)
                .toBool());
    window.setFilter({});
    QCOMPARE(gridRows(window), 1527);
    // Thumbnails of good images arrive from the cache file.
    int good = 0;
    while (window.grid()->model()->rowAt(good)->hasIssue)
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
    QVERIFY(window.openProject(project));
    QTableView *counts = window.countsView();
    // Row "dog", column "test" → the 5 test dogs; the store agrees.
    const QRect cell = counts->visualRect(counts->model()->index(1, 1));
    QTest::mouseClick(counts->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(window.filter().className, QStringLiteral("dog"));
    QCOMPARE(window.filter().split, QStringLiteral("test"));
    QCOMPARE(gridRows(window), 5);
    store::SampleFilter filter;
    filter.className = QStringLiteral("cat");
    window.setFilter(filter);
    QCOMPARE(qint64(gridRows(window)),
             window.project()->db().queryInt(
                 "SELECT count(*) FROM samples WHERE category_id = "
                 "(SELECT id FROM categories WHERE name = 'cat')"));
    QSignalSpy scanned(&window, &ui::MainWindow::scanFinished);
    QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 30000);
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
