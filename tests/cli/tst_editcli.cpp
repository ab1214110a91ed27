// assay-cli relabel, tag, exclude, undo, redo and history, and the changes report of export:
// output contracts and errors.

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

using namespace assay;

namespace {

using Run = test::CliRun;

Run cli(const QStringList &arguments, const QByteArray &input = {})
{
    return test::runCli(arguments, input, {{QStringLiteral("ASSAY_USER"), QStringLiteral("tester")}});
}

QJsonObject json(const QString &text)
{
    return test::jsonObject(text);
}

} // namespace

class TestEditCli : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void relabelUndoRedoAndHistory();
    void errorsNameTheProblem_data();
    void errorsNameTheProblem();
    void tagAndExcludeFromAList();
    void exportWritesTheChangesBeside();

private:
    QString path(const char *name) const { return m_dir->filePath(QString::fromLatin1(name)); }
    QString project() const { return path("p.assay"); }
    std::int64_t classCount(const QString &name);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestEditCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    test::writeImages(path("data/train/cat"), 3);
    test::writeImages(path("data/train/dog"), 2);
    QCOMPARE(cli({QStringLiteral("import"), path("data"), QStringLiteral("--project"), project()})
                 .exitCode,
             0);
}

std::int64_t TestEditCli::classCount(const QString &name)
{
    const Run info = cli({QStringLiteral("info"), project(), QStringLiteral("--json")});
    return json(info.out)[QStringLiteral("splits")]
        .toObject()[QStringLiteral("train")]
        .toObject()[name]
        .toInt();
}

void TestEditCli::relabelUndoRedoAndHistory()
{
    const Run relabel = cli({QStringLiteral("relabel"), project(), QStringLiteral("--class"),
                             QStringLiteral("dog"), QStringLiteral("--sample"),
                             QStringLiteral("train/cat/img_0.png"), QStringLiteral("--sample"),
                             path("data/train/cat/img_1.png"), QStringLiteral("--reason"),
                             QStringLiteral("they bark")});
    QCOMPARE(relabel.exitCode, 0);
    QVERIFY2(relabel.out.contains(QStringLiteral("Set the class of 2 samples to 'dog': 2 changed")),
             qPrintable(relabel.out));
    QCOMPARE(classCount(QStringLiteral("dog")), 4);

    const Run history = cli({QStringLiteral("history"), project(), QStringLiteral("--json")});
    QCOMPARE(history.exitCode, 0);
    const QJsonArray changes = json(history.out)[QStringLiteral("changes")].toArray();
    QCOMPARE(changes.size(), 2);
    const QJsonObject first = changes.first().toObject();
    for (const char *key : {"time", "user", "sample", "field", "old", "new", "batch", "action"})
        QVERIFY2(first.contains(QLatin1String(key)), key);
    QCOMPARE(first[QStringLiteral("user")].toString(), QStringLiteral("tester"));
    QCOMPARE(first[QStringLiteral("sample")].toString(), QStringLiteral("train/cat/img_0.png"));
    QCOMPARE(first[QStringLiteral("field")].toString(), QStringLiteral("class"));
    QCOMPARE(first[QStringLiteral("old")].toString(), QStringLiteral("cat"));
    QCOMPARE(first[QStringLiteral("new")].toString(), QStringLiteral("dog"));
    QCOMPARE(first[QStringLiteral("action")].toString(), QStringLiteral("do"));
    QCOMPARE(first[QStringLiteral("reason")].toString(), QStringLiteral("they bark"));

    const Run undo = cli({QStringLiteral("undo"), project()});
    QCOMPARE(undo.exitCode, 0);
    QVERIFY2(undo.out.contains(QStringLiteral("Undid")), qPrintable(undo.out));
    QCOMPARE(classCount(QStringLiteral("dog")), 2);
    QCOMPARE(cli({QStringLiteral("redo"), project()}).exitCode, 0);
    QCOMPARE(classCount(QStringLiteral("dog")), 4);
    const Run text = cli({QStringLiteral("history"), project()});
    QCOMPARE(text.exitCode, 0);
    QCOMPARE(text.out.count(u'\n'), 6); // do, undo, redo of two samples
    QVERIFY2(text.out.contains(QStringLiteral("train/cat/img_1.png  class: dog -> cat")),
             qPrintable(text.out));
    const Run ofOne = cli({QStringLiteral("history"), project(), QStringLiteral("--sample"),
                           QStringLiteral("train/cat/img_0.png"), QStringLiteral("--json")});
    QCOMPARE(json(ofOne.out)[QStringLiteral("changes")].toArray().size(), 3);
    // Nothing left to redo.
    const Run nothing = cli({QStringLiteral("redo"), project()});
    QCOMPARE(nothing.exitCode, 1);
    QVERIFY2(nothing.err.contains(QStringLiteral("nothing to redo")), qPrintable(nothing.err));
}

void TestEditCli::errorsNameTheProblem_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown class")
        << test::strings({"relabel", "P", "--class", "bird", "--sample", "train/cat/img_0.png"})
        << 1 << QStringLiteral("no class 'bird'; its classes: cat, dog");
    QTest::newRow("no class given")
        << test::strings({"relabel", "P", "--sample", "train/cat/img_0.png"}) << 1
        << QStringLiteral("--class NAME; the project's classes: cat, dog");
    QTest::newRow("unknown sample")
        << test::strings({"relabel", "P", "--class", "dog", "--sample", "train/cat/img_0.png",
                          "--sample", "train/cat/nope.png"})
        << 1 << QStringLiteral("1 of the samples named is not in the project");
    QTest::newRow("no samples") << test::strings({"tag", "P", "--tag", "x"}) << 2
                                << QStringLiteral("--sample PATH or --samples-from LIST");
    QTest::newRow("no tag") << test::strings({"tag", "P", "--sample", "train/cat/img_0.png"})
                            << 1 << QStringLiteral("--tag NAME");
    QTest::newRow("missing list")
        << test::strings({"exclude", "P", "--samples-from", "/nonexistent/list.txt"}) << 1
        << QStringLiteral("/nonexistent/list.txt");
    QTest::newRow("nothing to undo") << test::strings({"undo", "P"}) << 1
                                     << QStringLiteral("nothing to undo");
    QTest::newRow("missing project")
        << test::strings({"history", "/nonexistent/p.assay"}) << 1
        << QStringLiteral("/nonexistent/p.assay does not exist");
}

void TestEditCli::errorsNameTheProblem()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    arguments.replaceInStrings(QStringLiteral("P"), project());
    const Run run = cli(arguments);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QVERIFY2(run.err.contains(u"nope.png") || !message.contains(u"samples named"),
             qPrintable(run.err));
    // Nothing was written.
    QCOMPARE(classCount(QStringLiteral("dog")), 2);
}

void TestEditCli::tagAndExcludeFromAList()
{
    test::writeFile(path("list.txt"), "train/cat/img_0.png\n\ntrain/dog/img_1.png\r\n");
    const Run tag = cli({QStringLiteral("tag"), project(), QStringLiteral("--tag"),
                         QStringLiteral("blurry"), QStringLiteral("--samples-from"), path("list.txt")});
    QCOMPARE(tag.exitCode, 0);
    QVERIFY2(tag.out.contains(QStringLiteral("2 changed")), qPrintable(tag.out));
    const Run fromStdin = cli({QStringLiteral("exclude"), project(), QStringLiteral("--samples-from"),
                               QStringLiteral("-")},
                              "train/dog/img_0.png\n");
    QCOMPARE(fromStdin.exitCode, 0);
    const Run again = cli({QStringLiteral("exclude"), project(), QStringLiteral("--sample"),
                           QStringLiteral("train/dog/img_0.png")});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.out.contains(QStringLiteral("Nothing changed")), qPrintable(again.out));
    const Run untag = cli({QStringLiteral("tag"), project(), QStringLiteral("--tag"),
                           QStringLiteral("blurry"), QStringLiteral("--remove"),
                           QStringLiteral("--sample"), QStringLiteral("train/cat/img_0.png")});
    QCOMPARE(untag.exitCode, 0);
    const QJsonArray changes =
        json(cli({QStringLiteral("history"), project(), QStringLiteral("--json")}).out)
            [QStringLiteral("changes")]
                .toArray();
    QCOMPARE(changes.size(), 4);
    QCOMPARE(changes[2].toObject()[QStringLiteral("field")].toString(), QStringLiteral("excluded"));
    QCOMPARE(changes[3].toObject()[QStringLiteral("old")].toString(), QStringLiteral("blurry"));
    QVERIFY(changes[3].toObject()[QStringLiteral("new")].isNull());
}

void TestEditCli::exportWritesTheChangesBeside()
{
    QCOMPARE(cli({QStringLiteral("relabel"), project(), QStringLiteral("--class"),
                  QStringLiteral("dog"), QStringLiteral("--sample"),
                  QStringLiteral("train/cat/img_2.png")})
                 .exitCode,
             0);
    QCOMPARE(cli({QStringLiteral("exclude"), project(), QStringLiteral("--sample"),
                  QStringLiteral("train/cat/img_0.png")})
                 .exitCode,
             0);
    const Run csv = cli({QStringLiteral("export"), project(), QStringLiteral("--format"),
                         QStringLiteral("csv"), QStringLiteral("--out"), path("out"),
                         QStringLiteral("--json")});
    QCOMPARE(csv.exitCode, 0);
    const QJsonObject report = json(csv.out);
    QCOMPARE(report[QStringLiteral("samples_excluded")].toInt(), 1);
    QVERIFY(report[QStringLiteral("excluded_left_out")].toBool());
    QCOMPARE(report[QStringLiteral("changes")].toString(), path("out.changes.json"));
    QFile changes(path("out.changes.json"));
    QVERIFY(changes.open(QIODevice::ReadOnly));
    QCOMPARE(json(QString::fromUtf8(changes.readAll()))[QStringLiteral("changes")].toArray().size(), 2);
    QVERIFY(!QFileInfo::exists(path("out/changes.json"))); // beside the dataset, not in it
    QFile labels(path("out/labels.csv"));
    QVERIFY(labels.open(QIODevice::ReadOnly));
    const QByteArray manifest = labels.readAll();
    QVERIFY(!manifest.contains("img_0.png,cat"));
    QVERIFY(manifest.contains("train/cat/img_2.png,dog"));
    // An explicit CSV file; none at all on request.
    QCOMPARE(cli({QStringLiteral("export"), project(), QStringLiteral("--format"),
                  QStringLiteral("csv"), QStringLiteral("--out"), path("out2"),
                  QStringLiteral("--changes"), path("changes.csv")})
                 .exitCode,
             0);
    QFile csvChanges(path("changes.csv"));
    QVERIFY(csvChanges.open(QIODevice::ReadOnly));
    QVERIFY(csvChanges.readAll().startsWith("time,user,action,batch"));
    QCOMPARE(cli({QStringLiteral("export"), project(), QStringLiteral("--format"),
                  QStringLiteral("csv"), QStringLiteral("--out"), path("out3"),
                  QStringLiteral("--no-changes")})
                 .exitCode,
             0);
    QVERIFY(!QFileInfo::exists(path("out3.changes.json")));
}

QTEST_GUILESS_MAIN(TestEditCli)
#include "tst_editcli.moc"
