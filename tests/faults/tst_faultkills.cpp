// SIGKILL at seeded points of import, re-import, scan, bulk edit and export (issue #10): after
// every kill the project opens, PRAGMA integrity_check is ok, what was committed is there (and
// nothing half-written), and the next run completes the interrupted one. The kill delays are
// drawn from a fixed seed over the length of an uninterrupted run of the same work, so the
// points spread from process start to the last commit whatever the machine's speed.

#include "faultrun.h"
#include "projectfixture.h"
#include "testdata.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace assay;

namespace {

constexpr int points = 20;
constexpr quint32 seed = 20261121;
constexpr int images = 1500;

// The kill delays: fractions of the work's length drawn from a fixed seed (a different stream
// per operation). The length is the uninterrupted run's, shortened to any later run that
// finished before its kill: a first run slowed by a busy machine would otherwise put every
// later kill after the end.
class KillSchedule
{
public:
    KillSchedule(std::int64_t longest, quint32 stream)
        : m_random(seed + stream), m_longest(std::max<std::int64_t>(longest, 1))
    {
    }
    std::int64_t next() { return std::int64_t(m_random.generateDouble() * double(m_longest)); }
    void observe(const test::ChildRun &run)
    {
        if (!run.killed && run.elapsedMs > 0)
            m_longest = std::min(m_longest, run.elapsedMs);
    }

private:
    QRandomGenerator m_random;
    std::int64_t m_longest;
};

QStringList filesUnder(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << QDir(dir).relativeFilePath(it.next());
    files.sort();
    return files;
}

QString describe(int point, std::int64_t delay, const test::ChildRun &run)
{
    return QStringLiteral("point %1 (kill after %2 ms, %3): %4")
        .arg(point)
        .arg(delay)
        .arg(run.killed ? QStringLiteral("killed") : QStringLiteral("had finished"))
        .arg(run.err.left(400));
}

} // namespace

class TestFaultKills : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void killedImportLeavesNoProjectOrAWholeOne();
    void killedReimportKeepsTheOldStateOrTheNew();
    void killedScanKeepsCommittedFeaturesAndResumes();
    void killedBulkRelabelIsAllOrNothing();
    void killedExportLeavesProjectAndDatasetAlone();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    QString dataset() const { return path(QStringLiteral("data")); }
    void writeDataset(int perClass);
    test::ChildRun importInto(const QString &project, std::int64_t killAfterMs = -1);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestFaultKills::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestFaultKills::writeDataset(int perClass)
{
    test::writeImages(dataset() + QStringLiteral("/cat"), perClass);
    test::writeImages(dataset() + QStringLiteral("/dog"), perClass);
}

test::ChildRun TestFaultKills::importInto(const QString &project, std::int64_t killAfterMs)
{
    return test::runCliKilledAfter(
        {QStringLiteral("import"), dataset(), QStringLiteral("--project"), project}, killAfterMs);
}

void TestFaultKills::killedImportLeavesNoProjectOrAWholeOne()
{
    writeDataset(images / 2);
    const test::ChildRun whole = importInto(path(QStringLiteral("whole.assay")));
    QCOMPARE(whole.exitCode, 0);
    int landed = 0;
    KillSchedule kills(whole.elapsedMs, 1);
    for (int i = 0; i < points; ++i) {
        const std::int64_t delay = kills.next();
        const QString project = path(QStringLiteral("p%1.assay").arg(i));
        const test::ChildRun run = importInto(project, delay);
        landed += run.killed ? 1 : 0;
        kills.observe(run);
        // A new project is renamed into place only when complete: no file, or all of it.
        if (QFileInfo::exists(project)) {
            QVERIFY2(test::projectIntegrity(project) == QStringLiteral("ok"),
                     qPrintable(describe(i, delay, run)));
            QCOMPARE(test::projectInt(project, "SELECT count(*) FROM samples"), images);
        }
        const test::ChildRun again = importInto(project);
        QVERIFY2(again.exitCode == 0, qPrintable(describe(i, delay, again)));
        QCOMPARE(test::projectIntegrity(project), QStringLiteral("ok"));
        QCOMPARE(test::projectInt(project, "SELECT count(*) FROM samples"), images);
    }
    qInfo("%d of %d kills landed while the import ran", landed, points);
    QVERIFY(landed > 0);
}

void TestFaultKills::killedReimportKeepsTheOldStateOrTheNew()
{
    writeDataset(images / 2);
    const QString base = path(QStringLiteral("base.assay"));
    QCOMPARE(importInto(base).exitCode, 0);
    // The dataset grows by a third class; a re-import adds it.
    test::writeImages(dataset() + QStringLiteral("/bird"), images / 2);
    const QString timing = path(QStringLiteral("timing.assay"));
    QVERIFY(QFile::copy(base, timing));
    const test::ChildRun whole = importInto(timing);
    QCOMPARE(whole.exitCode, 0);
    const std::int64_t grown = images + images / 2;
    int landed = 0;
    KillSchedule kills(whole.elapsedMs, 2);
    for (int i = 0; i < points; ++i) {
        const std::int64_t delay = kills.next();
        const QString project = path(QStringLiteral("p%1.assay").arg(i));
        QVERIFY(QFile::copy(base, project));
        const test::ChildRun run = importInto(project, delay);
        landed += run.killed ? 1 : 0;
        kills.observe(run);
        QVERIFY2(test::projectIntegrity(project) == QStringLiteral("ok"),
                 qPrintable(describe(i, delay, run)));
        const std::int64_t samples = test::projectInt(project, "SELECT count(*) FROM samples");
        QVERIFY2(samples == images || samples == grown,
                 qPrintable(QStringLiteral("%1 samples; ").arg(samples) +
                            describe(i, delay, run)));
        const test::ChildRun again = importInto(project);
        QVERIFY2(again.exitCode == 0, qPrintable(describe(i, delay, again)));
        QCOMPARE(test::projectInt(project, "SELECT count(*) FROM samples"), grown);
        QCOMPARE(test::projectInt(project, "SELECT count(*) FROM categories"), 3);
    }
    qInfo("%d of %d kills landed while the re-import ran", landed, points);
    QVERIFY(landed > 0);
}

void TestFaultKills::killedScanKeepsCommittedFeaturesAndResumes()
{
    writeDataset(images / 2);
    const QString base = path(QStringLiteral("base.assay"));
    QCOMPARE(importInto(base).exitCode, 0);
    const QString timing = path(QStringLiteral("timing.assay"));
    QVERIFY(QFile::copy(base, timing));
    const test::ChildRun whole = test::runCliKilledAfter({QStringLiteral("scan"), timing}, -1);
    QCOMPARE(whole.exitCode, 0);
    int landed = 0, partial = 0;
    KillSchedule kills(whole.elapsedMs, 3);
    for (int i = 0; i < points; ++i) {
        const std::int64_t delay = kills.next();
        const QString project = path(QStringLiteral("p%1.assay").arg(i));
        QVERIFY(QFile::copy(base, project));
        const test::ChildRun run =
            test::runCliKilledAfter({QStringLiteral("scan"), project}, delay);
        landed += run.killed ? 1 : 0;
        kills.observe(run);
        QVERIFY2(test::projectIntegrity(project) == QStringLiteral("ok"),
                 qPrintable(describe(i, delay, run)));
        const std::int64_t kept = test::projectInt(project, "SELECT count(*) FROM features");
        QVERIFY(kept >= 0 && kept <= images);
        partial += (kept > 0 && kept < images) ? 1 : 0;
        // The next scan measures exactly what the killed one had not committed.
        const test::ChildRun again = test::runCliKilledAfter({QStringLiteral("scan"), project}, -1);
        QVERIFY2(again.exitCode == 0, qPrintable(describe(i, delay, again)));
        QVERIFY2(again.out.contains(
                     QStringLiteral("%1 measured, %2 up to date").arg(images - kept).arg(kept)),
                 qPrintable(again.out));
        QCOMPARE(test::projectInt(project, "SELECT count(*) FROM features"), images);
    }
    qInfo("%d of %d kills landed while the scan ran, %d with part of the work committed", landed,
          points, partial);
    QVERIFY(landed > 0);
}

void TestFaultKills::killedBulkRelabelIsAllOrNothing()
{
    const int samples = 10000;
    const QString base = path(QStringLiteral("base.assay"));
    const std::vector<std::int64_t> before = test::createLabelledProject(base, samples, 5);
    QFile list(path(QStringLiteral("all.txt")));
    QVERIFY(list.open(QIODevice::WriteOnly));
    for (int i = 0; i < samples; ++i)
        list.write(QStringLiteral("img/%1.png\n").arg(i, 7, 10, QLatin1Char('0')).toUtf8());
    list.close();
    const auto relabel = [&](const QString &project, std::int64_t killAfterMs) {
        return test::runCliKilledAfter({QStringLiteral("relabel"), project,
                                        QStringLiteral("--class"), QStringLiteral("class1"),
                                        QStringLiteral("--samples-from"), list.fileName()},
                                       killAfterMs);
    };
    const QString timing = path(QStringLiteral("timing.assay"));
    QVERIFY(QFile::copy(base, timing));
    const test::ChildRun whole = relabel(timing, -1);
    QVERIFY2(whole.exitCode == 0, qPrintable(whole.err));
    const std::vector<std::int64_t> after = test::sampleClasses(timing);
    QVERIFY(after != before);
    int landed = 0;
    KillSchedule kills(whole.elapsedMs, 4);
    for (int i = 0; i < points; ++i) {
        const std::int64_t delay = kills.next();
        const QString project = path(QStringLiteral("p%1.assay").arg(i));
        QVERIFY(QFile::copy(base, project));
        const test::ChildRun run = relabel(project, delay);
        landed += run.killed ? 1 : 0;
        kills.observe(run);
        QVERIFY2(test::projectIntegrity(project) == QStringLiteral("ok"),
                 qPrintable(describe(i, delay, run)));
        // One edit: every sample relabelled and journalled, or none.
        const std::vector<std::int64_t> classes = test::sampleClasses(project);
        const std::int64_t batches = test::projectInt(project, "SELECT count(*) FROM edit_batches");
        QVERIFY2((classes == before && batches == 0) || (classes == after && batches == 1),
                 qPrintable(QStringLiteral("%1 batches; ").arg(batches) +
                            describe(i, delay, run)));
        if (batches == 0) {
            const test::ChildRun again = relabel(project, -1);
            QVERIFY2(again.exitCode == 0, qPrintable(describe(i, delay, again)));
        }
        QCOMPARE(test::sampleClasses(project), after);
    }
    qInfo("%d of %d kills landed while the relabel ran", landed, points);
    QVERIFY(landed > 0);
}

void TestFaultKills::killedExportLeavesProjectAndDatasetAlone()
{
    writeDataset(images / 2);
    const QString project = path(QStringLiteral("p.assay"));
    QCOMPARE(importInto(project).exitCode, 0);
    QCOMPARE(test::runCliKilledAfter({QStringLiteral("relabel"), project, QStringLiteral("--class"),
                                      QStringLiteral("dog"), QStringLiteral("--sample"),
                                      QStringLiteral("cat/img_0.png")},
                                     -1)
                 .exitCode,
             0);
    const QStringList datasetFiles = filesUnder(dataset());
    const auto exportTo = [&](const QString &out, std::int64_t killAfterMs) {
        return test::runCliKilledAfter({QStringLiteral("export"), project, QStringLiteral("--out"),
                                        out, QStringLiteral("--no-changes")},
                                       killAfterMs);
    };
    const test::ChildRun whole = exportTo(path(QStringLiteral("whole")), -1);
    QVERIFY2(whole.exitCode == 0, qPrintable(whole.err));
    const QStringList exported = filesUnder(path(QStringLiteral("whole")));
    QVERIFY(exported.contains(QStringLiteral("dog/img_0.png")));
    int landed = 0;
    KillSchedule kills(whole.elapsedMs, 5);
    for (int i = 0; i < points; ++i) {
        const std::int64_t delay = kills.next();
        const QString out = path(QStringLiteral("out%1").arg(i));
        const test::ChildRun run = exportTo(out, delay);
        landed += run.killed ? 1 : 0;
        kills.observe(run);
        QVERIFY2(test::projectIntegrity(project) == QStringLiteral("ok"),
                 qPrintable(describe(i, delay, run)));
        QCOMPARE(test::projectInt(project, "SELECT count(*) FROM edit_batches"), 1);
        QCOMPARE(filesUnder(dataset()), datasetFiles);
        if (run.killed && !filesUnder(out).isEmpty()) {
            // A half-written folder is refused by name, never mixed into.
            const test::ChildRun refused = exportTo(out, -1);
            QCOMPARE(refused.exitCode, 1);
            QVERIFY2(refused.err.contains(QStringLiteral("is not empty")), qPrintable(refused.err));
            QVERIFY(QDir(out).removeRecursively());
        }
        if (!QFileInfo::exists(out) || filesUnder(out).isEmpty()) {
            const test::ChildRun again = exportTo(out, -1);
            QVERIFY2(again.exitCode == 0, qPrintable(describe(i, delay, again)));
        }
        QCOMPARE(filesUnder(out), exported);
    }
    qInfo("%d of %d kills landed while the export ran", landed, points);
    QVERIFY(landed > 0);
}

QTEST_GUILESS_MAIN(TestFaultKills)
#include "tst_faultkills.moc"
