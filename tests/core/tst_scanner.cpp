// The scan: decode-once features, broken files flagged with reasons, incremental rescans,
// cancellation and resumption, quality issues and the report.

#include "analysis/quality.h"
#include "formats/importer.h"
#include "jobs/progress.h"
#include "report/scanreport.h"
#include "scan/scanner.h"
#include "store/featurestore.h"
#include "store/project.h"
#include "store/thumbnailcache.h"
#include "testdata.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <zlib.h>

#include <map>

using namespace assay;

namespace {

cv::Mat photo(int width, int height, int seed)
{
    cv::Mat image(height, width, CV_8UC3);
    cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
    cv::GaussianBlur(image, image, cv::Size(0, 0), 2.0);
    cv::circle(image, cv::Point(width / 2, height / 2), std::min(width, height) / 3,
               cv::Scalar(40 + seed % 200, 200, 90), -1);
    return image;
}

QByteArray encode(const cv::Mat &image, const char *extension)
{
    std::vector<uchar> bytes;
    cv::imencode(extension, image, bytes);
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size()));
}

QByteArray pngChunk(const char *type, const QByteArray &data)
{
    QByteArray chunk;
    const quint32 length = quint32(data.size());
    chunk.append(char(length >> 24)).append(char(length >> 16)).append(char(length >> 8))
        .append(char(length));
    const QByteArray body = QByteArray(type, 4) + data;
    chunk += body;
    const uLong crc = crc32(0, reinterpret_cast<const Bytef *>(body.constData()), uInt(body.size()));
    chunk.append(char(crc >> 24)).append(char(crc >> 16)).append(char(crc >> 8)).append(char(crc));
    return chunk;
}

// A well-formed PNG whose header claims 60000x60000 pixels (and holds almost no data).
QByteArray pngBomb()
{
    QByteArray ihdr;
    for (quint32 v : {60000u, 60000u})
        ihdr.append(char(v >> 24)).append(char(v >> 16)).append(char(v >> 8)).append(char(v));
    ihdr.append(char(8)).append(char(2)).append(char(0)).append(char(0)).append(char(0));
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr)
           + pngChunk("IDAT", QByteArray(16, '\0')) + pngChunk("IEND", {});
}

} // namespace

class TestScanner : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void measuresGoodImages();
    void flagsBrokenFilesWithReasons();
    void rescanIsIncremental();
    void extractorVersionBumpRecomputesAll();
    void canceledScanKeepsWorkAndResumes();
    void mnistMembersScanFromTheirContainer();
    void reportJsonHasTheContract();

private:
    scan::ScanSummary scan(int threads = 2, jobs::Progress *progress = nullptr)
    {
        jobs::Progress local;
        scan::ScanOptions options;
        options.threads = threads;
        return scan::scanProject(m_project, options, progress ? *progress : local);
    }
    void importData()
    {
        jobs::Progress progress;
        formats::importDataset(m_data, m_project, {}, progress);
    }
    std::map<QString, store::IssueRecord> issuesByPath(const QString &kind);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_data;
    QString m_project;
};

void TestScanner::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_data = m_dir->filePath(QStringLiteral("data"));
    m_project = m_dir->filePath(QStringLiteral("p.assay"));
}

std::map<QString, store::IssueRecord> TestScanner::issuesByPath(const QString &kind)
{
    auto project = store::Project::open(m_project);
    analysis::refreshQualityIssues(*project);
    std::map<QString, store::IssueRecord> found;
    for (const store::IssueRecord &record : store::loadIssues(project->db())) {
        if (record.issue.kind == kind)
            found[record.path] = record;
    }
    return found;
}

void TestScanner::measuresGoodImages()
{
    test::writeFile(m_data + QStringLiteral("/cat/a.jpg"), encode(photo(640, 480, 1), ".jpg"));
    test::writeFile(m_data + QStringLiteral("/cat/b.png"), encode(photo(300, 200, 2), ".png"));
    cv::Mat gray(100, 120, CV_8UC1, cv::Scalar(128));
    test::writeFile(m_data + QStringLiteral("/dog/c.png"), encode(gray, ".png"));
    importData();
    const scan::ScanSummary summary = scan();
    QCOMPARE(summary.samples, 3);
    QCOMPARE(summary.computed, 3);
    QCOMPARE(summary.problems, 0);

    auto project = store::Project::open(m_project);
    store::Statement query(project->db(), R"sql(
        SELECT s.path, f.real_type, f.width, f.height, f.channels, f.brightness, f.contrast,
               f.grayscale, f.phash, length(f.content_hash)
        FROM features f JOIN samples s ON s.id = f.sample_id ORDER BY s.path)sql");
    QVERIFY(query.step());
    QCOMPARE(query.text(0), QStringLiteral("cat/a.jpg"));
    QCOMPARE(query.text(1), QStringLiteral("jpeg"));
    QCOMPARE(query.int64(2), 640); // full size, although decoded at 1/4
    QCOMPARE(query.int64(3), 480);
    QCOMPARE(query.int64(4), 3);
    QCOMPARE(query.int64(7), 0);
    QVERIFY(query.int64(8) != 0);
    QCOMPARE(query.int64(9), 16);
    QVERIFY(query.step());
    QCOMPARE(query.text(1), QStringLiteral("png"));
    QCOMPARE(query.int64(2), 300);
    QVERIFY(query.step());
    QCOMPARE(query.text(0), QStringLiteral("dog/c.png"));
    QCOMPARE(query.int64(4), 1);
    QCOMPARE(query.real(5), 128.0); // a flat grey image: exact brightness, zero contrast
    QCOMPARE(query.real(6), 0.0);
    QCOMPARE(query.int64(7), 1);

    store::ThumbnailCache cache(store::ThumbnailCache::pathFor(project->path()),
                                store::ThumbnailCache::Mode::ReadOnly);
    const QByteArray thumb = cache.get(1);
    QVERIFY(thumb.startsWith("\xFF\xD8\xFF"));
    cv::Mat decoded = cv::imdecode(cv::Mat(1, int(thumb.size()), CV_8UC1,
                                           const_cast<char *>(thumb.constData())),
                                   cv::IMREAD_UNCHANGED);
    QCOMPARE(std::max(decoded.cols, decoded.rows), 160);
}

void TestScanner::flagsBrokenFilesWithReasons()
{
    const QByteArray jpeg = encode(photo(320, 240, 3), ".jpg");
    const QByteArray png = encode(photo(200, 150, 4), ".png");
    test::writeFile(m_data + QStringLiteral("/x/good.jpg"), jpeg);
    test::writeFile(m_data + QStringLiteral("/x/zero.jpg"), {});
    test::writeFile(m_data + QStringLiteral("/x/truncated.jpg"), jpeg.left(jpeg.size() / 2));
    test::writeFile(m_data + QStringLiteral("/x/truncated.png"), png.left(png.size() / 2));
    test::writeFile(m_data + QStringLiteral("/x/text.jpg"), "this is not a picture\n");
    test::writeFile(m_data + QStringLiteral("/x/garbage.png"),
                    QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(500, 'z'));
    test::writeFile(m_data + QStringLiteral("/x/bomb.png"), pngBomb());
    test::writeFile(m_data + QStringLiteral("/x/really_png.jpg"), png);
    test::writeFile(m_data + QStringLiteral("/x/anim.gif"), QByteArray("GIF89a\x10\x00\x10\x00", 10));
    importData();
    const scan::ScanSummary summary = scan();
    QCOMPARE(summary.samples, 9);
    QCOMPARE(summary.computed, 9);
    QCOMPARE(summary.problems, 7);

    auto zero = issuesByPath(analysis::issuekind::zeroByte);
    QVERIFY(zero.count(QStringLiteral("x/zero.jpg")));
    auto corrupt = issuesByPath(analysis::issuekind::corrupt);
    QCOMPARE(corrupt.size(), size_t(3));
    QVERIFY2(corrupt[QStringLiteral("x/truncated.jpg")].issue.detail.contains(
                 QStringLiteral("Premature end of JPEG file")),
             qPrintable(corrupt[QStringLiteral("x/truncated.jpg")].issue.detail));
    QVERIFY2(corrupt[QStringLiteral("x/truncated.png")].issue.detail.contains(
                 QStringLiteral("truncated PNG")),
             qPrintable(corrupt[QStringLiteral("x/truncated.png")].issue.detail));
    QVERIFY2(corrupt[QStringLiteral("x/garbage.png")].issue.detail.contains(QStringLiteral("PNG")),
             qPrintable(corrupt[QStringLiteral("x/garbage.png")].issue.detail));
    auto unsupported = issuesByPath(analysis::issuekind::unsupportedType);
    QCOMPARE(unsupported.size(), size_t(2));
    QVERIFY(unsupported.count(QStringLiteral("x/text.jpg")));
    QVERIFY(unsupported[QStringLiteral("x/anim.gif")].issue.detail.contains(QStringLiteral("GIF")));
    auto large = issuesByPath(analysis::issuekind::tooLarge);
    QCOMPARE(large.size(), size_t(1));
    QVERIFY2(large[QStringLiteral("x/bomb.png")].issue.detail.contains(QStringLiteral("60000")),
             qPrintable(large[QStringLiteral("x/bomb.png")].issue.detail));
    auto mismatch = issuesByPath(analysis::issuekind::extensionMismatch);
    QCOMPARE(mismatch.size(), size_t(1));
    QVERIFY(mismatch[QStringLiteral("x/really_png.jpg")].issue.detail.contains(QStringLiteral("png")));
}

void TestScanner::rescanIsIncremental()
{
    for (int i = 0; i < 20; ++i)
        test::writeFile(m_data + QStringLiteral("/c/%1.png").arg(i), encode(photo(64, 48, i), ".png"));
    importData();
    QCOMPARE(scan().computed, 20);
    const scan::ScanSummary again = scan();
    QCOMPARE(again.computed, 0);
    QCOMPARE(again.upToDate, 20);

    // Edit one file: exactly that sample is measured again.
    test::writeFile(m_data + QStringLiteral("/c/7.png"), encode(photo(64, 48, 99), ".png"));
    // Touch another without changing it: read and hashed, not decoded again.
    QFile touched(m_data + QStringLiteral("/c/3.png"));
    QVERIFY(touched.open(QIODevice::ReadWrite));
    QVERIFY(touched.setFileTime(QDateTime::currentDateTime().addSecs(-3600),
                                QFileDevice::FileModificationTime));
    touched.close();
    const scan::ScanSummary third = scan();
    QCOMPARE(third.computed, 1);
    QCOMPARE(third.unchangedContent, 1);
    QCOMPARE(third.upToDate, 18);
    QCOMPARE(scan().computed, 0);
}

void TestScanner::extractorVersionBumpRecomputesAll()
{
    for (int i = 0; i < 5; ++i)
        test::writeFile(m_data + QStringLiteral("/c/%1.png").arg(i), encode(photo(32, 32, i), ".png"));
    importData();
    scan();
    {
        auto project = store::Project::open(m_project);
        project->db().exec("UPDATE features SET extractor_version = 0 WHERE sample_id <= 3");
    }
    const scan::ScanSummary summary = scan();
    QCOMPARE(summary.computed, 3);
    QCOMPARE(summary.upToDate, 2);
}

void TestScanner::canceledScanKeepsWorkAndResumes()
{
    const QString folder = m_data;
    test::writeIdxImages(folder + QStringLiteral("/train-images-idx3-ubyte"), 20000, 28, 28);
    importData();
    jobs::Progress progress;
    scan::ScanOptions options;
    options.threads = 1;
    options.batchSize = 500;
    std::thread stopper([&progress] {
        while (progress.done() < 3000)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        progress.cancel();
    });
    const scan::ScanSummary first = scan::scanProject(m_project, options, progress);
    stopper.join();
    QVERIFY(first.canceled);
    QVERIFY(first.computed >= 3000);
    QVERIFY(first.computed < 20000);
    const std::int64_t kept = store::Project::open(m_project)->db().queryInt(
        "SELECT count(*) FROM features");
    QCOMPARE(kept, first.computed);
    const scan::ScanSummary second = scan();
    QCOMPARE(second.computed, 20000 - kept);
    QCOMPARE(second.upToDate, kept);
}

void TestScanner::mnistMembersScanFromTheirContainer()
{
    test::writeIdxImages(m_data + QStringLiteral("/train-images-idx3-ubyte.gz"), 50, 28, 28);
    test::writeIdxLabels(m_data + QStringLiteral("/train-labels-idx1-ubyte.gz"),
                         std::vector<std::uint8_t>(50, 3));
    importData();
    const scan::ScanSummary summary = scan();
    QCOMPARE(summary.computed, 50);
    QCOMPARE(summary.problems, 0);
    auto project = store::Project::open(m_project);
    QCOMPARE(project->db().queryText("SELECT DISTINCT real_type FROM features"),
             QStringLiteral("idx"));
    QCOMPARE(project->db().queryInt("SELECT count(DISTINCT content_hash) FROM features"), 50);
}

void TestScanner::reportJsonHasTheContract()
{
    test::writeFile(m_data + QStringLiteral("/train/cat/a.png"), encode(photo(64, 64, 1), ".png"));
    test::writeFile(m_data + QStringLiteral("/train/dog/b.png"), encode(photo(64, 64, 2), ".png"));
    test::writeFile(m_data + QStringLiteral("/test/dog/broken.jpg"), "nope");
    importData();
    scan();
    auto project = store::Project::open(m_project);
    analysis::refreshQualityIssues(*project);
    const QJsonObject json = report::projectReportJson(*project);
    QCOMPARE(json[QStringLiteral("samples")].toInt(), 3);
    const QJsonObject balance = json[QStringLiteral("balance")].toObject();
    QCOMPARE(balance[QStringLiteral("splits")].toObject()[QStringLiteral("train")]
                 .toObject()[QStringLiteral("cat")].toInt(),
             1);
    QVERIFY(balance.contains(QStringLiteral("imbalance_ratio")));
    QVERIFY(balance.contains(QStringLiteral("entropy")));
    const QJsonArray issues = json[QStringLiteral("issues")].toArray();
    QCOMPARE(issues.size(), 1);
    const QJsonObject issue = issues.first().toObject();
    QCOMPARE(issue[QStringLiteral("sample")].toString(), QStringLiteral("test/dog/broken.jpg"));
    QCOMPARE(issue[QStringLiteral("kind")].toString(), QStringLiteral("unsupported_type"));
    QVERIFY(!issue[QStringLiteral("detail")].toString().isEmpty());
}

QTEST_GUILESS_MAIN(TestScanner)
#include "tst_scanner.moc"
