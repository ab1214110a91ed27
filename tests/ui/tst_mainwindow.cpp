// The main window on a generated project: counts, the sample list, importing from the window.

#include "formats/importer.h"
#include "jobs/jobregistry.h"
#include "jobs/progress.h"
#include "mainwindow/jobstatuswidget.h"
#include "mainwindow/mainwindow.h"
#include "models/countsmodel.h"
#include "models/samplelistmodel.h"
#include "store/project.h"
#include "testdata.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace assay;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void showsCountsAndSamples();
    void modelsPassTheModelTester();
    void importsFromTheWindow();
    void badProjectShowsErrorAndKeepsStartPage();

private:
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
    test::writeImages(m_data + QStringLiteral("/train/cat"), 1500); // more than one page
    test::writeImages(m_data + QStringLiteral("/train/dog"), 20);
    test::writeImages(m_data + QStringLiteral("/test/dog"), 5);
}

void TestMainWindow::showsCountsAndSamples()
{
    const QString project = m_dir->filePath(QStringLiteral("p.assay"));
    jobs::Progress progress;
    formats::importDataset(m_data, project, {}, progress);

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

    QAbstractItemModel *samples = window.sampleView()->model();
    QVERIFY(samples->rowCount() > 0);
    while (samples->canFetchMore({}))
        samples->fetchMore({});
    QCOMPARE(samples->rowCount(), 1525);
    QCOMPARE(samples->index(1524, ui::SampleListModel::ClassColumn).data().toString(),
             QStringLiteral("dog"));
    QVERIFY(window.windowTitle().contains(QStringLiteral("p.assay")));
}

void TestMainWindow::modelsPassTheModelTester()
{
    const QString project = m_dir->filePath(QStringLiteral("p.assay"));
    jobs::Progress progress;
    formats::importDataset(m_data, project, {}, progress);
    auto opened = store::Project::open(project);

    ui::SampleListModel samples;
    QAbstractItemModelTester sampleTester(&samples,
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    samples.setProject(opened.get());
    while (samples.canFetchMore({}))
        samples.fetchMore({});
    QCOMPARE(samples.rowCount(), 1525);

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
    const QString project = m_dir->filePath(QStringLiteral("fromwindow.assay"));
    window.importDataset(m_data, project);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
    QVERIFY(window.project());
    QCOMPARE(window.project()->summary().samples, 1525);
    QTRY_VERIFY(registry.running().empty());
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
