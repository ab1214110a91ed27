// assay-cli end to end: the commands, their output contracts and their errors.

#include "store/project.h"
#include "clirun.h"
#include "testdata.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <map>
#include <unistd.h>

using namespace assay;

namespace {

using Run = test::CliRun;

Run cli(const QStringList &arguments)
{
    return test::runCli(arguments);
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private slots:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }
    void versionAndHelp();
    void importAndInfoJson();
    void fashionMnistDemo();
    void badInput_data();
    void badInput();
    void refusedCsvPathsAreListed();
    void unknownFormatNamesOptions();
    void scanAndReportJson();
    void exportCommand();
    void annotationIssuesInReport();
    void checkGate();
    void checkUsage();
    void killedScanKeepsCommittedWorkAndResumes();
    void terminatedScanStopsCleanlyAndResumes();

private:
    QString path(const char *name) const { return m_dir->filePath(QString::fromLatin1(name)); }
    void startLongScan(QProcess &scan, const QString &project, int images);
    static std::int64_t committedFeatures(const QString &project);
    void expectScanResumes(const QString &project, int images, std::int64_t kept);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestCli::versionAndHelp()
{
    const Run version = cli({QStringLiteral("--version")});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.startsWith(QStringLiteral("assay-cli 0.")));
    const Run help = cli({QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains(QStringLiteral("import")));
    QVERIFY(help.out.contains(QStringLiteral("info")));
    for (const char *command : {"import", "info"}) {
        const Run commandHelp = cli({QString::fromLatin1(command), QStringLiteral("--help")});
        QCOMPARE(commandHelp.exitCode, 0);
        QVERIFY2(commandHelp.out.contains(QStringLiteral("Usage: assay-cli ")
                                          + QString::fromLatin1(command)),
                 qPrintable(commandHelp.out));
    }
    QCOMPARE(cli({QStringLiteral("frobnicate")}).exitCode, 2);
}

void TestCli::importAndInfoJson()
{
    const QString data = path("data");
    test::writeImages(data + QStringLiteral("/train/cat"), 3);
    test::writeImages(data + QStringLiteral("/train/dog"), 2);
    test::writeImages(data + QStringLiteral("/val/dog"), 1);
    test::writeImages(data, 1, QStringLiteral("unsorted_"));
    test::writeFile(data + QStringLiteral("/train/readme.txt"), "hi");
    const Run import = cli({QStringLiteral("import"), data, QStringLiteral("--project"),
                            path("p.assay")});
    QCOMPARE(import.exitCode, 0);
    QVERIFY2(import.out.contains(QStringLiteral("7 samples in 2 classes")), qPrintable(import.out));
    QVERIFY2(import.out.contains(QStringLiteral("Skipped files: 1 (1 not an image)")),
             qPrintable(import.out));

    const Run info = cli({QStringLiteral("info"), path("p.assay"), QStringLiteral("--json")});
    QCOMPARE(info.exitCode, 0);
    QJsonParseError error;
    const QJsonObject json = QJsonDocument::fromJson(info.out.toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(json[QStringLiteral("samples")].toInt(), 7);
    QCOMPARE(json[QStringLiteral("unlabeled")].toInt(), 1);
    QCOMPARE(json[QStringLiteral("classes")].toArray().size(), 2);
    const QJsonObject splits = json[QStringLiteral("splits")].toObject();
    QCOMPARE(splits[QStringLiteral("train")].toObject()[QStringLiteral("cat")].toInt(), 3);
    QCOMPARE(splits[QStringLiteral("train")].toObject()[QStringLiteral("dog")].toInt(), 2);
    QCOMPARE(splits[QStringLiteral("val")].toObject()[QStringLiteral("dog")].toInt(), 1);

    const Run text = cli({QStringLiteral("info"), path("p.assay")});
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains(QStringLiteral("total")));
}

void TestCli::exportCommand()
{
    const QString data = path("data");
    test::writeImages(data + QStringLiteral("/train/cat"), 2);
    test::writeImages(data + QStringLiteral("/train/dog"), 1);
    QCOMPARE(cli({QStringLiteral("import"), data, QStringLiteral("--project"), path("p.assay")})
                 .exitCode,
             0);
    const Run usage = cli({QStringLiteral("export"), path("p.assay")});
    QCOMPARE(usage.exitCode, 2); // neither --out nor --in-place
    const Run badFormat = cli({QStringLiteral("export"), path("p.assay"), QStringLiteral("--format"),
                               QStringLiteral("tiff"), QStringLiteral("--out"), path("o")});
    QCOMPARE(badFormat.exitCode, 2);
    QVERIFY(badFormat.err.contains(QStringLiteral("coco|voc|yolo|imagefolder|csv")));
    const Run inside = cli({QStringLiteral("export"), path("p.assay"), QStringLiteral("--out"),
                            data + QStringLiteral("/export")});
    QCOMPARE(inside.exitCode, 1);
    QVERIFY2(inside.err.contains(QStringLiteral("inside the dataset folder")), qPrintable(inside.err));
    QVERIFY(!QFileInfo::exists(data + QStringLiteral("/export")));

    const Run csv = cli({QStringLiteral("export"), path("p.assay"), QStringLiteral("--format"),
                         QStringLiteral("csv"), QStringLiteral("--out"), path("csv"),
                         QStringLiteral("--json"), QStringLiteral("--report"), path("r.json")});
    QCOMPARE(csv.exitCode, 0);
    const QJsonObject report = QJsonDocument::fromJson(csv.out.toUtf8()).object();
    QCOMPARE(report[QStringLiteral("samples")].toInt(), 3);
    QCOMPARE(report[QStringLiteral("target")].toString(), QStringLiteral("csv"));
    QVERIFY(report.contains(QStringLiteral("not_held")));
    QVERIFY(QFileInfo::exists(path("r.json")));
    QVERIFY(QFileInfo::exists(path("csv/labels.csv")));
    QVERIFY(QFileInfo::exists(path("csv/train/cat/img_0.png")));
}

void TestCli::fashionMnistDemo()
{
    const Run import = cli({QStringLiteral("import"),
                            QStringLiteral("/usr/share/datasets/fashion-mnist"),
                            QStringLiteral("--project"), path("demo.assay")});
    QCOMPARE(import.exitCode, 0);
    QVERIFY2(import.out.contains(QStringLiteral("70000 samples in 10 classes")),
             qPrintable(import.out));
    const Run info = cli({QStringLiteral("info"), path("demo.assay"), QStringLiteral("--json")});
    const QJsonObject json = QJsonDocument::fromJson(info.out.toUtf8()).object();
    QCOMPARE(json[QStringLiteral("samples")].toInt(), 70000);
    QCOMPARE(json[QStringLiteral("classes")].toArray().size(), 10);
    int train = 0;
    int test = 0;
    const QJsonObject splits = json[QStringLiteral("splits")].toObject();
    for (const QJsonValue n : splits[QStringLiteral("train")].toObject())
        train += n.toInt();
    for (const QJsonValue n : splits[QStringLiteral("test")].toObject())
        test += n.toInt();
    QCOMPARE(train, 60000);
    QCOMPARE(test, 10000);
}

void TestCli::badInput_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing dataset") << QStringLiteral("missing")
                                     << QStringLiteral("does not exist");
    QTest::newRow("empty folder") << QStringLiteral("empty") << QStringLiteral("is empty");
    QTest::newRow("csv without path column") << QStringLiteral("nopath")
                                             << QStringLiteral("no path column");
    QTest::newRow("csv wrong field count") << QStringLiteral("fields")
                                           << QStringLiteral("m.csv:3: expected 2 fields");
    QTest::newRow("truncated idx") << QStringLiteral("truncated") << QStringLiteral("truncated");
    QTest::newRow("project not sqlite") << QStringLiteral("notsqlite")
                                        << QStringLiteral("not an Assay project");
    QTest::newRow("project folder read-only") << QStringLiteral("readonly")
                                              << QStringLiteral("not writable");
}

void TestCli::badInput()
{
    QFETCH(QString, setup);
    QFETCH(QString, expected);
    QString dataset = path("data");
    QString project = path("p.assay");
    test::writeImages(path("images/cat"), 2);
    if (setup == u"missing") {
        dataset = path("nowhere");
    } else if (setup == u"empty") {
        QDir().mkpath(dataset);
    } else if (setup == u"nopath") {
        test::writeFile(dataset + QStringLiteral("/m.csv"), "name,label\na.png,cat\n");
    } else if (setup == u"fields") {
        test::writeFile(dataset + QStringLiteral("/m.csv"), "path,label\na.png,cat\nb.png\n");
    } else if (setup == u"truncated") {
        const QString file = dataset + QStringLiteral("/train-images-idx3-ubyte.gz");
        test::writeIdxImages(file, 100, 28, 28);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(f.size() - 200));
    } else if (setup == u"notsqlite") {
        dataset = path("images");
        test::writeFile(project, "this is a text file\n");
    } else if (setup == u"readonly") {
        dataset = path("images");
        const QString folder = ::geteuid() == 0 ? QStringLiteral("/sys") : path("ro");
        if (::geteuid() != 0) {
            QDir().mkpath(folder);
            QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner);
        }
        project = folder + QStringLiteral("/p.assay");
    }
    const QByteArray before = QFile::exists(project) ? [&] {
        QFile f(project);
        f.open(QIODevice::ReadOnly);
        return f.readAll();
    }() : QByteArray();
    const Run run = cli({QStringLiteral("import"), dataset, QStringLiteral("--project"), project});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.startsWith(QStringLiteral("error: ")), qPrintable(run.err));
    QVERIFY2(run.err.contains(expected), qPrintable(run.err));
    QCOMPARE(run.err.count(u'\n'), 1); // one clear line
    if (before.isEmpty()) {
        QVERIFY(!QFile::exists(project)); // nothing half-written
    } else {
        QFile f(project);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before); // the foreign file is untouched
    }
}

void TestCli::refusedCsvPathsAreListed()
{
    const QString data = path("data");
    test::writeImages(data, 2);
    test::writeFile(data + QStringLiteral("/m.csv"),
                    "path,label\nimg_0.png,a\n../escape.png,b\n/etc/passwd,b\nimg_1.png,b\n");
    const Run run = cli({QStringLiteral("import"), data + QStringLiteral("/m.csv"),
                         QStringLiteral("--project"), path("p.assay")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QStringLiteral("Refused entries: 2")), qPrintable(run.out));
    QVERIFY(run.out.contains(QStringLiteral("../escape.png: line 3: escapes the dataset root")));
    QVERIFY(run.out.contains(QStringLiteral("/etc/passwd: line 4")));
    QVERIFY(run.out.contains(QStringLiteral("2 samples in 2 classes")));
}

void TestCli::unknownFormatNamesOptions()
{
    test::writeImages(path("images/cat"), 1);
    const Run run = cli({QStringLiteral("import"), path("images"), QStringLiteral("--format"),
                         QStringLiteral("tfrecord"), QStringLiteral("--project"), path("p.assay")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QStringLiteral("auto|imagefolder|csv|mnist")), qPrintable(run.err));
}

void TestCli::scanAndReportJson()
{
    const QString data = path("data");
    test::writeImages(data + QStringLiteral("/train/cat"), 3);
    test::writeImages(data + QStringLiteral("/test/dog"), 2);
    test::writeFile(data + QStringLiteral("/test/dog/empty.png"), QByteArray());
    QCOMPARE(cli({QStringLiteral("import"), data, QStringLiteral("--project"), path("p.assay")})
                 .exitCode,
             0);
    const Run scan = cli({QStringLiteral("scan"), path("p.assay"), QStringLiteral("--threads"),
                          QStringLiteral("2")});
    QCOMPARE(scan.exitCode, 0);
    QVERIFY2(scan.out.contains(QStringLiteral("Scanned 6 samples: 6 measured")),
             qPrintable(scan.out));
    const Run again = cli({QStringLiteral("scan"), path("p.assay")});
    QVERIFY2(again.out.contains(QStringLiteral("0 measured, 6 up to date")), qPrintable(again.out));

    const Run report = cli({QStringLiteral("report"), path("p.assay"), QStringLiteral("--json")});
    QCOMPARE(report.exitCode, 0);
    const QJsonObject json = QJsonDocument::fromJson(report.out.toUtf8()).object();
    QCOMPARE(json[QStringLiteral("samples")].toInt(), 6);
    const QJsonObject balance = json[QStringLiteral("balance")].toObject();
    QCOMPARE(balance[QStringLiteral("splits")].toObject()[QStringLiteral("test")]
                 .toObject()[QStringLiteral("dog")].toInt(),
             3);
    QCOMPARE(balance[QStringLiteral("imbalance_ratio")].toDouble(), 1.0);
    const QJsonArray issues = json[QStringLiteral("issues")].toArray();
    QCOMPARE(issues.size(), 1);
    QCOMPARE(issues[0].toObject()[QStringLiteral("sample")].toString(),
             QStringLiteral("test/dog/empty.png"));
    QCOMPARE(issues[0].toObject()[QStringLiteral("kind")].toString(), QStringLiteral("zero_byte"));
    const Run text = cli({QStringLiteral("report"), path("p.assay")});
    QVERIFY2(text.out.contains(QStringLiteral("zero_byte")), qPrintable(text.out));
}

void TestCli::checkGate()
{
    // train/cat: three images; test/cat: a byte copy of one (leakage); test/dog: a copy of
    // another under a different label (leakage and a label conflict); an empty file in train.
    const QString data = path("data");
    test::writeImages(data + QStringLiteral("/train/cat"), 3);
    QDir().mkpath(data + QStringLiteral("/test/cat"));
    QDir().mkpath(data + QStringLiteral("/test/dog"));
    QVERIFY(QFile::copy(data + QStringLiteral("/train/cat/img_0.png"),
                        data + QStringLiteral("/test/cat/copy.png")));
    QVERIFY(QFile::copy(data + QStringLiteral("/train/cat/img_1.png"),
                        data + QStringLiteral("/test/dog/other.png")));
    test::writeFile(data + QStringLiteral("/train/cat/empty.png"), QByteArray());
    QCOMPARE(cli({QStringLiteral("import"), data, QStringLiteral("--project"), path("p.assay")})
                 .exitCode,
             0);
    auto check = [&](const char *rules, const QStringList &extra = {}) {
        return cli(QStringList{QStringLiteral("check"), path("p.assay"), QStringLiteral("--fail-on"),
                               QString::fromLatin1(rules)}
                   + extra);
    };
    // Before a scan nothing scan-based can pass; annotation kinds can.
    const Run unscanned = check("leakage");
    QCOMPARE(unscanned.exitCode, 1);
    QVERIFY2(unscanned.out.contains(QStringLiteral("FAIL leakage: not checked")),
             qPrintable(unscanned.out));
    QCOMPARE(check("box_outside_image").exitCode, 0);

    QCOMPARE(cli({QStringLiteral("scan"), path("p.assay")}).exitCode, 0);
    const Run leakage = check("leakage");
    QCOMPARE(leakage.exitCode, 1);
    QVERIFY2(leakage.out.contains(QStringLiteral("FAIL leakage: 2 clusters (4 samples)")),
             qPrintable(leakage.out));
    QVERIFY2(leakage.out.contains(QStringLiteral("train/cat/img_0.png (train) = "
                                                 "test/cat/copy.png (test)")),
             qPrintable(leakage.out));
    const Run conflicts = check("label-conflicts,near-duplicates,blurry,box-outside-image");
    QCOMPARE(conflicts.exitCode, 1);
    QVERIFY2(conflicts.out.contains(QStringLiteral("FAIL label-conflicts: 1 clusters (2 samples)")),
             qPrintable(conflicts.out));
    QVERIFY2(conflicts.out.contains(QStringLiteral("test/dog/other.png")), qPrintable(conflicts.out));
    QVERIFY2(conflicts.out.contains(QStringLiteral("ok   near-duplicates: 0")),
             qPrintable(conflicts.out));
    QVERIFY2(conflicts.out.contains(QStringLiteral("ok   blurry: 0")), qPrintable(conflicts.out));
    QCOMPARE(check("near-duplicates,blurry,corrupt").exitCode, 0);
    const Run zero = check("zero_byte");
    QCOMPARE(zero.exitCode, 1);
    QVERIFY2(zero.out.contains(QStringLiteral("train/cat/empty.png")), qPrintable(zero.out));

    const Run json = check("exact-duplicates,corrupt", {QStringLiteral("--json")});
    QCOMPARE(json.exitCode, 1);
    const QJsonObject result = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(result[QStringLiteral("passed")].toBool(), false);
    const QJsonArray rules = result[QStringLiteral("rules")].toArray();
    QCOMPARE(rules.size(), 2);
    QCOMPARE(rules[0][QStringLiteral("rule")].toString(), QStringLiteral("exact-duplicates"));
    QCOMPARE(rules[0][QStringLiteral("count")].toInt(), 2);
    QCOMPARE(rules[0][QStringLiteral("failed")].toBool(), true);
    QCOMPARE(rules[0][QStringLiteral("examples")].toArray().size(), 2);
    QCOMPARE(rules[1][QStringLiteral("failed")].toBool(), false);

    // The report files the duplicate issues under their own group.
    const Run report = cli({QStringLiteral("report"), path("p.assay"), QStringLiteral("--json")});
    int leaks = 0;
    for (const QJsonValue &issue :
         QJsonDocument::fromJson(report.out.toUtf8())[QStringLiteral("issues")].toArray()) {
        if (issue[QStringLiteral("kind")].toString() != u"leakage")
            continue;
        ++leaks;
        QCOMPARE(issue[QStringLiteral("group")].toString(), QStringLiteral("duplicates"));
        QVERIFY(issue[QStringLiteral("sample")].toString().startsWith(QStringLiteral("test/")));
    }
    QCOMPARE(leaks, 2);
    const Run text = cli({QStringLiteral("report"), path("p.assay")});
    QVERIFY2(text.out.contains(QStringLiteral("2 clusters of 4 samples (2 exact, 0 near); 2 span "
                                              "splits, 1 disagree on the label")),
             qPrintable(text.out));
}

void TestCli::checkUsage()
{
    test::writeImages(path("data/train/cat"), 2);
    QCOMPARE(cli({QStringLiteral("import"), path("data"), QStringLiteral("--project"),
                  path("p.assay")})
                 .exitCode,
             0);
    const Run unknown = cli({QStringLiteral("check"), path("p.assay"), QStringLiteral("--fail-on"),
                             QStringLiteral("leakage,frobnicate")});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains(QStringLiteral("unknown rule frobnicate")), qPrintable(unknown.err));
    QVERIFY2(unknown.err.contains(QStringLiteral("valid rules: leakage, label-conflicts, "
                                                 "exact-duplicates, near-duplicates")),
             qPrintable(unknown.err));
    QVERIFY(unknown.err.contains(QStringLiteral("box_outside_image")));
    QCOMPARE(cli({QStringLiteral("check"), path("p.assay")}).exitCode, 2);
    QCOMPARE(cli({QStringLiteral("check"), QStringLiteral("--fail-on"), QStringLiteral("leakage")})
                 .exitCode,
             2);
    QCOMPARE(cli({QStringLiteral("check"), path("missing.assay"), QStringLiteral("--fail-on"),
                  QStringLiteral("leakage")})
                 .exitCode,
             3);
    const Run help = cli({QStringLiteral("check"), QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains(QStringLiteral("--fail-on")));
}

void TestCli::annotationIssuesInReport()
{
    test::writeFile(path("coco/images/a.png"), test::texturedPng(40, 30, 1));
    test::writeFile(path("coco/annotations/instances_train.json"), R"({
      "images": [{"id": 1, "file_name": "a.png", "width": 40, "height": 30},
                 {"id": 2, "file_name": "gone.png", "width": 40, "height": 30}],
      "categories": [{"id": 1, "name": "cat"}],
      "annotations": [{"id": 5, "image_id": 1, "category_id": 1, "bbox": [30, 0, 20, 10]},
                      {"id": 6, "image_id": 2, "category_id": 1, "bbox": [0, 0, 5, 5]}]})");
    QCOMPARE(cli({QStringLiteral("import"), path("coco"), QStringLiteral("--project"),
                  path("p.assay")})
                 .exitCode,
             0);
    const Run report = cli({QStringLiteral("report"), path("p.assay"), QStringLiteral("--json")});
    QCOMPARE(report.exitCode, 0);
    const QJsonObject json = QJsonDocument::fromJson(report.out.toUtf8()).object();
    std::map<QString, QJsonObject> byKind;
    for (const QJsonValue &issue : json[QStringLiteral("issues")].toArray())
        byKind[issue[QStringLiteral("kind")].toString()] = issue.toObject();
    QCOMPARE(byKind.size(), size_t(2));
    const QJsonObject outside = byKind[QStringLiteral("box_outside_image")];
    QCOMPARE(outside[QStringLiteral("sample")].toString(), QStringLiteral("images/a.png"));
    QCOMPARE(outside[QStringLiteral("group")].toString(), QStringLiteral("annotations"));
    QCOMPARE(outside[QStringLiteral("severity")].toString(), QStringLiteral("warning"));
    QVERIFY2(outside[QStringLiteral("detail")].toString().contains(
                 QStringLiteral("10 px past the right edge")),
             qPrintable(outside[QStringLiteral("detail")].toString()));
    QCOMPARE(byKind[QStringLiteral("missing_image")][QStringLiteral("sample")].toString(),
             QStringLiteral("images/gone.png"));
    const QJsonObject counts = json[QStringLiteral("issue_counts")].toObject();
    QCOMPARE(counts[QStringLiteral("box_outside_image")].toInt(), 1);
    QCOMPARE(counts[QStringLiteral("missing_image")].toInt(), 1);

    const Run text = cli({QStringLiteral("report"), path("p.assay")});
    QVERIFY2(text.out.contains(QStringLiteral("Quality (0 scanned, 1 not scanned yet): 0 issues")),
             qPrintable(text.out));
    QVERIFY2(text.out.contains(QStringLiteral("Annotations: 2 issues")), qPrintable(text.out));
    QVERIFY2(text.out.contains(QStringLiteral("images/gone.png: the image file is not there")),
             qPrintable(text.out));
}

// Starts `assay-cli scan --threads 1` on a large generated IDX project and waits until it has
// committed some work.
void TestCli::startLongScan(QProcess &scan, const QString &project, int images)
{
    const QString data = path("mnist");
    test::writeIdxImages(data + QStringLiteral("/train-images-idx3-ubyte"), images, 28, 28);
    QCOMPARE(cli({QStringLiteral("import"), data, QStringLiteral("--project"), project}).exitCode,
             0);
    scan.start(test::binaryPath(QStringLiteral("assay-cli")),
               {QStringLiteral("scan"), project, QStringLiteral("--threads"), QStringLiteral("1")});
    QVERIFY(scan.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(committedFeatures(project) > 0, 20000);
}

std::int64_t TestCli::committedFeatures(const QString &project)
{
    store::OpenOptions options;
    options.readOnly = true;
    return store::Project::open(project, options)->db().queryInt("SELECT count(*) FROM features");
}

void TestCli::terminatedScanStopsCleanlyAndResumes()
{
    const int images = 150000;
    const QString project = path("big.assay");
    QProcess scan;
    startLongScan(scan, project, images);
    ::kill(pid_t(scan.processId()), SIGTERM);
    QVERIFY(scan.waitForFinished());
    QCOMPARE(scan.exitStatus(), QProcess::NormalExit);
    QCOMPARE(scan.exitCode(), 130);
    const QString err = QString::fromUtf8(scan.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("finished work is saved")), qPrintable(err));
    expectScanResumes(project, images, committedFeatures(project));
}

// Some but not all work was committed; the next scan measures exactly the rest.
void TestCli::expectScanResumes(const QString &project, int images, std::int64_t kept)
{
    QVERIFY2(kept > 0 && kept < images, qPrintable(QString::number(kept)));
    const Run resumed = cli({QStringLiteral("scan"), project});
    QCOMPARE(resumed.exitCode, 0);
    QVERIFY2(resumed.out.contains(QStringLiteral("%1 measured, %2 up to date")
                                      .arg(images - kept)
                                      .arg(kept)),
             qPrintable(resumed.out));
}

void TestCli::killedScanKeepsCommittedWorkAndResumes()
{
    const int images = 150000;
    const QString project = path("big.assay");
    QProcess scan;
    startLongScan(scan, project, images);
    ::kill(pid_t(scan.processId()), SIGKILL);
    QVERIFY(scan.waitForFinished());
    QCOMPARE(scan.exitStatus(), QProcess::CrashExit);

    std::int64_t kept = 0;
    {
        auto reopened = store::Project::open(project);
        QCOMPARE(reopened->db().queryText("PRAGMA integrity_check"), QStringLiteral("ok"));
        kept = reopened->db().queryInt("SELECT count(*) FROM features");
    }
    expectScanResumes(project, images, kept);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
