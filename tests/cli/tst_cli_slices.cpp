// assay-cli and bias slices: report --json's "slices" and "attributes", the slices command and
// its stored parameters, import-predictions and error slices.

#include "clirun.h"
#include "testdata.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace assay;

namespace {

using Run = test::CliRun;

Run cli(const QStringList &arguments)
{
    return test::runCli(arguments);
}

QJsonObject json(const Run &run)
{
    return test::jsonObject(run.out);
}

} // namespace

class TestCliSlices : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void reportHasSlicesAfterScan();
    void slicesCommandStoresItsParameters();
    void predictionsGiveErrorSlices();
    void usageErrors();

private:
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    QString project() const { return path("p.assay"); }
    QTemporaryDir m_dir;
};

void TestCliSlices::initTestCase()
{
    // 300 images; "web" images (a third) are 80% cats, the others 30%.
    const QString data = path("data");
    test::writeImages(data, 300);
    QString csv = QStringLiteral("path,label,source\n");
    for (int i = 0; i < 300; ++i) {
        const bool web = i % 3 == 0;
        const bool cat = web ? (i % 15) < 12 : (i % 10) < 3;
        csv += QStringLiteral("img_%1.png,%2,%3\n")
                   .arg(i)
                   .arg(cat ? QStringLiteral("cat") : QStringLiteral("dog"),
                        web ? QStringLiteral("web") : QStringLiteral("camera"));
    }
    test::writeFile(data + QStringLiteral("/labels.csv"), csv.toUtf8());
    const Run import = cli({QStringLiteral("import"), data + QStringLiteral("/labels.csv"),
                            QStringLiteral("--project"), project()});
    QCOMPARE(import.exitCode, 0);
}

void TestCliSlices::reportHasSlicesAfterScan()
{
    // Before any search, report keeps its list of imported attributes and has no slices.
    const QJsonObject before = json(cli({QStringLiteral("report"), project(),
                                         QStringLiteral("--json")}));
    QVERIFY(!before.contains(QStringLiteral("slices")));
    // The gate cannot pass on slices never computed.
    const Run unchecked = cli({QStringLiteral("check"), project(), QStringLiteral("--fail-on"),
                               QStringLiteral("slices")});
    QCOMPARE(unchecked.exitCode, 1);
    QVERIFY2(unchecked.out.contains(QStringLiteral("not checked")), qPrintable(unchecked.out));
    QCOMPARE(before[QStringLiteral("attributes")].toArray().first().toString(),
             QStringLiteral("source"));

    const Run scan = cli({QStringLiteral("scan"), project()});
    QCOMPARE(scan.exitCode, 0);
    const Run report = cli({QStringLiteral("report"), project(), QStringLiteral("--json")});
    QCOMPARE(report.exitCode, 0);
    const QJsonObject root = json(report);
    const QJsonArray slices = root[QStringLiteral("slices")].toArray();
    QVERIFY2(!slices.isEmpty(), qPrintable(report.out.left(2000)));
    const QJsonObject top = slices.first().toObject();
    const QJsonArray predicates = top[QStringLiteral("predicates")].toArray();
    QCOMPARE(predicates.size(), 1);
    QCOMPARE(predicates[0].toObject()[QStringLiteral("attribute")].toString(),
             QStringLiteral("source"));
    QCOMPARE(predicates[0].toObject()[QStringLiteral("bin")].toString(), QStringLiteral("web"));
    QCOMPARE(top[QStringLiteral("class")].toString(), QStringLiteral("cat"));
    QCOMPARE(top[QStringLiteral("n")].toInt(), 100);
    QVERIFY(top[QStringLiteral("ratio")].toDouble() > 1.5);
    QCOMPARE(top[QStringLiteral("ratio_ci")].toArray().size(), 2);
    QVERIFY(top[QStringLiteral("v")].toDouble() >= 0.1);
    QVERIFY(top[QStringLiteral("q")].toDouble() <= 0.05);

    const QJsonArray attributes = root[QStringLiteral("attributes")].toArray();
    const QJsonObject first = attributes.first().toObject();
    QCOMPARE(first[QStringLiteral("attribute")].toString(), QStringLiteral("source"));
    QVERIFY(first.contains(QStringLiteral("v")));
    QVERIFY(first.contains(QStringLiteral("q")));
    bool brightness = false;
    for (const QJsonValue &attribute : attributes)
        brightness = brightness ||
                     attribute.toObject()[QStringLiteral("attribute")] == QStringLiteral("brightness");
    QVERIFY(brightness); // measured by the scan
    QCOMPARE(root[QStringLiteral("slice_parameters")].toObject()[QStringLiteral("min_support")]
                 .toInt(),
             30);

    const Run text = cli({QStringLiteral("report"), project()});
    QVERIFY2(text.out.contains(QStringLiteral("source=web")), qPrintable(text.out));

    // check --fail-on slices fails on the planted slice and names it; error-slices cannot be
    // checked without predictions.
    const Run gate = cli({QStringLiteral("check"), project(), QStringLiteral("--fail-on"),
                          QStringLiteral("slices,error-slices"), QStringLiteral("--json")});
    QCOMPARE(gate.exitCode, 1);
    const QJsonArray rules = json(gate)[QStringLiteral("rules")].toArray();
    QCOMPARE(rules.size(), 2);
    const QJsonObject sliceRule = rules[0].toObject();
    QCOMPARE(sliceRule[QStringLiteral("rule")].toString(), QStringLiteral("slices"));
    QVERIFY(sliceRule[QStringLiteral("checked")].toBool());
    int reported = 0; // report also lists the redundant children of reported slices
    for (const QJsonValue &slice : slices)
        reported += slice.toObject()[QStringLiteral("status")] == QStringLiteral("reported");
    QVERIFY(reported > 0);
    QCOMPARE(sliceRule[QStringLiteral("count")].toInt(), reported);
    QVERIFY(sliceRule[QStringLiteral("examples")].toArray().first().toString().startsWith(
        QStringLiteral("source=web: cat")));
    QVERIFY(!rules[1].toObject()[QStringLiteral("checked")].toBool());
    QVERIFY(rules[1].toObject()[QStringLiteral("note")].toString().contains(
        QStringLiteral("import-predictions")));
}

void TestCliSlices::slicesCommandStoresItsParameters()
{
    const Run run = cli({QStringLiteral("slices"), project(), QStringLiteral("--json"),
                         QStringLiteral("--min-support"), QStringLiteral("20"),
                         QStringLiteral("--bins"), QStringLiteral("4"),
                         QStringLiteral("--max-level"), QStringLiteral("1")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject parameters = json(run)[QStringLiteral("slice_parameters")].toObject();
    QCOMPARE(parameters[QStringLiteral("min_support")].toInt(), 20);
    QCOMPARE(parameters[QStringLiteral("bins")].toInt(), 4);
    QCOMPARE(parameters[QStringLiteral("max_level")].toInt(), 1);
    for (const QJsonValue &slice : json(run)[QStringLiteral("slices")].toArray())
        QCOMPARE(slice.toObject()[QStringLiteral("predicates")].toArray().size(), 1);
    // Kept in the project: report shows them, and a plain run reuses them.
    const QJsonObject report = json(cli({QStringLiteral("report"), project(),
                                         QStringLiteral("--json")}));
    QCOMPARE(report[QStringLiteral("slice_parameters")].toObject()[QStringLiteral("bins")].toInt(),
             4);
    const Run csv = cli({QStringLiteral("slices"), project(), QStringLiteral("--csv")});
    QCOMPARE(csv.exitCode, 0);
    QVERIFY(csv.out.startsWith(QStringLiteral("slice_id,predicates,level,n,share,class_counts,")));
    QVERIFY(!csv.out.contains(QStringLiteral("∧"))); // still one predicate per slice
    const Run again = cli({QStringLiteral("slices"), project(), QStringLiteral("--csv"),
                           QStringLiteral("--threads"), QStringLiteral("1")});
    QCOMPARE(again.out, csv.out);
    // Back to the defaults for the next test.
    QCOMPARE(cli({QStringLiteral("slices"), project(), QStringLiteral("--min-support"),
                  QStringLiteral("30"), QStringLiteral("--bins"), QStringLiteral("5"),
                  QStringLiteral("--max-level"), QStringLiteral("2")})
                 .exitCode,
             0);
}

void TestCliSlices::predictionsGiveErrorSlices()
{
    // Wrong on most "camera" images of even index, right elsewhere.
    QString csv = QStringLiteral("path,prediction,score\n");
    const QString data = path("data");
    for (int i = 0; i < 300; ++i) {
        const bool web = i % 3 == 0;
        const bool cat = web ? (i % 15) < 12 : (i % 10) < 3;
        const bool wrong = web ? i % 30 == 0 : i % 4 != 0;
        const QString label = cat ? QStringLiteral("cat") : QStringLiteral("dog");
        const QString other = cat ? QStringLiteral("dog") : QStringLiteral("cat");
        // Absolute paths inside the root are accepted too.
        const QString file = i % 2 ? QStringLiteral("img_%1.png").arg(i)
                                   : data + QStringLiteral("/img_%1.png").arg(i);
        csv += QStringLiteral("%1,%2,0.7\n").arg(file, wrong ? other : label);
    }
    test::writeFile(path("predictions.csv"), csv.toUtf8());
    const Run run = cli({QStringLiteral("import-predictions"), project(), path("predictions.csv")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QStringLiteral("Stored 300 predictions")), qPrintable(run.out));
    const QJsonObject report = json(cli({QStringLiteral("report"), project(),
                                         QStringLiteral("--json")}));
    const QJsonArray errors = report[QStringLiteral("error_slices")].toArray();
    QVERIFY(!errors.isEmpty());
    bool camera = false;
    for (const QJsonValue &slice : errors) {
        const QJsonArray predicates = slice.toObject()[QStringLiteral("predicates")].toArray();
        camera = camera || (predicates.size() == 1 &&
                            predicates[0].toObject()[QStringLiteral("bin")] ==
                                QStringLiteral("camera"));
    }
    QVERIFY(camera);
    QCOMPARE(report[QStringLiteral("slice_summary")].toObject()[QStringLiteral("predicted")]
                 .toInt(),
             300);
    const Run gate = cli({QStringLiteral("check"), project(), QStringLiteral("--fail-on"),
                          QStringLiteral("error-slices")});
    QCOMPARE(gate.exitCode, 1);
    QVERIFY2(gate.out.contains(QStringLiteral("FAIL error-slices")), qPrintable(gate.out));
    QVERIFY2(gate.out.contains(QStringLiteral("source=camera")), qPrintable(gate.out));

    test::writeFile(path("nowhere.csv"), "path,prediction\nmissing.png,cat\n");
    const Run bad = cli({QStringLiteral("import-predictions"), project(), path("nowhere.csv")});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains(QStringLiteral("names a sample")), qPrintable(bad.err));
}

void TestCliSlices::usageErrors()
{
    QCOMPARE(cli({QStringLiteral("slices")}).exitCode, 2);
    QCOMPARE(cli({QStringLiteral("slices"), project(), QStringLiteral("--bins"),
                  QStringLiteral("1")})
                 .exitCode,
             2);
    QCOMPARE(cli({QStringLiteral("import-predictions"), project()}).exitCode, 2);
    const Run help = cli({QStringLiteral("slices"), QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains(QStringLiteral("--min-support")));
    QVERIFY(cli({QStringLiteral("--help")}).out.contains(QStringLiteral("import-predictions")));
}

QTEST_GUILESS_MAIN(TestCliSlices)
#include "tst_cli_slices.moc"
