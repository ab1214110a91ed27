// CSV manifests: parsing, column choice, attribute types, bad input.

#include "formats/csvparser.h"
#include "formats/datasetreader.h"
#include "jobs/progress.h"
#include "testdata.h"
#include "util/error.h"

#include <QTemporaryDir>
#include <QTest>

using namespace assay;
using namespace assay::formats;

class TestCsvReader : public QObject
{
    Q_OBJECT
private slots:
    void parserHandlesQuotesAndNewlines_data();
    void parserHandlesQuotesAndNewlines();
    void readsManifestWithTypedAttributes();
    void utf8PathsAndChosenColumns();
    void missingPathColumnNamesIt();
    void chosenColumnMissingNamesIt();
    void wrongFieldCountNamesLine();
    void unterminatedQuoteNamesLine();
    void escapingPathsRefusedAndListed();
    void duplicateRowsSkipped();
    void missingFilesAreMarked();
    void emptyFileIsAnError();

private:
    ImportPlan read(const QByteArray &csv, ReadOptions options = {});
    QTemporaryDir m_dir;
};

ImportPlan TestCsvReader::read(const QByteArray &csv, ReadOptions options)
{
    const QString file = m_dir.filePath(QStringLiteral("data/manifest.csv"));
    test::writeFile(file, csv);
    jobs::Progress progress;
    return readCsvManifest(file, options, progress);
}

void TestCsvReader::parserHandlesQuotesAndNewlines_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("fields");
    QTest::newRow("plain") << QByteArray("a,b,c\n") << test::strings({"a", "b", "c"});
    QTest::newRow("comma in quotes") << QByteArray("\"a,b\",c") << test::strings({"a,b", "c"});
    QTest::newRow("doubled quotes") << QByteArray("\"say \"\"hi\"\"\",x\r\n")
                                    << test::strings({"say \"hi\"", "x"});
    QTest::newRow("newline in quotes") << QByteArray("\"two\nlines\",y")
                                       << test::strings({"two\nlines", "y"});
    QTest::newRow("empty fields") << QByteArray(",,\n") << test::strings({"", "", ""});
    QTest::newRow("bom and spaces") << QByteArray("\xEF\xBB\xBF a , b \n")
                                    << test::strings({"a", "b"});
    QTest::newRow("tab separated") << QByteArray("a\tb\tc,d\n")
                                   << test::strings({"a", "b", "c,d"});
    QTest::newRow("utf8") << QByteArray("caf\xC3\xA9.png,\xE7\x8C\xAB")
                          << QStringList{QStringLiteral("café.png"), QStringLiteral("猫")};
}

void TestCsvReader::parserHandlesQuotesAndNewlines()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, fields);
    CsvParser parser(std::string_view(input.constData(), size_t(input.size())),
                     QStringLiteral("t.csv"));
    std::vector<std::string_view> row;
    int line = 0;
    QVERIFY(parser.next(row, line));
    QCOMPARE(line, 1);
    QStringList got;
    for (auto field : row)
        got << QString::fromUtf8(field.data(), qsizetype(field.size()));
    QCOMPARE(got, fields);
    QVERIFY(!parser.next(row, line));
}

void TestCsvReader::readsManifestWithTypedAttributes()
{
    const ImportPlan plan = read("path,label,split,score,source,width\n"
                                 "img/a.png,cat,train,0.5,web,640\n"
                                 "img/b.png,dog,test,1e-3,camera,\n"
                                 "img/c.png,,train,-2,\"web, mirror\",480\n");
    QCOMPARE(plan.items.size(), size_t(3));
    QCOMPARE(plan.categories, (test::strings({"cat", "dog"})));
    QCOMPARE(plan.splits, (test::strings({"train", "test"})));
    QCOMPARE(plan.items[0].path, std::string("img/a.png"));
    QCOMPARE(plan.categories[plan.items[1].label], QStringLiteral("dog"));
    QCOMPARE(plan.items[2].label, -1); // empty label: unlabeled
    QCOMPARE(plan.splits[plan.items[1].split], QStringLiteral("test"));
    QCOMPARE(plan.attributes.size(), size_t(3));
    QCOMPARE(plan.attributes[0].name, QStringLiteral("score"));
    QCOMPARE(plan.attributes[0].type, AttributeType::Number);
    QCOMPARE(plan.attributes[0].numbers[1], 1e-3);
    QCOMPARE(plan.attributes[1].type, AttributeType::Text);
    QCOMPARE(plan.attributes[1].texts[2], std::string("web, mirror"));
    QCOMPARE(plan.attributes[2].type, AttributeType::Number);
    QVERIFY(std::isnan(plan.attributes[2].numbers[1])); // empty cell: missing
    QVERIFY(plan.labelSource.contains(QStringLiteral("label")));
}

void TestCsvReader::utf8PathsAndChosenColumns()
{
    ReadOptions options;
    options.pathColumn = QStringLiteral("Bild");
    options.labelColumn = QStringLiteral("Klasse");
    const ImportPlan plan = read("Bild,Klasse\n"
                                 "\"chats/café 1.png\",Katze\n"
                                 "chats/猫.png,Katze\n",
                                 options);
    QCOMPARE(plan.items.size(), size_t(2));
    QCOMPARE(QString::fromStdString(plan.items[0].path), QStringLiteral("chats/café 1.png"));
    QCOMPARE(QString::fromStdString(plan.items[1].path), QStringLiteral("chats/猫.png"));
    QCOMPARE(plan.categories, QStringList{QStringLiteral("Katze")});
}

void TestCsvReader::missingPathColumnNamesIt()
{
    try {
        read("name,label\na.png,cat\n");
        QFAIL("no error");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QStringLiteral("no path column")),
                 qPrintable(error.message()));
        QVERIFY(error.message().contains(QStringLiteral("manifest.csv")));
        QVERIFY(error.message().contains(QStringLiteral("--path-column")));
    }
}

void TestCsvReader::chosenColumnMissingNamesIt()
{
    ReadOptions options;
    options.pathColumn = QStringLiteral("image_uri");
    try {
        read("path,label\na.png,cat\n", options);
        QFAIL("no error");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QStringLiteral("'image_uri'")),
                 qPrintable(error.message()));
    }
}

void TestCsvReader::wrongFieldCountNamesLine()
{
    try {
        read("path,label\na.png,cat\n\"b\nc.png\",dog\nd.png\n");
        QFAIL("no error");
    } catch (const Error &error) {
        QVERIFY2(error.message().startsWith(QStringLiteral("manifest.csv:5:")),
                 qPrintable(error.message()));
        QVERIFY(error.message().contains(QStringLiteral("expected 2 fields, found 1")));
    }
}

void TestCsvReader::unterminatedQuoteNamesLine()
{
    try {
        read("path,label\na.png,cat\n\"b.png,dog\n");
        QFAIL("no error");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QStringLiteral("manifest.csv:3: unterminated")),
                 qPrintable(error.message()));
    }
}

void TestCsvReader::escapingPathsRefusedAndListed()
{
    const QString outside = QDir::cleanPath(m_dir.filePath(QStringLiteral("elsewhere/x.png")));
    const QString insideAbsolute = m_dir.filePath(QStringLiteral("data/ok/abs.png"));
    const QByteArray csv = "path\n"
                           "ok/a.png\n"
                           "../x.png\n"
                           "ok/../../y.png\n"
                           + outside.toUtf8() + "\n" + insideAbsolute.toUtf8() + "\n"
                           "./ok/b.png\n";
    const ImportPlan plan = read(csv);
    QCOMPARE(plan.items.size(), size_t(3));
    QCOMPARE(plan.items[1].path, std::string("ok/abs.png"));
    QCOMPARE(plan.items[2].path, std::string("ok/b.png"));
    QCOMPARE(plan.refused.size(), size_t(3));
    QCOMPARE(plan.refused[0].path, QStringLiteral("../x.png"));
    QVERIFY(plan.refused[0].reason.contains(QStringLiteral("line 3")));
    QVERIFY(plan.refused[0].reason.contains(QStringLiteral("escapes the dataset root")));
    QCOMPARE(plan.refused[2].path, outside);
}

void TestCsvReader::duplicateRowsSkipped()
{
    const ImportPlan plan = read("path,label\na.png,cat\nb.png,dog\na.png,dog\n");
    QCOMPARE(plan.items.size(), size_t(2));
    QCOMPARE(plan.skipped.size(), size_t(1));
    QVERIFY(plan.skipped[0].reason.contains(QStringLiteral("first on line 2")));
}

void TestCsvReader::missingFilesAreMarked()
{
    test::writeFile(m_dir.filePath(QStringLiteral("data/here.png")), test::tinyPng());
    const ImportPlan plan = read("path\nhere.png\ngone.png\n");
    QCOMPARE(plan.items.size(), size_t(2));
    QVERIFY(plan.items[0].exists);
    QCOMPARE(plan.items[0].size, test::tinyPng().size());
    QVERIFY(!plan.items[1].exists);
}

void TestCsvReader::emptyFileIsAnError()
{
    QVERIFY_THROWS_EXCEPTION(Error, read(""));
    QVERIFY_THROWS_EXCEPTION(Error, read("path,label\n"));
}

QTEST_GUILESS_MAIN(TestCsvReader)
#include "tst_csvreader.moc"
