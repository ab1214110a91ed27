// Scan benchmark (issue: scan engine). Prints images/s end to end (features and thumbnails
// stored) for:
//   1. the 70,000 Fashion-MNIST images (28x28), on 1 and on all threads;
//   2. 640x480 JPEG photos cropped from the real photos in Debian's opencv-doc, 1 and all threads;
//   3. the peer, findimagedupes (fingerprinting, -n), on the same JPEGs and on the MNIST images
//      written as PNG files, with the ratio.
// Budgets: (1) >= 6,000 images/s, (2) >= 800 images/s, >= 20x the peer on both.
//
// Usage: bench_scan [WORKDIR] [--jpegs N] [--pngs N] [--peer N]

#include "formats/idxfile.h"
#include "formats/importer.h"
#include "jobs/progress.h"
#include "scan/scanner.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <opencv2/imgcodecs.hpp>

#include <cstdio>

using namespace assay;

namespace {

double scanSeconds(const QString &dataset, const QString &project, int threads,
                   std::int64_t &images)
{
    for (const char *suffix : {"", "-wal", "-shm", "-cache", "-cache-wal", "-cache-shm"})
        QFile::remove(project + QString::fromLatin1(suffix));
    jobs::Progress importProgress;
    formats::importDataset(dataset, project, {}, importProgress);
    jobs::Progress progress;
    scan::ScanOptions options;
    options.threads = threads;
    QElapsedTimer timer;
    timer.start();
    const scan::ScanSummary summary = scan::scanProject(project, options, progress);
    images = summary.computed;
    return double(timer.nsecsElapsed()) / 1e9;
}

void report(const char *what, const QString &dataset, const QString &project, int threads)
{
    std::int64_t images = 0;
    const double seconds = scanSeconds(dataset, project, threads, images);
    std::printf("%-34s %2d thread%s: %7lld images in %6.2f s = %8.0f images/s\n", what, threads,
                threads == 1 ? " " : "s", static_cast<long long>(images), seconds,
                double(images) / seconds);
    std::fflush(stdout);
}

// Crops 640x480 windows at seeded positions from every example photo at least that large.
int writeJpegCrops(const QString &folder, int count)
{
    std::vector<cv::Mat> sources;
    QDirIterator it(QStringLiteral("/usr/share/doc/opencv-doc/examples"),
                    {QStringLiteral("*.jpg"), QStringLiteral("*.png")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const cv::Mat image = cv::imread(QFile::encodeName(it.next()).toStdString(),
                                         cv::IMREAD_COLOR);
        if (!image.empty() && image.cols >= 640 && image.rows >= 480)
            sources.push_back(image);
    }
    if (sources.empty())
        return 0;
    QDir().mkpath(folder + QStringLiteral("/photos"));
    std::uint32_t state = 7;
    for (int i = 0; i < count; ++i) {
        const cv::Mat &source = sources[size_t(i) % sources.size()];
        state = state * 1664525u + 1013904223u;
        const int x = int(state % unsigned(source.cols - 640 + 1));
        state = state * 1664525u + 1013904223u;
        const int y = int(state % unsigned(source.rows - 480 + 1));
        const QString file = QStringLiteral("%1/photos/crop_%2.jpg").arg(folder).arg(i, 5, 10, QChar(u'0'));
        cv::imwrite(QFile::encodeName(file).toStdString(), source(cv::Rect(x, y, 640, 480)),
                    {cv::IMWRITE_JPEG_QUALITY, 90});
    }
    std::printf("(%d JPEG crops of 640x480 from %zu opencv-doc photos)\n", count, sources.size());
    return count;
}

void writeMnistPngs(const QString &folder, int count)
{
    const formats::IdxData idx = formats::readIdxFile(
        QStringLiteral("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"));
    QDir().mkpath(folder + QStringLiteral("/mnist"));
    for (int i = 0; i < count && i < idx.count; ++i) {
        const cv::Mat image(idx.rows, idx.columns, CV_8UC1, const_cast<uchar *>(idx.item(i)));
        cv::imwrite(QFile::encodeName(QStringLiteral("%1/mnist/img_%2.png").arg(folder).arg(i))
                        .toStdString(),
                    image);
    }
}

// findimagedupes fingerprints `count` files of `folder` (single process, single thread).
double peerRate(const QString &folder, int count)
{
    QStringList files = QDir(folder).entryList(QDir::Files, QDir::Name);
    files = files.mid(0, count);
    for (QString &file : files)
        file = QDir(folder).filePath(file);
    const QString fingerprints = folder + QStringLiteral("/../peer-fingerprints.db");
    QFile::remove(fingerprints);
    QProcess peer;
    QElapsedTimer timer;
    timer.start();
    peer.start(QStringLiteral("findimagedupes"),
               QStringList{QStringLiteral("-q"), QStringLiteral("-n"), QStringLiteral("-f"),
                           fingerprints, QStringLiteral("--")}
                   + files);
    if (!peer.waitForFinished(-1) || peer.exitCode() != 0) {
        std::printf("findimagedupes failed: %s\n", peer.readAllStandardError().constData());
        return 0;
    }
    return double(files.size()) / (double(timer.nsecsElapsed()) / 1e9);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    int jpegs = 4000, pngs = 3000, peer = 300;
    QString work;
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == u"--jpegs" && i + 1 < args.size())
            jpegs = args[++i].toInt();
        else if (args[i] == u"--pngs" && i + 1 < args.size())
            pngs = args[++i].toInt();
        else if (args[i] == u"--peer" && i + 1 < args.size())
            peer = args[++i].toInt();
        else
            work = args[i];
    }
    QTemporaryDir temp;
    if (work.isEmpty())
        work = temp.path();
    QDir().mkpath(work);
    const int cores = QThread::idealThreadCount();
    const QString project = work + QStringLiteral("/bench.assay");

    const QString mnist = QStringLiteral("/usr/share/datasets/fashion-mnist");
    report("Fashion-MNIST 70,000 (28x28)", mnist, project, 1);
    report("Fashion-MNIST 70,000 (28x28)", mnist, project, cores);

    writeJpegCrops(work + QStringLiteral("/jpeg"), jpegs);
    report("JPEG photos 640x480", work + QStringLiteral("/jpeg"), project, 1);
    report("JPEG photos 640x480", work + QStringLiteral("/jpeg"), project, cores);

    writeMnistPngs(work + QStringLiteral("/png"), pngs);
    report("Fashion-MNIST as PNG files", work + QStringLiteral("/png"), project, cores);

    std::int64_t images = 0;
    const double jpegSeconds = scanSeconds(work + QStringLiteral("/jpeg"), project, cores, images);
    const double assayJpeg = double(images) / jpegSeconds;
    const double peerJpeg = peerRate(work + QStringLiteral("/jpeg/photos"), peer);
    std::printf("peer findimagedupes, JPEG photos:  %8.0f images/s (first %d files); Assay "
                "%.0f images/s = %.0fx\n",
                peerJpeg, peer, assayJpeg, peerJpeg > 0 ? assayJpeg / peerJpeg : 0.0);
    const double pngSeconds = scanSeconds(work + QStringLiteral("/png"), project, cores, images);
    const double assayPng = double(images) / pngSeconds;
    const double peerPng = peerRate(work + QStringLiteral("/png/mnist"), peer * 3);
    std::printf("peer findimagedupes, MNIST PNGs:   %8.0f images/s (first %d files); Assay "
                "%.0f images/s = %.0fx\n",
                peerPng, peer * 3, assayPng, peerPng > 0 ? assayPng / peerPng : 0.0);
    return 0;
}
