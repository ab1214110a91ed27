// Edits survive what happens to processes: a kill right after (or between) commits, a scan
// writing beside them, a 100,000-sample bulk edit undone, a second process editing the same file.

#include "edit/commands.h"
#include "edit/editsession.h"
#include "formats/importer.h"
#include "jobs/progress.h"
#include "projectfixture.h"
#include "store/project.h"
#include "testdata.h"
#include "util/error.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <map>
#include <unistd.h>

using namespace assay;
using namespace assay::edit;

class TestEditReliability : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void killedRightAfterAnEditKeepsItUndoable();
    void killedBetweenEditsKeepsEveryCommittedOne();
    void bulkRelabelOf100kUndoesEveryOne();
    void editsWhileAScanRunsAreKept();
    void twoProcessesEditOneProject();

private:
    QString path(const char *name) const { return m_dir->filePath(QString::fromLatin1(name)); }
    // Starts edithelper and waits until it says it committed `batches` edits; returns the last.
    std::int64_t runHelperUntil(QProcess &helper, const QString &mode, int batches);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestEditReliability::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

std::int64_t TestEditReliability::runHelperUntil(QProcess &helper, const QString &mode, int batches)
{
    helper.start(QCoreApplication::applicationDirPath() + QStringLiteral("/edithelper"),
                 {path("p.assay"), mode});
    if (!helper.waitForStarted())
        qFatal("edithelper did not start");
    std::int64_t last = 0;
    int seen = 0;
    QElapsedTimer timer;
    timer.start();
    while (seen < batches && timer.elapsed() < 60000) {
        if (!helper.canReadLine() && !helper.waitForReadyRead(1000))
            continue;
        while (helper.canReadLine()) {
            const QString line = QString::fromUtf8(helper.readLine()).trimmed();
            if (line.startsWith(QStringLiteral("committed "))) {
                last = line.section(u' ', 1).toLongLong();
                ++seen;
            }
        }
    }
    return seen >= batches ? last : -1;
}

void TestEditReliability::killedRightAfterAnEditKeepsItUndoable()
{
    const std::vector<std::int64_t> before = test::createLabelledProject(path("p.assay"), 100, 3);
    QCOMPARE(before[0], 1);
    QProcess helper;
    const std::int64_t batch = runHelperUntil(helper, QStringLiteral("once"), 1);
    QCOMPARE(batch, 1);
    ::kill(pid_t(helper.processId()), SIGKILL);
    QVERIFY(helper.waitForFinished());
    QCOMPARE(helper.exitStatus(), QProcess::CrashExit);

    auto project = store::Project::open(path("p.assay"));
    QCOMPARE(project->db().queryText("PRAGMA integrity_check"), QStringLiteral("ok"));
    QCOMPARE(test::sampleClasses(path("p.assay"))[0], 2);
    EditSession session(*project);
    QVERIFY(session.canUndo());
    QCOMPARE(session.undoText(), QStringLiteral("Set the class of 1 sample to 'class1'"));
    QCOMPARE(session.undoSteps().back().user, QStringLiteral("helper"));
    session.undo();
    QCOMPARE(test::sampleClasses(path("p.assay")), before);
}

void TestEditReliability::killedBetweenEditsKeepsEveryCommittedOne()
{
    std::vector<std::int64_t> expected = test::createLabelledProject(path("p.assay"), 20000, 5);
    QProcess helper;
    const std::int64_t said = runHelperUntil(helper, QStringLiteral("loop"), 8);
    QVERIFY(said > 0);
    ::kill(pid_t(helper.processId()), SIGKILL); // it is in the middle of a later edit, or between
    QVERIFY(helper.waitForFinished());

    auto project = store::Project::open(path("p.assay"));
    store::Database &db = project->db();
    QCOMPARE(db.queryText("PRAGMA integrity_check"), QStringLiteral("ok"));
    const std::int64_t kept = db.queryInt("SELECT max(id) FROM edit_batches");
    QVERIFY2(kept >= said, qPrintable(QStringLiteral("%1 < %2").arg(kept).arg(said)));
    // Every batch is whole (no half-written edit), and the samples are what the journal says.
    QCOMPARE(db.queryInt("SELECT count(*) FROM edit_batches b WHERE row_count != (SELECT "
                         "count(*) FROM edits WHERE batch = b.id)"),
             0);
    QCOMPARE(db.queryInt("SELECT count(*) FROM edits WHERE batch NOT IN (SELECT id FROM "
                         "edit_batches)"),
             0);
    store::Statement last(db, "SELECT sample_id, new_value FROM edits WHERE id IN (SELECT max(id) "
                              "FROM edits GROUP BY sample_id)");
    while (last.step())
        expected[size_t(last.int64(0) - 1)] = last.int64(1);
    QCOMPARE(test::sampleClasses(path("p.assay")), expected);
    EditSession session(*project);
    QCOMPARE(std::int64_t(session.undoSteps().size()), kept);
    session.undo();
    session.redo();
    QCOMPARE(test::sampleClasses(path("p.assay")), expected);
}

void TestEditReliability::bulkRelabelOf100kUndoesEveryOne()
{
    const int count = 100000;
    const std::vector<std::int64_t> before = test::createLabelledProject(path("p.assay"), count, 10);
    {
        auto project = store::Project::open(path("p.assay"));
        store::Database &db = project->db();
        std::vector<std::int64_t> all(count);
        for (int i = 0; i < count; ++i)
            all[size_t(i)] = i + 1;
        EditSession session(*project);
        QElapsedTimer timer;
        timer.start();
        const ApplyResult result = session.apply(setSampleClass(db, all, 3));
        qInfo("relabel of %d samples: %lld ms", count, timer.elapsed());
        QCOMPARE(result.changes, count - count / 10); // a tenth were class #3 already
        QCOMPARE(db.queryInt("SELECT count(*) FROM samples WHERE category_id = 3"), count);
    }
    // After a reopen, one undo restores every one of them.
    auto project = store::Project::open(path("p.assay"));
    EditSession session(*project);
    QElapsedTimer timer;
    timer.start();
    const ChangeEvent event = session.undo();
    qInfo("undo: %lld ms", timer.elapsed());
    QCOMPARE(event.sampleIds.size(), size_t(count - count / 10));
    QCOMPARE(test::sampleClasses(path("p.assay")), before);
    session.redo();
    QCOMPARE(project->db().queryInt("SELECT count(*) FROM samples WHERE category_id = 3"), count);
}

void TestEditReliability::editsWhileAScanRunsAreKept()
{
    const int images = 60000;
    const QString data = path("mnist");
    test::writeIdxImages(data + QStringLiteral("/train-images-idx3-ubyte"), images, 28, 28);
    {
        jobs::Progress progress;
        formats::importDataset(data, path("p.assay"), {}, progress);
    }
    auto project = store::Project::open(path("p.assay"));
    store::Database &db = project->db();
    EditSession session(*project);
    session.apply(addCategory(db, QStringLiteral("even")));
    session.apply(addCategory(db, QStringLiteral("odd")));
    const std::int64_t even = findCategory(db, QStringLiteral("even"));
    const std::int64_t odd = findCategory(db, QStringLiteral("odd"));

    QProcess scan;
    scan.start(test::binaryPath(QStringLiteral("assay-cli")),
               {QStringLiteral("scan"), path("p.assay"), QStringLiteral("--threads"),
                QStringLiteral("1")});
    QVERIFY(scan.waitForStarted());
    std::map<std::int64_t, std::int64_t> expected; // sample -> class
    std::map<std::int64_t, bool> tagged;
    int duringScan = 0, batches = 0, tagBatches = 0;
    QRandomGenerator random(7);
    while (scan.state() != QProcess::NotRunning || batches < 5) {
        std::vector<std::int64_t> ids;
        for (int k = 0; k < 50; ++k)
            ids.push_back(1 + random.bounded(images));
        const std::int64_t category = batches % 2 ? odd : even;
        session.apply(setSampleClass(db, ids, category));
        // Tagging a sample tagged before changes nothing, so it would record no batch.
        if (!tagged.count(ids.front())) {
            session.apply(setTag(db, {ids.front()}, QStringLiteral("seen"), true));
            tagged[ids.front()] = true;
            ++tagBatches;
        }
        for (const std::int64_t id : ids)
            expected[id] = category;
        ++batches;
        if (scan.state() != QProcess::NotRunning)
            ++duringScan;
        QTest::qWait(50);
    }
    QVERIFY(scan.state() == QProcess::NotRunning || scan.waitForFinished(120000));
    QCOMPARE(scan.exitStatus(), QProcess::NormalExit);
    QCOMPARE(scan.exitCode(), 0);
    qInfo("%d edits while the scan ran, %d in all", duringScan, batches);
    QVERIFY2(duringScan >= 5, qPrintable(QString::number(duringScan)));
    // The scan measured everything, and wrote no label: every edit is as made.
    QCOMPARE(db.queryInt("SELECT count(*) FROM features"), images);
    for (const auto &[id, category] : expected) {
        store::Statement row(db, "SELECT category_id FROM samples WHERE id = ?");
        row.bind(1, id);
        QVERIFY(row.step());
        QCOMPARE(row.int64(0), category);
    }
    QCOMPARE(db.queryInt("SELECT count(*) FROM sample_tags"), std::int64_t(tagged.size()));
    QCOMPARE(db.queryInt("SELECT count(*) FROM edit_batches"),
             std::int64_t(2 + batches + tagBatches));
    EditSession reopened(*project);
    QCOMPARE(reopened.undoSteps().size(), size_t(2 + batches + tagBatches));
}

void TestEditReliability::twoProcessesEditOneProject()
{
    test::createLabelledProject(path("p.assay"), 10, 3);
    auto project = store::Project::open(path("p.assay"));
    store::Database &db = project->db();
    EditSession session(*project); // this window's history, read before the other process edits
    session.apply(setTag(db, {1}, QStringLiteral("mine"), true));
    // Another process (assay-cli) relabels sample 1 meanwhile; the file is shared through WAL.
    QProcess cli;
    cli.start(test::binaryPath(QStringLiteral("assay-cli")),
              {QStringLiteral("relabel"), path("p.assay"), QStringLiteral("--class"),
               QStringLiteral("class2"), QStringLiteral("--sample"),
               QStringLiteral("img/0000000.png"), QStringLiteral("--user"), QStringLiteral("cli")});
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 0);
    // This window's next edit reads the values as they are now: the other's relabel stays.
    session.apply(setSampleClass(db, {2}, 3));
    QCOMPARE(test::sampleClasses(path("p.assay"))[0], 3);
    QCOMPARE(test::sampleClasses(path("p.assay"))[1], 3);
    // One history per project: the other's edit is a step between this window's two.
    QCOMPARE(session.undoSteps().size(), size_t(3));
    QCOMPARE(session.undoSteps()[1].user, QStringLiteral("cli"));
    session.undo(); // this window's relabel of sample 2
    session.undo(); // the other process's relabel, taken back like any step
    QCOMPARE(test::sampleClasses(path("p.assay"))[0], 1);
    // A revert prepared before another change of the same value is refused, not applied.
    const EditBatch revert = revertBatch(db, session.undoSteps().back().head); // the tag
    QProcess untag;
    untag.start(test::binaryPath(QStringLiteral("assay-cli")),
                {QStringLiteral("tag"), path("p.assay"), QStringLiteral("--tag"),
                 QStringLiteral("mine"), QStringLiteral("--remove"), QStringLiteral("--sample"),
                 QStringLiteral("img/0000000.png")});
    QVERIFY(untag.waitForFinished(60000));
    QCOMPARE(untag.exitCode(), 0);
    QVERIFY_THROWS_EXCEPTION(Error, session.apply(revert));
    QCOMPARE(db.queryText("PRAGMA integrity_check"), QStringLiteral("ok"));
}

QTEST_GUILESS_MAIN(TestEditReliability)
#include "tst_editreliability.moc"
