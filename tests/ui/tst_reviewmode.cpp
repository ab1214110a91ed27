// Review mode on an imported ImageFolder: it walks the filtered set from the grid's current
// sample; 1–9 set the class and advance, Space marks reviewed, X excludes, C picks a class,
// Ctrl+Z undoes (and returns to the sample), arrows move, R / Esc enter and leave.

#include "browser/browsercontroller.h"
#include "browser/samplegrid.h"
#include "editing/editcontroller.h"
#include "editing/editprompts.h"
#include "editing/reviewview.h"
#include "editing/sampleeditactions.h"
#include "formats/importer.h"
#include "inspector/imageviewer.h"
#include "jobs/jobregistry.h"
#include "jobs/progress.h"
#include "mainwindow/mainwindow.h"
#include "store/project.h"
#include "testdata.h"
#include "windowwait.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace assay;

class TestReviewMode : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void keysEditAndAdvance();
    void worksOnTheFilteredSet();

private:
    static QString classOf(ui::MainWindow &window, std::int64_t sample)
    {
        store::Statement query(window.project()->db(),
                               "SELECT c.name FROM samples s LEFT JOIN categories c ON "
                               "c.id = s.category_id WHERE s.id = ?");
        query.bind(1, sample);
        return query.step() ? query.text(0) : QString();
    }
    static std::int64_t flag(ui::MainWindow &window, const char *column, std::int64_t sample)
    {
        return window.project()->db().queryInt(
            std::string("SELECT ") + column + " FROM samples WHERE id = " + std::to_string(sample));
    }

    QTemporaryDir m_dir;
    QString m_project;
};

void TestReviewMode::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    const QString data = m_dir.filePath(QStringLiteral("data"));
    test::writeImages(data + QStringLiteral("/train/cat"), 8);
    test::writeImages(data + QStringLiteral("/train/dog"), 8);
    test::writeImages(data + QStringLiteral("/train/bird"), 4);
    m_project = m_dir.filePath(QStringLiteral("p.assay"));
    jobs::Progress progress;
    formats::importDataset(data, m_project, {}, progress);
}

void TestReviewMode::keysEditAndAdvance()
{
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    window.show();
    test::openWithoutScan(window, m_project);
    ui::ReviewView *review = window.review();
    QVERIFY(!window.isReviewMode());
    QTest::keyClick(&window, Qt::Key_R);
    QVERIFY(window.isReviewMode());
    QCOMPARE(review->count(), size_t(20));
    QCOMPARE(review->position(), size_t(0));
    QCOMPARE(review->currentSampleId(), window.grid()->currentSampleId());
    QTRY_VERIFY(review->viewer()->hasImage());
    QVERIFY(review->headerText().startsWith(QStringLiteral("1 / 20")));

    const QStringList classes = window.sampleEdits()->classNames();
    QCOMPARE(classes.size(), 3);
    const std::int64_t first = review->currentSampleId();
    const QString before = classOf(window, first);
    const int key = classes[0] == before ? 1 : 0; // a class the sample does not have
    QTest::keyClick(review, Qt::Key(Qt::Key_1 + key));
    QCOMPARE(classOf(window, first), classes[key]);
    QCOMPARE(review->position(), size_t(1));
    QVERIFY(review->headerText().startsWith(QStringLiteral("2 / 20")));

    const std::int64_t second = review->currentSampleId();
    QTest::keyClick(review, Qt::Key_Space);
    QCOMPARE(flag(window, "reviewed", second), std::int64_t(1));
    QCOMPARE(review->position(), size_t(2));

    const std::int64_t third = review->currentSampleId();
    QTest::keyClick(review, Qt::Key_X);
    QCOMPARE(flag(window, "excluded", third), std::int64_t(1));
    QCOMPARE(review->position(), size_t(3));
    QTest::keyClick(review, Qt::Key_Left);
    QCOMPARE(review->currentSampleId(), third);
    QVERIFY(review->headerText().contains(QStringLiteral("excluded")));
    QTest::keyClick(review, Qt::Key_Right);

    // The class picker: C, then a preset answer.
    const std::int64_t fourth = review->currentSampleId();
    const QString other = classes[(classes.indexOf(classOf(window, fourth)) + 1) % 3];
    ui::presetEditAnswers({other});
    QTest::keyClick(review, Qt::Key_C);
    QCOMPARE(classOf(window, fourth), other);
    QCOMPARE(review->position(), size_t(4));
    QCOMPARE(window.edits()->undoStack()->count(), 4);

    // Ctrl+Z (the window's shortcut) undoes the last step and goes back to its sample.
    QTest::keyClick(review, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(classOf(window, fourth) != other);
    QCOMPARE(review->currentSampleId(), fourth);
    QTest::keyClick(review, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(flag(window, "excluded", third), std::int64_t(0));
    QCOMPARE(review->currentSampleId(), third);
    QVERIFY(!review->headerText().contains(QStringLiteral("excluded")));
    QTest::keyClick(review, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(flag(window, "excluded", third), std::int64_t(1));
    QVERIFY(review->headerText().contains(QStringLiteral("excluded")));
    // X on an excluded sample includes it again.
    QTest::keyClick(review, Qt::Key_X);
    QCOMPARE(flag(window, "excluded", third), std::int64_t(0));

    // J and K move the review, not the grid behind it.
    const qint64 gridCurrent = window.grid()->currentSampleId();
    QTest::keyClick(review, Qt::Key_K);
    QCOMPARE(window.grid()->currentSampleId(), gridCurrent);
    const std::int64_t last = review->currentSampleId();
    QTest::keyClick(review, Qt::Key_Escape);
    QVERIFY(!window.isReviewMode());
    QCOMPARE(window.grid()->currentSampleId(), last);
    QTRY_VERIFY(!window.browser()->isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(!window.edits()->isRefreshingAnalyses(), 30000);
}

void TestReviewMode::worksOnTheFilteredSet()
{
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    window.show();
    test::openWithoutScan(window, m_project);
    test::changeAndWait(window, [&] { window.filterBy(QStringLiteral("bird"), {}, {}); });
    window.setReviewMode(true);
    ui::ReviewView *review = window.review();
    // (The first test relabelled one sample: count the birds now.)
    const auto birds = size_t(window.project()->db().queryInt(
        "SELECT count(*) FROM samples s JOIN categories c ON c.id = s.category_id "
        "WHERE c.name = 'bird'"));
    QVERIFY(birds >= 3);
    QCOMPARE(review->count(), birds);
    for (size_t i = 0; i < birds; ++i) {
        QCOMPARE(classOf(window, review->currentSampleId()), QStringLiteral("bird"));
        QTest::keyClick(review, Qt::Key_PageDown);
    }
    QCOMPARE(review->position(), birds - 1); // stops at the end
    QTest::keyClick(review, Qt::Key_Home);
    QCOMPARE(review->position(), size_t(0));
    QTest::keyClick(&window, Qt::Key_R);
    QVERIFY(!window.isReviewMode());
}

QTEST_MAIN(TestReviewMode)
#include "tst_reviewmode.moc"
