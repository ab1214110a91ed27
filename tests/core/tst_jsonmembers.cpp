// JsonMembers: members and windows of a top-level object read from a file with a small buffer
// (every refill and growth path), rewinding to a member, and errors with line and column.

#include "formats/jsonmembers.h"
#include "testdata.h"
#include "util/error.h"

#include <QTemporaryDir>
#include <QTest>

using namespace assay;
using namespace assay::formats;

class TestJsonMembers : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void windowsHoldWholeElements_data();
    void windowsHoldWholeElements();
    void keysAreUnescaped();
    void skippedValuesAndRewinding();
    void errorsNameLineAndColumn_data();
    void errorsNameLineAndColumn();

private:
    QString write(const QByteArray &json);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestJsonMembers::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestJsonMembers::write(const QByteArray &json)
{
    const QString path = m_dir->filePath(QStringLiteral("f.json"));
    test::writeFile(path, json);
    return path;
}

static QStringList windowsOf(JsonMembers &json)
{
    QStringList out;
    simdjson::padded_string_view window;
    while (json.nextWindow(window))
        out << QString::fromUtf8(window.data(), qsizetype(window.size()));
    return out;
}

void TestJsonMembers::windowsHoldWholeElements_data()
{
    QTest::addColumn<size_t>("windowBytes");
    QTest::addColumn<QStringList>("expected");
    // Strings hold brackets, escaped quotes and backslashes; an element (the long string) is
    // larger than the buffer.
    const QString longText = QString(QLatin1Char('x')).repeated(3000);
    QTest::newRow("one element a window")
        << size_t(4)
        << QStringList{QStringLiteral("[{\"a\": [1, 2, {\"b\": \"]}\\\"[\"}]}]"),
                       QStringLiteral("[\"q\\\\\"]"), QStringLiteral("[-1.5e3]"),
                       QStringLiteral("[[],\"%1\"]").arg(longText), QStringLiteral("[true]")};
    QTest::newRow("all in one window")
        << size_t(1 << 20)
        << QStringList{
               QStringLiteral(
                   "[{\"a\": [1, 2, {\"b\": \"]}\\\"[\"}]},\n  \"q\\\\\" , -1.5e3,[],\"%1\",true]")
                   .arg(longText)};
}

void TestJsonMembers::windowsHoldWholeElements()
{
    QFETCH(size_t, windowBytes);
    QFETCH(QStringList, expected);
    const QByteArray longText(3000, 'x');
    const QString path = write("  {\"info\": {\"x\": [1]}, \"list\" :\n [ {\"a\": [1, 2, {\"b\": "
                               "\"]}\\\"[\"}]},\n  \"q\\\\\" , -1.5e3,[],\"" +
                               longText + "\",true] , \"n\": 7, \"e\": []}\n");
    JsonMembers json(path, QStringLiteral("f.json"), windowBytes);
    std::string key;
    QVERIFY(json.nextMember(key));
    QCOMPARE(key, std::string("info"));
    QVERIFY(!json.valueIsArray());
    QCOMPARE(windowsOf(json), QStringList{QStringLiteral("{\"x\": [1]}")});
    QVERIFY(json.nextMember(key));
    QCOMPARE(key, std::string("list"));
    QVERIFY(json.valueIsArray());
    QCOMPARE(windowsOf(json), expected);
    QVERIFY(json.nextMember(key));
    QCOMPARE(key, std::string("n"));
    QCOMPARE(windowsOf(json), QStringList{QStringLiteral("7")});
    QVERIFY(json.nextMember(key));
    QCOMPARE(key, std::string("e"));
    QCOMPARE(windowsOf(json), QStringList());
    QVERIFY(!json.nextMember(key));
    QVERIFY(!json.nextMember(key));
}

void TestJsonMembers::keysAreUnescaped()
{
    JsonMembers json(write(R"({"im\u0061ges": 1, "a\"b": 2})"), QStringLiteral("f.json"));
    std::string key;
    QVERIFY(json.nextMember(key));
    QCOMPARE(key, std::string("images"));
    QVERIFY(json.nextMember(key));
    QCOMPARE(key, std::string("a\"b"));
    QVERIFY(!json.nextMember(key));
}

void TestJsonMembers::skippedValuesAndRewinding()
{
    QByteArray big = "[";
    for (int i = 0; i < 500; ++i)
        big +=
            (i ? "," : "") + QByteArray("{\"id\": ") + QByteArray::number(i) + ", \"s\": \"}]\"}";
    big += "]";
    const QString path = write("{\"annotations\": " + big + ",\n\"categories\": [1, 2]}");
    JsonMembers json(path, QStringLiteral("f.json"), 16);
    std::string key;
    QVERIFY(json.nextMember(key));
    QCOMPARE(key, std::string("annotations"));
    const JsonMembers::Mark mark = json.valueMark();
    QVERIFY(mark.isArray);
    json.skipValue();
    QVERIFY(json.nextMember(key));
    QCOMPARE(key, std::string("categories"));
    QCOMPARE(windowsOf(json), QStringList{QStringLiteral("[1, 2]")});
    QVERIFY(!json.nextMember(key));
    json.rewindTo(mark);
    const QStringList windows = windowsOf(json);
    QCOMPARE(windows.size(), 500);
    QCOMPARE(windows[499], QStringLiteral("[{\"id\": 499, \"s\": \"}]\"}]"));
    QVERIFY(!json.nextMember(key)); // the members after the rewound one are not read again
}

void TestJsonMembers::errorsNameLineAndColumn_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not an object") << QByteArray("\n  [1]") << QStringLiteral("f.json:2:3: ");
    QTest::newRow("empty") << QByteArray("  ") << QStringLiteral("f.json:1:3: ");
    QTest::newRow("no comma") << QByteArray("{\"a\": 1\n \"b\": 2}")
                              << QStringLiteral("f.json:2:2: ");
    QTest::newRow("no colon") << QByteArray("{\"a\" 1}") << QStringLiteral("f.json:1:6: ");
    QTest::newRow("truncated array")
        << QByteArray("{\"a\": [1,\n  2,\n  3") << QStringLiteral("f.json:3:4: ");
    QTest::newRow("truncated element")
        << QByteArray("{\"a\": [1,\n  {\"b\": [2") << QStringLiteral("f.json:2:3: ");
    QTest::newRow("unclosed string")
        << QByteArray("{\"a\": [\"b\n") << QStringLiteral("f.json:1:8: ");
    QTest::newRow("double comma") << QByteArray("{\"a\": [1,\n ,2]}")
                                  << QStringLiteral("f.json:2:2: ");
    QTest::newRow("trailing comma")
        << QByteArray("{\"a\": [1,\n 2, ]}") << QStringLiteral("f.json:2:5: ");
}

void TestJsonMembers::errorsNameLineAndColumn()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    JsonMembers members(write(json), QStringLiteral("f.json"), 4);
    try {
        std::string key;
        while (members.nextMember(key))
            windowsOf(members);
        QFAIL("no error");
    } catch (const Error &error) {
        QVERIFY2(error.message().startsWith(expected), qPrintable(error.message()));
    }
}

QTEST_GUILESS_MAIN(TestJsonMembers)
#include "tst_jsonmembers.moc"
