// Bias slices on real projects: T8 (a brightness-linked class found from PNG files through the
// import and the scan), T9 (label proxies excluded), the stored results read back exactly,
// imported predictions, slice membership for the grid and the schema-5 upgrade.

#include "analysis/biasjson.h"
#include "analysis/biasstore.h"
#include "analysis/refresh.h"
#include "formats/importer.h"
#include "jobs/progress.h"
#include "scan/scanner.h"
#include "store/project.h"
#include "store/schema.h"
#include "store/sampleindex.h"
#include "synthslicegen.h"
#include "testdata.h"
#include "util/error.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <QDir>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace assay;
using namespace assay::analysis::bias;

namespace {

// A 32x32 grey PNG: `level` plus seeded noise of ±3, clipped (lossless, so the scan measures
// the brightness that was drawn).
const AttributeSummary *summaryOf(const SliceResults &results, const QString &name)
{
    for (const AttributeSummary &summary : results.attributeSummary) {
        if (results.attributes[size_t(summary.attribute)].name == name)
            return &summary;
    }
    return nullptr;
}

const SliceRecord *topReported(const SliceResults &results)
{
    for (const SliceRecord &record : results.slices) {
        if (record.status == SliceStatus::Reported)
            return &record;
    }
    return nullptr;
}

} // namespace

class TestBiasProject : public QObject
{
    Q_OBJECT
private slots:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }
    void pixelsEndToEnd_data();
    void pixelsEndToEnd(); // T8
    void folderLabelIsExcluded(); // T9
    void storedResultsReadBackExactly();
    void predictionsGiveErrorSlices();
    void upgradesSchema4();

private:
    QString path(const char *name) const { return m_dir->filePath(QString::fromLatin1(name)); }
    // Flat PNGs and labels.csv (path, label, source); returns the project after import, scan
    // and refresh.
    std::unique_ptr<store::Project> pixelProject(bool linked);
    std::unique_ptr<QTemporaryDir> m_dir;
};

std::unique_ptr<store::Project> TestBiasProject::pixelProject(bool linked)
{
    const QString data = path("pixels");
    QDir().mkpath(data);
    test::SplitMix64 random(linked ? 8 : 9);
    QString csv = QStringLiteral("path,label,source\n");
    const char *sources[] = {"web", "camera", "scan"};
    for (int i = 0; i < 600; ++i) {
        const double brightness = 255.0 * random.uniform();
        // "night" is 70% of the darkest fifth and 20% elsewhere (null: 30% everywhere).
        const double night = linked ? (brightness < 51.0 ? 0.7 : 0.2) : 0.3;
        const bool isNight = random.uniform() < night;
        const QString name = QStringLiteral("img_%1.png").arg(i, 3, 10, QLatin1Char('0'));
        test::writeFile(QDir(data).filePath(name), test::greyNoisePng(brightness, random));
        csv += QStringLiteral("%1,%2,%3\n")
                   .arg(name, isNight ? QStringLiteral("night") : QStringLiteral("day"),
                        QString::fromLatin1(sources[random.below(3)]));
    }
    test::writeFile(QDir(data).filePath(QStringLiteral("labels.csv")), csv.toUtf8());
    const QString project = path(linked ? "linked.assay" : "null.assay");
    jobs::Progress progress;
    formats::importDataset(QDir(data).filePath(QStringLiteral("labels.csv")), project, {},
                           progress);
    scan::ScanOptions options;
    options.threads = 2;
    const scan::ScanSummary summary = scan::scanProject(project, options, progress);
    auto opened = store::Project::open(project);
    analysis::refreshAfterScan(*opened, summary.computed > 0, progress);
    return opened;
}

void TestBiasProject::pixelsEndToEnd_data()
{
    QTest::addColumn<bool>("linked");
    QTest::newRow("brightness-linked class") << true;
    QTest::newRow("labels independent of brightness") << false;
}

void TestBiasProject::pixelsEndToEnd()
{
    QFETCH(bool, linked);
    auto project = pixelProject(linked);
    SliceResults results;
    QVERIFY(loadStoredSlices(project->db(), results)); // the scan's refresh searched
    QCOMPARE(results.labeled, std::int64_t(600));
    const SliceRecord *top = topReported(results);
    if (!linked) {
        QVERIFY2(!top, top ? qPrintable(top->text) : "");
        return;
    }
    QVERIFY(top);
    QCOMPARE(top->predicates.size(), size_t(1));
    const BinnedAttribute &attribute = results.attributes[size_t(top->predicates[0].attribute)];
    QCOMPARE(attribute.name, QStringLiteral("brightness"));
    QCOMPARE(top->predicates[0].value, 0); // the first quintile
    QCOMPARE(top->driverName, QStringLiteral("night"));
    QVERIFY(top->ratio > 1.5);
    // The attribute summary puts brightness first among the measured attributes' tests.
    const AttributeSummary *brightness = summaryOf(results, QStringLiteral("brightness"));
    QVERIFY(brightness);
    QCOMPARE(brightness->status, QStringLiteral("tested"));
    QVERIFY(brightness->q <= 0.05);
    // Clicking the slice: its samples are the darkest fifth.
    const std::vector<std::int64_t> ids =
        sliceSampleIds(project->db(), namedPredicates(results, top->predicates));
    QCOMPARE(std::int64_t(ids.size()), top->n);
    QCOMPARE(namedPredicates(results, top->predicates).front().value, attribute.values[0]);
}

void TestBiasProject::folderLabelIsExcluded()
{
    const QString data = path("folders");
    test::writeImages(data + QStringLiteral("/cat"), 60);
    test::writeImages(data + QStringLiteral("/dog"), 60);
    jobs::Progress progress;
    formats::importDataset(data, path("f.assay"), {}, progress);
    auto project = store::Project::open(path("f.assay"));
    const SliceResults results = refreshSlices(*project, {}, progress);
    const AttributeSummary *folder = summaryOf(results, QStringLiteral("folder"));
    QVERIFY(folder);
    QCOMPARE(folder->status, QStringLiteral("label_proxy"));
    for (const SliceRecord &record : results.slices) {
        for (const Predicate &predicate : record.predicates)
            QVERIFY(results.attributes[size_t(predicate.attribute)].name != u"folder");
    }

    // A manifest column that reproduces the label is a proxy by Cramér's V.
    const QString flat = path("flat");
    test::writeImages(flat, 120);
    QString csv = QStringLiteral("path,label,species,source\n");
    for (int i = 0; i < 120; ++i)
        csv += QStringLiteral("img_%1.png,%2,%3,%4\n")
                   .arg(i)
                   .arg(i % 2 ? QStringLiteral("cat") : QStringLiteral("dog"),
                        i % 2 ? QStringLiteral("feline") : QStringLiteral("canine"),
                        i % 3 ? QStringLiteral("web") : QStringLiteral("camera"));
    test::writeFile(flat + QStringLiteral("/labels.csv"), csv.toUtf8());
    formats::importDataset(flat + QStringLiteral("/labels.csv"), path("c.assay"), {}, progress);
    auto manifest = store::Project::open(path("c.assay"));
    const SliceResults byCsv = refreshSlices(*manifest, {}, progress);
    const AttributeSummary *species = summaryOf(byCsv, QStringLiteral("species"));
    QVERIFY(species);
    QCOMPARE(species->status, QStringLiteral("label_proxy"));
    QVERIFY(species->reason.contains(QStringLiteral("Cramér's V")));
    QCOMPARE(summaryOf(byCsv, QStringLiteral("source"))->status, QStringLiteral("tested"));
    for (const SliceRecord &record : byCsv.slices) {
        for (const Predicate &predicate : record.predicates)
            QVERIFY(byCsv.attributes[size_t(predicate.attribute)].name != u"species");
    }
}

void TestBiasProject::storedResultsReadBackExactly()
{
    auto project = pixelProject(true);
    jobs::Progress progress;
    SliceParameters parameters;
    parameters.maxLevel = 3;
    parameters.minSupport = 20;
    const SliceResults fresh = refreshSlices(*project, parameters, progress, 1);
    SliceResults stored;
    QVERIFY(loadStoredSlices(project->db(), stored));
    QCOMPARE(slicesCsv(stored).toUtf8(), slicesCsv(fresh).toUtf8());
    QCOMPARE(QJsonDocument(reportJson(stored)).toJson(), QJsonDocument(reportJson(fresh)).toJson());
    QCOMPARE(stored.parameters.maxLevel, 3);
    QCOMPARE(storedSliceParameters(project->db()).minSupport, 20);
    QCOMPARE(stored.attributeSummary.size(), fresh.attributeSummary.size());
    for (size_t i = 0; i < stored.attributeSummary.size(); ++i) {
        QCOMPARE(stored.attributeSummary[i].residuals, fresh.attributeSummary[i].residuals);
        QCOMPARE(stored.attributeSummary[i].counts, fresh.attributeSummary[i].counts);
    }
    QCOMPARE(storedReportedSlices(project->db()), fresh.reported());
    // The same search on two threads stores the same results.
    const SliceResults again = refreshSlices(*project, parameters, progress, 2);
    QCOMPARE(slicesCsv(again).toUtf8(), slicesCsv(fresh).toUtf8());
}

void TestBiasProject::predictionsGiveErrorSlices()
{
    auto project = pixelProject(false);
    // The model errs on 40% of "web" images and 5% of the others.
    const auto index = store::SampleIndex::load(project->db());
    test::SplitMix64 random(5);
    QString csv = QStringLiteral("path,predicted,score\n");
    SliceResults before;
    QVERIFY(loadStoredSlices(project->db(), before));
    const int source = [&] {
        for (size_t a = 0; a < before.attributes.size(); ++a)
            if (before.attributes[a].name == u"source")
                return int(a);
        return -1;
    }();
    QVERIFY(source >= 0);
    const std::vector<std::uint32_t> webRows =
        sliceRowsInIndex(*index, project->db(), {{QStringLiteral("source"), QStringLiteral("web")}});
    QVERIFY(webRows.size() > 100);
    for (size_t row = 0; row < index->size(); ++row) {
        const bool isWeb = std::binary_search(webRows.begin(), webRows.end(), std::uint32_t(row));
        const QString label = index->classes[index->classIndex[row]];
        const bool wrong = random.uniform() < (isWeb ? 0.4 : 0.05);
        const QString other = label == u"day" ? QStringLiteral("night") : QStringLiteral("day");
        csv += QStringLiteral("%1,%2,0.9\n").arg(index->displayPath(row), wrong ? other : label);
    }
    csv += QStringLiteral("not/there.png,day,0.5\n");
    test::writeFile(path("predictions.csv"), csv.toUtf8());
    const PredictionImport imported = importPredictions(*project, path("predictions.csv"));
    QCOMPARE(imported.rows, std::int64_t(601));
    QCOMPARE(imported.stored, std::int64_t(600));
    QCOMPARE(imported.unknownPaths, std::int64_t(1));
    QCOMPARE(imported.unknownExamples, QStringList{QStringLiteral("not/there.png")});
    jobs::Progress progress;
    const SliceResults results = refreshSlices(*project, {}, progress);
    QCOMPARE(results.predicted, std::int64_t(600));
    // Ranked by the Wilson lower bound, a smaller child of the slice may come first.
    const auto web = std::find_if(results.errorSlices.begin(), results.errorSlices.end(),
                                  [](const ErrorSliceRecord &r) {
                                      return r.text == QStringLiteral("source=web");
                                  });
    QVERIFY(web != results.errorSlices.end());
    QCOMPARE(web->status, SliceStatus::Reported);
    QVERIFY(web->err > 0.3);
    QVERIFY(web->errRest < 0.1);
    QVERIFY(web->q <= 0.05);
    QCOMPARE(storedReportedErrorSlices(project->db()), results.errorReported());
    // No row names a sample: refused, the stored predictions untouched.
    test::writeFile(path("bad.csv"), "path,predicted\nnowhere.png,day\n");
    QVERIFY_THROWS_EXCEPTION(Error, importPredictions(*project, path("bad.csv")));
    QCOMPARE(project->db().queryInt("SELECT count(*) FROM predictions"), 600);
}

void TestBiasProject::upgradesSchema4()
{
    const QString file = path("v4.assay");
    {
        store::OpenOptions options;
        options.create = true;
        options.migrations = {store::builtinMigrations().begin(),
                              store::builtinMigrations().begin() + 4};
        auto project = store::Project::open(file, options);
        QCOMPARE(project->schemaVersion(), 4);
        project->db().exec("INSERT INTO samples(path) VALUES('a.png')");
    }
    auto project = store::Project::open(file);
    QCOMPARE(project->schemaVersion(), store::currentSchemaVersion());
    QVERIFY(!project->backupPath().isEmpty());
    QCOMPARE(project->db().queryInt("SELECT count(*) FROM samples"), 1);
    project->db().exec("INSERT INTO predictions(sample_id, predicted) VALUES(1, 'cat')");
    QCOMPARE(project->db().queryInt("SELECT count(*) FROM slices"), 0);
    QCOMPARE(project->db().queryInt("SELECT count(*) FROM slice_attributes"), 0);
    SliceResults none;
    QVERIFY(!loadStoredSlices(project->db(), none));
    QCOMPARE(storedReportedSlices(project->db()), 0);
}

QTEST_GUILESS_MAIN(TestBiasProject)
#include "tst_biasproject.moc"
