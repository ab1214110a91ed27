// Pascal VOC: items and splits, boxes in pixels, kept extra keys, missing and refused images,
// errors naming the file and line.

#include "formats/datasetreader.h"
#include "formats/importer.h"
#include "formats/vocxml.h"
#include "jobs/progress.h"
#include "store/project.h"
#include "testdata.h"
#include "util/error.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <cmath>
#include <memory>

using namespace assay;
using namespace assay::formats;

namespace {

QByteArray object(const char *name, const QByteArray &coordinates, const char *more = "")
{
    return QByteArray("  <object>\n    <name>") + name + "</name>\n" + more
           + "    <bndbox>" + coordinates + "</bndbox>\n  </object>\n";
}

QByteArray box(int xmin, int ymin, int xmax, int ymax)
{
    return QStringLiteral("<xmin>%1</xmin><ymin>%2</ymin><xmax>%3</xmax><ymax>%4</ymax>")
        .arg(xmin)
        .arg(ymin)
        .arg(xmax)
        .arg(ymax)
        .toUtf8();
}

QByteArray annotation(const char *filename, const QByteArray &objects, const char *size = "")
{
    return QByteArray("<annotation>\n  <folder>VOC2007</folder>\n  <filename>") + filename
           + "</filename>\n" + size + objects + "</annotation>\n";
}

QJsonObject json(const std::string &text)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
}

} // namespace

class TestVocReader : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void readsItemsSplitsAndBoxes();
    void keepsOtherChildrenAsExtraJson();
    void missingImageIsFlagged();
    void escapingFilenameIsRefused();
    void malformedXmlNamesLineAndColumn();
    void nonNumericCoordinateNamesLine();
    void objectWithoutBoxIsAnError();
    void firstErrorInNameOrderAmongManyFiles();
    void cancelStops();
    void planAppliesToAProject();
    void importsEndToEnd();
    void fastPathReadsAsTheXmlReader_data();
    void fastPathReadsAsTheXmlReader();

private:
    ImportPlan read();
    void writeXml(const char *name, const QByteArray &xml);
    void writeSample();
    QString errorOf();
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_root;
};

void TestVocReader::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_root = m_dir->filePath(QStringLiteral("VOC2007"));
}

ImportPlan TestVocReader::read()
{
    jobs::Progress progress;
    return readVoc(m_root, {}, progress);
}

QString TestVocReader::errorOf()
{
    try {
        read();
    } catch (const Error &error) {
        return error.message();
    }
    return QStringLiteral("no error");
}

void TestVocReader::writeXml(const char *name, const QByteArray &xml)
{
    test::writeFile(m_root + QStringLiteral("/Annotations/") + QString::fromUtf8(name), xml);
}

// 000001 (sized in the XML), 000002 (no <size>; its <filename> names a .jpg that does not exist,
// the .png of the same stem does), 000003 (no XML), 000004.xml (its image is missing).
void TestVocReader::writeSample()
{
    const QString images = m_root + QStringLiteral("/JPEGImages/");
    test::writeFile(images + QStringLiteral("000001.png"), test::texturedPng(40, 30, 1));
    test::writeFile(images + QStringLiteral("000002.png"), test::texturedPng(50, 20, 2));
    test::writeFile(images + QStringLiteral("000003.png"), test::texturedPng(32, 32, 3));
    writeXml("000001.xml",
             annotation("000001.png",
                        object("dog", box(1, 2, 10, 20),
                               "    <pose>Left</pose><truncated>1</truncated>"
                               "<difficult>0</difficult>\n")
                            + object("person", box(11, 3, 30, 25),
                                     "    <pose>Unspecified</pose><difficult>1</difficult>\n"
                                     "    <occluded>yes</occluded>\n"
                                     "    <attributes>\n      <colour>red</colour>\n"
                                     "    </attributes>\n"),
                        "  <size><width>40</width><height>30</height><depth>3</depth></size>\n"));
    writeXml("000002.xml",
             annotation("000002.jpg", object("cat", box(5, 5, 6, 6), "<note> blurry </note>")));
    writeXml("000004.xml", annotation("000004.jpg", object("dog", box(1, 1, 2, 2))));
    const QString sets = m_root + QStringLiteral("/ImageSets/Main/");
    test::writeFile(sets + QStringLiteral("train.txt"), "000001\n000004\n");
    test::writeFile(sets + QStringLiteral("val.txt"), "000002\n");
    test::writeFile(sets + QStringLiteral("test.txt"), "000002\n");
    test::writeFile(sets + QStringLiteral("trainval.txt"), "000001\n000002\n000003\n");
}

void TestVocReader::readsItemsSplitsAndBoxes()
{
    writeSample();
    const ImportPlan plan = read();
    QCOMPARE(plan.format, QStringLiteral("voc"));
    QCOMPARE(plan.labelSource, QStringLiteral("Pascal VOC annotations"));
    QCOMPARE(plan.items.size(), size_t(4));
    const char *paths[] = {"JPEGImages/000001.png", "JPEGImages/000002.png",
                           "JPEGImages/000003.png", "JPEGImages/000004.jpg"};
    const char *splits[] = {"train", "val", "train", "train"}; // 000003: trainval alone
    for (size_t i = 0; i < 4; ++i) {
        QCOMPARE(plan.items[i].path, std::string(paths[i]));
        QCOMPARE(plan.splits[plan.items[i].split], QString::fromUtf8(splits[i]));
        QCOMPARE(plan.items[i].label, -1);
    }
    QVERIFY(plan.items[0].exists && plan.items[0].size > 0 && plan.items[0].mtime > 0);
    QCOMPARE(plan.categories, (test::strings({"cat", "dog", "person"})));

    // Sizes: from <size>, from the PNG header, unknown without XML or image.
    QVERIFY(plan.attributes.empty());
    QCOMPARE(plan.items[0].width, 40);
    QCOMPARE(plan.items[0].height, 30);
    QCOMPARE(plan.items[1].width, 50);
    QCOMPARE(plan.items[1].height, 20);
    QCOMPARE(plan.items[2].width, 0);
    QCOMPARE(plan.items[3].width, 0);
    // Every annotation file read is listed with its size, for export's "unchanged" check.
    QCOMPARE(plan.sourceFiles.size(), size_t(3));
    QVERIFY(plan.sourceFiles[0].path.starts_with("Annotations/"));
    QVERIFY(plan.sourceFiles[0].size > 0 && plan.sourceFiles[0].mtime > 0);

    QCOMPARE(plan.annotations.size(), size_t(4));
    const ImportAnnotation &dog = plan.annotations[0];
    QCOMPARE(dog.item, size_t(0));
    QCOMPARE(plan.categories[dog.category], QStringLiteral("dog"));
    QCOMPARE(dog.kind, AnnotationKind::Box);
    // 1-based inclusive (1,2)-(10,20) -> 0-based x 0, y 1, 10 x 19 pixels.
    QCOMPARE(dog.x, 0.0);
    QCOMPARE(dog.y, 1.0);
    QCOMPARE(dog.w, 10.0);
    QCOMPARE(dog.h, 19.0);
    QVERIFY(!dog.crowd);
    QCOMPARE(dog.sourceFile, std::string("Annotations/000001.xml"));
    QCOMPARE(dog.sourceIndex, std::int64_t(0));
    const ImportAnnotation &person = plan.annotations[1];
    QCOMPARE(plan.categories[person.category], QStringLiteral("person"));
    QCOMPARE(person.sourceIndex, std::int64_t(1));
    QCOMPARE(person.x, 10.0);
    QCOMPARE(person.y, 2.0);
    QCOMPARE(person.w, 20.0);
    QCOMPARE(person.h, 23.0);
    const ImportAnnotation &cat = plan.annotations[2];
    QCOMPARE(cat.item, size_t(1)); // the .png found by the annotation file's stem
    QCOMPARE(plan.categories[cat.category], QStringLiteral("cat"));
    QCOMPARE(cat.sourceFile, std::string("Annotations/000002.xml"));
    QCOMPARE(cat.sourceIndex, std::int64_t(0));
    QCOMPARE(cat.w, 2.0);
    QCOMPARE(plan.annotations[3].item, size_t(3));
    for (const ImportAnnotation &a : plan.annotations)
        QVERIFY(a.item != 2); // 000003 has no XML: a sample without objects
}

void TestVocReader::keepsOtherChildrenAsExtraJson()
{
    writeSample();
    const ImportPlan plan = read();
    QCOMPARE(plan.annotations[0].extra,
             std::string(R"({"difficult":0,"pose":"Left","truncated":1})"));
    const QJsonObject person = json(plan.annotations[1].extra);
    QCOMPARE(person.size(), 4);
    QCOMPARE(person.value(QStringLiteral("difficult")).toInt(-1), 1);
    QVERIFY(person.value(QStringLiteral("difficult")).isDouble());
    QCOMPARE(person.value(QStringLiteral("occluded")).toString(), QStringLiteral("yes"));
    QCOMPARE(person.value(QStringLiteral("pose")).toString(), QStringLiteral("Unspecified"));
    QCOMPARE(person.value(QStringLiteral("attributes")).toString(),
             QStringLiteral("<attributes><colour>red</colour></attributes>"));
    QCOMPARE(plan.annotations[2].extra, std::string(R"({"note":"blurry"})"));
    QCOMPARE(plan.annotations[3].extra, std::string()); // nothing else: no extra
}

void TestVocReader::missingImageIsFlagged()
{
    writeSample();
    const ImportPlan plan = read();
    QVERIFY(!plan.items[3].exists);
    QCOMPARE(plan.items[3].size, std::int64_t(0));
    QCOMPARE(plan.skipped.size(), size_t(1));
    QCOMPARE(plan.skipped[0].path, QStringLiteral("JPEGImages/000004.jpg"));
    QCOMPARE(plan.skipped[0].reason,
             QStringLiteral("Annotations/000004.xml: annotation points at a missing image"));
    QVERIFY(plan.refused.empty());
}

void TestVocReader::escapingFilenameIsRefused()
{
    test::writeFile(m_root + QStringLiteral("/JPEGImages/a.png"), test::texturedPng(8, 8, 1));
    test::writeFile(m_dir->filePath(QStringLiteral("outside.png")), test::texturedPng(8, 8, 2));
    writeXml("a.xml", annotation("a.png", object("cat", box(1, 1, 4, 4))));
    writeXml("evil.xml", annotation("../../outside.png", object("cat", box(1, 1, 4, 4))));
    writeXml("abs.xml", annotation("/etc/passwd", object("cat", box(1, 1, 4, 4))));
    const ImportPlan plan = read();
    QCOMPARE(plan.items.size(), size_t(1));
    QCOMPARE(plan.items[0].path, std::string("JPEGImages/a.png"));
    QCOMPARE(plan.annotations.size(), size_t(1));
    QCOMPARE(plan.refused.size(), size_t(2));
    QCOMPARE(plan.refused[0].path, QStringLiteral("/etc/passwd"));
    QCOMPARE(plan.refused[0].reason,
             QStringLiteral("Annotations/abs.xml: escapes the dataset root"));
    QCOMPARE(plan.refused[1].path, QStringLiteral("../../outside.png"));
}

void TestVocReader::malformedXmlNamesLineAndColumn()
{
    writeSample();
    writeXml("bad.xml", "<annotation>\n  <filename>a.png</filename>\n  <object><name>x</name>\n"
                        "</annotation>\n");
    const QString message = errorOf();
    QVERIFY2(message.startsWith(QStringLiteral("Annotations/bad.xml:4:")), qPrintable(message));
    QVERIFY2(message.contains(QRegularExpression(QStringLiteral("^Annotations/bad.xml:4:\\d+: "
                                                                "\\S"))),
             qPrintable(message));
}

void TestVocReader::nonNumericCoordinateNamesLine()
{
    writeSample();
    writeXml("nonnum.xml", annotation("000001.png",
                                      object("dog", box(1, 1, 2, 2))
                                          + "  <object>\n    <name>dog</name>\n    <bndbox>\n"
                                            "      <xmin>abc</xmin><ymin>1</ymin>\n"
                                            "      <xmax>3</xmax><ymax>4</ymax>\n"
                                            "    </bndbox>\n  </object>\n"));
    const QString message = errorOf();
    // Lines: 1 <annotation>, 2 folder, 3 filename, 4-7 the first object, 8- the second.
    QVERIFY2(message.startsWith(QStringLiteral("Annotations/nonnum.xml:11:")),
             qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("<xmin>")) && message.contains(QStringLiteral("abc")),
             qPrintable(message));
}

void TestVocReader::objectWithoutBoxIsAnError()
{
    writeSample();
    writeXml("nobox.xml", "<annotation>\n  <filename>000001.png</filename>\n  <object>\n"
                          "    <name>dog</name>\n  </object>\n</annotation>\n");
    const QString message = errorOf();
    QVERIFY2(message.startsWith(QStringLiteral("Annotations/nobox.xml:3: ")), qPrintable(message));
    QVERIFY(message.contains(QStringLiteral("<bndbox>")));
}

void TestVocReader::firstErrorInNameOrderAmongManyFiles()
{
    for (int i = 0; i < 400; ++i) {
        const QByteArray name = QStringLiteral("%1.xml").arg(i, 4, 10, QChar(u'0')).toUtf8();
        const bool bad = i == 250 || i == 390;
        writeXml(name.constData(), bad ? QByteArray("<annotation><oops></annotation>")
                                       : annotation("x.png", object("a", box(1, 1, 2, 2))));
    }
    for (int attempt = 0; attempt < 5; ++attempt) {
        const QString message = errorOf();
        QVERIFY2(message.startsWith(QStringLiteral("Annotations/0250.xml:1:")),
                 qPrintable(message));
    }
}

void TestVocReader::cancelStops()
{
    writeSample();
    jobs::Progress progress;
    progress.cancel();
    QVERIFY_THROWS_EXCEPTION(jobs::Canceled, readVoc(m_root, {}, progress));
}

void TestVocReader::planAppliesToAProject()
{
    writeSample();
    store::OpenOptions options;
    options.create = true;
    auto project = store::Project::open(m_dir->filePath(QStringLiteral("p.assay")), options);
    jobs::Progress progress;
    const ImportResult first = project->applyImport(read(), progress);
    QCOMPARE(first.added, 4);
    QCOMPARE(first.annotationsAdded, 4);
    QCOMPARE(project->db().queryInt("SELECT count(*) FROM annotations WHERE extra IS NOT NULL"),
             3);
    QCOMPARE(project->db().queryInt("SELECT count(*) FROM annotations a JOIN samples s ON "
                                    "s.id = a.sample_id JOIN splits sp ON sp.id = s.split_id "
                                    "WHERE sp.name = 'train'"),
             3);
    const ImportResult again = project->applyImport(read(), progress);
    QCOMPARE(again.unchanged, 4);
    QCOMPARE(again.annotationsAdded + again.annotationsUpdated + again.annotationsRemoved, 0);
}

// Runs once datasetreader.cpp dispatches Format::Voc (written separately); skipped until then.
template<typename F>
void importThroughDispatch(const QString &root, const QString &project)
{
    if constexpr (requires { F::Voc; }) {
        ReadOptions options;
        options.format = F::Voc;
        jobs::Progress progress;
        const ImportOutcome outcome = importDataset(root, project, options, progress);
        QCOMPARE(outcome.plan.format, QStringLiteral("voc"));
        QCOMPARE(outcome.result.added, 4);
        QCOMPARE(outcome.result.annotationsAdded, 4);
        auto opened = store::Project::open(project);
        QCOMPARE(opened->db().queryInt("SELECT count(*) FROM annotations WHERE extra IS NOT NULL"),
                 3);
        const ImportOutcome again = importDataset(root, project, options, progress);
        QCOMPARE(again.result.annotationsAdded + again.result.annotationsUpdated
                     + again.result.annotationsRemoved,
                 0);
    } else {
        Q_UNUSED(root);
        Q_UNUSED(project);
        QSKIP("Format::Voc is not dispatched yet");
    }
}

void TestVocReader::importsEndToEnd()
{
    writeSample();
    importThroughDispatch<Format>(m_root, m_dir->filePath(QStringLiteral("p.assay")));
}

void TestVocReader::fastPathReadsAsTheXmlReader_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<bool>("fast"); // whether the fast path takes it
    const QByteArray objects =
        "\t<object>\n\t\t<name> horse </name>\n\t\t<pose>Left</pose>\n"
        "\t\t<truncated>0</truncated>\n\t\t<occluded>1</occluded>\n\t\t<bndbox>\n"
        "\t\t\t<xmin>53</xmin>\n\t\t\t<ymin> 87.5 </ymin>\n\t\t\t<xmax>471</xmax>\n"
        "\t\t\t<ymax>4.2e2</ymax>\n\t\t</bndbox>\n\t\t<difficult>0</difficult>\n"
        "\t\t<part>head</part><part>hand</part><note></note><z>+7</z>\n\t</object>\n"
        "\t<object><name>person</name><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax>"
        "<ymax>4</ymax><extra>x</extra></bndbox><difficult>yes</difficult></object>\n";
    const QByteArray body = "<annotation>\n\t<folder>VOC2012</folder>\n"
                            "\t<filename>2008_000008.jpg</filename>\n"
                            "\t<source>\n\t\t<database>The VOC2008 Database</database>\n"
                            "\t</source>\n\t<size>\n\t\t<width>500</width>\n"
                            "\t\t<height>442.4</height>\n\t\t<depth>3</depth>\n\t</size>\n"
                            "\tstray text\n"
                            + objects + "</annotation >\n";
    auto crlf = [](QByteArray text) { return text.replace("\n", "\r\n"); };
    auto with = [&](const char *from, const char *to) { return QByteArray(body).replace(from, to); };
    QTest::newRow("VOC2012") << body << true;
    QTest::newRow("declaration") << "<?xml version=\"1.0\"?>\n" + body << true;
    QTest::newRow("full declaration")
        << "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>" + body << true;
    QTest::newRow("CRLF") << crlf(body) << true;
    QTest::newRow("integers")
        << with("<z>+7</z>", "<difficult>007</difficult><truncated>-0</truncated>"
                             "<occluded>9223372036854775807</occluded><pose>-9223372036854775808"
                             "</pose><difficult>9223372036854775808</difficult><z>1e3</z>"
                             "<truncated>0x10</truncated><occluded>+</occluded><pose></pose>")
        << true;
    QTest::newRow("strings")
        << with("<note></note>", "<note>say \"hi\" \\ back\tslash\nnext</note><q>'&gt;'</q>")
        << false; // the entity
    QTest::newRow("escaped characters")
        << with("<note></note>", "<note>say \"hi\" \\ back\tslash\n next / > x</note>") << true;
    QTest::newRow("coordinates")
        << with("<xmin>53</xmin>", "<xmin>+5</xmin>").replace("<xmax>471</xmax>", "<xmax>.5e3</xmax>")
               .replace("<xmin>1</xmin>", "<xmin>5.</xmin>").replace("<ymin>2</ymin>", "<ymin>-.25</ymin>")
               .replace("<xmax>3</xmax>", "<xmax>0.1000000000000000055511151231257827</xmax>")
        << true;
    QTest::newRow("space before declaration") << " <?xml version=\"1.0\"?>" + body << false;
    QTest::newRow("declaration out of order")
        << "<?xml encoding=\"utf-8\" version=\"1.0\"?>" + body << false;
    QTest::newRow("other encoding") << "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + body
                                    << false;
    QTest::newRow("attribute") << with("<annotation>", "<annotation verified=\"yes\">") << false;
    QTest::newRow("entity") << with("2008_000008", "a&amp;b") << false;
    QTest::newRow("comment") << with("<folder>", "<!-- x --><folder>") << false;
    QTest::newRow("trailing comment") << body + "<!-- end -->\n" << false;
    QTest::newRow("nested child") << with("<note></note>", "<note><b>1</b></note>") << false;
    QTest::newRow("second box") << with("<z>+7</z>", "<bndbox><xmin>1</xmin></bndbox>") << false;
    QTest::newRow("carriage return inside") << with("Left", "Le\rft") << false;
    QTest::newRow("UTF-8") << with("horse", "caf\xc3\xa9") << false;
    QTest::newRow("empty element tag") << with("<note></note>", "<note/>") << false;
    QTest::newRow("mismatched tags") << with("</name>", "</nam>") << false;
    QTest::newRow("garbage after the root") << body + "x" << false;
    QTest::newRow("second root") << body + "<annotation></annotation>" << false;
    QTest::newRow("no bndbox")
        << QByteArray("<annotation><object><name>a</name></object></annotation>") << false;
    QTest::newRow("not a number") << with("<xmin>53</xmin>", "<xmin>5x</xmin>") << false;
    QTest::newRow("other root") << QByteArray("<voc><filename>a</filename></voc>") << false;
    QTest::newRow("]]> in text") << with("stray text", "a ]]> b") << false;
    QTest::newRow("control character") << with("stray text", "a \x01 b") << false;
}

void TestVocReader::fastPathReadsAsTheXmlReader()
{
    QFETCH(QByteArray, xml);
    QFETCH(bool, fast);
    const std::string data = xml.toStdString();
    const std::optional<VocAnnotation> simple = parseSimpleVocAnnotation(data);
    QCOMPARE(simple.has_value(), fast);
    QXmlStreamReader reader;
    std::optional<VocAnnotation> full;
    try {
        full = parseVocAnnotationXml(reader, data, QStringLiteral("a.xml"));
    } catch (const Error &) {
    }
    if (!simple)
        return;
    QVERIFY(full.has_value());
    QCOMPARE(simple->filename, full->filename);
    QCOMPARE(simple->width, full->width);
    QCOMPARE(simple->height, full->height);
    QCOMPARE(simple->objects.size(), full->objects.size());
    for (size_t i = 0; i < simple->objects.size(); ++i) {
        const VocObject &a = simple->objects[i];
        const VocObject &b = full->objects[i];
        QCOMPARE(a.name, b.name);
        QCOMPARE(a.x, b.x);
        QCOMPARE(a.y, b.y);
        QCOMPARE(a.w, b.w);
        QCOMPARE(a.h, b.h);
        QCOMPARE(a.extra, b.extra);
    }
    // And what parseVocAnnotation gives, whichever path it takes.
    const VocAnnotation chosen = parseVocAnnotation(reader, data, QStringLiteral("a.xml"));
    QCOMPARE(chosen.objects.size(), full->objects.size());
    QCOMPARE(chosen.objects.back().extra, full->objects.back().extra);
}

QTEST_GUILESS_MAIN(TestVocReader)
#include "tst_vocreader.moc"
