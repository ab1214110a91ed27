// The datasheet (issue #9): the model's questions and fills, AUTO answers from the project, a
// person's answers pinned over regenerations and rescans, the five exports through assay-cli
// (golden Markdown, card and Croissant for a generated project), the Croissant structural
// checker and its records applied to the folder, the PDF's pages.

#include "clirun.h"
#include "croissantcheck.h"
#include "testdata.h"

#include "formats/idxfile.h"
#include "report/datasheet.h"
#include "report/datasheetcroissant.h"
#include "report/datasheetquestions.h"
#include "store/project.h"
#include "util/error.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace assay;

namespace {

using Run = test::CliRun;

Run cli(const QStringList &arguments)
{
    return test::runCli(arguments);
}

QString readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QJsonObject readJson(const QString &path)
{
    return QJsonDocument::fromJson(readText(path).toUtf8()).object();
}

// What changes between runs: times, the version, the temporary folder's name.
QString normalised(QString text, const QString &root)
{
    text.replace(root, QStringLiteral("<ROOT>"));
    static const QRegularExpression time(
        QStringLiteral("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"));
    text.replace(time, QStringLiteral("<TIME>"));
    static const QRegularExpression version(QStringLiteral("Assay \\d+\\.\\d+\\.\\d+"));
    text.replace(version, QStringLiteral("Assay <VERSION>"));
    return text;
}

// Compares with tests/data/datasheet/NAME; ASSAY_UPDATE_GOLDEN=1 rewrites the file instead.
void compareGolden(const QString &actual, const char *name)
{
    const QString path = QString::fromLocal8Bit(qgetenv("ASSAY_TEST_DATA")) +
                         QStringLiteral("/datasheet/") + QString::fromLatin1(name);
    if (qEnvironmentVariableIsSet("ASSAY_UPDATE_GOLDEN")) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        test::writeFile(path, actual.toUtf8());
        return;
    }
    const QString expected = readText(path);
    QVERIFY2(!expected.isEmpty(), qPrintable(QStringLiteral("no golden file %1").arg(path)));
    if (actual != expected) {
        const QStringList a = actual.split(u'\n'), e = expected.split(u'\n');
        for (qsizetype i = 0; i < std::max(a.size(), e.size()); ++i)
            if (a.value(i) != e.value(i))
                QFAIL(qPrintable(QStringLiteral("%1 differs at line %2:\n  got:      %3\n  "
                                                "expected: %4")
                                     .arg(QString::fromLatin1(name))
                                     .arg(i + 1)
                                     .arg(a.value(i), e.value(i))));
    }
}

// Exports `project` as a draft Croissant file `out` and reads it back ({} when the export failed).
QJsonObject draftCroissant(const QString &project, const QString &out)
{
    const Run run =
        cli({QStringLiteral("datasheet"), project, QStringLiteral("--format"),
             QStringLiteral("croissant"), QStringLiteral("--out"), out, QStringLiteral("--draft")});
    if (run.exitCode != 0) {
        qWarning("%s", qPrintable(run.err));
        return {};
    }
    return readJson(out);
}

// An SVG document: parses as XML with an <svg> root; returns its text content ("" when not).
QString svgText(const QByteArray &bytes)
{
    QXmlStreamReader xml(bytes);
    QString root, text;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && root.isEmpty())
            root = xml.name().toString();
        if (xml.isCharacters())
            text += xml.text().toString() + u' ';
    }
    if (xml.hasError() || root != u"svg")
        return {};
    return text;
}

} // namespace

class TestDatasheet : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void questionsFollowTheSpec();
    void autoAnswersComeFromTheProject();
    void personAnswersSurviveRegenerationAndRescan();
    void goldenExports();
    void croissantRefusesMissingRequiredFields();
    void croissantConformsAndReproducesTheFolder();
    void croissantChecksumsAnnotationFiles();
    void croissantDescribesIdxFiles();
    void checkerCatchesBrokenDocuments();
    void pdfHasPagesAndRenders();
    void htmlIsSelfContained();
    void chartsAsSvg();
    void usageErrors();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString path(const char *name) const { return path(QString::fromLatin1(name)); }
    QString data() const { return path("data"); }
    QString project() const { return path("p.assay"); }
    QTemporaryDir m_dir;
};

void TestDatasheet::initTestCase()
{
    // data/<split>/<class>/*.png: train 12 cats, 6 dogs; val 3 cats, 3 dogs; one training cat
    // copied into val (leakage); an MIT licence file.
    test::writeImages(data() + QStringLiteral("/train/cat"), 12, QStringLiteral("cat_"));
    test::writeImages(data() + QStringLiteral("/train/dog"), 6, QStringLiteral("dog_"));
    test::writeImages(data() + QStringLiteral("/val/cat"), 3, QStringLiteral("vcat_"));
    test::writeImages(data() + QStringLiteral("/val/dog"), 3, QStringLiteral("vdog_"));
    QVERIFY(QFile::copy(data() + QStringLiteral("/train/cat/cat_0.png"),
                        data() + QStringLiteral("/val/cat/copy.png")));
    test::writeFile(data() + QStringLiteral("/LICENSE"),
                    "MIT License\n\nPermission is hereby granted, free of charge ...\n");
    const Run import =
        cli({QStringLiteral("import"), data(), QStringLiteral("--project"), project()});
    QVERIFY2(import.exitCode == 0, qPrintable(import.err));
    const Run scan = cli({QStringLiteral("scan"), project()});
    QVERIFY2(scan.exitCode == 0, qPrintable(scan.err));
}

void TestDatasheet::questionsFollowTheSpec()
{
    const auto &questions = report::datasheetQuestions();
    QCOMPARE(int(questions.size()), 59);
    QMap<QString, int> perSection;
    QMap<report::Fill, int> perFill;
    QSet<QString> ids;
    for (const report::DatasheetQuestion &question : questions) {
        ++perSection[question.section];
        ++perFill[question.fill];
        QVERIFY2(!ids.contains(question.id), qPrintable(question.id));
        ids.insert(question.id);
    }
    QCOMPARE(perSection.size(), 7);
    QCOMPARE(perSection[QStringLiteral("Motivation")], 4);
    QCOMPARE(perSection[QStringLiteral("Composition")], 17);
    QCOMPARE(perSection[QStringLiteral("Collection process")], 13);
    QCOMPARE(perSection[QStringLiteral("Preprocessing/cleaning/labeling")], 4);
    QCOMPARE(perSection[QStringLiteral("Uses")], 6);
    QCOMPARE(perSection[QStringLiteral("Distribution")], 7);
    QCOMPARE(perSection[QStringLiteral("Maintenance")], 8);
    QCOMPARE(perFill[report::Fill::Auto], 3);  // C2, C5, C9
    QCOMPARE(perFill[report::Fill::Semi], 12); // C1 C4 C6 C7 C8 C10 C14 P2 P5 R1 U4 D4
    QCOMPARE(perFill[report::Fill::Human], 44);
    QCOMPARE(report::findDatasheetEntry(QStringLiteral("U4"))->fill, report::Fill::Semi);
    QCOMPARE(report::findDatasheetEntry(QStringLiteral("M1"))->fill, report::Fill::Human);
    QVERIFY(report::findDatasheetEntry(QStringLiteral("meta.datePublished"))->required);
}

void TestDatasheet::autoAnswersComeFromTheProject()
{
    store::OpenOptions options;
    options.readOnly = true;
    auto p = store::Project::open(project(), options);
    const report::Datasheet sheet = report::loadDatasheet(*p);
    QCOMPARE(int(sheet.answers.size()), int(report::allDatasheetEntries().size()));
    // 25 images: train 18 (12 + 6), val 7 (3 + 3 + the copy).
    const QString c2 = sheet.text(QStringLiteral("C2"));
    QVERIFY2(c2.startsWith(QStringLiteral("25 images: train 18, val 7.")), qPrintable(c2));
    QVERIFY2(c2.contains(QStringLiteral("cat 16, dog 9")), qPrintable(c2));
    const QString c5 = sheet.text(QStringLiteral("C5"));
    QVERIFY2(c5.contains(QStringLiteral("25 of 25 images carry a class label")), qPrintable(c5));
    QVERIFY2(c5.contains(QStringLiteral("0 images are unlabeled")), qPrintable(c5));
    const QString c9 = sheet.text(QStringLiteral("C9"));
    QVERIFY2(c9.contains(QStringLiteral("1 duplicate clusters holding 2 images")), qPrintable(c9));
    QVERIFY2(c9.contains(QStringLiteral("1 clusters span more than one split")), qPrintable(c9));
    QVERIFY2(sheet.text(QStringLiteral("C4")).contains(QStringLiteral("PNG 25")),
             qPrintable(sheet.text(QStringLiteral("C4"))));
    QVERIFY(sheet.text(QStringLiteral("C4")).contains(QStringLiteral("32x32")));
    QCOMPARE(sheet.text(QStringLiteral("meta.license")),
             QStringLiteral("https://spdx.org/licenses/MIT.html"));
    QVERIFY(sheet.text(QStringLiteral("D4")).contains(QStringLiteral("LICENSE (MIT)")));
    QVERIFY(
        sheet.text(QStringLiteral("R1")).contains(QStringLiteral("No edits were made in Assay")));
    // States: AUTO answered, SEMI drafted for review, HUMAN unanswered (the hint is not text).
    QCOMPARE(sheet.find(QStringLiteral("C2"))->state(), report::AnswerState::Auto);
    QCOMPARE(sheet.find(QStringLiteral("C1"))->state(), report::AnswerState::NeedsReview);
    QCOMPARE(sheet.find(QStringLiteral("R3"))->state(), report::AnswerState::Unanswered);
    QVERIFY(sheet.find(QStringLiteral("R3"))->draft.startsWith(QStringLiteral("Assay ")));
    QVERIFY(sheet.text(QStringLiteral("R3")).isEmpty());
    QCOMPARE(sheet.answeredQuestions(), 3);
}

void TestDatasheet::personAnswersSurviveRegenerationAndRescan()
{
    const QString copy = path("pins.assay");
    QVERIFY(QFile::copy(project(), copy));
    const QString mine = QStringLiteral("Counted by hand: 25.");
    Run run = cli({QStringLiteral("datasheet"), copy, QStringLiteral("--answer"),
                   QStringLiteral("C2=") + mine, QStringLiteral("--answer"),
                   QStringLiteral("M1=Teaching."), QStringLiteral("--list")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.startsWith(QStringLiteral("4 of 59 questions answered")), qPrintable(run.out));
    {
        auto p = store::Project::open(copy);
        report::confirmDatasheetAnswer(*p, QStringLiteral("C1"));
    }
    // An edit changes the facts: C5's AUTO draft follows; the pinned C2 does not.
    run = cli({QStringLiteral("relabel"), copy, QStringLiteral("--sample"),
               QStringLiteral("train/dog/dog_0.png"), QStringLiteral("--class"),
               QStringLiteral("cat")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    run = cli({QStringLiteral("scan"), copy});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    {
        auto p = store::Project::open(copy);
        const report::Datasheet sheet = report::loadDatasheet(*p);
        QCOMPARE(sheet.text(QStringLiteral("C2")), mine);
        QCOMPARE(sheet.find(QStringLiteral("C2"))->state(), report::AnswerState::Pinned);
        QVERIFY(sheet.find(QStringLiteral("C2"))->draft.contains(QStringLiteral("cat 17, dog 8")));
        QCOMPARE(sheet.text(QStringLiteral("M1")), QStringLiteral("Teaching."));
        QCOMPARE(sheet.find(QStringLiteral("M1"))->state(), report::AnswerState::Answered);
        QCOMPARE(sheet.find(QStringLiteral("C1"))->state(), report::AnswerState::Confirmed);
        QVERIFY(
            sheet.text(QStringLiteral("R1")).contains(QStringLiteral("1 changes to 1 samples")));
        QCOMPARE(sheet.answeredQuestions(), 5);
    }
    // Refresh unpins: the draft, with the new counts, is back.
    run =
        cli({QStringLiteral("datasheet"), copy, QStringLiteral("--refresh"), QStringLiteral("C2")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    auto p = store::Project::open(copy);
    const report::Datasheet sheet = report::loadDatasheet(*p);
    QCOMPARE(sheet.find(QStringLiteral("C2"))->state(), report::AnswerState::Auto);
    QVERIFY(sheet.text(QStringLiteral("C2")).contains(QStringLiteral("cat 17, dog 8")));
    // Bad ids are refused with their name.
    try {
        report::setDatasheetAnswer(*p, QStringLiteral("Z9"), QStringLiteral("x"));
        QFAIL("an unknown id was accepted");
    } catch (const Error &error) {
        QVERIFY(error.message().contains(QStringLiteral("'Z9'")));
    }
}

void TestDatasheet::goldenExports()
{
    const QString copy = path("golden.assay");
    QVERIFY(QFile::copy(project(), copy));
    const Run answer = cli({QStringLiteral("datasheet"), copy, QStringLiteral("--answer"),
                            QStringLiteral("meta.name=Cats and dogs")});
    QCOMPARE(answer.exitCode, 0);
    const QString root = QDir(data()).absolutePath();
    const std::pair<const char *, const char *> forms[] = {{"md", "sheet.md"},
                                                           {"hf-card", "card.md"}};
    for (const auto &[format, file] : forms) {
        const Run run = cli({QStringLiteral("datasheet"), copy, QStringLiteral("--format"),
                             QString::fromLatin1(format), QStringLiteral("--out"), path(file)});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        compareGolden(normalised(readText(path(file)), root), file);
    }
    const Run run = cli({QStringLiteral("datasheet"), copy, QStringLiteral("--format"),
                         QStringLiteral("croissant"), QStringLiteral("--out"), path("draft.json"),
                         QStringLiteral("--draft")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.err.contains(QStringLiteral("a DRAFT")));
    compareGolden(normalised(readText(path("draft.json")), root), "croissant-draft.json");
    // The Markdown's charts are written beside it.
    QVERIFY(QFile::exists(path("sheet_files/class-balance.png")));
    QVERIFY(QFile::exists(path("sheet_files/duplicates.png")));
}

void TestDatasheet::croissantRefusesMissingRequiredFields()
{
    const QString out = path("refused.json");
    const Run run = cli({QStringLiteral("datasheet"), project(), QStringLiteral("--format"),
                         QStringLiteral("croissant"), QStringLiteral("--out"), out});
    QCOMPARE(run.exitCode, 1);
    for (const char *field : {"meta.description", "meta.url", "meta.creator", "meta.datePublished"})
        QVERIFY2(run.err.contains(QString::fromLatin1(field)), qPrintable(run.err));
    QVERIFY(!run.err.contains(QStringLiteral("meta.license"))); // drafted from LICENSE
    QVERIFY(!QFile::exists(out));
    // The draft says what it is and does not claim RAI conformance.
    const Run draft =
        cli({QStringLiteral("datasheet"), project(), QStringLiteral("--format"),
             QStringLiteral("croissant"), QStringLiteral("--out"), out, QStringLiteral("--draft")});
    QCOMPARE(draft.exitCode, 0);
    const QJsonObject doc = readJson(out);
    QVERIFY(doc[QStringLiteral("description")].toString().startsWith(QStringLiteral("DRAFT")));
    QVERIFY(doc[QStringLiteral("version")].toString().endsWith(QStringLiteral("-draft")));
    QVERIFY2(test::croissantProblems(doc, false).isEmpty(),
             qPrintable(test::croissantProblems(doc, false).join(u'\n')));
    QVERIFY(!test::croissantProblems(doc, true).isEmpty());
}

void TestDatasheet::croissantConformsAndReproducesTheFolder()
{
    const QString copy = path("conforming.assay");
    QVERIFY(QFile::copy(project(), copy));
    test::writeFile(path("answers.json"),
                    R"({"meta.description": "Cats and dogs for a test.",
                        "meta.url": "https://example.org/cats",
                        "meta.creator": "A. Person\nB. Person",
                        "meta.datePublished": "2026-11-21"})");
    const QString out = path("conforming.json");
    const Run run = cli({QStringLiteral("datasheet"), copy, QStringLiteral("--answers"),
                         path("answers.json"), QStringLiteral("--format"),
                         QStringLiteral("croissant"), QStringLiteral("--out"), out});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(!run.err.contains(QStringLiteral("DRAFT")));
    const QJsonObject doc = readJson(out);
    const QStringList problems = test::croissantProblems(doc);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QCOMPARE(doc[QStringLiteral("creator")].toArray().size(), 2);
    QVERIFY(doc[QStringLiteral("rai:dataLimitations")].isArray());
    QVERIFY(doc[QStringLiteral("rai:annotationsPerItem")].toString().contains(
        QStringLiteral("1 class")));
    // The RecordSets applied to the folder give the project's sample/label/split table.
    const auto records = test::applyImageRecords(doc, data());
    store::OpenOptions options;
    options.readOnly = true;
    auto p = store::Project::open(copy, options);
    std::map<QString, std::pair<QString, QString>> expected;
    for (const SampleRecord &sample : p->samplesAfter(0, 1000))
        expected[sample.path] = {sample.label, sample.split};
    QCOMPARE(int(records.size()), 25);
    QVERIFY(records == expected);
}

void TestDatasheet::croissantChecksumsAnnotationFiles()
{
    // A CSV-labelled dataset: the manifest is a FileObject with its sha256.
    const QString dir = path("csvdata");
    test::writeImages(dir, 6);
    QString csv = QStringLiteral("path,label\n");
    for (int i = 0; i < 6; ++i)
        csv += QStringLiteral("img_%1.png,%2\n")
                   .arg(i)
                   .arg(i % 2 ? QStringLiteral("a") : QStringLiteral("b"));
    test::writeFile(dir + QStringLiteral("/labels.csv"), csv.toUtf8());
    const QString csvProject = path("csv.assay");
    QCOMPARE(cli({QStringLiteral("import"), dir + QStringLiteral("/labels.csv"),
                  QStringLiteral("--project"), csvProject})
                 .exitCode,
             0);
    const QJsonObject doc = draftCroissant(csvProject, path("csv.json"));
    QVERIFY(!doc.isEmpty());
    QVERIFY2(test::croissantProblems(doc, false).isEmpty(),
             qPrintable(test::croissantProblems(doc, false).join(u'\n')));
    QJsonObject manifest;
    for (const QJsonValue &value : doc[QStringLiteral("distribution")].toArray())
        if (value.toObject()[QStringLiteral("contentUrl")].toString() == u"labels.csv")
            manifest = value.toObject();
    QCOMPARE(manifest[QStringLiteral("encodingFormat")].toString(), QStringLiteral("text/csv"));
    QCOMPARE(manifest[QStringLiteral("sha256")].toString(),
             QString::fromLatin1(
                 QCryptographicHash::hash(csv.toUtf8(), QCryptographicHash::Sha256).toHex()));
}

void TestDatasheet::croissantDescribesIdxFiles()
{
    // An MNIST-style folder: gzip'd IDX images and labels for train (12) and t10k (5), digits.
    const QString dir = path("idx");
    QDir().mkpath(dir);
    test::writeIdxImages(dir + QStringLiteral("/train-images-idx3-ubyte.gz"), 12, 28, 28, 3);
    test::writeIdxLabels(dir + QStringLiteral("/train-labels-idx1-ubyte.gz"),
                         {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 1});
    test::writeIdxImages(dir + QStringLiteral("/t10k-images-idx3-ubyte.gz"), 5, 28, 28, 7);
    test::writeIdxLabels(dir + QStringLiteral("/t10k-labels-idx1-ubyte.gz"), {9, 8, 7, 7, 0});
    const QString idxProject = path("idx.assay");
    const Run run = cli({QStringLiteral("import"), dir, QStringLiteral("--project"), idxProject});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject doc = draftCroissant(idxProject, path("idx.json"));
    QVERIFY(!doc.isEmpty());
    QVERIFY2(test::croissantProblems(doc, false).isEmpty(),
             qPrintable(test::croissantProblems(doc, false).join(u'\n')));

    // A FileObject with the right checksum for each of the four files, and nothing else.
    const QJsonArray distribution = doc[QStringLiteral("distribution")].toArray();
    QCOMPARE(distribution.size(), 4);
    QMap<QString, QJsonObject> files;
    for (const QJsonValue &value : distribution) {
        const QJsonObject file = value.toObject();
        QCOMPARE(file[QStringLiteral("@type")].toString(), QStringLiteral("cr:FileObject"));
        QCOMPARE(file[QStringLiteral("encodingFormat")].toString(),
                 QStringLiteral("application/gzip"));
        const QString name = file[QStringLiteral("contentUrl")].toString();
        QFile bytes(dir + u'/' + name);
        QVERIFY2(bytes.open(QIODevice::ReadOnly), qPrintable(name));
        QCOMPARE(
            file[QStringLiteral("sha256")].toString(),
            QString::fromLatin1(
                QCryptographicHash::hash(bytes.readAll(), QCryptographicHash::Sha256).toHex()));
        QVERIFY(file[QStringLiteral("description")].toString().contains(QStringLiteral("IDX")));
        files[name] = file;
    }
    QVERIFY(files[QStringLiteral("train-images-idx3-ubyte.gz")][QStringLiteral("description")]
                .toString()
                .contains(QStringLiteral("12 images of the train split")));

    // No per-image record set pretends to exist; idx-files and classes/index say how to decode.
    QMap<QString, QJsonObject> sets;
    for (const QJsonValue &value : doc[QStringLiteral("recordSet")].toArray())
        sets[value.toObject()[QStringLiteral("@id")].toString()] = value.toObject();
    QCOMPARE(sets.keys(), test::strings({"classes", "idx-files", "splits"}));
    QVERIFY(sets[QStringLiteral("idx-files")][QStringLiteral("description")].toString().contains(
        QStringLiteral("Croissant 1.0 cannot describe the images inside an IDX file")));
    const QJsonArray limitations = doc[QStringLiteral("rai:dataLimitations")].toArray();
    QVERIFY(!limitations.isEmpty());
    QVERIFY(limitations.last().toString().contains(QStringLiteral("IDX")));
    QMap<int, QString> classByIndex;
    for (const QJsonValue &value :
         sets[QStringLiteral("classes")][QStringLiteral("data")].toArray())
        classByIndex[value.toObject()[QStringLiteral("classes/index")].toInt(-1)] =
            value.toObject()[QStringLiteral("classes/name")].toString();
    QCOMPARE(classByIndex.size(), 10);

    // Decoding the files the way the document says gives the project's sample/label/split table.
    std::map<std::pair<QString, qint64>, std::pair<QString, QString>> decoded, expected;
    const QJsonArray idxFiles = sets[QStringLiteral("idx-files")][QStringLiteral("data")].toArray();
    QCOMPARE(idxFiles.size(), 2);
    for (const QJsonValue &value : idxFiles) {
        const QJsonObject record = value.toObject();
        const QString images = record[QStringLiteral("idx-files/images")].toString();
        const QString labelsFile = record[QStringLiteral("idx-files/labels")].toString();
        QVERIFY(files.contains(images) && files.contains(labelsFile));
        const formats::IdxData labels = formats::readIdxFile(dir + u'/' + labelsFile);
        QCOMPARE(qint64(labels.count), record[QStringLiteral("idx-files/count")].toInteger());
        for (qint64 i = 0; i < labels.count; ++i)
            decoded[{images, i}] = {classByIndex.value(uchar(labels.values[qsizetype(i)])),
                                    record[QStringLiteral("idx-files/split")].toString()};
    }
    store::OpenOptions options;
    options.readOnly = true;
    auto p = store::Project::open(idxProject, options);
    for (const SampleRecord &sample : p->samplesAfter(0, 1000))
        expected[{sample.path, sample.member}] = {sample.label, sample.split};
    QCOMPARE(int(expected.size()), 17);
    QVERIFY(decoded == expected);
}

void TestDatasheet::checkerCatchesBrokenDocuments()
{
    QJsonObject doc = readJson(path("conforming.json"));
    QVERIFY(!doc.isEmpty());
    QVERIFY(test::croissantProblems(doc).isEmpty());
    auto broken = [&](const std::function<void(QJsonObject &)> &change, const char *expected) {
        QJsonObject copy = doc;
        change(copy);
        const QStringList problems = test::croissantProblems(copy);
        QVERIFY2(problems.join(u'\n').contains(QString::fromLatin1(expected)),
                 qPrintable(QStringLiteral("wanted '%1', got: %2")
                                .arg(QString::fromLatin1(expected), problems.join(u'|'))));
    };
    broken([](QJsonObject &d) { d.remove(QStringLiteral("url")); }, "Required property url");
    broken([](QJsonObject &d) { d[QStringLiteral("datePublished")] = QStringLiteral("soon"); },
           "not ISO 8601");
    broken(
        [](QJsonObject &d) {
            QJsonArray sets = d[QStringLiteral("recordSet")].toArray();
            QJsonObject first = sets[0].toObject();
            first[QStringLiteral("@id")] = QStringLiteral("classes");
            first[QStringLiteral("@type")] = QStringLiteral("cr:RecordSet");
            sets.append(first);
            d[QStringLiteral("recordSet")] = sets;
        },
        "duplicate @id");
    broken(
        [](QJsonObject &d) {
            QJsonArray files = d[QStringLiteral("distribution")].toArray();
            QJsonObject set = files[0].toObject();
            set.remove(QStringLiteral("includes"));
            files[0] = set;
            files.append(QJsonObject{{QStringLiteral("@type"), QStringLiteral("cr:FileObject")},
                                     {QStringLiteral("@id"), QStringLiteral("f")},
                                     {QStringLiteral("contentUrl"), QStringLiteral("a.csv")}});
            d[QStringLiteral("distribution")] = files;
        },
        "has no includes");
    broken(
        [](QJsonObject &d) {
            QJsonArray files = d[QStringLiteral("distribution")].toArray();
            files.append(QJsonObject{{QStringLiteral("@type"), QStringLiteral("cr:FileObject")},
                                     {QStringLiteral("@id"), QStringLiteral("f")},
                                     {QStringLiteral("contentUrl"), QStringLiteral("a.csv")}});
            d[QStringLiteral("distribution")] = files;
        },
        "exactly one of md5/sha256");
    broken(
        [](QJsonObject &d) {
            QString text = QString::fromUtf8(QJsonDocument(d).toJson());
            text.replace(QStringLiteral("\"splits/name\"\n"), QStringLiteral("\"nowhere\"\n"));
            d = QJsonDocument::fromJson(text.toUtf8()).object();
        },
        "does not resolve");
}

void TestDatasheet::pdfHasPagesAndRenders()
{
    const QString out = path("sheet.pdf");
    const Run run = cli({QStringLiteral("datasheet"), project(), QStringLiteral("--format"),
                         QStringLiteral("pdf"), QStringLiteral("--out"), out});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QRegularExpressionMatch said =
        QRegularExpression(QStringLiteral("(\\d+) pages")).match(run.err);
    QVERIFY2(said.hasMatch(), qPrintable(run.err));
    const int pages = said.captured(1).toInt();
    // Charts, the table and 74 entries fill several A4 pages but not dozens.
    QVERIFY2(pages >= 5 && pages <= 12, qPrintable(run.err));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.startsWith("%PDF-"));
    QCOMPARE(int(bytes.count("/Type /Page\n") + bytes.count("/Type /Page\r") +
                 bytes.count("/Type /Page ") + bytes.count("/Type /Page/") +
                 bytes.count("/Type /Page>")),
             pages);
    const QString pdftoppm = QStandardPaths::findExecutable(QStringLiteral("pdftoppm"));
    const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
    if (pdftoppm.isEmpty() || pdftotext.isEmpty())
        QSKIP("poppler-utils is not installed: the page count above is all that is checked");
    QProcess text;
    text.start(pdftotext, {QStringLiteral("-layout"), out, QStringLiteral("-")});
    QVERIFY(text.waitForFinished(60000));
    const QString words = QString::fromUtf8(text.readAllStandardOutput());
    QVERIFY(words.contains(QStringLiteral("Datasheet for data")));
    QVERIFY(words.contains(QStringLiteral("Page 1 of %1").arg(pages)));
    QVERIFY(words.contains(QStringLiteral("Page %1 of %1").arg(pages)));
    QVERIFY(words.contains(QStringLiteral("How many instances are there in total")));
    QVERIFY(words.contains(QStringLiteral("Unanswered.")));
    // The charts are painted as vectors: their title and labels are text in the PDF.
    QVERIFY(words.contains(QStringLiteral("Class balance per split")));
    QVERIFY(words.contains(QStringLiteral("Duplicates and leakage")));
    QProcess raster;
    raster.start(pdftoppm, {QStringLiteral("-r"), QStringLiteral("40"), QStringLiteral("-png"),
                            QStringLiteral("-f"), QStringLiteral("1"), QStringLiteral("-l"),
                            QStringLiteral("1"), out, path("page")});
    QVERIFY(raster.waitForFinished(60000));
    QImage page(path("page-1.png"));
    if (page.isNull())
        page = QImage(path("page-01.png"));
    QVERIFY(!page.isNull());
    // A4 at 40 dpi: about 331 x 468.
    QVERIFY(qAbs(page.width() - 331) <= 2 && qAbs(page.height() - 468) <= 2);
    int ink = 0, colour = 0;
    for (int y = 0; y < page.height(); ++y)
        for (int x = 0; x < page.width(); ++x) {
            const QColor c = page.pixelColor(x, y);
            ink += c.lightness() < 128;
            colour += c.hsvSaturation() > 100 && c.value() > 100; // the chart's bars
        }
    QVERIFY2(ink > 500, qPrintable(QString::number(ink)));
    QVERIFY2(colour > 200, qPrintable(QString::number(colour)));
}

void TestDatasheet::htmlIsSelfContained()
{
    const QString out = path("sheet.html");
    const Run run = cli({QStringLiteral("datasheet"), project(), QStringLiteral("--format"),
                         QStringLiteral("html"), QStringLiteral("--out"), out});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QString html = readText(out);
    QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
    QVERIFY(html.trimmed().endsWith(QStringLiteral("</html>")));
    // Charts embedded as SVG: each decodes to an <svg> document.
    static const QRegularExpression embedded(
        QStringLiteral("<img src=\"data:image/svg\\+xml;base64,([A-Za-z0-9+/=]+)\""));
    int charts = 0;
    for (const QRegularExpressionMatch &match : embedded.globalMatch(html)) {
        QVERIFY(!svgText(QByteArray::fromBase64(match.captured(1).toLatin1())).isEmpty());
        ++charts;
    }
    QCOMPARE(charts, 2); // class balance, duplicates
    QVERIFY(!html.contains(QStringLiteral("src=\"chart:")));
    QVERIFY(!html.contains(QStringLiteral("data:image/png")));
    QCOMPARE(int(html.count(QStringLiteral("<p class=\"q\">"))),
             int(report::allDatasheetEntries().size()));
    // Balanced tags of the kinds the renderer writes.
    for (const char *tag : {"div", "table", "tr", "ul", "figure", "h2", "p"})
        QCOMPARE(html.count(QStringLiteral("<%1").arg(QString::fromLatin1(tag)) + u'>') +
                     html.count(QStringLiteral("<%1 ").arg(QString::fromLatin1(tag))),
                 html.count(QStringLiteral("</%1>").arg(QString::fromLatin1(tag))));
}

void TestDatasheet::chartsAsSvg()
{
    // Markdown: both files per chart by default; the SVG is an <svg> document with the chart's
    // words (title, class names, axis title) as text.
    const QString md = path("svg/sheet.md");
    QDir().mkpath(path("svg"));
    Run run = cli({QStringLiteral("datasheet"), project(), QStringLiteral("--format"),
                   QStringLiteral("md"), QStringLiteral("--out"), md});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("4 chart files beside it")), qPrintable(run.err));
    for (const char *id : {"class-balance", "duplicates"}) {
        const QString stem = path("svg/sheet_files/") + QString::fromLatin1(id);
        QVERIFY(QFile::exists(stem + QStringLiteral(".png")));
        QFile svg(stem + QStringLiteral(".svg"));
        QVERIFY2(svg.open(QIODevice::ReadOnly), qPrintable(svg.fileName()));
        QVERIFY2(!svgText(svg.readAll()).isEmpty(), qPrintable(svg.fileName()));
    }
    QFile balance(path("svg/sheet_files/class-balance.svg"));
    QVERIFY(balance.open(QIODevice::ReadOnly));
    const QString words = svgText(balance.readAll());
    for (const char *word : {"Class balance per split", "cat", "dog", "train", "val", "images"})
        QVERIFY2(words.contains(QString::fromLatin1(word)), word);
    QVERIFY(readText(md).contains(QStringLiteral("](sheet_files/class-balance.png)")));

    // SVG alone: the document links it; PNG alone: no SVG written.
    run = cli({QStringLiteral("datasheet"), project(), QStringLiteral("--format"),
               QStringLiteral("md"), QStringLiteral("--out"), path("svg/only.md"),
               QStringLiteral("--charts"), QStringLiteral("svg")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(readText(path("svg/only.md")).contains(QStringLiteral("](only_files/duplicates.svg)")));
    QVERIFY(QFile::exists(path("svg/only_files/duplicates.svg")));
    QVERIFY(!QFile::exists(path("svg/only_files/duplicates.png")));
    run = cli({QStringLiteral("datasheet"), project(), QStringLiteral("--format"),
               QStringLiteral("md"), QStringLiteral("--out"), path("svg/png.md"),
               QStringLiteral("--charts"), QStringLiteral("png")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(QFile::exists(path("svg/png_files/duplicates.png")));
    QVERIFY(!QFile::exists(path("svg/png_files/duplicates.svg")));

    // HTML embeds PNG when asked.
    run = cli({QStringLiteral("datasheet"), project(), QStringLiteral("--format"),
               QStringLiteral("html"), QStringLiteral("--out"), path("svg/png.html"),
               QStringLiteral("--charts"), QStringLiteral("png")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QString html = readText(path("svg/png.html"));
    QVERIFY(html.contains(QStringLiteral("<img src=\"data:image/png;base64,")));
    QVERIFY(!html.contains(QStringLiteral("image/svg+xml")));

    // --charts where it means nothing, or with an unknown value: a usage error naming it.
    const std::pair<const char *, const char *> refused[] = {
        {"html", "both"}, {"pdf", "svg"}, {"md", "jpeg"}};
    for (const auto &[format, charts] : refused) {
        run = cli({QStringLiteral("datasheet"), project(), QStringLiteral("--format"),
                   QString::fromLatin1(format), QStringLiteral("--out"), path("svg/refused"),
                   QStringLiteral("--charts"), QString::fromLatin1(charts)});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("--charts")), qPrintable(run.err));
        QVERIFY(!QFile::exists(path("svg/refused")));
    }
}

void TestDatasheet::usageErrors()
{
    Run run = cli({QStringLiteral("datasheet"), project(), QStringLiteral("--format"),
                   QStringLiteral("docx"), QStringLiteral("--out"), path("x.docx")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.err.contains(QStringLiteral("md, html, pdf, croissant, hf-card")));
    run = cli(
        {QStringLiteral("datasheet"), project(), QStringLiteral("--format"), QStringLiteral("md")});
    QCOMPARE(run.exitCode, 2);
    run = cli({QStringLiteral("datasheet"), project()});
    QCOMPARE(run.exitCode, 2);
    run = cli({QStringLiteral("datasheet"), project(), QStringLiteral("--answer"),
               QStringLiteral("nonsense")});
    QCOMPARE(run.exitCode, 2);
    run = cli({QStringLiteral("datasheet"), path("missing.assay"), QStringLiteral("--list")});
    QCOMPARE(run.exitCode, 1);
    test::writeFile(path("bad.json"), "[1, 2]");
    run = cli(
        {QStringLiteral("datasheet"), project(), QStringLiteral("--answers"), path("bad.json")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.err.contains(QStringLiteral("bad.json")));
    test::writeFile(path("unknown.json"), R"({"Q99": "x"})");
    run = cli({QStringLiteral("datasheet"), project(), QStringLiteral("--answers"),
               path("unknown.json")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.err.contains(QStringLiteral("'Q99'")));
    QVERIFY(cli({QStringLiteral("--help")}).out.contains(QStringLiteral("datasheet")));
}

QTEST_GUILESS_MAIN(TestDatasheet)
#include "tst_datasheet.moc"
