// Old project files (issue #10): a project written by every earlier schema version (the fixtures
// in tests/data/schemas, written by schemafixtures) upgrades to the current schema, keeps its
// samples, labels, objects and tags, leaves a backup of the old file, and opens in assay-cli.

#include "clirun.h"
#include "faultrun.h"
#include "store/project.h"
#include "store/schema.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace assay;

class TestSchemaUpgrades : public QObject
{
    Q_OBJECT
private slots:
    void everyEarlierVersionHasAFixture();
    void upgradesAndOpens_data();
    void upgradesAndOpens();

private:
    static QString fixtures()
    {
        return qEnvironmentVariable("ASSAY_TEST_DATA") + QStringLiteral("/schemas");
    }
};

void TestSchemaUpgrades::everyEarlierVersionHasAFixture()
{
    for (int version = 1; version < store::currentSchemaVersion(); ++version)
        QVERIFY2(QFile::exists(fixtures() + QStringLiteral("/v%1.assay").arg(version)),
                 qPrintable(QStringLiteral("no fixture for schema %1; run schemafixtures "
                                           "tests/data/schemas")
                                .arg(version)));
}

void TestSchemaUpgrades::upgradesAndOpens_data()
{
    QTest::addColumn<int>("version");
    for (int version = 1; version < store::currentSchemaVersion(); ++version)
        QTest::addRow("v%d", version) << version;
}

void TestSchemaUpgrades::upgradesAndOpens()
{
    QFETCH(int, version);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("old.assay"));
    QVERIFY(QFile::copy(fixtures() + QStringLiteral("/v%1.assay").arg(version), file));
    QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner);
    {
        store::OpenOptions readOnly; // as the program of that version reads it
        readOnly.readOnly = true;
        readOnly.migrations.assign(store::builtinMigrations().begin(),
                                   store::builtinMigrations().begin() + version);
        QCOMPARE(store::Project::open(file, readOnly)->schemaVersion(), version);
    }
    {
        auto project = store::Project::open(file);
        QCOMPARE(project->schemaVersion(), store::currentSchemaVersion());
        QVERIFY(QFile::exists(project->backupPath()));
        store::Database &db = project->db();
        QCOMPARE(db.queryText("PRAGMA integrity_check"), QStringLiteral("ok"));
        QCOMPARE(db.queryText("PRAGMA foreign_key_check"), QString());
        QCOMPARE(db.queryInt("SELECT count(*) FROM samples"), 6);
        QCOMPARE(db.queryInt("SELECT count(*) FROM samples s JOIN categories c ON c.id = "
                             "s.category_id WHERE c.name = 'dog'"),
                 3);
        QCOMPARE(db.queryInt("SELECT count(*) FROM annotations"), 2);
        QCOMPARE(db.queryInt("SELECT count(*) FROM sample_tags"), 2);
        const store::ProjectSummary summary = project->sampleSummary();
        QCOMPARE(summary.samples, 6);
        QCOMPARE(summary.classes, QStringList({QStringLiteral("cat"), QStringLiteral("dog")}));
    }
    // The upgraded file works in the command-line program: counts, then an edit and its undo.
    const test::CliRun info = test::runCli({QStringLiteral("info"), file});
    QVERIFY2(info.exitCode == 0, qPrintable(info.err));
    QVERIFY2(info.out.contains(QStringLiteral("total")), qPrintable(info.out));
    const test::CliRun relabel = test::runCli(
        {QStringLiteral("relabel"), file, QStringLiteral("--class"), QStringLiteral("dog"),
         QStringLiteral("--sample"), QStringLiteral("train/cat/1.png")});
    QVERIFY2(relabel.exitCode == 0, qPrintable(relabel.err));
    QCOMPARE(test::runCli({QStringLiteral("undo"), file}).exitCode, 0);
    QCOMPARE(test::projectIntegrity(file), QStringLiteral("ok"));
}

QTEST_GUILESS_MAIN(TestSchemaUpgrades)
#include "tst_schemaupgrades.moc"
