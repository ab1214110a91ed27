// The History panel: the journal as a table, newest first (rows, columns, texts); filters by
// sample path, user and time; "Revert Change" and "Revert Batch" as one undoable edit each; a
// 10,000-row journal read a page at a time (and new rows put on top); a double-click shows the
// sample in the grid. With ASSAY_SCREENSHOT_DIR set, also saves history.png there.

#include "browser/samplegrid.h"
#include "browser/samplegridmodel.h"
#include "edit/commands.h"
#include "edit/editsession.h"
#include "editing/editcontroller.h"
#include "history/historymodel.h"
#include "history/historypanel.h"
#include "jobs/jobregistry.h"
#include "mainwindow/mainwindow.h"
#include "projectfixture.h"
#include "store/project.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <numeric>

using namespace assay;

class TestHistoryPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void tableShowsTheJournalNewestFirst();
    void filtersBySampleUserAndTime();
    void revertsARowAndABatch();
    void readsALongJournalAPageAtATime();
    void doubleClickShowsTheSample();

private:
    // Class edits of samples 1 and 2 by "ada", then a tag of sample 3 by "bob".
    void makeKnownEdits();
    std::int64_t classOf(std::int64_t sample)
    {
        return m_project->db().queryInt("SELECT ifnull(category_id, 0) FROM samples WHERE id = "
                                        + std::to_string(sample));
    }
    QString cell(int row, int column) const
    {
        return m_panel->model()->index(row, column).data().toString();
    }
    void selectRow(int row)
    {
        m_panel->view()->setCurrentIndex(m_panel->model()->index(row, 0));
        m_panel->view()->selectRow(row);
    }
    void open(int samples);
    static void waitForRefresh(ui::EditController *controller);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<jobs::JobRegistry> m_registry;
    std::unique_ptr<store::Project> m_project;
    std::unique_ptr<ui::EditController> m_controller;
    std::unique_ptr<ui::HistoryPanel> m_panel;
    std::int64_t m_target = 0; // the class samples 1 and 2 get
};

void TestHistoryPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestHistoryPanel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("p.assay"));
    m_registry = std::make_unique<jobs::JobRegistry>();
}

void TestHistoryPanel::waitForRefresh(ui::EditController *controller)
{
    // A refresh job still running when its registry goes would never finish.
    if (controller && controller->isRefreshingAnalyses()) {
        QSignalSpy refreshed(controller, &ui::EditController::analysesRefreshed);
        QVERIFY(refreshed.wait(30000));
    }
}

void TestHistoryPanel::cleanup()
{
    waitForRefresh(m_controller.get());
    m_panel.reset();
    m_controller.reset();
    m_project.reset();
}

void TestHistoryPanel::open(int samples)
{
    test::createLabelledProject(m_path, samples, 4);
    m_project = store::Project::open(m_path);
    m_controller = std::make_unique<ui::EditController>(m_registry.get());
    m_controller->setProject(m_project.get());
    m_panel = std::make_unique<ui::HistoryPanel>(m_controller.get());
    m_panel->resize(1100, 500);
}

void TestHistoryPanel::makeKnownEdits()
{
    store::Database &db = m_project->db();
    m_target = 4; // "class3": neither sample 1's nor sample 2's class
    m_controller->session()->setUserName(QStringLiteral("ada"));
    QVERIFY(m_controller->apply(edit::setSampleClass(db, {1, 2}, m_target)));
    m_controller->session()->setUserName(QStringLiteral("bob"));
    QVERIFY(m_controller->apply(edit::setTag(db, {3}, QStringLiteral("blurry"), true)));
}

void TestHistoryPanel::tableShowsTheJournalNewestFirst()
{
    open(40);
    QAbstractItemModelTester tester(m_panel->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(m_panel->model()->rowCount(), 0);
    QCOMPARE(m_panel->summary()->text(), QStringLiteral("No changes match."));
    makeKnownEdits();
    ui::HistoryModel *model = m_panel->model();
    QCOMPARE(model->rowCount(), 3); // the panel followed the controller's changes
    QCOMPARE(model->columnCount(), int(ui::HistoryModel::ColumnCount));
    QCOMPARE(model->headerData(ui::HistoryModel::Change, Qt::Horizontal).toString(),
             QStringLiteral("Old → new"));
    using C = ui::HistoryModel::Column;
    QCOMPARE(cell(0, C::User), QStringLiteral("bob"));
    QCOMPARE(cell(0, C::Sample), QStringLiteral("img/0000002.png"));
    QCOMPARE(cell(0, C::Field), QStringLiteral("tag"));
    QCOMPARE(cell(1, C::User), QStringLiteral("ada"));
    QCOMPARE(cell(1, C::Field), QStringLiteral("class"));
    QCOMPARE(cell(1, C::Sample), QStringLiteral("img/0000001.png"));
    QCOMPARE(cell(1, C::Change), QStringLiteral("class1 → class3"));
    QCOMPARE(cell(2, C::Change), QStringLiteral("class0 → class3"));
    QVERIFY2(cell(2, C::Batch).contains(QStringLiteral("Set the class of 2 samples")),
             qPrintable(cell(2, C::Batch)));
    QCOMPARE(model->index(1, 0).data(ui::HistoryModel::BatchRole),
             model->index(2, 0).data(ui::HistoryModel::BatchRole));
    QVERIFY(cell(0, C::Time).startsWith(QString::number(QDate::currentDate().year())));
    QCOMPARE(m_panel->summary()->text(), QStringLiteral("3 changes"));

    // An undo is journalled too, and shown as one.
    m_controller->undo();
    QCOMPARE(model->rowCount(), 4);
    QVERIFY(cell(0, C::Batch).contains(QStringLiteral("Undo: ")));
    QCOMPARE(cell(0, C::Field), QStringLiteral("tag"));
}

void TestHistoryPanel::filtersBySampleUserAndTime()
{
    open(40);
    makeKnownEdits();
    ui::HistoryModel *model = m_panel->model();

    m_panel->sampleFilter()->setText(QStringLiteral("0000001"));
    m_panel->applyFilters();
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(cell(0, ui::HistoryModel::Sample), QStringLiteral("img/0000001.png"));
    m_panel->sampleFilter()->setText(QStringLiteral("IMG/00000_")); // any case; _ is literal
    m_panel->applyFilters();
    QCOMPARE(model->rowCount(), 0);
    m_panel->sampleFilter()->clear();

    QComboBox *users = m_panel->userFilter();
    QCOMPARE(users->count(), 3); // anyone, ada, bob
    users->setCurrentIndex(users->findText(QStringLiteral("bob")));
    m_panel->applyFilters();
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(cell(0, ui::HistoryModel::User), QStringLiteral("bob"));
    users->setCurrentIndex(0);

    m_panel->sinceChoice()->setCurrentIndex(ui::HistoryPanel::LastHour);
    m_panel->applyFilters();
    QCOMPARE(model->rowCount(), 3);
    m_panel->sinceChoice()->setCurrentIndex(ui::HistoryPanel::Custom);
    m_panel->sinceEdit()->setDateTime(QDateTime::currentDateTime().addDays(1));
    m_panel->applyFilters();
    QCOMPARE(model->rowCount(), 0);
    QCOMPARE(model->totalCount(), 0);
    m_panel->sinceEdit()->setDateTime(QDateTime::currentDateTime().addSecs(-120));
    m_panel->applyFilters();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->totalCount(), 3);
}

void TestHistoryPanel::revertsARowAndABatch()
{
    open(40);
    const std::int64_t class1 = classOf(1), class2 = classOf(2);
    makeKnownEdits();
    QCOMPARE(classOf(1), m_target);
    QUndoStack *stack = m_controller->undoStack();
    const int steps = stack->count();

    // Row 1 is sample 2's class change: only it goes back.
    selectRow(1);
    QVERIFY(m_panel->revertSelectedRows());
    QCOMPARE(classOf(2), class2);
    QCOMPARE(classOf(1), m_target);
    QCOMPARE(stack->count(), steps + 1);
    QCOMPARE(m_panel->model()->rowCount(), 4); // the revert is journalled on top
    m_controller->undo();
    QCOMPARE(classOf(2), m_target);

    // The whole batch of the class change (rows 2 and 3 now: the revert and its undo are on top).
    const int row = m_panel->model()->rowCount() - 1;
    QCOMPARE(m_panel->model()->entry(row).field, QStringLiteral("class"));
    selectRow(row);
    QVERIFY(m_panel->revertCurrentBatch());
    QCOMPARE(classOf(1), class1);
    QCOMPARE(classOf(2), class2);
    QCOMPARE(m_project->db().queryInt("SELECT count(*) FROM sample_tags"), 1); // not its batch
    QCOMPARE(stack->count(), steps + 1); // the undone revert was dropped from redo
    QVERIFY(stack->undoText().startsWith(QStringLiteral("Revert")));
    m_controller->undo();
    QCOMPARE(classOf(1), m_target);
    QCOMPARE(classOf(2), m_target);

    // A read-only project: the buttons are off and nothing is reverted.
    waitForRefresh(m_controller.get());
    m_panel.reset();
    m_controller.reset();
    m_project.reset();
    store::OpenOptions options;
    options.readOnly = true;
    m_project = store::Project::open(m_path, options);
    m_controller = std::make_unique<ui::EditController>(m_registry.get());
    m_controller->setProject(m_project.get());
    m_panel = std::make_unique<ui::HistoryPanel>(m_controller.get());
    selectRow(0);
    QVERIFY(!m_panel->findChild<QPushButton *>()->isEnabled());
    QVERIFY(!m_panel->revertCurrentBatch());
    QCOMPARE(classOf(1), m_target);
}

void TestHistoryPanel::readsALongJournalAPageAtATime()
{
    open(10000);
    std::vector<std::int64_t> all(10000);
    std::iota(all.begin(), all.end(), std::int64_t(1));
    m_panel.reset(); // not reading while the tags are written
    QVERIFY(m_controller->apply(edit::setTag(m_project->db(), all, QStringLiteral("t"), true)));

    QElapsedTimer timer;
    timer.start();
    m_panel = std::make_unique<ui::HistoryPanel>(m_controller.get());
    const qint64 firstPageMs = timer.elapsed();
    ui::HistoryModel *model = m_panel->model();
    QCOMPARE(model->rowCount(), ui::HistoryModel::pageSize);
    QCOMPARE(model->totalCount(), 10000);
    QVERIFY(model->canFetchMore());
    QVERIFY(m_panel->summary()->text().contains(QStringLiteral("latest 200")));

    // The view asks for more as it scrolls to the end.
    m_panel->resize(900, 400);
    m_panel->show();
    QTableView *view = m_panel->view();
    view->scrollToBottom();
    QTRY_VERIFY(model->rowCount() > ui::HistoryModel::pageSize);
    m_panel.reset();

    // Page after page to the first row, then new rows on top (a model of its own: a view and
    // a tester both fetching would trip over each other).
    ui::HistoryModel pages;
    pages.setDatabase(&m_project->db());
    timer.restart();
    int fetched = 0;
    while (pages.canFetchMore()) {
        pages.fetchMore();
        ++fetched;
    }
    qInfo("first page of 10,000 rows: %lld ms; the %d other pages: %lld ms", firstPageMs, fetched,
          qint64(timer.elapsed()));
    QCOMPARE(pages.rowCount(), 10000);
    for (int row = 1; row < pages.rowCount(); ++row)
        QVERIFY(pages.entry(row).row < pages.entry(row - 1).row);
    QCOMPARE(pages.entry(9999).sample, QStringLiteral("img/0000000.png"));
    {
        // (Not across a reset: Qt 6.4's tester fetches more from its modelReset handler and
        // then reports the rows it inserted as overlapping the reset.)
        QAbstractItemModelTester tester(&pages,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(m_controller->apply(edit::setReviewed(m_project->db(), {5}, true)));
        pages.refresh();
        QCOMPARE(pages.rowCount(), 10001);
        QCOMPARE(pages.entry(0).field, QStringLiteral("reviewed"));
    }
    QVERIFY(m_controller->apply(edit::setReviewed(m_project->db(), all, true)));
    pages.refresh(); // more new rows than a page: the first page again
    QCOMPARE(pages.rowCount(), ui::HistoryModel::pageSize);
    QCOMPARE(pages.totalCount(), 10001 + 9999);
    QCOMPARE(pages.entry(0).field, QStringLiteral("reviewed"));
}

void TestHistoryPanel::doubleClickShowsTheSample()
{
    test::createLabelledProject(m_path, 30, 3);
    {
        auto project = store::Project::open(m_path);
        edit::EditSession session(*project);
        session.apply(edit::setReviewed(project->db(), {7}, true));
    }
    ui::MainWindow window(m_registry.get());
    window.setScanOnOpen(false);
    window.resize(1400, 900);
    window.show();
    QSignalSpy result(&window, &ui::MainWindow::resultShown);
    QVERIFY(window.openProject(m_path));
    QTRY_VERIFY_WITH_TIMEOUT(result.count() >= 1, 20000);
    ui::HistoryPanel *panel = window.historyPanel();
    QCOMPARE(panel->model()->rowCount(), 1);

    // The grid shows only sample 2: the sample of the change is shown on its own.
    store::IndexQuery query;
    query.sampleIds = {2};
    query.sampleSet = QStringLiteral("one");
    window.setQuery(query);
    QTRY_COMPARE(window.grid()->currentSampleId(), 2);
    window.showPanel(QStringLiteral("history"));
    QTableView *view = panel->view();
    QTRY_VERIFY(view->isVisible());
    const QRect cell = view->visualRect(panel->model()->index(0, ui::HistoryModel::Sample));
    QSignalSpy activated(panel, &ui::HistoryPanel::sampleActivated);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(activated.count(), 1);
    QTRY_COMPARE(window.grid()->currentSampleId(), 7);
    QTRY_COMPARE(window.grid()->model()->rowCount(), 1);

    if (const QString dir = qEnvironmentVariable("ASSAY_SCREENSHOT_DIR"); !dir.isEmpty()) {
        for (int i = 0; i < 6; ++i) {
            window.edits()->apply(edit::setSampleClass(window.project()->db(),
                                                       {std::int64_t(10 + i), 11 + 2 * i}, 1 + i % 3));
            window.edits()->apply(edit::setTag(window.project()->db(), {std::int64_t(3 + i)},
                                               QStringLiteral("checked"), true));
        }
        window.edits()->undo();
        ui::HistoryPanel wide(window.edits()); // the dock is narrower than the columns
        wide.resize(1180, 380);
        wide.show();
        QTest::qWait(300);
        QVERIFY(wide.grab().save(dir + QStringLiteral("/history.png")));
    }
    waitForRefresh(window.edits());
}

QTEST_MAIN(TestHistoryPanel)
#include "tst_historypanel.moc"
