// Export: the dataset's own format round-trips byte for byte with no edit, and one edit changes
// only its record; other formats report what they cannot hold; the output folder is guarded.

#include "export/exporter.h"
#include "formats/datasetreader.h"
#include "formats/importer.h"
#include "jobs/progress.h"
#include "store/project.h"
#include "testdata.h"
#include "util/error.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace assay;

namespace {

const char cocoJson[] =
    "{\"info\": {\"year\": 2017},\n"
    " \"images\": [{\"id\": 7, \"file_name\": \"a.png\", \"width\": 40, \"height\": 30, "
    "\"license\": 1},\n"
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

const char vocXml[] = "<annotation>\n"
                      "\t<filename>%1.png</filename>\n"
                      "\t<size><width>40</width><height>30</height><depth>3</depth></size>\n"
                      "\t<object>\n"
                      "\t\t<name>cat</name>\n"
                      "\t\t<difficult>0</difficult>\n"
                      "\t\t<bndbox><xmin>1</xmin><ymin>2</ymin><xmax>10</xmax><ymax>20</ymax></bndbox>\n"
                      "\t</object>\n"
                      "\t<object>\n"
                      "\t\t<name>dog</name>\n"
                      "\t\t<pose>Left</pose>\n"
                      "\t\t<bndbox><xmin>5</xmin><ymin>5</ymin><xmax>9</xmax><ymax>9</ymax></bndbox>\n"
                      "\t</object>\n"
                      "</annotation>\n";

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Every file under `dir`, relative, with its bytes.
QMap<QString, QByteArray> tree(const QString &dir)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files.insert(QDir(dir).relativeFilePath(path), readAll(path));
    }
    return files;
}

// The files whose bytes differ between two trees (or that only one has).
QStringList differences(const QString &a, const QString &b)
{
    const auto left = tree(a), right = tree(b);
    QStringList out;
    for (auto it = left.begin(); it != left.end(); ++it) {
        if (!right.contains(it.key()) || right.value(it.key()) != it.value())
            out << it.key();
    }
    for (auto it = right.begin(); it != right.end(); ++it) {
        if (!left.contains(it.key()))
            out << it.key();
    }
    return out;
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cocoRoundTripsUnchanged();
    void cocoEditChangesOnlyThatRecord();
    void cocoDeleteAndAdd();
    void vocRoundTripAndEdit();
    void yoloRoundTripAndEdit();
    void csvAndImageFolderRelabel();
    void crossFormatReportsWhatIsNotHeld();
    void crossFormatBoxesSurvive();
    void outputFolderIsGuarded();
    void changedSourceIsRefused();
    void inPlaceWritesABackupFirst();
    void imageFolderInPlaceMovesTheImage();
    void inPlaceKeepsTheProjectInStep_data();
    void inPlaceKeepsTheProjectInStep();

private:
    QString path(const QString &relative) const { return m_dir->filePath(relative); }
    std::unique_ptr<store::Project> import(const QString &source)
    {
        jobs::Progress progress;
        const QString project = path(QStringLiteral("p%1.assay").arg(++m_projects));
        formats::importDataset(source, project, {}, progress);
        return store::Project::open(project);
    }
    exporting::ExportReport exportTo(store::Project &project, exporting::Target target,
                                     const QString &out)
    {
        jobs::Progress progress;
        exporting::ExportOptions options;
        options.target = target;
        options.outDir = out;
        return exporting::exportProject(project, options, progress);
    }
    void makeCoco()
    {
        test::writeFile(path(QStringLiteral("coco/annotations/instances_train.json")), cocoJson);
        test::writeFile(path(QStringLiteral("coco/images/train/a.png")), test::texturedPng(40, 30, 1));
        test::writeFile(path(QStringLiteral("coco/images/train/b.png")), test::texturedPng(40, 30, 2));
    }
    void makeVoc()
    {
        for (const char *stem : {"001", "002"}) {
            const QString name = QString::fromLatin1(stem);
            test::writeFile(path(QStringLiteral("voc/Annotations/%1.xml").arg(name)),
                            QString::fromLatin1(vocXml).arg(name).toUtf8());
            test::writeFile(path(QStringLiteral("voc/JPEGImages/%1.png").arg(name)),
                            test::texturedPng(40, 30, 3));
        }
        test::writeFile(path(QStringLiteral("voc/ImageSets/Main/train.txt")), "001\n002\n");
    }
    void makeYolo()
    {
        test::writeFile(path(QStringLiteral("yolo/data.yaml")),
                        "train: images/train\nval: images/val\nnames: [cat, dog]\n");
        test::writeFile(path(QStringLiteral("yolo/images/train/a.png")), test::texturedPng(40, 20, 4));
        test::writeFile(path(QStringLiteral("yolo/images/val/b.png")), test::texturedPng(40, 20, 5));
        test::writeFile(path(QStringLiteral("yolo/labels/train/a.txt")),
                        "0 0.5 0.5 0.25 0.5\n1 0.1 0.2 0.1 0.2\n");
        test::writeFile(path(QStringLiteral("yolo/labels/val/b.txt")),
                        "1 0.5 0.5 0.5 0.5\r\n0 0.1 0.1 0.5 0.1 0.5 0.5\r\n");
    }
    void execute(store::Project &project, const char *sql) { project.db().exec(sql); }

    std::unique_ptr<QTemporaryDir> m_dir;
    int m_projects = 0;
};

void TestExport::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestExport::cocoRoundTripsUnchanged()
{
    makeCoco();
    auto project = import(path(QStringLiteral("coco")));
    const auto report = exportTo(*project, exporting::Target::Coco, path(QStringLiteral("out")));
    QVERIFY(report.sameFormat);
    QCOMPARE(report.recordsChanged + report.recordsAdded + report.recordsRemoved, 0);
    QCOMPARE(report.filesWritten, 0);
    QCOMPARE(differences(path(QStringLiteral("coco")), path(QStringLiteral("out"))), QStringList());
    QVERIFY(report.notHeld.empty());
}

void TestExport::cocoEditChangesOnlyThatRecord()
{
    makeCoco();
    auto project = import(path(QStringLiteral("coco")));
    // Annotation 100 becomes a dog and moves right by 2 pixels.
    execute(*project, "UPDATE annotations SET category_id = (SELECT id FROM categories WHERE "
                      "name = 'dog'), x = 3.5 WHERE source_index = 0");
    const auto report = exportTo(*project, exporting::Target::Coco, path(QStringLiteral("out")));
    QCOMPARE(report.recordsChanged, 1);
    QCOMPARE(differences(path(QStringLiteral("coco")), path(QStringLiteral("out"))),
             test::strings({"annotations/instances_train.json"}));
    QByteArray expected(cocoJson);
    expected.replace("\"category_id\": 1, \"bbox\": [1.5, 2, 10, 8], \"area\": 80",
                     "\"category_id\": 3, \"bbox\": [3.5, 2, 10, 8], \"area\": 80");
    QCOMPARE(readAll(path(QStringLiteral("out/annotations/instances_train.json"))), expected);
}

void TestExport::cocoDeleteAndAdd()
{
    makeCoco();
    auto project = import(path(QStringLiteral("coco")));
    execute(*project, "DELETE FROM annotations WHERE source_index = 1");
    execute(*project, "INSERT INTO annotations(sample_id, category_id, kind, x, y, w, h) "
                      "SELECT s.id, c.id, 1, 2, 3, 4, 5 FROM samples s, categories c "
                      "WHERE s.path LIKE '%b.png' AND c.name = 'cat'");
    const auto report = exportTo(*project, exporting::Target::Coco, path(QStringLiteral("out")));
    QCOMPARE(report.recordsRemoved, 1);
    QCOMPARE(report.recordsAdded, 1);
    const QByteArray out = readAll(path(QStringLiteral("out/annotations/instances_train.json")));
    QVERIFY(!out.contains("\"id\": 101"));
    QVERIFY(out.contains("\"id\": 100, \"image_id\": 7")); // neighbours untouched
    QVERIFY(out.contains("\"counts\": \"52203\"}},\n"));
    QVERIFY(out.contains("{\"id\": 103, \"image_id\": 9, \"category_id\": 1, \"bbox\": [2, 3, 4, 5]"));
    // The result reads back: three annotations, the new one on b.png.
    auto again = import(path(QStringLiteral("out")));
    QCOMPARE(again->db().queryInt("SELECT count(*) FROM annotations"), 3);
    QCOMPARE(again->db().queryInt("SELECT count(*) FROM annotations a JOIN samples s ON "
                                  "s.id = a.sample_id WHERE s.path LIKE '%b.png'"),
             2);
}

void TestExport::vocRoundTripAndEdit()
{
    makeVoc();
    auto project = import(path(QStringLiteral("voc")));
    exportTo(*project, exporting::Target::Voc, path(QStringLiteral("same")));
    QCOMPARE(differences(path(QStringLiteral("voc")), path(QStringLiteral("same"))), QStringList());

    // 002's dog becomes a cat; 001's cat is deleted.
    execute(*project, "UPDATE annotations SET category_id = (SELECT id FROM categories WHERE "
                      "name = 'cat') WHERE source_file = 'Annotations/002.xml' AND "
                      "source_index = 1");
    execute(*project, "DELETE FROM annotations WHERE source_file = 'Annotations/001.xml' AND "
                      "source_index = 0");
    const auto report = exportTo(*project, exporting::Target::Voc, path(QStringLiteral("out")));
    QCOMPARE(report.recordsChanged, 1);
    QCOMPARE(report.recordsRemoved, 1);
    QCOMPARE(differences(path(QStringLiteral("voc")), path(QStringLiteral("out"))),
             test::strings({"Annotations/001.xml", "Annotations/002.xml"}));
    QByteArray expected2 = QString::fromLatin1(vocXml).arg(QStringLiteral("002")).toUtf8();
    expected2.replace("<name>dog</name>", "<name>cat</name>");
    QCOMPARE(readAll(path(QStringLiteral("out/Annotations/002.xml"))), expected2);
    QByteArray expected1 = QString::fromLatin1(vocXml).arg(QStringLiteral("001")).toUtf8();
    const qsizetype start = expected1.indexOf("\t<object>");
    expected1.remove(start, expected1.indexOf("\t<object>", start + 1) - start);
    QCOMPARE(readAll(path(QStringLiteral("out/Annotations/001.xml"))), expected1);
}

void TestExport::yoloRoundTripAndEdit()
{
    makeYolo();
    auto project = import(path(QStringLiteral("yolo")));
    exportTo(*project, exporting::Target::Yolo, path(QStringLiteral("same")));
    QCOMPARE(differences(path(QStringLiteral("yolo")), path(QStringLiteral("same"))), QStringList());

    // Line 1 of b.txt becomes class 0 and its box moves 4 pixels right (0.1 of 40).
    execute(*project, "UPDATE annotations SET category_id = (SELECT id FROM categories WHERE "
                      "name = 'cat'), x = x + 4 WHERE source_file = 'labels/val/b.txt' AND "
                      "source_index = 1");
    exportTo(*project, exporting::Target::Yolo, path(QStringLiteral("out")));
    QCOMPARE(differences(path(QStringLiteral("yolo")), path(QStringLiteral("out"))),
             test::strings({"labels/val/b.txt"}));
    QCOMPARE(readAll(path(QStringLiteral("out/labels/val/b.txt"))),
             QByteArray("0 0.600000 0.5 0.5 0.5\r\n0 0.1 0.1 0.5 0.1 0.5 0.5\r\n"));
}

void TestExport::csvAndImageFolderRelabel()
{
    test::writeFile(path(QStringLiteral("folder/train/cat/a.png")), test::texturedPng(8, 8, 1));
    test::writeFile(path(QStringLiteral("folder/train/dog/b.png")), test::texturedPng(8, 8, 2));
    auto folder = import(path(QStringLiteral("folder")));
    execute(*folder, "UPDATE samples SET category_id = (SELECT id FROM categories WHERE name = "
                     "'dog') WHERE path = 'train/cat/a.png'");
    exportTo(*folder, exporting::Target::ImageFolder, path(QStringLiteral("folderout")));
    QCOMPARE(tree(path(QStringLiteral("folderout"))).keys(),
             test::strings({"train/dog/a.png", "train/dog/b.png"}));

    test::writeFile(path(QStringLiteral("csv/img/a.png")), test::texturedPng(8, 8, 1));
    test::writeFile(path(QStringLiteral("csv/img/b.png")), test::texturedPng(8, 8, 2));
    test::writeFile(path(QStringLiteral("csv/list.csv")),
                    "file,class,note\nimg/a.png,cat,\"x, y\"\r\nimg/b.png,dog,z\r\n");
    auto csv = import(path(QStringLiteral("csv/list.csv")));
    execute(*csv, "UPDATE samples SET category_id = (SELECT id FROM categories WHERE name = "
                  "'dog') WHERE path = 'img/a.png'");
    exportTo(*csv, exporting::Target::Csv, path(QStringLiteral("csvout")));
    QCOMPARE(readAll(path(QStringLiteral("csvout/list.csv"))),
             QByteArray("file,class,note\nimg/a.png,dog,\"x, y\"\r\nimg/b.png,dog,z\r\n"));
}

void TestExport::crossFormatReportsWhatIsNotHeld()
{
    makeCoco();
    auto project = import(path(QStringLiteral("coco")));
    const auto voc = exportTo(*project, exporting::Target::Voc, path(QStringLiteral("voc")));
    QVERIFY(!voc.sameFormat);
    QCOMPARE(voc.objects, 3);
    QCOMPARE(voc.notHeld.at(QStringLiteral("polygons (written as their bounding boxes)")), 1);
    QCOMPARE(voc.notHeld.at(QStringLiteral("RLE masks (written as their bounding boxes)")), 1);
    QCOMPARE(voc.notHeld.at(QStringLiteral("crowd flags")), 1);
    const auto folder = exportTo(*project, exporting::Target::ImageFolder,
                                 path(QStringLiteral("folder")));
    QCOMPARE(folder.samples, 0);
    QCOMPARE(folder.notHeld.at(QStringLiteral("images without a class (not written)")), 2);
    QVERIFY(folder.toText().contains(QStringLiteral("Not held by imagefolder")));
}

void TestExport::crossFormatBoxesSurvive()
{
    makeVoc();
    auto project = import(path(QStringLiteral("voc")));
    exportTo(*project, exporting::Target::Yolo, path(QStringLiteral("yolo")));
    exportTo(*project, exporting::Target::Coco, path(QStringLiteral("coco")));
    const char *boxes = "SELECT group_concat(c.name || ':' || x || ',' || y || ',' || w || ',' "
                        "|| h, ' ') FROM (SELECT * FROM annotations ORDER BY sample_id, x) a "
                        "JOIN categories c ON c.id = a.category_id";
    const QString original = project->db().queryText(boxes);
    auto fromYolo = import(path(QStringLiteral("yolo")));
    auto fromCoco = import(path(QStringLiteral("coco")));
    QCOMPARE(fromCoco->db().queryText(boxes), original);
    // YOLO's six decimals: within a thousandth of a pixel on a 40-pixel image.
    QCOMPARE(fromYolo->db().queryInt("SELECT count(*) FROM annotations"), 4);
    QCOMPARE(fromYolo->db().queryText("SELECT group_concat(c.name || ':' || round(x, 2) || ',' "
                                      "|| round(w, 2), ' ') FROM (SELECT * FROM annotations "
                                      "ORDER BY sample_id, x) a JOIN categories c ON "
                                      "c.id = a.category_id"),
             QStringLiteral("cat:0.0,10.0 dog:4.0,5.0 cat:0.0,10.0 dog:4.0,5.0"));
}

void TestExport::outputFolderIsGuarded()
{
    makeCoco();
    auto project = import(path(QStringLiteral("coco")));
    for (const char *bad : {"coco", "coco/sub", ""}) {
        bool refused = false;
        try {
            exportTo(*project, exporting::Target::Coco, path(QString::fromLatin1(bad)));
        } catch (const Error &error) {
            refused = error.message().contains(QStringLiteral("inside the dataset"))
                      || error.message().contains(QStringLiteral("holds the dataset"));
        }
        QVERIFY2(refused, bad);
    }
    test::writeFile(path(QStringLiteral("full/keep.txt")), "mine");
    QVERIFY_THROWS_EXCEPTION(Error, exportTo(*project, exporting::Target::Coco,
                                             path(QStringLiteral("full"))));
    QCOMPARE(readAll(path(QStringLiteral("full/keep.txt"))), QByteArray("mine"));
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("coco/sub"))));
}

void TestExport::changedSourceIsRefused()
{
    makeCoco();
    auto project = import(path(QStringLiteral("coco")));
    QByteArray changed(cocoJson);
    changed.replace("\"score\": 0.75", "\"score\": 0.5, \"x\": 1");
    test::writeFile(path(QStringLiteral("coco/annotations/instances_train.json")), changed);
    try {
        exportTo(*project, exporting::Target::Coco, path(QStringLiteral("out")));
        QFAIL("an export over a changed source must be refused");
    } catch (const Error &error) {
        QVERIFY(error.message().contains(QStringLiteral("changed since it was imported")));
    }
}

void TestExport::inPlaceWritesABackupFirst()
{
    makeYolo();
    auto project = import(path(QStringLiteral("yolo")));
    execute(*project, "DELETE FROM annotations WHERE source_file = 'labels/train/a.txt' AND "
                      "source_index = 2");
    jobs::Progress progress;
    exporting::ExportOptions options;
    options.target = exporting::Target::Coco;
    options.inPlace = true;
    QVERIFY_THROWS_EXCEPTION(Error, exporting::exportProject(*project, options, progress));
    options.target = exporting::Target::Yolo;
    const auto report = exporting::exportProject(*project, options, progress);
    QCOMPARE(readAll(path(QStringLiteral("yolo/labels/train/a.txt"))),
             QByteArray("0 0.5 0.5 0.25 0.5\n"));
    QVERIFY(!report.backupDir.isEmpty());
    QCOMPARE(readAll(report.backupDir + QStringLiteral("/labels/train/a.txt")),
             QByteArray("0 0.5 0.5 0.25 0.5\n1 0.1 0.2 0.1 0.2\n"));
    // data.yaml, two images, two label files, and the backup.
    QCOMPARE(tree(path(QStringLiteral("yolo"))).size(), 5 + 1);
}

void TestExport::imageFolderInPlaceMovesTheImage()
{
    test::writeFile(path(QStringLiteral("folder/cat/a.png")), test::texturedPng(8, 8, 1));
    test::writeFile(path(QStringLiteral("folder/dog/b.png")), test::texturedPng(8, 8, 2));
    auto project = import(path(QStringLiteral("folder")));
    const std::int64_t id = project->db().queryInt("SELECT id FROM samples WHERE path = 'cat/a.png'");
    execute(*project, "UPDATE samples SET category_id = (SELECT id FROM categories WHERE name = "
                      "'dog') WHERE path = 'cat/a.png'");
    jobs::Progress progress;
    exporting::ExportOptions options;
    options.target = exporting::Target::ImageFolder;
    options.inPlace = true;
    const auto report = exporting::exportProject(*project, options, progress);
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("folder/cat/a.png"))));
    QVERIFY(QFileInfo::exists(path(QStringLiteral("folder/dog/a.png"))));
    QCOMPARE(readAll(report.backupDir + QStringLiteral("/moves.tsv")),
             QByteArray("cat/a.png\tdog/a.png\n"));
    // The same sample, at its new path, with nothing marked missing.
    QCOMPARE(project->db().queryInt("SELECT id FROM samples WHERE path = 'dog/a.png'"), id);
    QCOMPARE(project->db().queryInt("SELECT count(*) FROM samples WHERE status <> 0"), 0);
}

void TestExport::inPlaceKeepsTheProjectInStep_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("coco") << QStringLiteral("coco");
    QTest::newRow("voc") << QStringLiteral("voc");
    QTest::newRow("yolo") << QStringLiteral("yolo");
}

// After an in-place export that deletes the first object of a file and adds one, the project
// describes the files as written: exporting again changes nothing, and a re-import keeps every
// annotation id.
void TestExport::inPlaceKeepsTheProjectInStep()
{
    QFETCH(QString, format);
    if (format == u"coco")
        makeCoco();
    else if (format == u"voc")
        makeVoc();
    else
        makeYolo();
    auto project = import(path(format));
    execute(*project, "DELETE FROM annotations WHERE id = (SELECT min(id) FROM annotations)");
    execute(*project, "INSERT INTO annotations(sample_id, category_id, kind, x, y, w, h) "
                      "SELECT min(sample_id), min(category_id), 1, 2, 2, 8, 6 FROM annotations");
    jobs::Progress progress;
    exporting::ExportOptions options;
    options.target = *exporting::parseTarget(format);
    options.inPlace = true;
    const auto first = exporting::exportProject(*project, options, progress);
    QCOMPARE(first.recordsRemoved, 1);
    QCOMPARE(first.recordsAdded, 1);
    QCOMPARE(project->db().queryInt("SELECT count(*) FROM annotations WHERE source_file IS NULL"),
             0);
    const QString ids = project->db().queryText("SELECT group_concat(id) FROM annotations");

    const auto again = exportTo(*project, options.target, path(QStringLiteral("again")));
    QCOMPARE(again.recordsChanged + again.recordsAdded + again.recordsRemoved, 0);
    QCOMPARE(again.filesWritten, 0);
    jobs::Progress reimport;
    formats::importDataset(path(format), project->path(), {}, reimport);
    QCOMPARE(project->db().queryText("SELECT group_concat(id) FROM annotations"), ids);
}

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
