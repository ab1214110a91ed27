// The annotation checks on small planted datasets: each planted problem is found on its sample
// with its kind, and the clean samples get nothing. COCO for most kinds, YOLO for class ids and
// label files, VOC for a box outside the image; then the checks after a scan and beside the
// quality kinds.

#include "analysis/annotationchecks.h"
#include "analysis/quality.h"
#include "formats/importer.h"
#include "jobs/progress.h"
#include "scan/scanner.h"
#include "store/featurestore.h"
#include "store/project.h"
#include "testdata.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <memory>

using namespace assay;
namespace kind = assay::analysis::issuekind;

namespace {

// Every image is 40x30. Samples by file name: what is planted on each.
const char cocoJson[] = R"({
  "images": [
    {"id": 1, "file_name": "clean.png", "width": 40, "height": 30},
    {"id": 2, "file_name": "outside.png", "width": 40, "height": 30},
    {"id": 3, "file_name": "flat.png", "width": 40, "height": 30},
    {"id": 4, "file_name": "fewpoints.png", "width": 40, "height": 30},
    {"id": 5, "file_name": "bowtie.png", "width": 40, "height": 30},
    {"id": 6, "file_name": "rle.png", "width": 40, "height": 30},
    {"id": 7, "file_name": "unknowncat.png", "width": 40, "height": 30},
    {"id": 8, "file_name": "noobjects.png", "width": 40, "height": 30},
    {"id": 9, "file_name": "gone.png", "width": 40, "height": 30},
    {"id": 10, "file_name": "duplicate.png", "width": 40, "height": 30},
    {"id": 11, "file_name": "conflict.png", "width": 40, "height": 30},
    {"id": 12, "file_name": "unsized.png"}
  ],
  "categories": [{"id": 1, "name": "cat"}, {"id": 2, "name": "dog"}],
  "annotations": [
    {"id": 100, "image_id": 1, "category_id": 1, "bbox": [0, 0, 10, 10]},
    {"id": 101, "image_id": 1, "category_id": 2, "bbox": [1, 0, 10, 10]},
    {"id": 102, "image_id": 1, "category_id": 2, "bbox": [20, 5, 10, 10],
     "segmentation": [[20, 5, 30, 5, 30, 15, 20, 15, 20, 5]]},
    {"id": 103, "image_id": 1, "category_id": 1, "bbox": [0, 0, 40, 30], "iscrowd": 1,
     "segmentation": {"size": [30, 40], "counts": [100, 50, 1050]}},
    {"id": 104, "image_id": 1, "category_id": 1, "bbox": [0.2, 0, 40, 30.3]},
    {"id": 200, "image_id": 2, "category_id": 1, "bbox": [30, -2, 20, 10]},
    {"id": 300, "image_id": 3, "category_id": 1, "bbox": [5, 5, 0, 8]},
    {"id": 400, "image_id": 4, "category_id": 2, "bbox": [1, 1, 4, 4],
     "segmentation": [[1, 1, 5, 5, 1, 1]]},
    {"id": 500, "image_id": 5, "category_id": 2, "bbox": [0, 0, 10, 10],
     "segmentation": [[0, 0, 10, 10, 10, 0, 0, 10]]},
    {"id": 600, "image_id": 6, "category_id": 1, "bbox": [0, 0, 20, 20], "iscrowd": 1,
     "segmentation": {"size": [20, 20], "counts": [400]}},
    {"id": 601, "image_id": 6, "category_id": 1, "bbox": [0, 0, 20, 20], "iscrowd": 1,
     "segmentation": {"size": [30, 40], "counts": [5, 10]}},
    {"category_id": 99, "id": 700, "image_id": 7, "bbox": [1, 1, 5, 5]},
    {"id": 900, "image_id": 9, "category_id": 1, "bbox": [1, 1, 5, 5]},
    {"id": 1000, "image_id": 10, "category_id": 1, "bbox": [5, 5, 20, 20]},
    {"id": 1001, "image_id": 10, "category_id": 1, "bbox": [5, 5, 20, 20.5]},
    {"id": 1100, "image_id": 11, "category_id": 1, "bbox": [5, 5, 20, 20]},
    {"id": 1101, "image_id": 11, "category_id": 2, "bbox": [5.2, 5, 20, 20]},
    {"id": 1200, "image_id": 12, "category_id": 1, "bbox": [35, 0, 10, 10]}
  ]
})";

struct Found
{
    QString kind;
    QString detail;
    double value = 0;
};

// Issues per sample path (missing samples included), in kind order.
std::map<QString, std::vector<Found>> issuesByPath(store::Project &project)
{
    std::map<QString, std::vector<Found>> byPath;
    for (const store::IssueRecord &record : store::loadIssues(project.db()))
        byPath[record.path].push_back({record.issue.kind, record.issue.detail, record.issue.value});
    return byPath;
}

// Every issue as one line, sorted: for comparing two runs of the checks.
QStringList lines(const std::map<QString, std::vector<Found>> &byPath)
{
    QStringList all;
    for (const auto &[path, found] : byPath) {
        for (const Found &f : found)
            all << QStringLiteral("%1 | %2 | %3 | %4").arg(path, f.kind, f.detail).arg(f.value);
    }
    all.sort();
    return all;
}

QStringList kindsOf(const std::map<QString, std::vector<Found>> &byPath, const QString &path)
{
    QStringList kinds;
    const auto found = byPath.find(path);
    if (found != byPath.end())
        for (const Found &issue : found->second)
            kinds << issue.kind;
    return kinds;
}

const Found &only(const std::map<QString, std::vector<Found>> &byPath, const QString &path)
{
    static const Found none;
    const auto found = byPath.find(path);
    return found == byPath.end() || found->second.size() != 1 ? none : found->second.front();
}

} // namespace

class TestAnnotationChecks : public QObject
{
    Q_OBJECT
private slots:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }
    void cocoPlantedProblems();
    void cocoUnknownCategoryIdIsKept();
    void scanSuppliesMissingSizes();
    void yoloClassIdsAndLabelFiles();
    void vocBoxOutsideTheImage();
    void reimportKeepsKindsApart();
    void classificationDatasets();

private:
    QString path(const QString &relative) const { return m_dir->filePath(relative); }
    QString writeCoco();
    std::unique_ptr<store::Project> import(const QString &source);
    std::unique_ptr<QTemporaryDir> m_dir;
};

QString TestAnnotationChecks::writeCoco()
{
    const QString root = path(QStringLiteral("coco"));
    std::uint32_t seed = 1;
    for (const char *name : {"clean", "outside", "flat", "fewpoints", "bowtie", "rle", "unknowncat",
                             "noobjects", "duplicate", "conflict", "unsized"})
        test::writeFile(root + QStringLiteral("/images/%1.png").arg(QLatin1StringView(name)),
                        test::texturedPng(40, 30, seed++));
    test::writeFile(root + QStringLiteral("/annotations/instances_train.json"), cocoJson);
    return root;
}

std::unique_ptr<store::Project> TestAnnotationChecks::import(const QString &source)
{
    jobs::Progress progress;
    formats::importDataset(source, path(QStringLiteral("p.assay")), {}, progress);
    return store::Project::open(path(QStringLiteral("p.assay")));
}

void TestAnnotationChecks::cocoPlantedProblems()
{
    auto project = import(writeCoco());
    const auto issues = issuesByPath(*project);
    auto image = [](const char *name) {
        return QStringLiteral("images/") + QLatin1StringView(name);
    };

    // Overlapping boxes below the IoU threshold, a crowd mask over them, a polygon, and a box
    // less than half a pixel past the edges: nothing.
    QCOMPARE(kindsOf(issues, image("clean.png")), QStringList());

    const Found &outside = only(issues, image("outside.png"));
    QCOMPARE(outside.kind, kind::boxOutsideImage);
    QCOMPARE(outside.value, 10.0);
    QCOMPARE(outside.detail,
             QStringLiteral("'cat' box reaches 2 px past the top edge, 10 px past the right edge "
                            "(image 40×30, box x 30 to 50, y -2 to 8) — annotations[5] (id 200) "
                            "of annotations/instances_train.json"));

    QCOMPARE(kindsOf(issues, image("flat.png")), QStringList{kind::boxEmptyArea});
    QCOMPARE(kindsOf(issues, image("fewpoints.png")), QStringList{kind::polygonTooFewPoints});
    QVERIFY2(only(issues, image("fewpoints.png"))
                 .detail.startsWith(QStringLiteral("'dog' polygon has 2 distinct point(s)")),
             qPrintable(only(issues, image("fewpoints.png")).detail));
    QCOMPARE(kindsOf(issues, image("bowtie.png")), QStringList{kind::polygonSelfIntersecting});
    QCOMPARE(kindsOf(issues, image("rle.png")),
             (QStringList{kind::rleSizeMismatch, kind::rleSizeMismatch}));
    QStringList maskDetails;
    for (const Found &mask : issues.at(image("rle.png")))
        maskDetails << mask.detail;
    maskDetails.sort();
    QCOMPARE(maskDetails,
             QStringList({QStringLiteral("'cat' mask has runs covering 15 pixels, not the 1200 of "
                                         "40×30 — annotations[10] (id 601) of "
                                         "annotations/instances_train.json"),
                          QStringLiteral("'cat' mask is 20×20 but the image is 40×30 — "
                                         "annotations[9] (id 600) of "
                                         "annotations/instances_train.json")}));

    const Found &unknown = only(issues, image("unknowncat.png"));
    QCOMPARE(unknown.kind, kind::unknownCategory);
    QCOMPARE(unknown.value, 99.0);
    QCOMPARE(unknown.detail, QStringLiteral("category id 99 is not in the category list — "
                                            "annotations[11] (id 700) of "
                                            "annotations/instances_train.json"));

    QCOMPARE(kindsOf(issues, image("noobjects.png")), QStringList{kind::noAnnotations});
    const Found &gone = only(issues, image("gone.png"));
    QCOMPARE(gone.kind, kind::missingImage);
    QCOMPARE(gone.detail, QStringLiteral("the image file is not there; 1 object(s) in "
                                         "annotations/instances_train.json point at it"));

    const Found &duplicate = only(issues, image("duplicate.png"));
    QCOMPARE(duplicate.kind, kind::duplicateBox);
    QVERIFY(duplicate.value >= 0.95 && duplicate.value < 1);
    QCOMPARE(duplicate.detail, QStringLiteral("IoU 0.976, both 'cat' — annotations[13] (id 1000) "
                                              "and annotations[14] (id 1001) of "
                                              "annotations/instances_train.json"));
    const Found &conflict = only(issues, image("conflict.png"));
    QCOMPARE(conflict.kind, kind::conflictingBox);
    QVERIFY2(conflict.detail.startsWith(QStringLiteral("IoU 0.980, 'cat' and 'dog' — ")),
             qPrintable(conflict.detail));

    // Its size is unknown until a scan: no outside check yet.
    QCOMPARE(kindsOf(issues, image("unsized.png")), QStringList());
    QCOMPARE(issues.size(), size_t(10));

    // The import checked the objects as the reader handed them over (analysis::ImportChecks);
    // checking the written rows again finds exactly the same.
    analysis::refreshAnnotationChecks(*project);
    QCOMPARE(lines(issuesByPath(*project)), lines(issues));
}

void TestAnnotationChecks::cocoUnknownCategoryIdIsKept()
{
    auto project = import(writeCoco());
    // In place, as the file spelled it, and the same on every read.
    QCOMPARE(project->db().queryText("SELECT extra FROM annotations WHERE category_id IS NULL"),
             QStringLiteral(R"({"category_id": 99, "id": 700})"));
    jobs::Progress progress;
    const auto again = formats::importDataset(path(QStringLiteral("coco")),
                                              path(QStringLiteral("p.assay")), {}, progress);
    QCOMPARE(again.result.annotationsUpdated + again.result.annotationsAdded +
                 again.result.annotationsRemoved,
             0);
}

void TestAnnotationChecks::scanSuppliesMissingSizes()
{
    import(writeCoco()).reset();
    jobs::Progress progress;
    const scan::ScanSummary summary =
        scan::scanProject(path(QStringLiteral("p.assay")), {}, progress);
    QCOMPARE(summary.computed, 11);
    auto project = store::Project::open(path(QStringLiteral("p.assay")));
    analysis::refreshQualityIssues(*project); // replaces the quality kinds only
    QVERIFY(analysis::refreshAnnotationChecksAfterScan(*project));
    const auto issues = issuesByPath(*project);
    const Found &unsized = only(issues, QStringLiteral("images/unsized.png"));
    QCOMPARE(unsized.kind, kind::boxOutsideImage);
    QCOMPARE(unsized.value, 5.0);
    // The import's findings are all still there, the missing image included.
    QCOMPARE(only(issues, QStringLiteral("images/gone.png")).kind, kind::missingImage);
    QCOMPARE(only(issues, QStringLiteral("images/bowtie.png")).kind, kind::polygonSelfIntersecting);
    // A quality refresh leaves them alone.
    analysis::refreshQualityIssues(*project);
    QCOMPARE(issuesByPath(*project).size(), issues.size());
}

void TestAnnotationChecks::yoloClassIdsAndLabelFiles()
{
    const QString root = path(QStringLiteral("yolo"));
    test::writeFile(root + QStringLiteral("/data.yaml"), "train: train.txt\nnames: [cat, dog]\n");
    test::writeFile(root + QStringLiteral("/train.txt"),
                    "images/ok.png\nimages/badclass.png\nimages/empty.png\n"
                    "images/nolabel.png\nimages/edge.png\nimages/gone.png\n");
    std::uint32_t seed = 1;
    for (const char *name : {"ok", "badclass", "empty", "nolabel", "edge"})
        test::writeFile(root + QStringLiteral("/images/%1.png").arg(QLatin1StringView(name)),
                        test::texturedPng(100, 50, seed++));
    test::writeFile(root + QStringLiteral("/labels/ok.txt"),
                    "0 0.5 0.5 0.2 0.2\n1 0.2 0.2 0.1 0.1\n");
    test::writeFile(root + QStringLiteral("/labels/badclass.txt"), "1 0.5 0.5 0.2 0.2\n"
                                                                   "2 0.3 0.3 0.2 0.2\n");
    test::writeFile(root + QStringLiteral("/labels/empty.txt"), "");
    test::writeFile(root + QStringLiteral("/labels/edge.txt"), "0 0.05 0.5 0.2 0.2\n");
    test::writeFile(root + QStringLiteral("/labels/gone.txt"), "0 0.5 0.5 0.2 0.2\n");
    auto project = import(root + QStringLiteral("/data.yaml"));
    const auto issues = issuesByPath(*project);

    QCOMPARE(kindsOf(issues, QStringLiteral("images/ok.png")), QStringList());
    const Found &badClass = only(issues, QStringLiteral("images/badclass.png"));
    QCOMPARE(badClass.kind, kind::classIdOutOfRange);
    QCOMPARE(badClass.value, 2.0);
    QCOMPARE(badClass.detail, QStringLiteral("class id 2, but there are 2 class names (ids 0 to "
                                             "1) — line 2 of labels/badclass.txt"));
    QCOMPARE(project->db().queryText("SELECT extra FROM annotations WHERE category_id IS NULL"),
             QStringLiteral(R"({"class_id": 2})"));
    QCOMPARE(kindsOf(issues, QStringLiteral("images/empty.png")),
             QStringList{kind::emptyLabelFile});
    QCOMPARE(kindsOf(issues, QStringLiteral("images/nolabel.png")),
             QStringList{kind::noAnnotations});
    const Found &edge = only(issues, QStringLiteral("images/edge.png"));
    QCOMPARE(edge.kind, kind::boxOutsideImage);
    QCOMPARE(edge.value, 5.0);
    QVERIFY2(edge.detail.contains(QStringLiteral("5 px past the left edge")),
             qPrintable(edge.detail));
    const Found &gone = only(issues, QStringLiteral("images/gone.png"));
    QCOMPARE(gone.kind, kind::missingImage);
    QVERIFY2(gone.detail.contains(QStringLiteral("its label file has objects")),
             qPrintable(gone.detail));
    QCOMPARE(issues.size(), size_t(5));
}

void TestAnnotationChecks::vocBoxOutsideTheImage()
{
    const QString root = path(QStringLiteral("VOC2007"));
    test::writeFile(root + QStringLiteral("/JPEGImages/000001.png"), test::texturedPng(40, 30, 1));
    test::writeFile(root + QStringLiteral("/JPEGImages/000002.png"), test::texturedPng(40, 30, 2));
    test::writeFile(root + QStringLiteral("/JPEGImages/000003.png"), test::texturedPng(40, 30, 3));
    auto xml = [](const char *file, const char *box) {
        return QByteArray("<annotation><filename>") + file +
               "</filename><size><width>40</width><height>30</height></size>"
               "<object><name>dog</name><bndbox>" +
               box + "</bndbox></object></annotation>\n";
    };
    // 1-based, inclusive: 1..40 is the whole width; 1..50 passes the right edge by 10.
    test::writeFile(
        root + QStringLiteral("/Annotations/000001.xml"),
        xml("000001.png", "<xmin>1</xmin><ymin>1</ymin><xmax>50</xmax><ymax>10</ymax>"));
    test::writeFile(
        root + QStringLiteral("/Annotations/000002.xml"),
        xml("000002.png", "<xmin>1</xmin><ymin>1</ymin><xmax>40</xmax><ymax>30</ymax>"));
    formats::ReadOptions options;
    options.format = formats::Format::Voc;
    jobs::Progress progress;
    formats::importDataset(root, path(QStringLiteral("p.assay")), options, progress);
    auto project = store::Project::open(path(QStringLiteral("p.assay")));
    const auto issues = issuesByPath(*project);
    const Found &outside = only(issues, QStringLiteral("JPEGImages/000001.png"));
    QCOMPARE(outside.kind, kind::boxOutsideImage);
    QCOMPARE(outside.value, 10.0);
    QCOMPARE(outside.detail, QStringLiteral("'dog' box reaches 10 px past the right edge (image "
                                            "40×30, box x 0 to 50, y 0 to 10) — object 1 of "
                                            "Annotations/000001.xml"));
    QCOMPARE(kindsOf(issues, QStringLiteral("JPEGImages/000002.png")), QStringList());
    QCOMPARE(kindsOf(issues, QStringLiteral("JPEGImages/000003.png")),
             QStringList{kind::noAnnotations});
    QCOMPARE(issues.size(), size_t(2));
}

void TestAnnotationChecks::reimportKeepsKindsApart()
{
    const QString root = writeCoco();
    auto project = import(root);
    // A quality issue as a scan would write it survives the annotation checks of a re-import.
    store::replaceIssues(project->db(), analysis::qualityIssueKinds(),
                         {Issue{1, kind::dark, Severity::Warning, QStringLiteral("dark"), 3}});
    const std::int64_t before = project->db().queryInt("SELECT count(*) FROM issues");
    project.reset();
    // The missing image appears: its issue goes, the others stay.
    test::writeFile(root + QStringLiteral("/images/gone.png"), test::texturedPng(40, 30, 99));
    project = import(root);
    const auto issues = issuesByPath(*project);
    QCOMPARE(kindsOf(issues, QStringLiteral("images/clean.png")), QStringList{kind::dark});
    QCOMPARE(kindsOf(issues, QStringLiteral("images/gone.png")), QStringList());
    QCOMPARE(project->db().queryInt("SELECT count(*) FROM issues"), before - 1);
    // And the scan's quality refresh leaves the annotation kinds alone.
    analysis::refreshQualityIssues(*project);
    QCOMPARE(project->db().queryInt("SELECT count(*) FROM issues"), before - 2);
    QCOMPARE(kindsOf(issuesByPath(*project), QStringLiteral("images/bowtie.png")),
             QStringList{kind::polygonSelfIntersecting});
}

// Without objects, an image needs none: only a manifest row naming a missing file is reported.
void TestAnnotationChecks::classificationDatasets()
{
    test::writeImages(path(QStringLiteral("folder/cat")), 3);
    auto project = import(path(QStringLiteral("folder")));
    QCOMPARE(project->db().queryInt("SELECT count(*) FROM issues"), 0);
    project.reset();
    QFile::remove(path(QStringLiteral("p.assay")));

    test::writeImages(path(QStringLiteral("csv")), 2);
    test::writeFile(path(QStringLiteral("csv/list.csv")),
                    "path,label\nimg_0.png,cat\nimg_1.png,dog\ngone.png,cat\n");
    project = import(path(QStringLiteral("csv/list.csv")));
    const auto issues = issuesByPath(*project);
    QCOMPARE(issues.size(), size_t(1));
    const Found &gone = only(issues, QStringLiteral("gone.png"));
    QCOMPARE(gone.kind, kind::missingImage);
    QCOMPARE(gone.detail,
             QStringLiteral("the image file is not there, though the dataset lists it"));
}

QTEST_GUILESS_MAIN(TestAnnotationChecks)
#include "tst_annotationchecks.moc"
