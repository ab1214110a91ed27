// Accuracy of the duplicate analysis on planted copies (tests/common/plantedset.h), end to end:
// each planted set is imported and scanned as assay-cli does, the scan's duplicate refresh is
// timed and its clusters scored, and findimagedupes (the peer) runs on the same files.
//   1. Fashion-MNIST: 500 originals with one copy of each kind, 9,500 distractors (14,000 files);
//   2. the opencv-doc photos: every photo an original with 3 copies of each kind (~2,200 files).
// --sweep also prints the grid of thresholds and confirmation limits the defaults were chosen
// from. Recall: copies in their original's cluster; "mirrored" is the share of mirrored copies
// wrongly joined. Precision: pairs inside clusters that were planted or look alike
// (plantedset.h states the rule), over all pairs inside clusters.
//
// Usage: bench_dupaccuracy [WORKDIR] [--sweep] [--no-peer] [--show DIR]
//                          [--only demo|fashion|photos|generated]
// (--only generated: the 100,000-image timing, left out of the default run)

#include "plantedset.h"
#include "testdata.h"

#include "analysis/duplicateedges.h"
#include "analysis/duplicatestore.h"
#include "formats/idxfile.h"
#include "formats/importer.h"
#include "jobs/progress.h"
#include "scan/scanner.h"
#include "store/project.h"
#include "util/datasetpath.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <map>
#include <random>

using namespace assay;
using namespace assay::analysis;

namespace {

// The duplicate refresh three times: the best wall time, and the last run's statistics.
double bestRefresh(store::Project &project, jobs::Progress &progress, EdgeSearchStats &stats,
                   DuplicateFindings &findings)
{
    double best = 1e9;
    QElapsedTimer timer;
    for (int run = 0; run < 3; ++run) {
        timer.start();
        stats = {};
        findings = refreshDuplicates(project, {}, progress, &stats);
        best = std::min(best, double(timer.elapsed()) / 1000);
    }
    return best;
}

void printHeader()
{
    std::printf("  %-34s    bytes  JPEG 70  bright.  shift 1   resize     crop conflict mirrored"
                "  precision  false  clusters largest\n", "");
}

void printRow(const char *name, const test::PlantedScore &score)
{
    std::printf("  %-34s", name);
    for (const test::Plant plant : test::copyKinds())
        std::printf(" %8.3f", score.kinds.count(plant) ? score.kinds.at(plant).recall() : 0.0);
    std::printf("  %9.4f %6lld %9d %7d\n", score.precision(),
                static_cast<long long>(score.falsePairs), score.clusters, score.largestCluster);
    std::fflush(stdout);
}

std::vector<QStringList> clusterPaths(const DuplicateInputs &inputs,
                                      const DuplicateFindings &findings)
{
    std::vector<QStringList> clusters;
    for (const DuplicateCluster &cluster : findings.clusters) {
        QStringList paths;
        for (const size_t m : cluster.members)
            paths << inputs.samples[m].path;
        clusters.push_back(paths);
    }
    return clusters;
}

std::vector<QStringList> storedClusters(store::Database &db)
{
    std::map<std::int64_t, QStringList> byCluster;
    store::Statement rows(db, "SELECT d.cluster, s.path, s.member FROM duplicate_members d "
                              "JOIN samples s ON s.id = d.sample_id");
    while (rows.step())
        byCluster[rows.int64(0)] << datasetpath::display(rows.text(1), rows.int64(2));
    std::vector<QStringList> clusters;
    for (auto &[id, paths] : byCluster)
        clusters.push_back(paths);
    return clusters;
}

// Thresholds and confirmation limits around the defaults, clustered in process.
void sweep(const test::PlantedSet &set, store::Project &project, bool photos)
{
    store::Database &db = project.db();
    const DuplicateInputs inputs = loadDuplicateInputs(db);
    const std::vector<double> limits = photos ? std::vector<double>{0.03, 0.04, 0.05, 0.06, 0.08}
                                              : std::vector<double>{4, 5, 6, 7, 8};
    for (const double limit : limits) {
        DuplicateOptions options;
        options.maxDistance = 16;
        options.smallMaxDistance = 8;
        (photos ? options.confirm.decorrelation : options.confirm.smallDifference) = limit;
        EdgeSearchStats stats;
        QElapsedTimer timer;
        timer.start();
        const std::vector<SampleEdge> edges = findDuplicateEdges(
            inputs, options,
            [&](const std::vector<bool> &needed) { return loadSignatures(db, inputs, needed); },
            nullptr, &stats);
        std::printf("  %s %.3f: %lld value pairs, %lld compared, %lld confirmed (%.2f s)\n",
                    photos ? "1 - r <=" : "difference <=", limit,
                    static_cast<long long>(stats.valuePairs),
                    static_cast<long long>(stats.compared),
                    static_cast<long long>(stats.confirmed), double(timer.elapsed()) / 1000);
        for (const int t : {2, 4, 6, 8, 10, 12, 14, 16}) {
            if (!photos && t > 8)
                break;
            options.threshold = t;
            const DuplicateFindings findings = clusterDuplicates(inputs, edges, options);
            const QByteArray name = QStringLiteral("T=%1, %2 %3")
                                        .arg(t)
                                        .arg(photos ? QStringLiteral("1-r<=")
                                                    : QStringLiteral("diff<="))
                                        .arg(limit)
                                        .toUtf8();
            printRow(name.constData(), test::scorePlantedClusters(set, clusterPaths(inputs, findings)));
        }
    }
}

// How far the registered signatures (alignedsignature.h) of planted copies are from their
// originals', registered from the stored 16x16 signature or from the full image, against the
// nearest different image whose content lies within the shift and scale limits.
void diagnoseAligned(const test::PlantedSet &set)
{
    const size_t n = set.files.size();
    std::vector<AlignedSignature> fromSignature(n), fromImage(n);
    for (size_t i = 0; i < n; ++i) {
        const cv::Mat grey =
            cv::imread((set.root + u'/' + set.files[i].path).toStdString(), cv::IMREAD_GRAYSCALE);
        cv::Mat signature;
        cv::resize(grey, signature, {signatureSide, signatureSide}, 0, 0, cv::INTER_AREA);
        fromSignature[i] = alignSignature(prepareSignature(signature.ptr<std::uint8_t>()));
        const cv::Mat packed = grey.clone();
        fromImage[i] = alignImage(packed.ptr<std::uint8_t>(), packed.cols, packed.rows);
    }
    auto percentiles = [](std::vector<double> v, std::initializer_list<double> at) {
        std::sort(v.begin(), v.end());
        QString text;
        for (const double q : at)
            text += QStringLiteral(" p%1 %2").arg(q * 100).arg(
                v.empty() ? -1.0 : v[std::min(v.size() - 1, size_t(q * double(v.size())))], 0, 'f',
                2);
        return text;
    };
    for (const auto *variant : {&fromSignature, &fromImage}) {
        const std::vector<AlignedSignature> &s = *variant;
        std::printf("  registered from %s:\n",
                    variant == &fromSignature ? "the 16x16 signature" : "the full image");
        for (const test::Plant plant :
             {test::Plant::Jpeg70, test::Plant::Shift1, test::Plant::Resize, test::Plant::Crop}) {
            std::vector<double> diffs, bits;
            int invalid = 0, implausible = 0;
            for (size_t i = 0; i < n; ++i) {
                const test::PlantedFile &file = set.files[i];
                if (file.plant != plant)
                    continue;
                const AlignedSignature &a = s[i], &b = s[size_t(file.source)];
                if (!a.valid || !b.valid) {
                    ++invalid;
                    continue;
                }
                AlignRule loose;
                loose.alignedDifference = 1e9;
                implausible += !confirmsAligned(a, b, loose);
                diffs.push_back(alignedDifference(a, b));
                bits.push_back(std::popcount(a.key ^ b.key));
            }
            std::printf("    %-14s difference%s; key bits%s; %d invalid, %d outside shift/scale\n",
                        test::plantName(plant), qPrintable(percentiles(diffs, {0.5, 0.9, 0.95})),
                        qPrintable(percentiles(bits, {0.5, 0.9, 0.95})), invalid, implausible);
        }
        std::vector<double> nearest;
        for (size_t i = 0; i < n; ++i) {
            if (set.files[i].plant != test::Plant::Original || !s[i].valid)
                continue;
            double best = 1e9;
            for (size_t j = 0; j < n; ++j) {
                const test::PlantedFile &other = set.files[j];
                if (j == i || size_t(other.source) == i || !s[j].valid)
                    continue;
                AlignRule loose;
                loose.alignedDifference = 1e9;
                if (confirmsAligned(s[i], s[j], loose))
                    best = std::min(best, alignedDifference(s[i], s[j]));
            }
            nearest.push_back(best);
        }
        std::printf("    nearest other image (per original):%s\n",
                    qPrintable(percentiles(nearest, {0.01, 0.02, 0.05, 0.1, 0.2})));
    }
}

void run(const QString &work, const test::PlantedSetOptions &options, const char *title,
         bool withSweep, bool peer, const QString &show)
{
    const QString root = work + QStringLiteral("/set");
    const QString projectPath = work + QStringLiteral("/set.assay");
    QDir(root).removeRecursively();
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(projectPath + QLatin1String(suffix));
    const test::PlantedSet set = test::writePlantedSet(root, options);
    std::printf("\n%s: %zu files\n", title, set.files.size());
    jobs::Progress progress;
    formats::importDataset(root, projectPath, {}, progress);
    QElapsedTimer timer;
    timer.start();
    scan::scanProject(projectPath, {}, progress);
    const double scanSeconds = double(timer.elapsed()) / 1000;
    auto project = store::Project::open(projectPath);
    timer.restart();
    EdgeSearchStats stats;
    refreshDuplicates(*project, {}, progress, &stats);
    const double refreshSeconds = double(timer.elapsed()) / 1000;
    std::printf("  scan %.2f s; duplicate refresh (defaults) %.3f s: %lld value pairs, %lld "
                "compared, %lld confirmed; registered: %lld value pairs, %lld compared, %lld "
                "more confirmed (%.3f s); windows: %lld indexed, %lld candidates, %lld more "
                "confirmed (%.3f s); resampled: %lld size pairs, %lld candidates, %lld fitted, "
                "%lld more confirmed%s (%.3f s)\n",
                scanSeconds, refreshSeconds, static_cast<long long>(stats.valuePairs),
                static_cast<long long>(stats.compared), static_cast<long long>(stats.confirmed),
                static_cast<long long>(stats.alignedValuePairs),
                static_cast<long long>(stats.alignedCompared),
                static_cast<long long>(stats.alignedConfirmed), stats.alignedSeconds,
                static_cast<long long>(stats.shifted.indexed),
                static_cast<long long>(stats.shifted.candidates),
                static_cast<long long>(stats.shifted.confirmed), stats.shifted.seconds,
                static_cast<long long>(stats.resized.sizePairs),
                static_cast<long long>(stats.resized.candidates),
                static_cast<long long>(stats.resized.fitted),
                static_cast<long long>(stats.resized.confirmed),
                stats.resized.limited ? ", limited" : "", stats.resized.seconds);
    printHeader();
    const test::PlantedScore assay = test::scorePlantedClusters(set, storedClusters(project->db()));
    printRow("Assay (defaults)", assay);
    if (qEnvironmentVariableIsSet("DIAGNOSE_ALIGNED"))
        diagnoseAligned(set);
    if (withSweep && options.source != test::PlantedSource::Photos) {
        // The registered search of small images (alignedsignature.h): key distance x limit.
        for (const int bits : {-1, 2, 4, 6, 8}) {
            for (const double limit : {3.0, 4.0, 5.0, 6.0}) {
                if (bits < 0 && limit > 3)
                    break;
                DuplicateOptions tried;
                tried.alignedMaxDistance = bits;
                tried.align.alignedDifference = limit;
                EdgeSearchStats triedStats;
                refreshDuplicates(*project, tried, progress, &triedStats);
                const QByteArray name = (bits < 0 ? QStringLiteral("registered search off")
                                                  : QStringLiteral("reg. key<=%1 diff<=%2 (%3 cmp)")
                                                        .arg(bits)
                                                        .arg(limit)
                                                        .arg(triedStats.alignedCompared))
                                            .toUtf8();
                printRow(name.constData(),
                         test::scorePlantedClusters(set, storedClusters(project->db())));
            }
        }
    }
    if (withSweep && options.source != test::PlantedSource::Photos) {
        // The resampled search of small images (smallresizes.h): blur x limit.
        for (const double sigma : {0.0, 0.6, 0.8, 1.0}) {
            for (const double limit : {2.5, 2.75, 3.0, 3.5}) {
                if (sigma == 0 && limit > 2.5)
                    break;
                DuplicateOptions tried;
                tried.resizeSearch = sigma > 0;
                tried.resize.blurSigma = sigma;
                tried.resize.maxDifference = limit;
                EdgeSearchStats triedStats;
                refreshDuplicates(*project, tried, progress, &triedStats);
                const QByteArray name = (sigma == 0 ? QStringLiteral("resampled search off")
                                                    : QStringLiteral("resampled blur %1 diff<=%2")
                                                          .arg(sigma)
                                                          .arg(limit))
                                            .toUtf8();
                printRow(name.constData(),
                         test::scorePlantedClusters(set, storedClusters(project->db())));
            }
        }
        refreshDuplicates(*project, {}, progress);
    }
    if (!show.isEmpty()) {
        const QString stem = show + u'/' + QString::fromLatin1(title).section(u' ', 0, 0);
        test::writePairSheet(set, assay.falseExamples, stem + QStringLiteral("-false.png"));
        test::writePairSheet(set, assay.lookAlikeExamples, stem + QStringLiteral("-alike.png"));
    }
    if (peer) {
        for (const char *threshold : {"90%", "95%"}) {
            double seconds = 0;
            const std::vector<QStringList> groups =
                test::runFindimagedupes(set, QString::fromLatin1(threshold), &seconds);
            if (groups.empty() && seconds == 0) {
                std::printf("  findimagedupes is not installed\n");
                break;
            }
            const QByteArray name =
                QStringLiteral("findimagedupes -t %1 (%2 s)")
                    .arg(QString::fromLatin1(threshold))
                    .arg(seconds, 0, 'f', 0)
                    .toUtf8();
            printRow(name.constData(), test::scorePlantedClusters(set, groups));
        }
    }
    if (withSweep)
        sweep(set, *project, options.source == test::PlantedSource::Photos);
}

// The Fashion-MNIST demo (70,000 images, nothing planted): the duplicate refresh timed on its
// own, and the clusters it finds checked with the look-alike rule (pairs with the
// representative), a sheet of them written for checking by eye.
void demo(const QString &work, const QString &show)
{
    const QString projectPath = work + QStringLiteral("/demo.assay");
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(projectPath + QLatin1String(suffix));
    jobs::Progress progress;
    formats::importDataset(QStringLiteral("/usr/share/datasets/fashion-mnist"), projectPath, {},
                           progress);
    QElapsedTimer timer;
    timer.start();
    scan::scanProject(projectPath, {}, progress);
    std::printf("\nFashion-MNIST demo, 70,000 images: scan %.2f s\n", double(timer.elapsed()) / 1000);
    auto project = store::Project::open(projectPath);
    EdgeSearchStats stats;
    DuplicateFindings findings;
    const double best = bestRefresh(*project, progress, stats, findings);
    std::printf("  duplicate refresh %.2f s (best of 3; last: search %.2f s, signatures %.2f s, "
                "confirming %.2f s, of which registered %.2f s): %lld value pairs, %lld compared, "
                "%lld confirmed; registered keys: %lld value pairs, %lld compared, %lld more "
                "confirmed; windows (%.2f s): %lld indexed, %lld candidates, %lld more "
                "confirmed; %zu clusters, largest %zu\n",
                best, stats.searchSeconds, stats.signatureSeconds, stats.confirmSeconds,
                stats.alignedSeconds, static_cast<long long>(stats.valuePairs),
                static_cast<long long>(stats.compared), static_cast<long long>(stats.confirmed),
                static_cast<long long>(stats.alignedValuePairs),
                static_cast<long long>(stats.alignedCompared),
                static_cast<long long>(stats.alignedConfirmed), stats.shifted.seconds,
                static_cast<long long>(stats.shifted.indexed),
                static_cast<long long>(stats.shifted.candidates),
                static_cast<long long>(stats.shifted.confirmed), findings.clusters.size(),
                findings.clusters.empty() ? size_t(0) : findings.clusters.front().members.size());
    {
        // The same without the registered, window and resampled searches of small images.
        DuplicateOptions off;
        off.alignedMaxDistance = -1;
        off.shiftSearch = false;
        off.resizeSearch = false;
        double bestOff = 1e9;
        for (int run = 0; run < 3; ++run) {
            timer.restart();
            refreshDuplicates(*project, off, progress);
            bestOff = std::min(bestOff, double(timer.elapsed()) / 1000);
        }
        std::printf("  without the registered, window and resampled searches: %.2f s (best of 3)\n",
                    bestOff);
        refreshDuplicates(*project, {}, progress);
    }
    timer.restart();
    const DuplicateGraph graph = loadDuplicateGraph(*project);
    const double loadSeconds = double(timer.elapsed()) / 1000;
    for (const int t : {2, 4, 6}) {
        DuplicateOptions options = graph.options;
        options.threshold = t;
        timer.restart();
        const DuplicateFindings again = clusterDuplicates(graph.inputs, graph.edges, options);
        std::printf("  re-cluster at T=%d: %.1f ms (graph loaded in %.2f s), %zu clusters\n", t,
                    double(timer.nsecsElapsed()) / 1e6, loadSeconds, again.clusters.size());
    }
    timer.restart();
    reclusterDuplicates(*project, graph.options.maxDistance);
    std::printf("  reclusterDuplicates (load, cluster, store): %.2f s\n",
                double(timer.elapsed()) / 1000);

    // Members against their representative, by the look-alike rule on the 28x28 pixels, for the
    // default and for other limits of the small-image rule.
    std::vector<std::pair<double, DuplicateFindings>> variants;
    for (const double limit : {3.0, 4.0, 5.0, 6.0}) {
        DuplicateOptions options;
        options.confirm.smallDifference = limit;
        store::Database &db = project->db();
        const std::vector<SampleEdge> edges = findDuplicateEdges(
            graph.inputs, options,
            [&](const std::vector<bool> &needed) { return loadSignatures(db, graph.inputs, needed); });
        variants.emplace_back(limit, clusterDuplicates(graph.inputs, edges, options));
    }
    const QString pngs = work + QStringLiteral("/demo-png");
    QDir().mkpath(pngs);
    const DuplicateInputs &inputs = graph.inputs;
    auto file = [&](size_t i) {
        return pngs + QStringLiteral("/%1.png").arg(inputs.samples[i].sampleId);
    };
    test::PlantedSet sheet;
    sheet.root = pngs;
    for (const auto &[limit, found] : variants) {
    std::vector<std::pair<QString, QString>> shown;
    std::int64_t pairs = 0, alike = 0;
    for (const DuplicateCluster &cluster : found.clusters) {
        for (size_t k = 1; k < cluster.members.size(); ++k) {
            for (const size_t m : {cluster.members[0], cluster.members[k]}) {
                if (QFile::exists(file(m)))
                    continue;
                const QString path = inputs.samples[m].path; // file#index
                const formats::IdxData idx = [&] {
                    static std::map<QString, formats::IdxData> cache;
                    const QString name = path.section(u'#', 0, 0);
                    auto cached = cache.find(name);
                    if (cached == cache.end())
                        cached = cache.emplace(name, formats::readIdxFile(
                                                        QStringLiteral("/usr/share/datasets/fashion-mnist/") + name)).first;
                    return cached->second;
                }();
                const cv::Mat image(28, 28, CV_8UC1,
                                    const_cast<uchar *>(idx.item(path.section(u'#', 1).toLongLong())));
                cv::imwrite(QFile::encodeName(file(m)).toStdString(), image);
            }
            ++pairs;
            const bool same = test::visualDifference(file(cluster.members[0]), file(cluster.members[k]))
                              <= test::visuallyIdenticalDifference;
            alike += same;
            if (shown.size() < 48 && (pairs % 7 == 0 || !same))
                shown.emplace_back(QFileInfo(file(cluster.members[0])).fileName(),
                                   QFileInfo(file(cluster.members[k])).fileName());
        }
    }
    std::printf("  difference <= %.0f: %zu clusters, %lld members with their representative, %lld "
                "look alike by the rule (%.3f)\n",
                limit, found.clusters.size(), static_cast<long long>(pairs), static_cast<long long>(alike),
                pairs ? double(alike) / double(pairs) : 1.0);
    if (!show.isEmpty())
        test::writePairSheet(sheet, shown, show + QStringLiteral("/demo-pairs-%1.png").arg(limit));
    }

}

// Timing on a generated set of `count` 96x72 JPEG crops (random place and scale) of the
// opencv-doc photos: photos by the confirmation rule, so pairs are searched up to 16 bits.
void generated(const QString &work, int count)
{
    const QString root = work + QStringLiteral("/generated");
    const QString projectPath = work + QStringLiteral("/generated.assay");
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(projectPath + QLatin1String(suffix));
    if (!QFile::exists(root + QStringLiteral("/done"))) {
        QDir(root).removeRecursively();
        std::vector<cv::Mat> photos;
        QDirIterator it(QStringLiteral("/usr/share/doc/opencv-doc/examples/data"),
                        {QStringLiteral("*.jpg"), QStringLiteral("*.png")}, QDir::Files);
        while (it.hasNext()) {
            cv::Mat image = cv::imread(QFile::encodeName(it.next()).toStdString(), cv::IMREAD_COLOR);
            if (!image.empty() && std::min(image.cols, image.rows) >= 256)
                photos.push_back(image);
        }
        std::mt19937 random(5);
        for (int i = 0; i < count; ++i) {
            const cv::Mat &photo = photos[random() % photos.size()];
            const double share = 0.2 + 0.4 * double(random() % 1000) / 1000;
            const int w = int(photo.cols * share), h = std::min(photo.rows, w * 3 / 4);
            const int x = int(random() % unsigned(photo.cols - w + 1));
            const int y = int(random() % unsigned(photo.rows - h + 1));
            cv::Mat crop;
            cv::resize(photo(cv::Rect(x, y, w, h)), crop, {96, 72}, 0, 0, cv::INTER_AREA);
            const QString dir = root + QStringLiteral("/c%1").arg(i % 10);
            QDir().mkpath(dir);
            cv::imwrite(QFile::encodeName(dir + QStringLiteral("/%1.jpg").arg(i)).toStdString(), crop,
                        {cv::IMWRITE_JPEG_QUALITY, 90});
        }
        test::writeFile(root + QStringLiteral("/done"), "");
    }
    jobs::Progress progress;
    formats::importDataset(root, projectPath, {}, progress);
    QElapsedTimer timer;
    timer.start();
    scan::scanProject(projectPath, {}, progress);
    std::printf("\nGenerated: %d 96x72 JPEG crops of the opencv-doc photos: scan %.2f s\n", count,
                double(timer.elapsed()) / 1000);
    auto project = store::Project::open(projectPath);
    EdgeSearchStats stats;
    DuplicateFindings findings;
    const double best = bestRefresh(*project, progress, stats, findings);
    std::printf("  duplicate refresh %.2f s (best of 3; last: search %.2f s up to %d bits%s, "
                "signatures %.2f s, confirming %.2f s): %lld value pairs, %lld compared, %lld "
                "confirmed; %zu clusters\n",
                best, stats.searchSeconds, stats.maxDistance, stats.limited ? " (limited)" : "",
                stats.signatureSeconds, stats.confirmSeconds,
                static_cast<long long>(stats.valuePairs), static_cast<long long>(stats.compared),
                static_cast<long long>(stats.confirmed), findings.clusters.size());
    timer.restart();
    const DuplicateGraph graph = loadDuplicateGraph(*project);
    const double loadSeconds = double(timer.elapsed()) / 1000;
    timer.restart();
    DuplicateOptions options = graph.options;
    options.threshold = 8;
    clusterDuplicates(graph.inputs, graph.edges, options);
    std::printf("  re-cluster at T=8: %.1f ms (graph of %zu edges loaded in %.2f s)\n",
                double(timer.nsecsElapsed()) / 1e6, graph.edges.size(), loadSeconds);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    QString work, show, only;
    bool withSweep = false, peer = true;
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == u"--sweep")
            withSweep = true;
        else if (args[i] == u"--no-peer")
            peer = false;
        else if (args[i] == u"--show" && i + 1 < args.size())
            show = args[++i];
        else if (args[i] == u"--only" && i + 1 < args.size())
            only = args[++i];
        else
            work = args[i];
    }
    QTemporaryDir temporary;
    if (work.isEmpty())
        work = temporary.path();
    std::printf("Duplicates on planted copies (seeded). Columns: recall per kind of copy (mirrored: "
                "share wrongly joined), precision of the pairs in clusters\n");
    if (only == u"generated")
        generated(work, 100000);
    if (only.isEmpty() || only == u"demo")
        demo(work, show);
    if (only.isEmpty() || only == u"fashion") {
        test::PlantedSetOptions fashion;
        fashion.originals = 500;
        fashion.distractors = 9500;
        run(work + QStringLiteral("/fashion"), fashion, "Fashion-MNIST (28x28)", withSweep, peer,
            show);
    }
    if (only.isEmpty() || only == u"photos") {
        test::PlantedSetOptions photos;
        photos.source = test::PlantedSource::Photos;
        photos.originals = 1000;
        photos.copiesPerKind = 3;
        run(work + QStringLiteral("/photos"), photos, "opencv-doc photos", withSweep, peer, show);
    }
    return 0;
}
