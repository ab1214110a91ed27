// Importing into a project and synchronising it again: ids kept, changes applied, vanished files
// marked missing, failures leaving nothing half-written.

#include "formats/importer.h"
#include "jobs/progress.h"
#include "store/project.h"
#include "testdata.h"
#include "util/error.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace assay;
using namespace assay::formats;

class TestImportSync : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void importThenReimportUnchanged();
    void reimportAddsUpdatesAndMarksMissing();
    void csvAttributesAreTypedAndSynced();
    void failedImportLeavesNoNewProject();
    void failedImportLeavesExistingProjectUnchanged();
    void canceledImportWritesNothing();
    void annotationsSyncBySource();

private:
    ImportOutcome import(const QString &source, ReadOptions options = {})
    {
        jobs::Progress progress;
        return importDataset(source, m_project, options, progress);
    }
    std::map<QString, std::int64_t> idsByPath();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_data;
    QString m_project;
};

void TestImportSync::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_data = m_dir->filePath(QStringLiteral("data"));
    m_project = m_dir->filePath(QStringLiteral("p.assay"));
    test::writeImages(m_data + QStringLiteral("/train/cat"), 3);
    test::writeImages(m_data + QStringLiteral("/train/dog"), 2);
    test::writeImages(m_data + QStringLiteral("/test/cat"), 1);
}

std::map<QString, std::int64_t> TestImportSync::idsByPath()
{
    auto project = store::Project::open(m_project);
    std::map<QString, std::int64_t> ids;
    for (const SampleRecord &record : project->samplesAfter(0, 1000))
        ids[record.path] = record.id;
    return ids;
}

void TestImportSync::importThenReimportUnchanged()
{
    const ImportOutcome first = import(m_data);
    QVERIFY(first.projectCreated);
    QCOMPARE(first.result.added, 6);
    {
        auto project = store::Project::open(m_project);
        const store::ProjectSummary summary = project->summary();
        QCOMPARE(summary.samples, 6);
        QCOMPARE(summary.perSplitClass[QStringLiteral("train")][QStringLiteral("cat")], 3);
        QCOMPARE(summary.perSplitClass[QStringLiteral("train")][QStringLiteral("dog")], 2);
        QCOMPARE(summary.perSplitClass[QStringLiteral("test")][QStringLiteral("cat")], 1);
        QCOMPARE(project->meta(QStringLiteral("dataset_format")), QStringLiteral("imagefolder"));
        QCOMPARE(project->datasetRoot(), QDir(m_data).canonicalPath());
    }
    const auto before = idsByPath();
    const ImportOutcome second = import(m_data);
    QVERIFY(!second.projectCreated);
    QCOMPARE(second.result.added, 0);
    QCOMPARE(second.result.updated, 0);
    QCOMPARE(second.result.unchanged, 6);
    QCOMPARE(idsByPath(), before);
}

void TestImportSync::reimportAddsUpdatesAndMarksMissing()
{
    import(m_data);
    const auto before = idsByPath();
    QVERIFY(QFile::remove(m_data + QStringLiteral("/train/dog/img_1.png")));
    test::writeFile(m_data + QStringLiteral("/train/dog/new.png"), test::tinyPng());
    test::writeFile(m_data + QStringLiteral("/train/cat/img_0.png"), test::tinyPng() + "more");
    const ImportOutcome sync = import(m_data);
    QCOMPARE(sync.result.added, 1);
    QCOMPARE(sync.result.updated, 1);
    QCOMPARE(sync.result.unchanged, 4);
    QCOMPARE(sync.result.markedMissing, 1);
    const auto after = idsByPath();
    for (const auto &[path, id] : before)
        QCOMPARE(after.at(path), id); // every old sample keeps its id, the vanished one too
    auto project = store::Project::open(m_project);
    QCOMPARE(project->summary().missing, 1);
    QCOMPARE(project->summary().samples, 6);
    project.reset();

    test::writeFile(m_data + QStringLiteral("/train/dog/img_1.png"), test::tinyPng());
    const ImportOutcome restored = import(m_data);
    QCOMPARE(restored.result.restored, 1);
    QCOMPARE(store::Project::open(m_project)->summary().missing, 0);
}

void TestImportSync::csvAttributesAreTypedAndSynced()
{
    const QString csv = m_data + QStringLiteral("/manifest.csv");
    test::writeFile(csv, "path,label,split,score,source\n"
                         "train/cat/img_0.png,cat,train,0.25,web\n"
                         "train/dog/img_0.png,dog,train,0.5,camera\n");
    import(csv);
    {
        auto project = store::Project::open(m_project);
        store::Database &db = project->db();
        QCOMPARE(db.queryInt("SELECT count(*) FROM attributes"), 2);
        QCOMPARE(db.queryText("SELECT column_name FROM attributes WHERE name = 'score'"),
                 QStringLiteral("a1"));
        QCOMPARE(db.queryText("SELECT typeof(a1) FROM sample_attributes LIMIT 1"),
                 QStringLiteral("real"));
        QCOMPARE(db.queryText("SELECT a2 FROM sample_attributes ORDER BY sample_id LIMIT 1"),
                 QStringLiteral("web"));
    }
    test::writeFile(csv, "path,label,split,score,source\n"
                         "train/cat/img_0.png,cat,train,0.25,web\n"
                         "train/dog/img_0.png,dog,train,0.75,camera\n");
    const ImportOutcome sync = import(csv);
    QCOMPARE(sync.result.unchanged, 1);
    QCOMPARE(sync.result.updated, 1);
}

void TestImportSync::failedImportLeavesNoNewProject()
{
    const QString csv = m_data + QStringLiteral("/bad.csv");
    test::writeFile(csv, "path,label\na.png,cat\nb.png\n");
    QVERIFY_THROWS_EXCEPTION(Error, import(csv));
    QVERIFY(!QFile::exists(m_project));
    QVERIFY(!QFile::exists(m_project + QStringLiteral("-wal")));
}

void TestImportSync::failedImportLeavesExistingProjectUnchanged()
{
    import(m_data);
    const auto before = idsByPath();
    // A second import from a broken manifest fails before it touches the project.
    const QString csv = m_data + QStringLiteral("/broken.csv");
    test::writeFile(csv, "path,label\ntrain/cat/img_0.png,cat\n\"unterminated\n");
    QVERIFY_THROWS_EXCEPTION(Error, import(csv));
    QCOMPARE(idsByPath(), before);
    QCOMPARE(store::Project::open(m_project)->summary().missing, 0);
}

void TestImportSync::canceledImportWritesNothing()
{
    jobs::Progress progress;
    progress.cancel();
    bool canceled = false;
    try {
        importDataset(m_data, m_project, {}, progress);
    } catch (const jobs::Canceled &) {
        canceled = true;
    }
    QVERIFY(canceled);
    QVERIFY(!QFile::exists(m_project));
}

void TestImportSync::annotationsSyncBySource()
{
    ImportPlan plan;
    plan.format = QStringLiteral("coco");
    plan.root = m_data;
    plan.source = m_data + QStringLiteral("/instances.json");
    plan.categories = test::strings({"cat", "dog"});
    for (const char *path : {"a.png", "b.png"})
        plan.items.push_back({path, -1, -1, -1, 10, 1, true});
    auto box = [](size_t item, int category, double x, std::int64_t index) {
        ImportAnnotation a;
        a.item = item;
        a.category = category;
        a.x = x;
        a.y = 2;
        a.w = 30;
        a.h = 40;
        a.sourceFile = "instances.json";
        a.sourceIndex = index;
        return a;
    };
    plan.annotations = {box(0, 0, 1, 0), box(0, 1, 5, 1), box(1, 0, 7, 2)};
    ImportAnnotation polygon = box(1, 1, 0, 3);
    polygon.kind = AnnotationKind::Polygon;
    polygon.polygons = {{0, 0, 10, 0, 10, 10}};
    polygon.extra = R"({"score": 0.9})";
    plan.annotations.push_back(polygon);

    store::OpenOptions options;
    options.create = true;
    auto project = store::Project::open(m_project, options);
    jobs::Progress progress;
    ImportResult first;
    try {
        first = project->applyImport(plan, progress);
    } catch (const Error &error) {
        QFAIL(qPrintable(error.message()));
    }
    QCOMPARE(first.annotationsAdded, 4);
    store::Database &db = project->db();
    QCOMPARE(db.queryInt("SELECT count(*) FROM annotations"), 4);
    {
        store::Statement geometry(db, "SELECT geometry FROM annotations WHERE kind = 2");
        QVERIFY(geometry.step());
        QCOMPARE(decodePolygons(geometry.blob(0)), polygon.polygons);
    }
    QCOMPARE(db.queryText("SELECT extra FROM annotations WHERE kind = 2"),
             QStringLiteral(R"({"score": 0.9})"));
    const std::int64_t keptId = db.queryInt("SELECT id FROM annotations WHERE source_index = 2");

    ImportResult again = project->applyImport(plan, progress);
    QCOMPARE(again.annotationsAdded + again.annotationsUpdated + again.annotationsRemoved, 0);

    plan.annotations[0].x = 3;          // moved
    plan.annotations.erase(plan.annotations.begin() + 1); // gone from the source
    ImportResult changed = project->applyImport(plan, progress);
    QCOMPARE(changed.annotationsUpdated, 1);
    QCOMPARE(changed.annotationsRemoved, 1);
    QCOMPARE(changed.annotationsAdded, 0);
    QCOMPARE(db.queryInt("SELECT id FROM annotations WHERE source_index = 2"), keptId);
    QCOMPARE(db.queryInt("SELECT x FROM annotations WHERE source_index = 0"), 3);
}

QTEST_GUILESS_MAIN(TestImportSync)
#include "tst_importsync.moc"
