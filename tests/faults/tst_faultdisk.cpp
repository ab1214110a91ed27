// A full disk while writing the project (issue #10), made with a file-size limit on the child
// (RLIMIT_FSIZE, SIGXFSZ ignored: a write past it fails with EFBIG as on a full disk): the command
// fails with an error naming the file, and the project opens with its last committed state.

#include "faultrun.h"
#include "testdata.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace assay;

class TestFaultDisk : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void fullDiskDuringANewImportLeavesNothing();
    void fullDiskDuringAReimportKeepsTheOldState();
    void fullDiskDuringAScanKeepsCommittedFeatures();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    QString data() const { return path(QStringLiteral("data")); }
    // Imports (or re-imports) the dataset into `project` without a limit; returns its samples.
    std::int64_t importAll(const QString &project);
    // The limited run failed as a full disk should: exit 1, an error naming the project.
    static void expectDiskError(const test::ChildRun &run);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestFaultDisk::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    test::writeImages(data() + QStringLiteral("/cat"), 400);
    test::writeImages(data() + QStringLiteral("/dog"), 400);
}

std::int64_t TestFaultDisk::importAll(const QString &project)
{
    const test::ChildRun run = test::runCliKilledAfter(
        {QStringLiteral("import"), data(), QStringLiteral("--project"), project}, -1);
    if (run.exitCode != 0)
        qWarning("%s", qPrintable(run.err));
    return run.exitCode == 0 ? test::projectInt(project, "SELECT count(*) FROM samples") : -1;
}

void TestFaultDisk::expectDiskError(const test::ChildRun &run)
{
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.startsWith(QStringLiteral("error: ")) &&
                 run.err.contains(QStringLiteral("p.assay")),
             qPrintable(run.err));
}

void TestFaultDisk::fullDiskDuringANewImportLeavesNothing()
{
    const QString project = path(QStringLiteral("p.assay"));
    const test::ChildRun run = test::runCliWithFileSizeLimit(
        {QStringLiteral("import"), data(), QStringLiteral("--project"), project}, 48 * 1024);
    expectDiskError(run);
    // Neither a half-written project nor a leftover temporary file.
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), QStringList());
    QCOMPARE(importAll(project), 800);
}

void TestFaultDisk::fullDiskDuringAReimportKeepsTheOldState()
{
    const QString project = path(QStringLiteral("p.assay"));
    QCOMPARE(importAll(project), 800);
    test::writeImages(data() + QStringLiteral("/bird"), 3000);
    const std::int64_t size = QFileInfo(project).size();
    const test::ChildRun run = test::runCliWithFileSizeLimit(
        {QStringLiteral("import"), data(), QStringLiteral("--project"), project}, size + 16 * 1024);
    expectDiskError(run);
    QCOMPARE(test::projectIntegrity(project), QStringLiteral("ok"));
    QCOMPARE(test::projectInt(project, "SELECT count(*) FROM samples"), 800);
    QCOMPARE(importAll(project), 3800);
}

void TestFaultDisk::fullDiskDuringAScanKeepsCommittedFeatures()
{
    const QString project = path(QStringLiteral("p.assay"));
    QCOMPARE(importAll(project), 800);
    const std::int64_t size = QFileInfo(project).size();
    const test::ChildRun run = test::runCliWithFileSizeLimit(
        {QStringLiteral("scan"), project, QStringLiteral("--threads"), QStringLiteral("1")},
        size + 64 * 1024);
    expectDiskError(run);
    QCOMPARE(test::projectIntegrity(project), QStringLiteral("ok"));
    const std::int64_t kept = test::projectInt(project, "SELECT count(*) FROM features");
    QVERIFY(kept < 800);
    const test::ChildRun again = test::runCliKilledAfter({QStringLiteral("scan"), project}, -1);
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    QVERIFY2(
        again.out.contains(QStringLiteral("%1 measured, %2 up to date").arg(800 - kept).arg(kept)),
        qPrintable(again.out));
}

QTEST_GUILESS_MAIN(TestFaultDisk)
#include "tst_faultdisk.moc"
