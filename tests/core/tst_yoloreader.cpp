// YOLO datasets: Ultralytics data.yaml variants, Darknet obj.data, bare trees, labels in pixels,
// missing and empty label files, and malformed input named by file and line.

#include "formats/datasetreader.h"
#include "formats/yoloyaml.h"
#include "jobs/progress.h"
#include "testdata.h"
#include "util/error.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace assay;
using namespace assay::formats;

class TestYoloReader : public QObject
{
    Q_OBJECT
private slots:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); } // a fresh tree for every test
    void ultralyticsBoxesPolygonsAndStates();
    void namesVariants_data();
    void namesVariants();
    void darknetLists();
    void darknetPathsFromParentFolder();
    void bareTreeNamesFromIds();
    void malformedLineNamesFileAndLine_data();
    void malformedLineNamesFileAndLine();
    void malformedYamlNamesLine_data();
    void malformedYamlNamesLine();
    void imageWithoutSizeIsAnError();
    void yamlSubset();

private:
    QString write(const QString &relative, const QByteArray &bytes);
    QString path(const QString &relative) const { return m_dir->filePath(relative); }
    ImportPlan read(const QString &relative);
    QString failure(const QString &relative);
    std::unique_ptr<QTemporaryDir> m_dir;
};

QString TestYoloReader::write(const QString &relative, const QByteArray &bytes)
{
    test::writeFile(path(relative), bytes);
    return path(relative);
}

ImportPlan TestYoloReader::read(const QString &relative)
{
    jobs::Progress progress;
    return readYolo(path(relative), ReadOptions{}, progress);
}

QString TestYoloReader::failure(const QString &relative)
{
    try {
        read(relative);
    } catch (const Error &error) {
        return error.message();
    }
    return QStringLiteral("(no error)");
}

static QString text(const std::string &s)
{
    return QString::fromStdString(s);
}

void TestYoloReader::ultralyticsBoxesPolygonsAndStates()
{
    write(QStringLiteral("data.yaml"), "# a dataset\n"
                                       "path: .  # the root\n"
                                       "train: images/train\n"
                                       "val: images/val\n"
                                       "test:\n"
                                       "names: [cat, 'dog', \"bird\"]\n");
    write(QStringLiteral("images/train/a.png"), test::texturedPng(200, 100, 1));
    write(QStringLiteral("images/train/b.png"), test::texturedPng(200, 100, 2));
    write(QStringLiteral("images/val/c.png"), test::texturedPng(100, 50, 3));
    write(QStringLiteral("labels/train/a.txt"), "0 0.5 0.5 0.2 0.4\n"
                                                "1 0.1 0.2 0.3 0.2 0.3 0.6\r\n"
                                                "\n"
                                                "5 0.5 0.5 1 1\n");
    write(QStringLiteral("labels/train/b.txt"), "");
    const ImportPlan plan = read(QStringLiteral("data.yaml"));
    QCOMPARE(plan.format, QStringLiteral("yolo"));
    QCOMPARE(plan.labelSource, QStringLiteral("YOLO label files"));
    QCOMPARE(plan.root, QDir::cleanPath(m_dir->path()));
    QCOMPARE(plan.categories, (test::strings({"cat", "dog", "bird"})));
    QCOMPARE(plan.splits, (test::strings({"train", "val"})));
    QCOMPARE(plan.items.size(), size_t(3));
    QCOMPARE(plan.items[0].path, std::string("images/train/a.png"));
    QCOMPARE(plan.items[2].path, std::string("images/val/c.png"));
    QCOMPARE(plan.splits[plan.items[0].split], QStringLiteral("train"));
    QCOMPARE(plan.splits[plan.items[2].split], QStringLiteral("val"));
    QCOMPARE(plan.items[0].label, -1);
    QCOMPARE(plan.items[0].size, test::texturedPng(200, 100, 1).size());
    QVERIFY(plan.items[0].mtime > 0);

    QCOMPARE(plan.attributes.size(), size_t(1));
    const AttributeColumn &states = plan.attributes[0];
    QCOMPARE(states.name, QStringLiteral("yolo_labels"));
    QCOMPARE(states.type, AttributeType::Text);
    QCOMPARE(states.origin, QStringLiteral("yolo"));
    QCOMPARE(states.texts, (std::vector<std::string>{"present", "empty", "missing"}));

    QCOMPARE(plan.annotations.size(), size_t(3));
    const ImportAnnotation &box = plan.annotations[0];
    QCOMPARE(box.item, size_t(0));
    QCOMPARE(box.kind, AnnotationKind::Box);
    QCOMPARE(box.category, 0);
    QCOMPARE(box.x, 80.0);
    QCOMPARE(box.y, 30.0);
    QCOMPARE(box.w, 40.0);
    QCOMPARE(box.h, 40.0);
    QCOMPARE(text(box.sourceFile), QStringLiteral("labels/train/a.txt"));
    QCOMPARE(box.sourceIndex, std::int64_t(1));

    const ImportAnnotation &polygon = plan.annotations[1];
    QCOMPARE(polygon.kind, AnnotationKind::Polygon);
    QCOMPARE(plan.categories[polygon.category], QStringLiteral("dog"));
    QCOMPARE(polygon.polygons.size(), size_t(1));
    QCOMPARE(polygon.polygons[0], (std::vector<float>{20, 20, 60, 20, 60, 60}));
    QCOMPARE(polygon.x, 20.0);
    QCOMPARE(polygon.y, 20.0);
    QCOMPARE(polygon.w, 40.0);
    QCOMPARE(polygon.h, 40.0);
    QCOMPARE(polygon.sourceIndex, std::int64_t(2));

    const ImportAnnotation &unnamed = plan.annotations[2];
    QCOMPARE(unnamed.category, -1);
    QCOMPARE(unnamed.extra, std::string(R"({"class_id": 5})")); // kept for the checks
    QCOMPARE(unnamed.sourceIndex, std::int64_t(4));
    QCOMPARE(unnamed.w, 200.0);
    QCOMPARE(plan.skipped.size(), size_t(1));
    QCOMPARE(plan.skipped[0].path, QStringLiteral("labels/train/a.txt"));
    QCOMPARE(plan.skipped[0].reason, QStringLiteral("line 4: class id 5 has no name (3 names)"));
    QVERIFY(plan.refused.empty());

    // The folder finds its data.yaml.
    const ImportPlan again = read(QStringLiteral("."));
    QCOMPARE(again.items.size(), size_t(3));
    QCOMPARE(again.annotations.size(), size_t(3));
}

void TestYoloReader::namesVariants_data()
{
    QTest::addColumn<QByteArray>("names");
    QTest::newRow("inline list") << QByteArray("names: [cat, dog]\n");
    QTest::newRow("inline list over lines") << QByteArray("names: [cat,  # first\n"
                                                          "        'dog']\n");
    QTest::newRow("block list") << QByteArray("names:\n  - cat\n  - \"dog\"\n");
    QTest::newRow("indentless list") << QByteArray("names:\n- cat\n- dog # the other\n");
    QTest::newRow("mapping") << QByteArray("names:\n  0: cat\n  1: dog\n");
    QTest::newRow("inline mapping") << QByteArray("names: {0: cat, 1: 'dog'}\n");
    QTest::newRow("with nc and extras") << QByteArray("nc: 2\nnames: ['cat', 'dog']\n"
                                                      "roboflow:\n  workspace: w\n"
                                                      "  url: https://x.y/z\n"
                                                      "download: |\n  import os # code\n"
                                                      "  print('x: y')\n");
}

void TestYoloReader::namesVariants()
{
    QFETCH(QByteArray, names);
    write(QStringLiteral("d/data.yaml"), "train: images/train\n" + names);
    write(QStringLiteral("d/images/train/a.png"), test::texturedPng(200, 100, 1));
    write(QStringLiteral("d/labels/train/a.txt"), "1 0.5 0.5 0.5 0.5\n");
    const ImportPlan plan = read(QStringLiteral("d/data.yaml"));
    QCOMPARE(plan.categories, (test::strings({"cat", "dog"})));
    QCOMPARE(plan.annotations.size(), size_t(1));
    QCOMPARE(plan.annotations[0].category, 1);
    QVERIFY(plan.skipped.empty());
}

void TestYoloReader::darknetLists()
{
    write(QStringLiteral("obj.data"), "classes = 2\n"
                                      "train = train.txt\n"
                                      "valid = valid.txt\n"
                                      "names = obj.names\n"
                                      "backup = backup/\n");
    write(QStringLiteral("obj.names"), "cat\ndog\n\n");
    write(QStringLiteral("train.txt"), "obj/a.png\n"
                                       "../outside.jpg\n"
                                       "./obj/b.png\n");
    write(QStringLiteral("valid.txt"), "obj/c.png\n\nobj/gone.png\n");
    write(QStringLiteral("obj/gone.txt"), "0 0.5 0.5 0.5 0.5\n");
    write(QStringLiteral("obj/a.png"), test::texturedPng(200, 100, 1));
    write(QStringLiteral("obj/a.txt"), "1 0.25 0.5 0.5 1\n");
    write(QStringLiteral("obj/b.png"), test::texturedPng(200, 100, 2));
    write(QStringLiteral("obj/b.txt"), "\n");
    write(QStringLiteral("obj/c.png"), test::texturedPng(100, 50, 3));
    write(QStringLiteral("labels/x.txt"), "0 0.5 0.5 0.5 0.5\n"); // not next to any image
    const ImportPlan plan = read(QStringLiteral("obj.data"));
    QCOMPARE(plan.categories, (test::strings({"cat", "dog"})));
    QCOMPARE(plan.splits, (test::strings({"train", "valid"})));
    QCOMPARE(plan.items.size(), size_t(4));
    QCOMPARE(plan.items[1].path, std::string("obj/b.png"));
    QCOMPARE(plan.splits[plan.items[2].split], QStringLiteral("valid"));
    QCOMPARE(plan.attributes[0].texts,
             (std::vector<std::string>{"present", "empty", "missing", "present"}));
    QVERIFY(!plan.items[3].exists); // listed, not on disk: its objects are skipped
    QCOMPARE(plan.skipped.size(), size_t(1));
    QCOMPARE(plan.skipped[0].path, QStringLiteral("obj/gone.txt"));
    QVERIFY(plan.skipped[0].reason.contains(QStringLiteral("obj/gone.png is missing")));
    QCOMPARE(plan.annotations.size(), size_t(1));
    QCOMPARE(plan.annotations[0].x, 0.0);
    QCOMPARE(plan.annotations[0].w, 100.0);
    QCOMPARE(plan.annotations[0].h, 100.0);
    QCOMPARE(text(plan.annotations[0].sourceFile), QStringLiteral("obj/a.txt"));
    QCOMPARE(plan.refused.size(), size_t(1));
    QCOMPARE(plan.refused[0].path, QStringLiteral("../outside.jpg"));
    QVERIFY2(plan.refused[0].reason.contains(QStringLiteral("train.txt:2")),
             qPrintable(plan.refused[0].reason));
    QVERIFY(plan.refused[0].reason.contains(QStringLiteral("escapes the dataset root")));

    // The folder finds its obj.data.
    QCOMPARE(read(QStringLiteral(".")).items.size(), size_t(4));
}

void TestYoloReader::darknetPathsFromParentFolder()
{
    // darknet's own layout: paths relative to the folder above data/.
    write(QStringLiteral("data/obj.data"), "train = data/train.txt\nnames = data/obj.names\n");
    write(QStringLiteral("data/obj.names"), "person\n");
    write(QStringLiteral("data/train.txt"), "data/obj/a.png\n");
    write(QStringLiteral("data/obj/a.png"), test::texturedPng(200, 100, 1));
    write(QStringLiteral("data/labels/a.txt"), "0 0.5 0.5 0.5 0.5\n"); // not the image's folder
    write(QStringLiteral("data/obj/a.txt"), "0 0.5 0.5 0.1 0.1\n");
    const ImportPlan plan = read(QStringLiteral("data/obj.data"));
    QCOMPARE(plan.root, QDir::cleanPath(m_dir->path()));
    QCOMPARE(plan.items.size(), size_t(1));
    QCOMPARE(plan.items[0].path, std::string("data/obj/a.png"));
    QCOMPARE(plan.annotations.size(), size_t(1));
    QCOMPARE(plan.annotations[0].w, 20.0);
}

void TestYoloReader::bareTreeNamesFromIds()
{
    write(QStringLiteral("images/train/a.png"), test::texturedPng(200, 100, 1));
    write(QStringLiteral("images/val/nested/b.png"), test::texturedPng(200, 100, 2));
    write(QStringLiteral("images/train/notes.md"), "not an image");
    write(QStringLiteral("labels/train/a.txt"), "3 0.5 0.5 0.5 0.5\n0 0.5 0.5 0.1 0.1\n");
    write(QStringLiteral("labels/val/nested/b.txt"), "1 0.5 0.5 0.5 0.5\n");
    const ImportPlan plan = read(QStringLiteral("."));
    QCOMPARE(plan.categories, (test::strings({"0", "1", "2", "3"})));
    QCOMPARE(plan.splits, (test::strings({"train", "val"})));
    QCOMPARE(plan.items.size(), size_t(2));
    QCOMPARE(plan.items[1].path, std::string("images/val/nested/b.png"));
    QCOMPARE(plan.annotations.size(), size_t(3));
    QCOMPARE(plan.annotations[0].category, 3);
    QCOMPARE(plan.annotations[2].item, size_t(1));
    QCOMPARE(plan.skipped.size(), size_t(1)); // notes.md
}

void TestYoloReader::malformedLineNamesFileAndLine_data()
{
    QTest::addColumn<QByteArray>("labels");
    QTest::addColumn<QString>("expected");
    QTest::newRow("4 fields") << QByteArray("0 0.5 0.5 0.2\n")
                              << QStringLiteral("labels/train/a.txt:1: expected 5 fields");
    QTest::newRow("6 fields") << QByteArray("0 0.5 0.5 0.2 0.2\n0 .1 .1 .2 .2 .3\n")
                              << QStringLiteral("labels/train/a.txt:2: expected 5 fields");
    QTest::newRow("not a number") << QByteArray("0 0.5 abc 0.2 0.2\n")
                                  << QStringLiteral("labels/train/a.txt:1: 'abc' is not a number");
    QTest::newRow("outside")
        << QByteArray("0 0.5 0.5 0.2 0.2\n\n1 0.5 0.5 1.5 0.2\n")
        << QStringLiteral("labels/train/a.txt:3: value 1.5 is outside [0, 1]");
    QTest::newRow("negative class") << QByteArray("-1 0.5 0.5 0.2 0.2\n")
                                    << QStringLiteral("labels/train/a.txt:1: negative class id");
    QTest::newRow("fractional class") << QByteArray("1.5 0.5 0.5 0.2 0.2\n")
                                      << QStringLiteral("labels/train/a.txt:1: class id 1.5");
}

void TestYoloReader::malformedLineNamesFileAndLine()
{
    QFETCH(QByteArray, labels);
    QFETCH(QString, expected);
    write(QStringLiteral("data.yaml"), "train: images/train\nnames: [a, b]\n");
    write(QStringLiteral("images/train/a.png"), test::texturedPng(200, 100, 1));
    write(QStringLiteral("labels/train/a.txt"), labels);
    const QString message = failure(QStringLiteral("data.yaml"));
    QVERIFY2(message.startsWith(expected), qPrintable(message));
}

void TestYoloReader::malformedYamlNamesLine_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unterminated list") << QByteArray("train: images/train\nnames: [a, b\n")
                                       << QStringLiteral("data.yaml:2: unterminated '['");
    QTest::newRow("bad indentation") << QByteArray("train: images/train\nnames:\n  - a\n   - b\n")
                                     << QStringLiteral("data.yaml:4: unexpected indentation");
    QTest::newRow("duplicate key") << QByteArray("train: images/train\ntrain: x\n")
                                   << QStringLiteral("data.yaml:2: duplicate key 'train'");
    QTest::newRow("unterminated quote") << QByteArray("train: images/train\nnames: ['a]\n")
                                        << QStringLiteral("data.yaml:2: unterminated");
    QTest::newRow("alias") << QByteArray("train: images/train\nnames: *list\n")
                           << QStringLiteral("data.yaml:2: anchors, aliases");
    QTest::newRow("no key") << QByteArray("train: images/train\njust text\n")
                            << QStringLiteral("data.yaml:2: expected 'key: value'");
    QTest::newRow("names scalar") << QByteArray("train: images/train\nnames: cat\n")
                                  << QStringLiteral("data.yaml:2: names must be");
    QTest::newRow("nc mismatch") << QByteArray("train: images/train\nnc: 3\nnames: [a]\n")
                                 << QStringLiteral("data.yaml:2: nc is 3");
    QTest::newRow("no split") << QByteArray("train: nowhere\nnames: [a]\n")
                              << QStringLiteral("data.yaml: no train, val or test");
}

void TestYoloReader::malformedYamlNamesLine()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, expected);
    write(QStringLiteral("data.yaml"), yaml);
    write(QStringLiteral("images/train/a.png"), test::texturedPng(20, 10, 1));
    const QString message = failure(QStringLiteral("data.yaml"));
    QVERIFY2(message.startsWith(expected), qPrintable(message));
}

void TestYoloReader::imageWithoutSizeIsAnError()
{
    write(QStringLiteral("data.yaml"), "train: images/train\nnames: [a]\n");
    write(QStringLiteral("images/train/a.png"), "not really a png");
    write(QStringLiteral("images/train/b.png"), "not a png either, but no objects");
    write(QStringLiteral("labels/train/a.txt"), "\n0 0.5 0.5 0.5 0.5\n");
    const QString message = failure(QStringLiteral("data.yaml"));
    QVERIFY2(message.startsWith(QStringLiteral("labels/train/a.txt:2: cannot tell the size of "
                                               "images/train/a.png")),
             qPrintable(message));
    write(QStringLiteral("labels/train/a.txt"), "\n");
    QCOMPARE(read(QStringLiteral("data.yaml")).items.size(), size_t(2)); // no header needed
}

void TestYoloReader::yamlSubset()
{
    const QByteArray doc = "---\n"
                           "a: 'it''s # not a comment'\n"
                           "b: \"tab\\tand \\u00e9\"\n"
                           "c:\n"
                           "  - x: 1\n"
                           "    y: [2, {k: v}]\n"
                           "  - - nested\n"
                           "d: >\n"
                           "  folded\n"
                           "  text\n"
                           "e: ~\n"
                           "f: http://host:80/path\n";
    const auto top = yaml::parse(std::string_view(doc.constData(), size_t(doc.size())),
                                 QStringLiteral("t.yaml"));
    QVERIFY(top.isMap());
    QCOMPARE(top.find(QStringLiteral("a"))->text, QStringLiteral("it's # not a comment"));
    QCOMPARE(top.find(QStringLiteral("b"))->text, QStringLiteral("tab\tand é"));
    const yaml::Node *c = top.find(QStringLiteral("c"));
    QVERIFY(c && c->isList());
    QCOMPARE(c->items.size(), size_t(2));
    QCOMPARE(c->items[0].find(QStringLiteral("x"))->text, QStringLiteral("1"));
    const yaml::Node *y = c->items[0].find(QStringLiteral("y"));
    QVERIFY(y && y->isList());
    QCOMPARE(y->items[1].find(QStringLiteral("k"))->text, QStringLiteral("v"));
    QCOMPARE(c->items[1].items[0].text, QStringLiteral("nested"));
    QCOMPARE(top.find(QStringLiteral("d"))->text, QStringLiteral("folded text"));
    QVERIFY(top.find(QStringLiteral("e"))->isNull());
    QCOMPARE(top.find(QStringLiteral("f"))->text, QStringLiteral("http://host:80/path"));
    QCOMPARE(top.find(QStringLiteral("f"))->line, 12);
}

QTEST_GUILESS_MAIN(TestYoloReader)
#include "tst_yoloreader.moc"
