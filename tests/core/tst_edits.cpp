// Label edits: every command applies, undoes and redoes exactly; the journal is appended to and
// never rewritten; nudges merge; undo survives a reopen; conflicts are refused; two connections
// share one history; the schema-4 file upgrades.

#include "edit/commands.h"
#include "edit/editsession.h"
#include "edit/journalquery.h"
#include "edit/staleness.h"
#include "formats/importer.h"
#include "jobs/progress.h"
#include "store/project.h"
#include "testdata.h"
#include "util/error.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace assay;
using namespace assay::edit;

namespace {

const char cocoJson[] =
    "{\"images\": [{\"id\": 7, \"file_name\": \"a.png\", \"width\": 40, \"height\": 30},\n"
    "  {\"id\": 9, \"file_name\": \"b.png\", \"width\": 40, \"height\": 30}],\n"
    " \"annotations\": [\n"
    "  {\"id\": 100, \"image_id\": 7, \"category_id\": 1, \"bbox\": [1.5, 2, 10, 8], "
    "\"area\": 80, \"iscrowd\": 0, \"score\": 0.75},\n"
    "  {\"id\": 101, \"image_id\": 7, \"category_id\": 3, \"bbox\": [0, 0, 10, 10], "
    "\"iscrowd\": 0, \"segmentation\": [[0, 0, 10, 0, 10, 10]]},\n"
    "  {\"id\": 102, \"image_id\": 9, \"category_id\": 3, \"bbox\": [0, 0, 4, 3], \"iscrowd\": 1, "
    "\"segmentation\": {\"size\": [30, 40], \"counts\": \"52203\"}}\n"
    " ],\n"
    " \"categories\": [{\"id\": 1, \"name\": \"cat\"}, {\"id\": 3, \"name\": \"dog\"}]}\n";

// Every row of a query, columns joined by '|', rows by '\n'.
QString dump(store::Database &db, const char *sql)
{
    store::Statement rows(db, sql);
    QStringList lines;
    while (rows.step()) {
        QStringList columns;
        for (int c = 0; c < rows.columnCount(); ++c) {
            if (rows.columnType(c) == store::Statement::ColumnType::Blob)
                columns << QString::fromLatin1(rows.blob(c).toHex());
            else
                columns << rows.text(c);
        }
        lines << columns.join(u'|');
    }
    return lines.join(u'\n');
}

// What a person can edit, without the re-import marks (an undo leaves those).
QString labelState(store::Database &db)
{
    return dump(db, "SELECT id, category_id, split_id, reviewed, excluded FROM samples ORDER BY id")
           + u'#'
           + dump(db, "SELECT st.sample_id, t.name FROM sample_tags st JOIN tags t ON "
                      "t.id = st.tag_id ORDER BY 1, 2")
           + u'#'
           + dump(db, "SELECT id, sample_id, category_id, kind, x, y, w, h, geometry, iscrowd, "
                      "source_file, source_index, extra FROM annotations ORDER BY id")
           + u'#'
           + dump(db, "SELECT id, name, supercategory, source_id, position FROM categories "
                      "ORDER BY id");
}

std::int64_t one(store::Database &db, const QString &sql)
{
    return db.queryInt(sql.toStdString());
}

} // namespace

class TestEdits : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void everyCommandUndoesAndRedoes_data();
    void everyCommandUndoesAndRedoes();
    void journalIsOnlyAppended();
    void nudgesOfOneBoxMerge();
    void undoSurvivesReopen();
    void conflictingUndoIsRefused();
    void staleEditIsRefused();
    void twoConnectionsShareOneHistory();
    void unchangedValuesWriteNothing();
    void readOnlyProjectRefusesEdits();
    void mergeRewritesEverySampleAndObject();
    void historyForPeople();
    void revertBatchIsANewEdit();
    void editsMarkAnalysesStale();
    void upgradesSchema4Project();

private:
    std::unique_ptr<store::Project> importCoco();
    QString path(const char *name) const { return m_dir->filePath(QString::fromLatin1(name)); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestEdits::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

std::unique_ptr<store::Project> TestEdits::importCoco()
{
    test::writeFile(path("coco/annotations/instances_train.json"), cocoJson);
    test::writeFile(path("coco/images/train/a.png"), test::texturedPng(40, 30, 1));
    test::writeFile(path("coco/images/train/b.png"), test::texturedPng(40, 30, 2));
    jobs::Progress progress;
    formats::importDataset(path("coco"), path("p.assay"), {}, progress);
    return store::Project::open(path("p.assay"));
}

void TestEdits::everyCommandUndoesAndRedoes_data()
{
    QTest::addColumn<int>("command");
    const char *names[] = {"set sample class",  "clear sample class", "annotation class",
                           "move box",          "nudge box",          "add box",
                           "delete objects",    "move vertex",        "insert vertex",
                           "delete vertex",     "add tag",            "remove tag",
                           "mark reviewed",     "exclude",            "move to split",
                           "rename category",   "add category",       "merge categories"};
    for (int i = 0; i < int(std::size(names)); ++i)
        QTest::newRow(names[i]) << i;
}

void TestEdits::everyCommandUndoesAndRedoes()
{
    QFETCH(int, command);
    auto project = importCoco();
    store::Database &db = project->db();
    EditSession session(*project);
    const std::int64_t a = one(db, QStringLiteral("SELECT id FROM samples WHERE path LIKE '%a.png'"));
    const std::int64_t b = one(db, QStringLiteral("SELECT id FROM samples WHERE path LIKE '%b.png'"));
    const std::int64_t box = one(db, QStringLiteral("SELECT id FROM annotations WHERE source_index = 0"));
    const std::int64_t polygon =
        one(db, QStringLiteral("SELECT id FROM annotations WHERE source_index = 1"));
    const std::int64_t cat = findCategory(db, QStringLiteral("cat"));
    const std::int64_t dog = findCategory(db, QStringLiteral("dog"));
    QVERIFY(a && b && box && polygon && cat && dog);
    const QString pristine = labelState(db);
    // A tag to remove, set up as an edit of its own.
    session.apply(setTag(db, {b}, QStringLiteral("blurry"), true));

    EditBatch batch;
    switch (command) {
    case 0: batch = setSampleClass(db, {a, b}, dog); break;
    case 1:
        session.apply(setSampleClass(db, {a}, cat));
        batch = setSampleClass(db, {a}, 0);
        break;
    case 2: batch = setAnnotationClass(db, {box, polygon}, cat); break;
    case 3: batch = setBox(db, box, {3, 4, 12.25, 9}); break;
    case 4: batch = nudgeBox(db, box, 1, -1); break;
    case 5: batch = addBox(db, b, cat, {1, 1, 5, 5}); break;
    case 6: batch = deleteAnnotations(db, {box, polygon}); break;
    case 7: batch = moveVertex(db, polygon, 0, 1, 12, 0.5); break;
    case 8: batch = insertVertex(db, polygon, 0, 3, 0, 10); break;
    case 9: batch = deleteVertex(db, polygon, 0, 0); break;
    case 10: batch = setTag(db, {a, b}, QStringLiteral("checked"), true); break;
    case 11: batch = setTag(db, {a, b}, QStringLiteral("blurry"), false); break;
    case 12: batch = setReviewed(db, {a}, true); break;
    case 13: batch = setExcluded(db, {a, b}, true); break;
    case 14: batch = moveToSplit(db, {a}, ensureSplit(db, QStringLiteral("val"))); break;
    case 15: batch = renameCategory(db, cat, QStringLiteral("kitten")); break;
    case 16: batch = addCategory(db, QStringLiteral("bird"), QStringLiteral("animal")); break;
    case 17:
        session.apply(setSampleClass(db, {a}, cat));
        batch = mergeCategories(db, cat, dog);
        break;
    }
    const QString prepared = labelState(db);
    QSignalSpy spy(&session, &EditSession::changed);
    const ApplyResult result = session.apply(batch);
    QVERIFY(result.batch > 0);
    QVERIFY(result.changes > 0);
    const QString after = labelState(db);
    QVERIFY(after != prepared);
    QCOMPARE(spy.count(), 1);
    const auto event = spy.takeFirst().at(0).value<ChangeEvent>();
    QCOMPARE(event.kind, ChangeEvent::Kind::Applied);
    QCOMPARE(event.batch, result.batch);
    QVERIFY(!event.fields.isEmpty());
    QVERIFY(std::is_sorted(event.sampleIds.begin(), event.sampleIds.end()));
    QCOMPARE(session.undoText(), batch.text);

    session.undo();
    QCOMPARE(labelState(db), prepared);
    QVERIFY(session.canRedo());
    QCOMPARE(session.redoText(), batch.text);
    session.redo();
    QCOMPARE(labelState(db), after);
    session.undo();
    QCOMPARE(labelState(db), prepared);
    // Back to before the set-up edits too.
    while (session.canUndo())
        session.undo();
    QCOMPARE(labelState(db), pristine);
    QCOMPARE(db.queryText("PRAGMA foreign_key_check"), QString());
}

void TestEdits::journalIsOnlyAppended()
{
    auto project = importCoco();
    store::Database &db = project->db();
    EditSession session(*project);
    session.setUserName(QStringLiteral("ada"));
    const std::int64_t a = one(db, QStringLiteral("SELECT id FROM samples WHERE path LIKE '%a.png'"));
    EditBatch batch = setSampleClass(db, {a}, findCategory(db, QStringLiteral("dog")));
    batch.reason = QStringLiteral("copy of a dog photo");
    session.apply(batch);
    const char *everything = "SELECT * FROM edits ORDER BY id";
    const char *batches = "SELECT * FROM edit_batches ORDER BY id";
    const QString rowsAfterDo = dump(db, everything);
    const QString batchesAfterDo = dump(db, batches);
    session.undo();
    session.redo();
    QVERIFY(dump(db, everything).startsWith(rowsAfterDo));
    QVERIFY(dump(db, batches).startsWith(batchesAfterDo));

    // The journal view: time, user, sample, field, old, new, batch, reason, action per value.
    store::Statement view(db, "SELECT time, user, sample_id, field, old_value, new_value, batch, "
                              "reason, action FROM journal ORDER BY id");
    QStringList actions;
    while (view.step()) {
        QVERIFY(view.text(0).endsWith(u'Z'));
        QCOMPARE(view.text(1), QStringLiteral("ada"));
        QCOMPARE(view.int64(2), a);
        QCOMPARE(view.text(3), QStringLiteral("class"));
        actions << view.text(8);
    }
    QCOMPARE(actions, test::strings({"do", "undo", "redo"}));
    QCOMPARE(db.queryText("SELECT reason FROM journal WHERE action = 'do'"),
             QStringLiteral("copy of a dog photo"));
}

void TestEdits::nudgesOfOneBoxMerge()
{
    auto project = importCoco();
    store::Database &db = project->db();
    EditSession session(*project);
    const std::int64_t box = one(db, QStringLiteral("SELECT id FROM annotations WHERE source_index = 0"));
    const std::int64_t other = one(db, QStringLiteral("SELECT id FROM annotations WHERE source_index = 1"));
    const QString before = labelState(db);
    QVERIFY(!session.apply(nudgeBox(db, box, 1, 0)).merged);
    QVERIFY(session.apply(nudgeBox(db, box, 1, 0)).merged);
    QVERIFY(session.apply(nudgeBox(db, box, 0, 1)).merged);
    QCOMPARE(session.undoSteps().size(), size_t(1));
    QCOMPARE(session.undoSteps().back().batches.size(), size_t(3));
    QCOMPARE(db.queryText("SELECT x || ',' || y FROM annotations WHERE source_index = 0"),
             QStringLiteral("3.5,3.0"));
    // Another box's nudge is a step of its own, and the first box's next nudge too.
    QVERIFY(!session.apply(nudgeBox(db, other, 1, 0)).merged);
    QVERIFY(!session.apply(nudgeBox(db, box, 1, 0)).merged);
    QCOMPARE(session.undoSteps().size(), size_t(3));
    session.undo();
    session.undo();
    session.undo(); // the three merged nudges at once
    QCOMPARE(labelState(db), before);
    QVERIFY(!session.canUndo());
    // After an undo, a nudge does not merge into the step redo would bring back.
    session.redo();
    QVERIFY(!session.apply(nudgeBox(db, box, 1, 0)).merged);
}

void TestEdits::undoSurvivesReopen()
{
    std::int64_t a = 0;
    QString before, after;
    {
        auto project = importCoco();
        store::Database &db = project->db();
        a = one(db, QStringLiteral("SELECT id FROM samples WHERE path LIKE '%a.png'"));
        before = labelState(db);
        EditSession session(*project);
        session.apply(setSampleClass(db, {a}, findCategory(db, QStringLiteral("cat"))));
        session.apply(setTag(db, {a}, QStringLiteral("seen"), true));
        session.undo(); // the tag: on the redo stack across the restart
        after = labelState(db);
    }
    auto project = store::Project::open(path("p.assay"));
    EditSession session(*project);
    QVERIFY(session.canUndo());
    QVERIFY(session.canRedo());
    QCOMPARE(session.undoText(), QStringLiteral("Set the class of 1 sample to 'cat'"));
    QCOMPARE(session.redoText(), QStringLiteral("Tag 1 sample 'seen'"));
    QCOMPARE(labelState(project->db()), after);
    session.undo();
    QCOMPARE(labelState(project->db()), before);
}

void TestEdits::conflictingUndoIsRefused()
{
    auto project = importCoco();
    store::Database &db = project->db();
    EditSession session(*project);
    const std::int64_t a = one(db, QStringLiteral("SELECT id FROM samples WHERE path LIKE '%a.png'"));
    const std::int64_t b = one(db, QStringLiteral("SELECT id FROM samples WHERE path LIKE '%b.png'"));
    session.apply(setSampleClass(db, {a, b}, findCategory(db, QStringLiteral("cat"))));
    // Something outside the journal (an older program, a hand-made change) changes b.
    db.exec("UPDATE samples SET category_id = (SELECT id FROM categories WHERE name = 'dog') "
            "WHERE path LIKE '%b.png'");
    const QString state = labelState(db);
    try {
        session.undo();
        QFAIL("an undo overwrote a change made since");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QStringLiteral("b.png")), qPrintable(error.message()));
        QVERIFY(error.message().contains(QStringLiteral("changed since")));
    }
    QCOMPARE(labelState(db), state); // nothing half-undone
    QVERIFY(session.canUndo());
}

void TestEdits::staleEditIsRefused()
{
    auto project = importCoco();
    store::Database &db = project->db();
    auto other = store::Project::open(path("p.assay"));
    EditSession mine(*project), theirs(*other);
    const std::int64_t polygon =
        one(db, QStringLiteral("SELECT id FROM annotations WHERE source_index = 1"));
    // Prepared from what this window read ...
    const EditBatch prepared = moveVertex(db, polygon, 0, 1, 12, 0.5);
    // ... while another window deletes a vertex of the same polygon.
    theirs.apply(deleteVertex(other->db(), polygon, 0, 2));
    const QString state = labelState(db);
    QVERIFY_THROWS_EXCEPTION(Error, mine.apply(prepared));
    QCOMPARE(labelState(db), state);
}

void TestEdits::twoConnectionsShareOneHistory()
{
    auto first = importCoco();
    auto second = store::Project::open(path("p.assay"));
    EditSession one_(*first), two(*second);
    store::Database &db = first->db();
    const std::int64_t a = one(db, QStringLiteral("SELECT id FROM samples WHERE path LIKE '%a.png'"));
    const std::int64_t b = one(db, QStringLiteral("SELECT id FROM samples WHERE path LIKE '%b.png'"));
    const std::int64_t cat = findCategory(db, QStringLiteral("cat"));
    const std::int64_t dog = findCategory(db, QStringLiteral("dog"));
    one_.apply(setSampleClass(db, {a}, cat));
    two.apply(setSampleClass(second->db(), {b}, dog)); // reads a's class inside its transaction
    one_.apply(setTag(db, {a}, QStringLiteral("x"), true));
    // Neither overwrote the other's value.
    QCOMPARE(one(db, QStringLiteral("SELECT category_id FROM samples WHERE id = %1").arg(a)), cat);
    QCOMPARE(one(db, QStringLiteral("SELECT category_id FROM samples WHERE id = %1").arg(b)), dog);
    // The second sees the first's batches as external changes, and the same stacks.
    QSignalSpy spy(&two, &EditSession::changed);
    QVERIFY(two.refresh());
    QCOMPARE(spy.count(), 1);
    const auto event = spy.takeFirst().at(0).value<ChangeEvent>();
    QCOMPARE(event.kind, ChangeEvent::Kind::External);
    QCOMPARE(event.sampleIds, std::vector<std::int64_t>{a});
    QCOMPARE(two.undoSteps().size(), size_t(3));
    QCOMPARE(two.undoText(), one_.undoText());
    // One history per project: an undo in either takes back the project's latest step.
    two.undo();
    QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM sample_tags")), 0);
    QVERIFY(one_.refresh());
    QCOMPARE(one_.undoSteps().size(), size_t(2));
    QCOMPARE(one_.redoText(), QStringLiteral("Tag 1 sample 'x'"));
}

void TestEdits::unchangedValuesWriteNothing()
{
    auto project = importCoco();
    store::Database &db = project->db();
    EditSession session(*project);
    const std::int64_t a = one(db, QStringLiteral("SELECT id FROM samples WHERE path LIKE '%a.png'"));
    QCOMPARE(session.apply(setReviewed(db, {a}, false)).batch, 0);
    QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM edit_batches")), 0);
    QVERIFY(!session.canUndo());
    const ApplyResult partly = session.apply(setReviewed(db, {a}, true));
    QCOMPARE(partly.changes, 1);
    QCOMPARE(session.apply(setReviewed(db, {a}, true)).changes, 0);
}

void TestEdits::readOnlyProjectRefusesEdits()
{
    importCoco();
    store::OpenOptions options;
    options.readOnly = true;
    auto project = store::Project::open(path("p.assay"), options);
    EditSession session(*project);
    try {
        session.apply(setReviewed(project->db(), {1}, true));
        QFAIL("a read-only project was edited");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QStringLiteral("read-only")), qPrintable(error.message()));
    }
}

void TestEdits::mergeRewritesEverySampleAndObject()
{
    auto project = importCoco();
    store::Database &db = project->db();
    EditSession session(*project);
    const std::int64_t cat = findCategory(db, QStringLiteral("cat"));
    const std::int64_t dog = findCategory(db, QStringLiteral("dog"));
    session.apply(setSampleClass(db, {1, 2}, dog));
    const QString before = labelState(db);
    session.apply(mergeCategories(db, dog, cat));
    QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM samples WHERE category_id = %1").arg(cat)), 2);
    QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM annotations WHERE category_id = %1").arg(cat)), 3);
    QCOMPARE(findCategory(db, QStringLiteral("dog")), 0);
    QCOMPARE(session.undoText(), QStringLiteral("Merge the class 'dog' into 'cat'"));
    session.undo();
    QCOMPARE(labelState(db), before); // the class is back with its id, name and position
    QVERIFY_THROWS_EXCEPTION(Error, renameCategory(db, cat, QStringLiteral("dog")));
    QVERIFY_THROWS_EXCEPTION(Error, mergeCategories(db, cat, cat));
}

void TestEdits::historyForPeople()
{
    auto project = importCoco();
    store::Database &db = project->db();
    EditSession session(*project);
    session.setUserName(QStringLiteral("grace"));
    const std::int64_t a = one(db, QStringLiteral("SELECT id FROM samples WHERE path LIKE '%a.png'"));
    const std::int64_t box = one(db, QStringLiteral("SELECT id FROM annotations WHERE source_index = 0"));
    const std::int64_t dog = findCategory(db, QStringLiteral("dog"));
    session.apply(setSampleClass(db, {a}, dog));
    session.apply(setBox(db, box, {1, 2, 3, 4}));
    session.apply(mergeCategories(db, dog, findCategory(db, QStringLiteral("cat"))));
    session.undo();
    const std::vector<JournalEntry> all = loadJournal(db);
    QVERIFY(all.size() > 5);
    const JournalEntry &relabel = all.front();
    QCOMPARE(relabel.user, QStringLiteral("grace"));
    QCOMPARE(relabel.action, QStringLiteral("do"));
    QCOMPARE(relabel.sample, QStringLiteral("images/train/a.png"));
    QCOMPARE(relabel.field, QStringLiteral("class"));
    QVERIFY(relabel.oldValue.isNull());
    QCOMPARE(relabel.newValue, QStringLiteral("dog"));
    QCOMPARE(all[1].field, QStringLiteral("box"));
    QCOMPARE(all[1].oldValue, QStringLiteral("1.5,2,10,8"));
    QCOMPARE(all[1].newValue, QStringLiteral("1,2,3,4"));
    QCOMPARE(all.back().action, QStringLiteral("undo"));
    // Filters, and the forms of the report.
    JournalFilter filter;
    filter.sampleId = a;
    const auto ofA = loadJournal(db, filter);
    QVERIFY(std::all_of(ofA.begin(), ofA.end(), [&](const JournalEntry &e) { return e.sampleId == a; }));
    filter = {};
    filter.limit = 2;
    const auto latest = loadJournal(db, filter);
    QCOMPARE(latest.size(), size_t(2));
    QCOMPARE(latest.back().row, all.back().row);
    const QJsonArray json = journalJson(all);
    QCOMPARE(json.size(), qsizetype(all.size()));
    QCOMPARE(json.first().toObject()[QStringLiteral("new")].toString(), QStringLiteral("dog"));
    QVERIFY(json.first().toObject()[QStringLiteral("old")].isNull());
    const QString csv = journalCsv(all);
    QVERIFY(csv.startsWith(QStringLiteral("time,user,action,batch")));
    QCOMPARE(csv.count(u'\n'), qsizetype(all.size() + 1));
    QCOMPARE(samplesEditedSince(db), (std::vector<std::int64_t>{1, 2}));
    QVERIFY(samplesEditedSince(db, QStringLiteral("9999")).empty());
}

void TestEdits::revertBatchIsANewEdit()
{
    auto project = importCoco();
    store::Database &db = project->db();
    EditSession session(*project);
    const QString before = labelState(db);
    const ApplyResult first = session.apply(setSampleClass(db, {1, 2}, findCategory(db, QStringLiteral("cat"))));
    session.apply(setTag(db, {1}, QStringLiteral("later"), true));
    session.apply(revertBatch(db, first.batch)); // not the top step: not an undo
    QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM samples WHERE category_id IS NOT NULL")), 0);
    QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM sample_tags")), 1);
    QCOMPARE(session.undoSteps().size(), size_t(3));
    session.undo();
    session.undo();
    session.undo();
    QCOMPARE(labelState(db), before);
}

void TestEdits::editsMarkAnalysesStale()
{
    auto project = importCoco();
    store::Database &db = project->db();
    EditSession session(*project);
    QVERIFY(store::staleAnalyses(db).isEmpty());
    session.apply(setTag(db, {1}, QStringLiteral("t"), true));
    QVERIFY(store::staleAnalyses(db).isEmpty()); // tags change no analysis
    QCOMPARE(store::labelsGeneration(db), 0);
    session.apply(setSampleClass(db, {1}, findCategory(db, QStringLiteral("cat"))));
    QCOMPARE(store::staleAnalyses(db), test::strings({"duplicates", "slices"}));
    QCOMPARE(store::labelsGeneration(db), 1);
    session.apply(nudgeBox(db, 1, 1, 1));
    QVERIFY(store::staleAnalyses(db).contains(QStringLiteral("annotation_checks")));
    store::clearStale(db, QStringLiteral("slices"));
    QVERIFY(!store::staleAnalyses(db).contains(QStringLiteral("slices")));
}

void TestEdits::upgradesSchema4Project()
{
    const QString file = path("v4.assay");
    {
        store::OpenOptions options;
        options.create = true;
        options.migrations = store::builtinMigrations();
        options.migrations.resize(4); // a program that knows schema 4
        auto project = store::Project::open(file, options);
        QCOMPARE(project->schemaVersion(), 4);
        project->db().exec("INSERT INTO categories(name) VALUES('cat'); "
                           "INSERT INTO samples(path, category_id) VALUES('a.png', 1)");
    }
    auto project = store::Project::open(file);
    QCOMPARE(project->schemaVersion(), store::currentSchemaVersion());
    QVERIFY(!project->backupPath().isEmpty());
    store::Database &db = project->db();
    QCOMPARE(db.queryText("SELECT reviewed || excluded || edited FROM samples"), QStringLiteral("000"));
    EditSession session(*project);
    QVERIFY(!session.canUndo());
    session.apply(setSampleClass(db, {1}, 0));
    QCOMPARE(db.queryText("SELECT edited || '/' || source_category_id FROM samples"),
             QStringLiteral("1/1"));
    session.undo();
    QCOMPARE(one(db, QStringLiteral("SELECT category_id FROM samples")), 1);
}

QTEST_GUILESS_MAIN(TestEdits)
#include "tst_edits.moc"
