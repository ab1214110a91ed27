// Duplicates on a project: the scan stores signatures and refreshes the clusters, re-clustering
// from the stored pairs, the filter queries, a canceled scan, and the upgrade from schema 4.

#include "analysis/duplicatestore.h"
#include "analysis/refresh.h"
#include "formats/importer.h"
#include "jobs/progress.h"
#include "scan/scanner.h"
#include "store/project.h"
#include "testdata.h"
#include "util/error.h"

#include <QDir>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace assay;
using namespace assay::analysis;

namespace {

QByteArray encoded(const cv::Mat &image, const char *extension)
{
    std::vector<uchar> bytes;
    cv::imencode(extension, image, bytes, {cv::IMWRITE_JPEG_QUALITY, 92});
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size()));
}

cv::Mat photo(std::uint32_t seed)
{
    cv::Mat image(150, 200, CV_8UC3);
    cv::RNG rng(seed);
    rng.fill(image, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(255));
    cv::GaussianBlur(image, image, cv::Size(0, 0), 12);
    cv::normalize(image, image, 0, 255, cv::NORM_MINMAX);
    return image;
}

} // namespace

class TestDuplicateStore : public QObject
{
    Q_OBJECT
private slots:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }
    void scanFindsDuplicatesAndLeaks();
    void reclusterFromStoredPairs();
    void canceledScanLeavesDuplicates();
    void upgradeDropsUncalibratedResults();

private:
    QString path(const char *name) const { return m_dir->filePath(QString::fromLatin1(name)); }
    // train/a: 6 distinct photos; test/a: a re-encoded copy of photo 0 and a brighter copy of
    // photo 1; test/b: a byte copy of photo 2 (another label).
    QString buildProject();
    std::unique_ptr<QTemporaryDir> m_dir;
};

QString TestDuplicateStore::buildProject()
{
    const QString data = path("data");
    for (std::uint32_t i = 0; i < 6; ++i)
        test::writeFile(data + QStringLiteral("/train/a/p%1.jpg").arg(i), encoded(photo(i), ".jpg"));
    std::vector<uchar> bytes;
    cv::imencode(".jpg", photo(0), bytes, {cv::IMWRITE_JPEG_QUALITY, 70});
    test::writeFile(data + QStringLiteral("/test/a/copy0.jpg"),
                    QByteArray(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size())));
    test::writeFile(data + QStringLiteral("/test/a/bright1.png"),
                    encoded(cv::Mat(photo(1) + cv::Scalar::all(25)), ".png"));
    test::writeFile(data + QStringLiteral("/test/b/bytes2.jpg"), encoded(photo(2), ".jpg"));
    const QString project = path("p.assay");
    jobs::Progress progress;
    formats::importDataset(data, project, {}, progress);
    scan::scanProject(project, {}, progress);
    auto opened = store::Project::open(project);
    refreshAfterScan(*opened, true, progress);
    return project;
}

void TestDuplicateStore::scanFindsDuplicatesAndLeaks()
{
    auto project = store::Project::open(buildProject());
    store::Database &db = project->db();
    QCOMPARE(db.queryInt("SELECT count(*) FROM signatures WHERE length(thumb) = 256"), 9);
    QVERIFY(duplicatesComputed(*project));
    QCOMPARE(db.queryInt("SELECT count(DISTINCT cluster) FROM duplicate_members"), 3);
    QCOMPARE(db.queryInt("SELECT count(*) FROM duplicate_members"), 6);
    // Every cluster spans train and test; the byte copy disagrees on its label.
    QCOMPARE(duplicateSampleIds(db, DuplicateMembership::InCluster).size(), size_t(6));
    QCOMPARE(duplicateSampleIds(db, DuplicateMembership::Leaks).size(), size_t(6));
    QCOMPARE(duplicateSampleIds(db, DuplicateMembership::LabelConflict).size(), size_t(2));
    // The leakage issues name the test copies; the representatives are the training images.
    QCOMPARE(db.queryInt("SELECT count(*) FROM issues i JOIN samples s ON s.id = i.sample_id "
                         "WHERE i.kind = 'leakage' AND s.path LIKE 'test/%'"),
             3);
    QCOMPARE(db.queryInt("SELECT count(*) FROM duplicate_members d JOIN samples s ON "
                         "s.id = d.sample_id WHERE d.flags & 8 AND s.path LIKE 'train/%'"),
             3);
    const QJsonObject json = duplicatesJson(db);
    QCOMPARE(json[QStringLiteral("leakage")].toArray().size(), 3);
    QCOMPARE(json[QStringLiteral("label_conflicts")].toArray().size(), 1);
    QCOMPARE(json[QStringLiteral("duplicates")].toObject()[QStringLiteral("exact")].toArray().size(),
             1);

    // A rescan that measures nothing leaves them as they are.
    const QString computedAt = project->meta(QStringLiteral("duplicates"));
    jobs::Progress progress;
    refreshAfterScan(*project, false, progress);
    QCOMPARE(project->meta(QStringLiteral("duplicates")), computedAt);
}

void TestDuplicateStore::reclusterFromStoredPairs()
{
    auto project = store::Project::open(buildProject());
    store::Database &db = project->db();
    const DuplicateGraph graph = loadDuplicateGraph(*project);
    QCOMPARE(graph.options.maxDistance, 16); // photos: searched to 16 bits
    QCOMPARE(graph.options.threshold, DuplicateOptions().threshold);
    QVERIFY(!graph.edges.empty());
    // At 0 bits only the byte copy and edits that kept the pHash remain.
    const DuplicateFindings none = reclusterDuplicates(*project, 0);
    QCOMPARE(std::int64_t(none.clusters.size()),
             db.queryInt("SELECT count(DISTINCT cluster) FROM duplicate_members"));
    QVERIFY(none.clusters.size() >= 1);
    QCOMPARE(storedDuplicateOptions(*project).threshold, 0);
    reclusterDuplicates(*project, 14);
    QCOMPARE(db.queryInt("SELECT count(DISTINCT cluster) FROM duplicate_members"), 3);
    QVERIFY_THROWS_EXCEPTION(Error, reclusterDuplicates(*project, 17));
    QVERIFY_THROWS_EXCEPTION(Error, reclusterDuplicates(*project, -1));
}

void TestDuplicateStore::canceledScanLeavesDuplicates()
{
    auto project = store::Project::open(buildProject());
    project->db().exec("DELETE FROM duplicate_members");
    jobs::Progress canceled;
    canceled.cancel();
    refreshAfterScan(*project, true, canceled); // must not throw jobs::Canceled
    QCOMPARE(project->db().queryInt("SELECT count(*) FROM duplicate_members"), 0);
}

void TestDuplicateStore::upgradeDropsUncalibratedResults()
{
    const QString file = path("v4.assay");
    {
        store::OpenOptions options;
        options.create = true;
        options.migrations = store::builtinMigrations();
        options.migrations.resize(4);
        auto project = store::Project::open(file, options);
        QCOMPARE(project->schemaVersion(), 4);
        store::Database &db = project->db();
        db.exec("INSERT INTO samples(id, path) VALUES(1, 'a.png'), (2, 'b.png')");
        db.exec("INSERT INTO duplicate_members VALUES(1, 0, 1, 0, 8), (2, 0, 1, 3, 0)");
        db.exec("INSERT INTO near_pairs VALUES(1, 2, 3)");
        db.exec("INSERT INTO issues(sample_id, kind, severity) VALUES(1, 'duplicate', 1), "
                "(1, 'blurry', 1)");
        project->setMeta(QStringLiteral("duplicates"), QStringLiteral("{\"threshold\":6}"));
    }
    auto project = store::Project::open(file);
    QCOMPARE(project->schemaVersion(), store::currentSchemaVersion());
    store::Database &db = project->db();
    QCOMPARE(db.queryInt("SELECT count(*) FROM duplicate_members"), 0);
    QCOMPARE(db.queryInt("SELECT count(*) FROM near_pairs"), 0);
    QCOMPARE(db.queryInt("SELECT count(*) FROM issues"), 1); // blurry stays
    QVERIFY(project->meta(QStringLiteral("duplicates")).isEmpty());
    QCOMPARE(db.queryInt("SELECT count(*) FROM signatures"), 0);
    QCOMPARE(db.queryInt("SELECT count(*) FROM duplicate_pairs"), 0);
    QVERIFY(!duplicatesComputed(*project));
    QVERIFY_THROWS_EXCEPTION(Error, loadDuplicateGraph(*project));
}

QTEST_GUILESS_MAIN(TestDuplicateStore)
#include "tst_duplicatestore.moc"
