// COCO instances: images, categories, boxes, polygons, RLE (compressed and not), extra keys kept,
// splits from file names, and bad input.

#include "formats/datasetreader.h"
#include "formats/importer.h"
#include "jobs/progress.h"
#include "report/projectinfo.h"
#include "store/project.h"
#include "testdata.h"
#include "util/error.h"

#include <QDir>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace assay;
using namespace assay::formats;

namespace {

const char trainJson[] = R"({
  "info": {"description": "test"},
  "images": [
    {"id": 7, "file_name": "a.png", "width": 40, "height": 30, "license": 1},
    {"id": 9, "file_name": "b.png", "width": 40, "height": 30}
  ],
  "categories": [
    {"id": 1, "name": "cat", "supercategory": "animal"},
    {"id": 3, "name": "dog", "supercategory": "animal"},
    {"id": 5, "name": "unused"}
  ],
  "annotations": [
    {"id": 100, "image_id": 7, "category_id": 1, "bbox": [1.5, 2, 10, 8], "area": 80,
     "iscrowd": 0, "score": 0.75, "attributes": {"occluded": true}},
    {"id": 101, "image_id": 7, "category_id": 3, "bbox": [0, 0, 10, 10], "iscrowd": 0,
     "segmentation": [[0, 0, 10, 0, 10, 10]]},
    {"id": 102, "image_id": 9, "category_id": 3, "bbox": [0, 0, 4, 3], "iscrowd": 1,
     "segmentation": {"size": [30, 40], "counts": [5, 10, 1185]}},
    {"id": 103, "image_id": 9, "category_id": 1, "bbox": [1, 1, 2, 2], "iscrowd": 1,
     "segmentation": {"size": [30, 40], "counts": "52203"}}
  ]
})";

// A file with 200 images and `count` annotations (more than the batches an import streams), the
// last of them `last` (a well-formed one when empty).
QByteArray manyAnnotations(int count, const QByteArray &last = {})
{
    QByteArray json = R"({"images": [)";
    for (int i = 0; i < 200; ++i)
        json += (i ? ",\n" : "") + QStringLiteral(R"({"id": %1, "file_name": "a.png"})")
                                        .arg(i + 1)
                                        .toUtf8();
    json += R"(], "annotations": [)";
    for (int i = 0; i < count; ++i) {
        json += i ? ",\n" : "";
        json += i == count - 1 && !last.isEmpty()
                    ? last
                    : QStringLiteral(R"({"id": %1, "image_id": %2, "category_id": 1, )"
                                     R"("bbox": [1, 2, 3, 4]})")
                          .arg(i)
                          .arg(i % 200 + 1)
                          .toUtf8();
    }
    return json + R"(], "categories": [{"id": 1, "name": "cat"}]})";
}

} // namespace

class TestCocoReader : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void readsImagesCategoriesAndAnnotations();
    void splitsFromFileNamesAndImport();
    void malformedJsonNamesLineAndColumn();
    void missingImageIdIsAnError();
    void escapingFileNamesAreRefused();
    void unknownCategoryIdKeptInPlace();
    void categoriesAfterTheAnnotations_data();
    void categoriesAfterTheAnnotations();
    void streamedImportFailingLateLeavesTheProjectAsItWas();
    void canceledStreamedImportWritesNothing();

private:
    ImportPlan read(const QString &source)
    {
        jobs::Progress progress;
        return readCoco(source, {}, progress);
    }
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_root;
};

void TestCocoReader::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_root = m_dir->filePath(QStringLiteral("coco"));
    test::writeFile(m_root + QStringLiteral("/images/train2017/a.png"), test::texturedPng(40, 30, 1));
    test::writeFile(m_root + QStringLiteral("/images/train2017/b.png"), test::texturedPng(40, 30, 2));
    test::writeFile(m_root + QStringLiteral("/annotations/instances_train2017.json"), trainJson);
}

void TestCocoReader::readsImagesCategoriesAndAnnotations()
{
    const ImportPlan plan = read(m_root);
    QCOMPARE(plan.format, QStringLiteral("coco"));
    QCOMPARE(plan.items.size(), size_t(2));
    QCOMPARE(plan.items[0].path, std::string("images/train2017/a.png"));
    QVERIFY(plan.items[0].exists);
    QCOMPARE(plan.splits, test::strings({"train"}));
    QCOMPARE(plan.categories, test::strings({"cat", "dog", "unused"}));
    QCOMPARE(plan.annotations.size(), size_t(4));
    const ImportAnnotation &box = plan.annotations[0];
    QCOMPARE(box.kind, AnnotationKind::Box);
    QCOMPARE(box.x, 1.5);
    QCOMPARE(box.w, 10.0);
    QCOMPARE(box.item, size_t(0));
    QCOMPARE(plan.categories[box.category], QStringLiteral("cat"));
    QCOMPARE(box.sourceFile, std::string("annotations/instances_train2017.json"));
    QCOMPARE(box.sourceIndex, 0);
    QCOMPARE(QString::fromStdString(box.extra),
             QStringLiteral(R"({"id": 100, "area": 80, "score": 0.75, "attributes": {"occluded": true}})"));
    QCOMPARE(plan.annotations[1].kind, AnnotationKind::Polygon);
    QCOMPARE(plan.annotations[1].polygons.size(), size_t(1));
    QCOMPARE(plan.annotations[2].kind, AnnotationKind::Mask);
    QVERIFY(plan.annotations[2].crowd);
    QCOMPARE(plan.annotations[2].mask.width, 40);
    QCOMPARE(plan.annotations[2].mask.height, 30);
    QCOMPARE(plan.annotations[2].mask.counts, (std::vector<std::uint32_t>{5, 10, 1185}));
    // "52203" is COCO's compressed form of the counts 5, 2, 2, 0, 3.
    QCOMPARE(plan.annotations[3].mask.counts, (std::vector<std::uint32_t>{5, 2, 2, 2, 5}));
}

void TestCocoReader::splitsFromFileNamesAndImport()
{
    test::writeFile(m_root + QStringLiteral("/images/val2017/c.png"), test::texturedPng(40, 30, 3));
    test::writeFile(m_root + QStringLiteral("/annotations/instances_val2017.json"), R"({
      "images": [{"id": 1, "file_name": "c.png", "width": 40, "height": 30}],
      "categories": [{"id": 3, "name": "dog"}],
      "annotations": [{"id": 5, "image_id": 1, "category_id": 3, "bbox": [1, 1, 5, 5]}]})");
    const QString project = m_dir->filePath(QStringLiteral("p.assay"));
    jobs::Progress progress;
    const ImportOutcome outcome = importDataset(m_root, project, {}, progress);
    QCOMPARE(outcome.result.added, 3);
    QCOMPARE(outcome.result.annotationsAdded, 5);
    auto opened = store::Project::open(project);
    QCOMPARE(opened->db().queryInt("SELECT count(*) FROM annotations a JOIN samples s ON "
                                   "s.id = a.sample_id JOIN splits sp ON sp.id = s.split_id "
                                   "WHERE sp.name = 'val'"),
             1);
    const QJsonObject info = report::summaryJson(opened->summary());
    const QJsonObject objects = info[QStringLiteral("annotations")].toObject();
    QCOMPARE(objects[QStringLiteral("train")].toObject()[QStringLiteral("dog")].toInt(), 2);
    QCOMPARE(objects[QStringLiteral("val")].toObject()[QStringLiteral("dog")].toInt(), 1);
    const QJsonObject kinds = info[QStringLiteral("annotation_kinds")].toObject();
    QCOMPARE(kinds[QStringLiteral("box")].toInt(), 2);
    QCOMPARE(kinds[QStringLiteral("polygon")].toInt(), 1);
    QCOMPARE(kinds[QStringLiteral("mask")].toInt(), 2);
    QCOMPARE(kinds[QStringLiteral("label")].toInt(), 0);
    // Unchanged re-import: nothing changes.
    const ImportOutcome again = importDataset(m_root, project, {}, progress);
    QCOMPARE(again.result.annotationsAdded + again.result.annotationsUpdated
                 + again.result.annotationsRemoved,
             0);
}

void TestCocoReader::malformedJsonNamesLineAndColumn()
{
    test::writeFile(m_root + QStringLiteral("/annotations/instances_train2017.json"),
                    "{\n  \"images\": [\n    {\"id\": 1, \"file_name\": \"a.png\",, }\n  ]\n}\n");
    try {
        read(m_root);
        QFAIL("no error");
    } catch (const Error &error) {
        QVERIFY2(error.message().startsWith(
                     QStringLiteral("annotations/instances_train2017.json:3:")),
                 qPrintable(error.message()));
    }
}

void TestCocoReader::missingImageIdIsAnError()
{
    test::writeFile(m_root + QStringLiteral("/annotations/instances_train2017.json"), R"({
      "images": [{"id": 1, "file_name": "a.png"}],
      "categories": [{"id": 1, "name": "cat"}],
      "annotations": [{"id": 5, "image_id": 2, "category_id": 1, "bbox": [0, 0, 1, 1]}]})");
    try {
        read(m_root);
        QFAIL("no error");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QStringLiteral("image id 2")),
                 qPrintable(error.message()));
    }
}

void TestCocoReader::escapingFileNamesAreRefused()
{
    test::writeFile(m_root + QStringLiteral("/annotations/instances_train2017.json"), R"({
      "images": [{"id": 1, "file_name": "a.png"}, {"id": 2, "file_name": "../../../etc/passwd"},
                 {"id": 3, "file_name": "b\u0000.png"}],
      "categories": [{"id": 1, "name": "cat"}],
      "annotations": [{"id": 5, "image_id": 2, "category_id": 1, "bbox": [0, 0, 1, 1]}]})");
    const ImportPlan plan = read(m_root);
    QCOMPARE(plan.items.size(), size_t(1));
    QCOMPARE(plan.refused.size(), size_t(2));
    QVERIFY(plan.annotations.empty());
    // Each refusal says why: the path climbs out, or it holds a NUL byte.
    QVERIFY2(plan.refused[0].reason.endsWith(QStringLiteral(": escapes the dataset root")),
             qPrintable(plan.refused[0].reason));
    QVERIFY2(plan.refused[1].reason.endsWith(QStringLiteral(": holds a NUL byte")),
             qPrintable(plan.refused[1].reason));
}

// An id missing from "categories" stays with its annotation (the checks report it, an export
// writes it back), where the file had it among the kept keys, and the same on every read.
void TestCocoReader::unknownCategoryIdKeptInPlace()
{
    test::writeFile(m_root + QStringLiteral("/annotations/instances_train2017.json"), R"({
      "images": [{"id": 1, "file_name": "a.png"}],
      "categories": [{"id": 1, "name": "cat"}],
      "annotations": [
        {"image_id": 1, "bbox": [0, 0, 1, 1], "category_id": 9},
        {"category_id": 9 , "id": 2, "image_id": 1, "bbox": [0, 0, 1, 1]},
        {"id": 3, "image_id": 1, "category_id": 9, "area": 1, "bbox": [0, 0, 1, 1]},
        {"id": 4, "image_id": 1, "bbox": [0, 0, 1, 1], "category_id": 9},
        {"id": 5, "image_id": 1, "bbox": [0, 0, 1, 1], "category_id": 1}
      ]})");
    const ImportPlan plan = read(m_root);
    const std::vector<std::string> expected = {
        R"({"category_id": 9})",
        R"({"category_id": 9, "id": 2})",
        R"({"id": 3, "category_id": 9, "area": 1})",
        R"({"id": 4, "category_id": 9})",
        R"({"id": 5})",
    };
    QCOMPARE(plan.annotations.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        QCOMPARE(plan.annotations[i].extra, expected[i]);
        QCOMPARE(plan.annotations[i].category, i < 4 ? -1 : 0);
    }
    const ImportPlan again = read(m_root);
    for (size_t i = 0; i < expected.size(); ++i)
        QCOMPARE(again.annotations[i].extra, expected[i]);
}

void TestCocoReader::categoriesAfterTheAnnotations_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("categories");
    const QByteArray images = R"("images": [{"id": 7, "file_name": "a.png", "width": 40,
                                              "height": 30}])";
    const QByteArray annotations =
        R"("annotations": [{"id": 1, "image_id": 7, "category_id": 3, "bbox": [0, 0, 1, 1],
                            "note": "\"categories\": [] }"},
                           {"id": 2, "image_id": 7, "category_id": 1, "bbox": [0, 0, 2, 2]}])";
    const QByteArray categories = R"("categories": [{"id": 1, "name": "cat"},
                                                    {"id": 3, "name": "dog"}])";
    // As COCO writes them: the categories last (read from the end of the file first).
    QTest::newRow("coco order") << "{\"info\": {}, " + images + ",\n" + annotations + ",\n"
                                       + categories + "}\n"
                                << test::strings({"dog", "cat"});
    // Images after the annotations too: the annotations are read after everything else.
    QTest::newRow("images last") << "{" + annotations + ", " + categories + ", " + images + "}"
                                 << test::strings({"dog", "cat"});
    // A "categories" member at the end that is not the top-level one is not taken for it.
    QTest::newRow("nested at the end")
        << "{" + images + ", " + categories + ", " + annotations
               + R"(, "info": {"categories": [{"id": 3, "name": "bird"}]}})"
        << test::strings({"dog", "cat"});
}

void TestCocoReader::categoriesAfterTheAnnotations()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, categories);
    test::writeFile(m_root + QStringLiteral("/annotations/instances_train2017.json"), json);
    const ImportPlan plan = read(m_root);
    QCOMPARE(plan.categories, categories);
    QCOMPARE(plan.annotations.size(), size_t(2));
    QCOMPARE(plan.categories[plan.annotations[0].category], QStringLiteral("dog"));
    QCOMPARE(plan.categories[plan.annotations[1].category], QStringLiteral("cat"));
    QCOMPARE(plan.annotations[1].w, 2.0);
    QVERIFY(plan.skipped.empty());
    // The same through an import, which streams the annotations to the project as it reads.
    const QString project = m_dir->filePath(QStringLiteral("p.assay"));
    jobs::Progress progress;
    const ImportOutcome outcome = importDataset(m_root, project, {}, progress);
    QCOMPARE(outcome.result.annotationsAdded, 2);
    QCOMPARE(outcome.plan.annotationsStreamed, 2);
    auto opened = store::Project::open(project);
    QCOMPARE(opened->db().queryInt("SELECT count(*) FROM annotations a JOIN categories c ON "
                                   "c.id = a.category_id WHERE c.name = 'dog' AND a.w = 1"),
             1);
    QCOMPARE(opened->summary().classes, categories);
}

void TestCocoReader::streamedImportFailingLateLeavesTheProjectAsItWas()
{
    // Every image is the same file: the items collapse into one sample.
    const QString json = m_root + QStringLiteral("/annotations/instances_train2017.json");
    test::writeFile(json, manyAnnotations(20000));
    const QString project = m_dir->filePath(QStringLiteral("p.assay"));
    jobs::Progress progress;
    QCOMPARE(importDataset(m_root, project, {}, progress).result.annotationsAdded, 20000);
    const QString modified = store::Project::open(project)->meta(QStringLiteral("modified_at"));

    // Malformed at the very end, after batches of annotations went to the writer.
    test::writeFile(json, manyAnnotations(20000, R"({"id": 1, "image_id": 1,, })"));
    for (const QString &target : {project, m_dir->filePath(QStringLiteral("new.assay"))}) {
        try {
            importDataset(m_root, target, {}, progress);
            QFAIL("no error");
        } catch (const Error &error) {
            QVERIFY2(error.message().startsWith(
                         QStringLiteral("annotations/instances_train2017.json:20199:25:")),
                     qPrintable(error.message()));
        }
    }
    auto opened = store::Project::open(project);
    QCOMPARE(opened->db().queryInt("SELECT count(*) FROM annotations"), 20000);
    QCOMPARE(opened->meta(QStringLiteral("modified_at")), modified);
    const QStringList left = QDir(m_dir->path()).entryList(QDir::Files);
    QVERIFY2(!left.contains(QStringLiteral("new.assay"))
                 && !left.contains(QStringLiteral("new.assay.importing")),
             qPrintable(left.join(u' ')));
}

void TestCocoReader::canceledStreamedImportWritesNothing()
{
    test::writeFile(m_root + QStringLiteral("/annotations/instances_train2017.json"),
                    manyAnnotations(40000));
    const QString project = m_dir->filePath(QStringLiteral("p.assay"));
    jobs::Progress progress;
    progress.cancel();
    QVERIFY_THROWS_EXCEPTION(jobs::Canceled, importDataset(m_root, project, {}, progress));
    const QStringList left = QDir(m_dir->path()).entryList(QDir::Files);
    QVERIFY2(left.isEmpty(), qPrintable(left.join(u' ')));
}

QTEST_GUILESS_MAIN(TestCocoReader)
#include "tst_cocoreader.moc"
