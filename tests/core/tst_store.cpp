// The project file: schema, pragmas, transaction guard, migrations and refusals.

#include "model/annotation.h"
#include "store/project.h"
#include "store/transaction.h"
#include "testdata.h"
#include "util/error.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace assay;
using namespace assay::store;

class TestStore : public QObject
{
    Q_OBJECT
private slots:
    void init() { QVERIFY(m_dir.isValid()); }
    void createsProjectWithPragmasAndMeta();
    void transactionRollsBackUnlessCommitted();
    void upgradesV1FileWithAddedStepAndBackup();
    void refusesNewerSchema();
    void opensFileFromNewerProgramThatDeclaresItReadable();
    void refusesNonSqliteFile();
    void refusesForeignSqliteDatabase();
    void refusesProjectInReadOnlyFolder();
    void refusesMissingFile();
    void geometryBlobsAreLittleEndianWords();

private:
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    QTemporaryDir m_dir;
};

void TestStore::createsProjectWithPragmasAndMeta()
{
    OpenOptions options;
    options.create = true;
    auto project = Project::open(path("a.assay"), options);
    QVERIFY(project->wasCreated());
    QCOMPARE(project->schemaVersion(), currentSchemaVersion());
    QCOMPARE(project->db().queryInt("PRAGMA application_id"), applicationId);
    QCOMPARE(project->db().queryText("PRAGMA journal_mode"), QStringLiteral("wal"));
    QCOMPARE(project->db().queryInt("PRAGMA foreign_keys"), 1);
    QCOMPARE(project->meta(QStringLiteral("min_reader_version")).toInt(), 1);
    QVERIFY(!project->meta(QStringLiteral("created_at")).isEmpty());
    // Foreign keys are enforced: a sample in an unknown split is refused.
    QVERIFY_THROWS_EXCEPTION(Error, project->db().exec(
                                        "INSERT INTO samples(path, split_id) VALUES('x', 99)"));
    project.reset();
    auto again = Project::open(path("a.assay"));
    QVERIFY(!again->wasCreated());
}

void TestStore::transactionRollsBackUnlessCommitted()
{
    OpenOptions options;
    options.create = true;
    auto project = Project::open(path("t.assay"), options);
    Database &db = project->db();
    {
        Transaction transaction(db);
        db.exec("INSERT INTO splits(name) VALUES('train')");
        // no commit: the guard rolls back
    }
    QCOMPARE(db.queryInt("SELECT count(*) FROM splits"), 0);
    try {
        Transaction transaction(db);
        db.exec("INSERT INTO splits(name) VALUES('train')");
        throw Error(QStringLiteral("boom"));
    } catch (const Error &) {
    }
    QCOMPARE(db.queryInt("SELECT count(*) FROM splits"), 0);
    {
        Transaction transaction(db);
        db.exec("INSERT INTO splits(name) VALUES('train')");
        transaction.commit();
    }
    QCOMPARE(db.queryInt("SELECT count(*) FROM splits"), 1);
}

void TestStore::upgradesV1FileWithAddedStepAndBackup()
{
    const QString file = path("old.assay");
    {
        OpenOptions options;
        options.create = true;
        options.migrations = {builtinMigrations().front()}; // a program that knows only v1
        auto project = Project::open(file, options);
        QCOMPARE(project->schemaVersion(), 1);
        project->db().exec("INSERT INTO splits(name) VALUES('train')");
    }
    std::vector<Migration> steps = {builtinMigrations().front()};
    steps.push_back({2, 1, [](Database &db) {
                         db.exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT)");
                         db.exec("INSERT INTO notes(text) SELECT name FROM splits");
                     }});
    OpenOptions options;
    options.migrations = steps;
    auto project = Project::open(file, options);
    QCOMPARE(project->schemaVersion(), 2);
    QCOMPARE(project->db().queryText("SELECT text FROM notes"), QStringLiteral("train"));
    QVERIFY(!project->backupPath().isEmpty());
    QVERIFY(QFile::exists(project->backupPath()));
    // The backup is the v1 file as it was.
    OpenOptions v1Only;
    v1Only.migrations = {builtinMigrations().front()};
    v1Only.readOnly = true;
    auto backup = Project::open(project->backupPath(), v1Only);
    QCOMPARE(backup->schemaVersion(), 1);
    QCOMPARE(backup->db().queryInt("SELECT count(*) FROM splits"), 1);
    // Opening again does not migrate twice.
    project.reset();
    auto reopened = Project::open(file, options);
    QVERIFY(reopened->backupPath().isEmpty());
}

void TestStore::refusesNewerSchema()
{
    const QString file = path("new.assay");
    {
        OpenOptions options;
        options.create = true;
        auto project = Project::open(file, options);
        project->setMeta(QStringLiteral("schema_version"), QStringLiteral("99"));
        project->setMeta(QStringLiteral("min_reader_version"), QStringLiteral("99"));
    }
    try {
        Project::open(file);
        QFAIL("a newer project was opened");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QStringLiteral("newer version of Assay")),
                 qPrintable(error.message()));
        QVERIFY(error.message().contains(file));
    }
}

void TestStore::opensFileFromNewerProgramThatDeclaresItReadable()
{
    const QString file = path("compatible.assay");
    {
        OpenOptions options;
        options.create = true;
        auto project = Project::open(file, options);
        project->setMeta(QStringLiteral("schema_version"),
                         QString::number(currentSchemaVersion() + 1));
    }
    auto project = Project::open(file);
    QCOMPARE(project->schemaVersion(), currentSchemaVersion() + 1);
}

void TestStore::refusesNonSqliteFile()
{
    const QString file = path("notes.assay");
    test::writeFile(file, "just some text, not a database\n");
    try {
        Project::open(file);
        QFAIL("a text file was opened as a project");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QStringLiteral("not an Assay project")),
                 qPrintable(error.message()));
    }
    QCOMPARE(QFile(file).size(), qint64(31)); // untouched
}

void TestStore::refusesForeignSqliteDatabase()
{
    const QString file = path("other.db");
    {
        Database db(file, Database::Mode::ReadWriteCreate);
        db.exec("CREATE TABLE t(x)");
    }
    try {
        Project::open(file);
        QFAIL("a foreign database was opened");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QStringLiteral("not an Assay project")),
                 qPrintable(error.message()));
    }
}

void TestStore::refusesProjectInReadOnlyFolder()
{
    // root ignores folder permissions; /sys refuses new files even to root.
    QString folder = m_dir.filePath(QStringLiteral("ro"));
    QDir().mkpath(folder);
    QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner);
    if (::geteuid() == 0)
        folder = QStringLiteral("/sys");
    const QString file = folder + QStringLiteral("/p.assay");
    OpenOptions options;
    options.create = true;
    try {
        Project::open(file, options);
        QFAIL("a project was created in a read-only folder");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QStringLiteral("not writable")),
                 qPrintable(error.message()));
    }
    QVERIFY(!QFile::exists(file));
}

void TestStore::refusesMissingFile()
{
    QVERIFY_THROWS_EXCEPTION(Error, Project::open(path("nothing.assay")));
    QVERIFY(!QFile::exists(path("nothing.assay")));
}

void TestStore::geometryBlobsAreLittleEndianWords()
{
    // [u32 rings]{[u32 points][f32 x, f32 y]...}...; an odd trailing coordinate is dropped.
    const std::vector<std::vector<float>> polygons{{1.0f, 2.0f, 3.5f, -4.0f}, {0.5f, 1.0f, 9.0f}};
    const QByteArray blob = encodePolygons(polygons);
    const QByteArray expected = QByteArray::fromHex("02000000"
                                                    "02000000"
                                                    "0000803f00000040"
                                                    "00006040000080c0"
                                                    "01000000"
                                                    "0000003f0000803f");
    QCOMPARE(blob.toHex(), expected.toHex());
    QCOMPARE(decodePolygons(blob),
             (std::vector<std::vector<float>>{{1.0f, 2.0f, 3.5f, -4.0f}, {0.5f, 1.0f}}));
    RleMask mask;
    mask.height = 3;
    mask.width = 2;
    mask.counts = {1, 4, 1};
    const QByteArray maskBlob = encodeMask(mask);
    QCOMPARE(maskBlob.toHex(),
             QByteArray("03000000" "02000000" "03000000" "01000000" "04000000" "01000000"));
    const RleMask decoded = decodeMask(maskBlob);
    QCOMPARE(decoded.height, 3);
    QCOMPARE(decoded.width, 2);
    QCOMPARE(decoded.counts, mask.counts);
}

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
