// Hostile and changing input (issue #10): decompression bombs and oversized JSON refused with
// bounded memory, entries and links that lead outside the dataset root refused and listed (and
// never read), files vanishing or changing during a scan, a dataset Assay may not write to, a
// read-only project file, two processes scanning one project.

#include "faultrun.h"
#include "testdata.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>

#include <memory>

using namespace assay;

namespace {

QByteArray chunk(const char *type, const QByteArray &data)
{
    QByteArray out;
    const auto be32 = [&out](quint32 v) {
        for (int shift = 24; shift >= 0; shift -= 8)
            out.append(char((v >> shift) & 0xff));
    };
    be32(quint32(data.size()));
    const QByteArray body = QByteArray(type, 4) + data;
    out += body;
    be32(quint32(crc32(0, reinterpret_cast<const Bytef *>(body.constData()), uInt(body.size()))));
    return out;
}

// A grey PNG whose header claims width×height and whose IDAT holds `rows` all-zero rows
// compressed at level 9 (all of them: a zlib bomb; few: a lying header).
QByteArray greyPng(quint32 width, quint32 height, quint32 rows)
{
    QByteArray header;
    for (quint32 v : {width, height})
        for (int shift = 24; shift >= 0; shift -= 8)
            header.append(char((v >> shift) & 0xff));
    header.append("\x08\x00\x00\x00\x00", 5); // 8-bit grey, no interlace
    const QByteArray raw(qsizetype(rows) * (width + 1), '\0');
    uLongf size = compressBound(uLong(raw.size()));
    QByteArray packed(qsizetype(size), '\0');
    compress2(reinterpret_cast<Bytef *>(packed.data()), &size,
              reinterpret_cast<const Bytef *>(raw.constData()), uLong(raw.size()), 9);
    packed.resize(qsizetype(size));
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", header) + chunk("IDAT", packed) +
           chunk("IEND", {});
}

QString fileState(const QString &dir)
{
    QStringList lines;
    QDirIterator it(dir, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info(it.next());
        lines << QStringLiteral("%1 %2 %3")
                     .arg(QDir(dir).relativeFilePath(info.filePath()))
                     .arg(info.size())
                     .arg(info.lastModified().toMSecsSinceEpoch());
    }
    lines.sort();
    return lines.join(u'\n');
}

// Memory a child may use on these inputs: far below what decoding or materialising them would.
constexpr std::int64_t boundKb = 1536 * 1024;

} // namespace

class TestFaultInputs : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void imageBombsAreRefusedWithBoundedMemory();
    void deeplyNestedJsonIsRefused();
    void largeSingleLineJsonImportsWithBoundedMemory();
    void entriesOutsideTheRootAreRefusedAndListed();
    void linksOutsideTheRootAreNeverRead();
    void filesVanishingOrChangingDuringAScan();
    void datasetIsNeverWritten();
    void readOnlyProjectGivesAClearError();
    void twoScansOfOneProject();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    test::ChildRun cli(const QStringList &arguments)
    {
        return test::runCliKilledAfter(arguments, -1);
    }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestFaultInputs::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestFaultInputs::imageBombsAreRefusedWithBoundedMemory()
{
    const QString data = path(QStringLiteral("data/a"));
    test::writeFile(data + QStringLiteral("/claims60000.png"), greyPng(60000, 60000, 4));
    test::writeFile(data + QStringLiteral("/zbomb144mp.png"), greyPng(12000, 12000, 12000));
    test::writeFile(data + QStringLiteral("/zbomb81mp.png"), greyPng(9000, 9000, 9000));
    QVERIFY(QFileInfo(data + QStringLiteral("/zbomb81mp.png")).size() < 200 * 1024);
    const QString project = path(QStringLiteral("p.assay"));
    QCOMPARE(cli({QStringLiteral("import"), path(QStringLiteral("data")),
                  QStringLiteral("--project"), project})
                 .exitCode,
             0);
    const test::ChildRun scan = cli({QStringLiteral("scan"), project});
    QVERIFY2(scan.exitCode == 0, qPrintable(scan.err));
    QVERIFY2(scan.out.contains(QStringLiteral("2 could not be decoded")), qPrintable(scan.out));
    const test::ChildRun report = cli({QStringLiteral("report"), project});
    for (const char *refused : {"a/claims60000.png: 60000×60000 pixels (3600.0 MP) exceeds the 100 "
                                "MP decoding limit",
                                "a/zbomb144mp.png: 12000×12000 pixels (144.0 MP) exceeds the 100 "
                                "MP decoding limit"})
        QVERIFY2(report.out.contains(QString::fromUtf8(refused)), qPrintable(report.out));
    // The 81 MP bomb is within the limit: decoded (its features exist), memory still bounded.
    QCOMPARE(test::projectInt(project, "SELECT count(*) FROM features f JOIN samples s ON "
                                       "s.id = f.sample_id WHERE s.path = 'a/zbomb81mp.png' "
                                       "AND f.width = 9000"),
             1);
    QVERIFY2(test::childPeakRssKb() < boundKb, qPrintable(QString::number(test::childPeakRssKb())));
}

void TestFaultInputs::deeplyNestedJsonIsRefused()
{
    const int depth = 200000;
    const QByteArray open(depth, '['), close(depth, ']');
    test::writeFile(path(QStringLiteral("top.json")), "{\"images\": " + open + close + "}");
    test::writeFile(path(QStringLiteral("segmentation.json")),
                    "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\"}], \"annotations\": "
                    "[{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, 4], "
                    "\"segmentation\": " +
                        open + close + "}], \"categories\": [{\"id\": 1, \"name\": \"a\"}]}");
    for (const char *name : {"top.json", "segmentation.json"}) {
        const QString file = path(QString::fromLatin1(name));
        const test::ChildRun run = cli({QStringLiteral("import"), file, QStringLiteral("--project"),
                                        file + QStringLiteral(".assay")});
        QVERIFY2(run.exitCode == 1, qPrintable(run.err));
        QVERIFY2(run.err.startsWith(QStringLiteral("error: ") + QString::fromLatin1(name) +
                                    QStringLiteral(":1:")),
                 qPrintable(run.err));
        QVERIFY(!QFileInfo::exists(file + QStringLiteral(".assay")));
    }
    // A member Assay does not read is skipped by counting brackets, however deep.
    test::writeFile(path(QStringLiteral("extra.json")),
                    "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\", \"extra\": " + open +
                        close + "}], \"annotations\": [], \"categories\": []}");
    const test::ChildRun skipped =
        cli({QStringLiteral("import"), path(QStringLiteral("extra.json")),
             QStringLiteral("--project"), path(QStringLiteral("extra.assay"))});
    QVERIFY2(skipped.exitCode == 0, qPrintable(skipped.err));
    QCOMPARE(test::projectInt(path(QStringLiteral("extra.assay")), "SELECT count(*) FROM samples"),
             1);
    QVERIFY2(test::childPeakRssKb() < boundKb, qPrintable(QString::number(test::childPeakRssKb())));
}

void TestFaultInputs::largeSingleLineJsonImportsWithBoundedMemory()
{
    // 96 MB on one line: a long description and 20,000 images; no newline anywhere.
    QByteArray json = "{\"info\": {\"description\": \"" + QByteArray(96 << 20, 'x') + "\"}, ";
    json += "\"images\": [";
    for (int i = 0; i < 20000; ++i)
        json += (i ? ", " : "") + QStringLiteral("{\"id\": %1, \"file_name\": \"i%1.png\", "
                                                 "\"width\": 8, \"height\": 8}")
                                      .arg(i + 1)
                                      .toUtf8();
    json += "], \"annotations\": [], \"categories\": [{\"id\": 1, \"name\": \"a\"}]}";
    QVERIFY(!json.contains('\n'));
    test::writeFile(path(QStringLiteral("big/annotations.json")), json);
    QDir().mkpath(path(QStringLiteral("big/images")));
    json.clear();
    const test::ChildRun run =
        cli({QStringLiteral("import"), path(QStringLiteral("big/annotations.json")),
             QStringLiteral("--project"), path(QStringLiteral("big.assay")),
             QStringLiteral("--images-dir"), path(QStringLiteral("big/images"))});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(test::projectInt(path(QStringLiteral("big.assay")), "SELECT count(*) FROM samples"),
             20000);
    QVERIFY2(test::childPeakRssKb() < boundKb, qPrintable(QString::number(test::childPeakRssKb())));
}

void TestFaultInputs::entriesOutsideTheRootAreRefusedAndListed()
{
    const QString data = path(QStringLiteral("data"));
    test::writeFile(data + QStringLiteral("/img/a.png"), test::tinyPng());
    test::writeFile(path(QStringLiteral("secret.png")), test::tinyPng());
    test::writeFile(data + QStringLiteral("/m.csv"),
                    QByteArray("path,label\n../secret.png,cat\n") +
                        QFile::encodeName(path(QStringLiteral("secret.png"))) +
                        ",cat\nimg/a.png,dog\nimg/n" + QByteArray(1, '\0') +
                        "ul.png,cat\nimg/\xff\xfe.png,cat\n");
    const test::ChildRun run = cli({QStringLiteral("import"), data + QStringLiteral("/m.csv"),
                                    QStringLiteral("--project"), path(QStringLiteral("p.assay"))});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("Refused entries: 3")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("../secret.png: line 2: escapes the dataset root")),
             qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("line 3: escapes the dataset root")),
             qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("line 5: holds a NUL byte")), qPrintable(run.out));
    // Nothing outside the root became a sample; the invalid UTF-8 name is kept byte for byte
    // (it is a legal file name) and, having no file, listed as missing.
    const QString project = path(QStringLiteral("p.assay"));
    QCOMPARE(test::projectInt(project, "SELECT count(*) FROM samples WHERE path LIKE '%secret%'"),
             0);
    QCOMPARE(test::projectInt(project, "SELECT count(*) FROM samples"), 2);
    QCOMPARE(test::projectInt(project, "SELECT count(*) FROM samples WHERE hex(path) = "
                                       "'696D672FFFFE2E706E67'"),
             1);
}

void TestFaultInputs::linksOutsideTheRootAreNeverRead()
{
    const QString data = path(QStringLiteral("data"));
    test::writeImages(data + QStringLiteral("/cat"), 3);
    test::writeImages(data + QStringLiteral("/dog"), 3);
    test::writeImages(path(QStringLiteral("outside")), 3);
    // A CSV manifest may name a link; a folder may be swapped for a link after the import.
    QVERIFY(QFile::link(path(QStringLiteral("outside/img_0.png")),
                        data + QStringLiteral("/cat/link.png")));
    test::writeFile(data + QStringLiteral("/m.csv"),
                    "path,label\ncat/img_0.png,cat\ncat/link.png,cat\ndog/img_1.png,dog\n");
    const QString project = path(QStringLiteral("p.assay"));
    QCOMPARE(cli({QStringLiteral("import"), data + QStringLiteral("/m.csv"),
                  QStringLiteral("--project"), project})
                 .exitCode,
             0);
    QVERIFY(QDir(data + QStringLiteral("/dog")).removeRecursively());
    QVERIFY(QFile::link(path(QStringLiteral("outside")), data + QStringLiteral("/dog")));
    const test::ChildRun scan = cli({QStringLiteral("scan"), project});
    QVERIFY2(scan.exitCode == 0, qPrintable(scan.err));
    const test::ChildRun report = cli({QStringLiteral("report"), project});
    for (const char *refused : {"cat/link.png: refused: the path leads outside the dataset root",
                                "dog/img_1.png: refused: the path leads outside the dataset root"})
        QVERIFY2(report.out.contains(QString::fromUtf8(refused)), qPrintable(report.out));
    // Nothing was read through the links: no content hash, no size measured.
    QCOMPARE(test::projectInt(project, "SELECT count(*) FROM features f JOIN samples s ON s.id = "
                                       "f.sample_id WHERE s.path != 'cat/img_0.png' AND "
                                       "f.width > 0"),
             0);
    QCOMPARE(test::projectInt(project, "SELECT count(*) FROM features f JOIN samples s ON s.id = "
                                       "f.sample_id WHERE s.path = 'cat/img_0.png' AND "
                                       "f.width = 32"),
             1);
}

void TestFaultInputs::filesVanishingOrChangingDuringAScan()
{
    const QString data = path(QStringLiteral("data"));
    const int perClass = 1500;
    test::writeImages(data + QStringLiteral("/cat"), perClass);
    test::writeImages(data + QStringLiteral("/dog"), perClass);
    const QString project = path(QStringLiteral("p.assay"));
    QCOMPARE(cli({QStringLiteral("import"), data, QStringLiteral("--project"), project}).exitCode,
             0);
    QProcess scan;
    scan.start(test::binaryPath(QStringLiteral("assay-cli")),
               {QStringLiteral("scan"), project, QStringLiteral("--threads"), QStringLiteral("2")});
    QVERIFY(scan.waitForStarted());
    // While it runs: every other cat vanishes, every dog changes (garbage, truncated, bigger).
    for (int i = 0; i < perClass; i += 2)
        QFile::remove(data + QStringLiteral("/cat/img_%1.png").arg(i));
    for (int i = 0; i < perClass; ++i) {
        const QString dog = data + QStringLiteral("/dog/img_%1.png").arg(i);
        test::writeFile(dog, i % 3 == 0   ? QByteArray("not an image")
                             : i % 3 == 1 ? QByteArray()
                                          : test::texturedPng(48, 40, quint32(i)));
    }
    QVERIFY(scan.waitForFinished(300000));
    QCOMPARE(scan.exitStatus(), QProcess::NormalExit);
    QVERIFY2(scan.exitCode() == 0, scan.readAllStandardError().constData());
    QCOMPARE(test::projectIntegrity(project), QStringLiteral("ok"));
    // The next scan sees the dataset as it is now.
    const test::ChildRun again = cli({QStringLiteral("scan"), project});
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    QCOMPARE(test::projectInt(project, "SELECT count(*) FROM features f JOIN samples s ON s.id = "
                                       "f.sample_id WHERE s.path LIKE 'dog/%' AND f.width = 48"),
             perClass / 3);
    const test::ChildRun report = cli({QStringLiteral("report"), project});
    QVERIFY2(report.out.contains(QStringLiteral("cat/img_0.png")),
             qPrintable(report.out.left(2000)));
    QVERIFY2(report.out.contains(QStringLiteral("dog/img_0.png")),
             qPrintable(report.out.left(2000)));
}

void TestFaultInputs::datasetIsNeverWritten()
{
    const QString data = path(QStringLiteral("data"));
    test::writeImages(data + QStringLiteral("/cat"), 20);
    test::writeImages(data + QStringLiteral("/dog"), 20);
    test::writeFile(data + QStringLiteral("/labels.csv"), "path,label\ncat/img_0.png,cat\n");
    const QString before = fileState(data);
    const QString project = path(QStringLiteral("p.assay"));
    const QStringList runs[] = {
        {QStringLiteral("import"), data, QStringLiteral("--project"), project,
         QStringLiteral("--format"), QStringLiteral("imagefolder")},
        {QStringLiteral("scan"), project},
        {QStringLiteral("relabel"), project, QStringLiteral("--class"), QStringLiteral("dog"),
         QStringLiteral("--sample"), QStringLiteral("cat/img_1.png")},
        {QStringLiteral("report"), project},
        {QStringLiteral("export"), project, QStringLiteral("--out"), path(QStringLiteral("out"))},
        {QStringLiteral("export"), project, QStringLiteral("--format"), QStringLiteral("csv"),
         QStringLiteral("--out"), path(QStringLiteral("out-csv"))},
        {QStringLiteral("import"), data, QStringLiteral("--project"), project,
         QStringLiteral("--format"), QStringLiteral("imagefolder")},
    };
    for (const QStringList &arguments : runs) {
        const test::ChildRun run = cli(arguments);
        QVERIFY2(run.exitCode == 0, qPrintable(arguments.join(u' ') + u'\n' + run.err));
        QCOMPARE(fileState(data), before);
    }
    // Writing into a dataset is refused unless asked for by --in-place.
    const test::ChildRun inside = cli({QStringLiteral("export"), project, QStringLiteral("--out"),
                                       data + QStringLiteral("/export")});
    QCOMPARE(inside.exitCode, 1);
    QCOMPARE(fileState(data), before);
}

void TestFaultInputs::readOnlyProjectGivesAClearError()
{
    const QString data = path(QStringLiteral("data"));
    test::writeImages(data + QStringLiteral("/cat"), 5);
    const QString project = path(QStringLiteral("ro/p.assay"));
    QDir().mkpath(path(QStringLiteral("ro")));
    QCOMPARE(cli({QStringLiteral("import"), data, QStringLiteral("--project"), project}).exitCode,
             0);
    QFile::setPermissions(m_dir->path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                             QFile::ReadOther | QFile::ExeOther);
    QFile::setPermissions(path(QStringLiteral("ro")),
                          QFile::ReadOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther);
    QFile::setPermissions(project, QFile::ReadOwner | QFile::ReadOther);
    const QByteArray bytes = [&] {
        QFile file(project);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }();
    for (const QStringList &arguments :
         {QStringList{QStringLiteral("scan"), project},
          QStringList{QStringLiteral("relabel"), project, QStringLiteral("--class"),
                      QStringLiteral("cat"), QStringLiteral("--sample"),
                      QStringLiteral("cat/img_0.png")}}) {
        const test::ChildRun run = test::runCliUnprivileged(arguments);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(project + QStringLiteral(": the file or its folder is "
                                                           "read-only")),
                 qPrintable(run.err));
    }
    QFile file(project);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), bytes);
    QFile::setPermissions(path(QStringLiteral("ro")),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

void TestFaultInputs::twoScansOfOneProject()
{
    const QString data = path(QStringLiteral("data"));
    test::writeImages(data + QStringLiteral("/cat"), 800);
    test::writeImages(data + QStringLiteral("/dog"), 800);
    const QString project = path(QStringLiteral("p.assay"));
    QCOMPARE(cli({QStringLiteral("import"), data, QStringLiteral("--project"), project}).exitCode,
             0);
    QProcess first, second;
    for (QProcess *scan : {&first, &second}) {
        scan->start(
            test::binaryPath(QStringLiteral("assay-cli")),
            {QStringLiteral("scan"), project, QStringLiteral("--threads"), QStringLiteral("1")});
        QVERIFY(scan->waitForStarted());
    }
    for (QProcess *scan : {&first, &second}) {
        QVERIFY(scan->waitForFinished(300000));
        QCOMPARE(scan->exitStatus(), QProcess::NormalExit);
        // Both finish, or the second says clearly that the project is busy.
        const QString err = QString::fromUtf8(scan->readAllStandardError());
        QVERIFY2(scan->exitCode() == 0 || err.contains(project), qPrintable(err));
    }
    QCOMPARE(test::projectIntegrity(project), QStringLiteral("ok"));
    const test::ChildRun again = cli({QStringLiteral("scan"), project});
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    QCOMPARE(test::projectInt(project, "SELECT count(*) FROM features"), 1600);
}

QTEST_GUILESS_MAIN(TestFaultInputs)
#include "tst_faultinputs.moc"
