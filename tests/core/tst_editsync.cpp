// Edits and the rest of the project: a re-import keeps them (and the journal says so), the
// analyses they make stale are recomputed, exports leave excluded samples out, and an in-place
// write-back leaves nothing marked as edited.

#include "analysis/biasstore.h"
#include "analysis/duplicatestore.h"
#include "analysis/editrefresh.h"
#include "edit/commands.h"
#include "edit/editsession.h"
#include "edit/journalquery.h"
#include "edit/staleness.h"
#include "export/exporter.h"
#include "formats/importer.h"
#include "jobs/progress.h"
#include "store/project.h"
#include "testdata.h"
#include "util/error.h"

#include <QDir>
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
    "\"iscrowd\": 0},\n"
    "  {\"id\": 101, \"image_id\": 7, \"category_id\": 3, \"bbox\": [0, 0, 10, 10], "
    "\"iscrowd\": 0},\n"
    "  {\"id\": 102, \"image_id\": 9, \"category_id\": 3, \"bbox\": [0, 0, 4, 3], \"iscrowd\": 0}\n"
    " ],\n"
    " \"categories\": [{\"id\": 1, \"name\": \"cat\"}, {\"id\": 3, \"name\": \"dog\"}]}\n";

std::int64_t one(store::Database &db, const QString &sql)
{
    return db.queryInt(sql.toStdString());
}

QString text(store::Database &db, const QString &sql)
{
    return db.queryText(sql.toStdString());
}

} // namespace

class TestEditSync : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void reimportKeepsSampleEdits();
    void reimportKeepsObjectEdits();
    void conflictsAreRecomputedAfterEdits();
    void slicesAndDuplicatesClearTheirMarks();
    void exportsLeaveExcludedSamplesOut();
    void inPlaceWriteBackClearsEditMarks();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    void writeCsv(const char *rows)
    {
        test::writeFile(path(QStringLiteral("csv/list.csv")),
                        QByteArray("file,class\n") + rows);
    }
    void import(const QString &source)
    {
        jobs::Progress progress;
        formats::importDataset(source, path(QStringLiteral("p.assay")), {}, progress);
    }
    std::unique_ptr<store::Project> open() { return store::Project::open(path(QStringLiteral("p.assay"))); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestEditSync::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    for (int i = 0; i < 3; ++i)
        test::writeFile(path(QStringLiteral("csv/img/%1.png").arg(QChar(u'a' + i))),
                        test::texturedPng(8, 8, std::uint32_t(i + 1)));
}

void TestEditSync::reimportKeepsSampleEdits()
{
    writeCsv("img/a.png,cat\nimg/b.png,dog\nimg/c.png,cat\n");
    import(path(QStringLiteral("csv/list.csv")));
    auto classOf = [](store::Database &db, const char *file) {
        return text(db, QStringLiteral("SELECT c.name FROM samples s JOIN categories c ON c.id = "
                                       "s.category_id WHERE s.path = 'img/%1'")
                            .arg(QString::fromLatin1(file)));
    };
    {
        auto project = open();
        EditSession session(*project);
        session.apply(setSampleClass(project->db(), {1}, findCategory(project->db(), QStringLiteral("dog"))));
    }
    // Applied again unchanged, the source does not undo the edit.
    import(path(QStringLiteral("csv/list.csv")));
    {
        auto project = open();
        QCOMPARE(classOf(project->db(), "a.png"), QStringLiteral("dog"));
        QCOMPARE(one(project->db(), QStringLiteral("SELECT count(*) FROM edit_batches WHERE action = 3")), 0);
    }
    // The source changes a (edited: the edit wins, the journal says so) and b (not edited).
    writeCsv("img/a.png,bird\nimg/b.png,cat\nimg/c.png,cat\n");
    import(path(QStringLiteral("csv/list.csv")));
    {
        auto project = open();
        store::Database &db = project->db();
        QCOMPARE(classOf(db, "a.png"), QStringLiteral("dog"));
        QCOMPARE(classOf(db, "b.png"), QStringLiteral("cat"));
        QCOMPARE(classOf(db, "c.png"), QStringLiteral("cat"));
        JournalFilter filter;
        filter.sampleId = 1;
        const auto entries = loadJournal(db, filter);
        QCOMPARE(entries.size(), size_t(2));
        QCOMPARE(entries.back().action, QStringLiteral("kept"));
        QCOMPARE(entries.back().oldValue, QStringLiteral("bird")); // what the source says
        QCOMPARE(entries.back().newValue, QStringLiteral("dog"));  // what the project keeps
        // The kept note is no step: the relabel is still what undo takes back.
        EditSession session(*project);
        QCOMPARE(session.undoSteps().size(), size_t(1));
    }
    // Once the source says what the edit did, the mark goes and the source leads again.
    writeCsv("img/a.png,dog\nimg/b.png,cat\nimg/c.png,cat\n");
    import(path(QStringLiteral("csv/list.csv")));
    writeCsv("img/a.png,cat\nimg/b.png,cat\nimg/c.png,cat\n");
    import(path(QStringLiteral("csv/list.csv")));
    auto project = open();
    QCOMPARE(classOf(project->db(), "a.png"), QStringLiteral("cat"));
    QCOMPARE(one(project->db(), QStringLiteral("SELECT count(*) FROM edit_batches WHERE action = 3")), 1);
}

void TestEditSync::reimportKeepsObjectEdits()
{
    const QString json = path(QStringLiteral("coco/annotations/instances_train.json"));
    test::writeFile(json, cocoJson);
    test::writeFile(path(QStringLiteral("coco/images/train/a.png")), test::texturedPng(40, 30, 1));
    test::writeFile(path(QStringLiteral("coco/images/train/b.png")), test::texturedPng(40, 30, 2));
    import(path(QStringLiteral("coco")));
    auto boxOf = [](store::Database &db, int index) {
        return text(db, QStringLiteral("SELECT x || ',' || y || ',' || w || ',' || h FROM "
                                       "annotations WHERE source_index = %1")
                            .arg(index));
    };
    std::int64_t deleted = 0;
    {
        auto project = open();
        store::Database &db = project->db();
        EditSession session(*project);
        const std::int64_t moved = one(db, QStringLiteral("SELECT id FROM annotations WHERE source_index = 0"));
        deleted = one(db, QStringLiteral("SELECT id FROM annotations WHERE source_index = 1"));
        session.apply(setBox(db, moved, {2, 3, 4, 5}));
        session.apply(deleteAnnotations(db, {deleted}));
    }
    import(path(QStringLiteral("coco")));
    {
        auto project = open();
        store::Database &db = project->db();
        QCOMPARE(boxOf(db, 0), QStringLiteral("2.0,3.0,4.0,5.0"));
        QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM annotations")), 2); // not added back
        QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM edit_batches WHERE action = 3")), 0);
    }
    // The source moves the edited box and an unedited one.
    QByteArray changed(cocoJson);
    changed.replace("[1.5, 2, 10, 8]", "[6, 6, 6, 6]").replace("[0, 0, 4, 3]", "[1, 1, 4, 3]");
    test::writeFile(json, changed);
    import(path(QStringLiteral("coco")));
    {
        auto project = open();
        store::Database &db = project->db();
        QCOMPARE(boxOf(db, 0), QStringLiteral("2.0,3.0,4.0,5.0"));
        QCOMPARE(boxOf(db, 2), QStringLiteral("1.0,1.0,4.0,3.0"));
        const auto entries = loadJournal(db);
        QCOMPARE(entries.back().action, QStringLiteral("kept"));
        QCOMPARE(entries.back().field, QStringLiteral("annotation"));
        QVERIFY2(entries.back().oldValue.startsWith(QStringLiteral("box 6,6,6,6")),
                 qPrintable(entries.back().oldValue));
        QVERIFY2(entries.back().newValue.startsWith(QStringLiteral("box 2,3,4,5")),
                 qPrintable(entries.back().newValue));
        // Undoing the delete brings the object back, in step with its source again.
        EditSession session(*project);
        session.undo();
        QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM annotations WHERE id = %1").arg(deleted)), 1);
    }
    import(path(QStringLiteral("coco")));
    auto project = open();
    QCOMPARE(one(project->db(), QStringLiteral("SELECT count(*) FROM annotations")), 3);
    QCOMPARE(one(project->db(), QStringLiteral("SELECT count(*) FROM annotation_sources")), 1);
}

void TestEditSync::conflictsAreRecomputedAfterEdits()
{
    writeCsv("img/a.png,cat\nimg/b.png,cat\nimg/c.png,dog\n");
    import(path(QStringLiteral("csv/list.csv")));
    auto project = open();
    store::Database &db = project->db();
    db.exec("INSERT INTO splits(name) VALUES('train'), ('val')");
    db.exec("UPDATE samples SET split_id = 1");
    // a and b are copies (a the representative); no conflict, no leak yet.
    db.exec("INSERT INTO duplicate_members(sample_id, cluster, kind, distance, flags) "
            "VALUES(1, 0, 0, 0, 8), (2, 0, 0, 0, 0)");
    project->setMeta(QStringLiteral("duplicates"), QStringLiteral("{\"threshold\":6}"));
    EditSession session(*project);
    session.apply(setSampleClass(db, {2}, findCategory(db, QStringLiteral("dog"))));
    QVERIFY(store::staleAnalyses(db).contains(QStringLiteral("duplicates")));
    QVERIFY(analysis::refreshAfterEdit(*project));
    QVERIFY(!store::staleAnalyses(db).contains(QStringLiteral("duplicates")));
    QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM duplicate_members WHERE flags & 2")), 2);
    QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM issues WHERE kind = 'label_conflict'")), 2);
    QCOMPARE(text(db, QStringLiteral("SELECT detail FROM issues WHERE kind = 'label_conflict' LIMIT 1")),
             QStringLiteral("its copies are labelled cat, dog"));
    // Moving the copy to another split makes the cluster leak.
    session.apply(moveToSplit(db, {2}, 2));
    analysis::refreshAfterEdit(*project);
    QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM issues WHERE kind = 'leakage'")), 1);
    QCOMPARE(text(db, QStringLiteral("SELECT detail FROM issues WHERE kind = 'leakage'")),
             QStringLiteral("in val, a copy of img/a.png in train"));
    session.undo();
    session.undo();
    analysis::refreshAfterEdit(*project);
    QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM issues WHERE kind IN ('leakage', "
                                    "'label_conflict')")), 0);
    QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM duplicate_members WHERE flags & 3")), 0);
    QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM duplicate_members WHERE flags = 8")), 1);
}

// Slices are searched again after an edit (the planted shift goes when its labels are
// corrected); a full duplicates refresh clears the duplicates mark too.
void TestEditSync::slicesAndDuplicatesClearTheirMarks()
{
    // 300 images; "web" ones (a third) are 80% cats, the others 30%.
    test::writeImages(path(QStringLiteral("img")), 300);
    QByteArray csv("file,class,source\n");
    std::vector<std::int64_t> webCats;
    for (int i = 0; i < 300; ++i) {
        const bool web = i % 3 == 0;
        const bool cat = web ? (i % 15) < 12 : (i % 10) < 3;
        csv += QStringLiteral("img/img_%1.png,%2,%3\n")
                   .arg(i)
                   .arg(cat ? QStringLiteral("cat") : QStringLiteral("dog"),
                        web ? QStringLiteral("web") : QStringLiteral("camera"))
                   .toUtf8();
    }
    test::writeFile(path(QStringLiteral("list.csv")), csv);
    import(path(QStringLiteral("list.csv")));
    auto project = open();
    store::Database &db = project->db();
    jobs::Progress progress;
    analysis::bias::refreshSlices(*project, analysis::bias::storedSliceParameters(db), progress);
    QVERIFY(analysis::bias::storedReportedSlices(db) > 0);
    const std::vector<std::int64_t> web = analysis::bias::sliceSampleIds(
        db, {{QStringLiteral("source"), QStringLiteral("web")}});
    QCOMPARE(web.size(), size_t(100));

    // Half the web samples become dogs: the web slice is no longer cat-heavy.
    EditSession session(*project);
    const std::vector<std::int64_t> half(web.begin(), web.begin() + 50);
    session.apply(setSampleClass(db, half, findCategory(db, QStringLiteral("dog"))));
    QVERIFY(store::staleAnalyses(db).contains(store::analysisname::slices));
    QVERIFY(analysis::refreshAfterEdit(*project));
    QVERIFY(!store::staleAnalyses(db).contains(store::analysisname::slices));
    analysis::bias::SliceResults after;
    QVERIFY(analysis::bias::loadStoredSlices(db, after));
    for (const analysis::bias::SliceRecord &slice : after.slices) {
        if (slice.text == QStringLiteral("source=web"))
            QVERIFY2(slice.status != analysis::bias::SliceStatus::Reported
                         || slice.driverName != QStringLiteral("cat"),
                     qPrintable(slice.driverName));
    }

    analysis::refreshDuplicates(*project, {}, progress); // computed (nothing scanned: empty)
    session.apply(setSampleClass(db, {web.front()}, findCategory(db, QStringLiteral("cat"))));
    QVERIFY(store::staleAnalyses(db).contains(store::analysisname::duplicates));
    analysis::refreshDuplicates(*project, {}, progress);
    QVERIFY(!store::staleAnalyses(db).contains(store::analysisname::duplicates));
}

void TestEditSync::exportsLeaveExcludedSamplesOut()
{
    writeCsv("img/a.png,cat\nimg/b.png,dog\nimg/c.png,cat\n");
    import(path(QStringLiteral("csv/list.csv")));
    auto project = open();
    EditSession session(*project);
    session.apply(setExcluded(project->db(), {2}, true));
    auto run = [&](exporting::Target target, const char *out) {
        jobs::Progress progress;
        exporting::ExportOptions options;
        options.target = target;
        options.outDir = path(QString::fromLatin1(out));
        return exporting::exportProject(*project, options, progress);
    };
    const auto folder = run(exporting::Target::ImageFolder, "folder");
    QCOMPARE(folder.samplesExcluded, 1);
    QVERIFY(folder.excludedLeftOut);
    QCOMPARE(folder.samples, 2);
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("folder/dog/b.png"))));
    QVERIFY(QFileInfo::exists(path(QStringLiteral("folder/cat/a.png"))));
    QVERIFY(folder.toText().contains(QStringLiteral("1 excluded samples left out")));
    // Written back in its own format, the dataset keeps every record; the report says so.
    const auto own = run(exporting::Target::Csv, "own");
    QCOMPARE(own.samplesExcluded, 1);
    QVERIFY(!own.excludedLeftOut);
    QVERIFY(QFileInfo::exists(path(QStringLiteral("own/img/b.png"))));
    QVERIFY(own.toText().contains(QStringLiteral("still in the dataset's own files")));
}

void TestEditSync::inPlaceWriteBackClearsEditMarks()
{
    writeCsv("img/a.png,cat\nimg/b.png,dog\nimg/c.png,cat\n");
    import(path(QStringLiteral("csv/list.csv")));
    auto project = open();
    store::Database &db = project->db();
    EditSession session(*project);
    session.apply(setSampleClass(db, {1}, findCategory(db, QStringLiteral("dog"))));
    QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM samples WHERE edited != 0")), 1);
    jobs::Progress progress;
    exporting::ExportOptions options;
    options.target = exporting::Target::Csv;
    options.inPlace = true;
    exporting::exportProject(*project, options, progress);
    // The file now says what the project does: nothing is pending as an edit.
    QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM samples WHERE edited != 0")), 0);
    QCOMPARE(one(db, QStringLiteral("SELECT count(*) FROM edit_batches WHERE action = 3")), 0);
    QCOMPARE(text(db, QStringLiteral("SELECT c.name FROM samples s JOIN categories c ON "
                                     "c.id = s.category_id WHERE s.id = 1")),
             QStringLiteral("dog"));
    // The edit is still in the history and can be undone.
    QVERIFY(session.canUndo());
    session.undo();
    QCOMPARE(text(db, QStringLiteral("SELECT c.name FROM samples s JOIN categories c ON "
                                     "c.id = s.category_id WHERE s.id = 1")),
             QStringLiteral("cat"));
}

QTEST_GUILESS_MAIN(TestEditSync)
#include "tst_editsync.moc"
