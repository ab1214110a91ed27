// Browse benchmark (issue: interface at scale). Generates a 1,000,000-sample project (synthetic
// rows, features and attributes; thumbnails reused from a few thousand real Fashion-MNIST
// images), then drives the real main window and prints:
//   open → first grid page (s) and resident memory; sort / filter by one metric → repaint (ms);
//   dragging the scrollbar end to end: frame times (ms) and how long visible thumbnails take
//   after stopping; during a scan of the demo dataset: the longest UI-thread stall (ms).
// Budgets: open < 1 s, < 300 MB resident; sort/filter < 150 ms; frames < 16 ms; thumbnails
// < 100 ms after stopping; no stall over 50 ms during a scan.
//
// Usage: bench_browse [WORKDIR] [--samples N]   (run with QT_QPA_PLATFORM=offscreen or a display)

#include "browser/browsercontroller.h"
#include "browser/samplegrid.h"
#include "browser/samplegridmodel.h"
#include "formats/idxfile.h"
#include "formats/importer.h"
#include "jobs/jobregistry.h"
#include "jobs/progress.h"
#include "mainwindow/mainwindow.h"
#include "store/project.h"
#include "store/thumbnailcache.h"
#include "store/transaction.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QListView>
#include <QProcess>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <opencv2/imgcodecs.hpp>

#include <cstdio>

using namespace assay;

namespace {

double residentMegabytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    return 0;
}

// Writes the project directly: the importer and scanner have their own benchmarks.
void generateProject(const QString &path, int samples)
{
    for (const char *suffix : {"", "-wal", "-shm", "-cache", "-cache-wal", "-cache-shm"})
        QFile::remove(path + QString::fromLatin1(suffix));
    store::OpenOptions options;
    options.create = true;
    options.bulkLoad = true;
    auto project = store::Project::open(path, options);
    store::Database &db = project->db();
    store::Transaction transaction(db);
    db.exec("INSERT INTO splits(name) VALUES('train'), ('val'), ('test')");
    for (int c = 0; c < 10; ++c)
        db.exec("INSERT INTO categories(name, position) VALUES('class_" + std::to_string(c)
                + "', " + std::to_string(c) + ")");
    db.exec("INSERT INTO attributes(name, type, origin, column_name) VALUES('source', 1, 'csv', "
            "'a1'), ('score', 0, 'csv', 'a2')");
    db.exec("ALTER TABLE sample_attributes ADD COLUMN a1");
    db.exec("ALTER TABLE sample_attributes ADD COLUMN a2");
    store::Statement sample(db, "INSERT INTO samples(id, path, member, split_id, category_id, "
                                "size, mtime) VALUES(?, ?, -1, ?, ?, 784, 0)");
    store::Statement feature(db, "INSERT INTO features(sample_id, extractor_version, file_size, "
                                 "file_mtime, content_hash, status, real_type, width, height, "
                                 "channels, brightness, contrast, sharpness, entropy, "
                                 "colorfulness, grayscale, luma_p1, luma_p5, luma_p95, luma_p99, "
                                 "scanned_at) VALUES(?, 1, 784, 0, ?, 0, 'png', 28, 28, 1, ?, ?, "
                                 "?, ?, 0, 1, 0, 10, 240, 255, 0)");
    store::Statement attribute(db, "INSERT INTO sample_attributes VALUES(?, ?, ?)");
    static const char *const sources[] = {"web", "camera", "scan", "phone"};
    std::uint32_t state = 99;
    auto next = [&state] { return state = state * 1664525u + 1013904223u; };
    for (int i = 1; i <= samples; ++i) {
        sample.bind(1, std::int64_t(i));
        sample.bind(2, "images/" + std::to_string(i / 1000) + "/img_" + std::to_string(i) + ".png");
        sample.bind(3, std::int64_t(1 + next() % 3));
        sample.bind(4, std::int64_t(1 + next() % 10));
        sample.run();
        feature.bind(1, std::int64_t(i));
        feature.bindBlob(2, QByteArray::number(i).rightJustified(16, '0'));
        feature.bind(3, double(next() % 25500) / 100.0);
        feature.bind(4, double(next() % 9000) / 100.0);
        feature.bind(5, double(next() % 1000000) / 10.0);
        feature.bind(6, double(next() % 800) / 100.0);
        feature.run();
        attribute.bind(1, std::int64_t(i));
        attribute.bind(2, std::string_view(sources[next() % 4]));
        attribute.bind(3, double(next() % 1000) / 1000.0);
        attribute.run();
    }
    project->setMeta(QStringLiteral("dataset_root"), QStringLiteral("/nonexistent"));
    project->setMeta(QStringLiteral("dataset_format"), QStringLiteral("csv"));
    transaction.commit();
    project->finishBulkLoad();

    // Thumbnails: 3,000 real Fashion-MNIST images, reused round-robin for every sample.
    const formats::IdxData idx = formats::readIdxFile(
        QStringLiteral("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"));
    std::vector<QByteArray> jpegs;
    for (int i = 0; i < 3000; ++i) {
        std::vector<uchar> bytes;
        cv::imencode(".jpg", cv::Mat(28, 28, CV_8UC1, const_cast<uchar *>(idx.item(i))), bytes);
        jpegs.emplace_back(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size()));
    }
    store::ThumbnailCache cache(store::ThumbnailCache::pathFor(path),
                                store::ThumbnailCache::Mode::ReadWrite);
    std::vector<store::ThumbnailCache::Entry> entries;
    for (int i = 1; i <= samples; ++i) {
        entries.push_back({i, QByteArray::number(i).rightJustified(16, '0'),
                           jpegs[size_t(i) % jpegs.size()]});
        if (entries.size() == 50000 || i == samples) {
            cache.put(entries);
            entries.clear();
        }
    }
}

// Waits for the window's next result, returns milliseconds since `timer` started.
qint64 waitForResult(ui::MainWindow &window, QSignalSpy &shown, const QElapsedTimer &timer)
{
    while (shown.isEmpty() || window.browser()->isBusy())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    window.grid()->view()->viewport()->repaint();
    return timer.elapsed();
}

bool visibleThumbnailsLoaded(QListView *view)
{
    const QRect area = view->viewport()->rect();
    for (int y = 4; y < area.height(); y += 40) {
        for (int x = 4; x < area.width(); x += 40) {
            const QModelIndex index = view->indexAt(QPoint(x, y));
            if (index.isValid()
                && index.data(ui::SampleGridModel::ThumbnailRole).value<QImage>().isNull())
                return false;
        }
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("AssayBench"));
    QStringList args = app.arguments();
    int samples = 1000000;
    QString work;
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == u"--samples" && i + 1 < args.size())
            samples = args[++i].toInt();
        else if (!args[i].startsWith(u'-'))
            work = args[i];
    }
    QTemporaryDir temp;
    if (work.isEmpty())
        work = temp.path();
    QDir().mkpath(work);
    const QString projectPath = work + QStringLiteral("/million.assay");
    QElapsedTimer timer;
    timer.start();
    if (args.contains(QStringLiteral("--generate-only"))) {
        generateProject(projectPath, samples);
        return 0;
    }
    // Generate in a child process, so this one's memory is the window's alone.
    QProcess generator;
    generator.setProcessChannelMode(QProcess::ForwardedChannels);
    generator.start(QCoreApplication::applicationFilePath(),
                    {work, QStringLiteral("--samples"), QString::number(samples),
                     QStringLiteral("--generate-only")});
    if (!generator.waitForFinished(-1) || generator.exitCode() != 0)
        return 1;
    std::printf("generated %d samples in %.1f s\n", samples, double(timer.elapsed()) / 1000.0);
    std::fflush(stdout);

    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    // The synthetic project's files do not exist: a scan would only record them as missing.
    window.setScanOnOpen(false);
    window.resize(1500, 900);
    window.show();
    QTest::qWait(200);
    const double before = residentMegabytes();
    QSignalSpy shown(&window, &ui::MainWindow::resultShown);
    timer.restart();
    window.openProject(projectPath);
    while (shown.isEmpty())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    window.grid()->view()->viewport()->repaint();
    const qint64 firstPageMs = timer.elapsed();
    const qint64 openMs = waitForResult(window, shown, timer);
    std::printf("open %d samples -> first grid page painted: %lld ms (budget 1000); whole index "
                "ready (filters, sorts): %lld ms; resident %.0f MB (window alone %.0f MB; "
                "budget 300)\n",
                samples, static_cast<long long>(firstPageMs), static_cast<long long>(openMs),
                residentMegabytes(), before);

    auto timeQuery = [&](const char *what, store::IndexQuery query) {
        shown.clear();
        QElapsedTimer t;
        t.start();
        window.setQuery(query);
        const qint64 ms = waitForResult(window, shown, t);
        std::printf("%-40s %5lld ms (budget 150), %zu rows\n", what, static_cast<long long>(ms),
                    window.browser()->result()->rows.size());
    };
    store::IndexQuery sortQuery;
    sortQuery.sort = store::IndexQuery::SortKind::Numeric;
    sortQuery.sortKey = QStringLiteral("brightness");
    timeQuery("sort by brightness:", sortQuery);
    sortQuery.descending = true;
    timeQuery("sort by brightness, descending:", sortQuery);
    store::IndexQuery range;
    range.ranges = {{QStringLiteral("sharpness"), 0, 20000}};
    timeQuery("filter sharpness <= 20000:", range);
    store::IndexQuery classes;
    classes.classes = {3};
    timeQuery("filter class_3:", classes);
    timeQuery("clear filters:", {});

    // Drag the scrollbar from top to bottom in 60 steps, repainting each time.
    QListView *view = window.grid()->view();
    QScrollBar *bar = view->verticalScrollBar();
    double worstFrame = 0, totalFrames = 0;
    double peakResident = residentMegabytes();
    for (int step = 0; step <= 60; ++step) {
        QElapsedTimer frame;
        frame.start();
        bar->setValue(int(double(bar->maximum()) * step / 60));
        view->viewport()->repaint();
        QCoreApplication::processEvents();
        const double ms = double(frame.nsecsElapsed()) / 1e6;
        worstFrame = std::max(worstFrame, ms);
        totalFrames += ms;
        peakResident = std::max(peakResident, residentMegabytes());
    }
    QElapsedTimer settle;
    settle.start();
    while (!visibleThumbnailsLoaded(view) && settle.elapsed() < 5000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        view->viewport()->repaint();
    }
    std::printf("scrollbar end to end, 61 frames: worst %.1f ms, mean %.1f ms (budget 16); "
                "visible thumbnails complete %lld ms after stopping (budget 100); peak resident "
                "%.0f MB\n",
                worstFrame, totalFrames / 61.0, static_cast<long long>(settle.elapsed()),
                peakResident);
    std::fflush(stdout);

    // During a scan: import the demo dataset fresh, open it (its scan starts), scroll by pages
    // and measure the longest gap between UI-thread timer ticks.
    const QString demo = work + QStringLiteral("/demo.assay");
    for (const char *suffix : {"", "-wal", "-shm", "-cache", "-cache-wal", "-cache-shm"})
        QFile::remove(demo + QString::fromLatin1(suffix));
    jobs::Progress importProgress;
    formats::importDataset(QStringLiteral("/usr/share/datasets/fashion-mnist"), demo, {},
                           importProgress);
    window.setScanOnOpen(true);
    QSignalSpy scanned(&window, &ui::MainWindow::scanFinished);
    window.openProject(demo);
    QElapsedTimer tick;
    tick.start();
    qint64 worstStall = 0, lastTick = 0, pages = 0;
    QTimer pager;
    pager.setInterval(30);
    QObject::connect(&pager, &QTimer::timeout, [&] {
        const qint64 now = tick.elapsed();
        worstStall = std::max(worstStall, now - lastTick);
        lastTick = now;
        bar->setValue(bar->value() + bar->pageStep());
        ++pages;
    });
    pager.start();
    while (scanned.isEmpty())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);
    pager.stop();
    std::printf("during the scan of 70,000 images (%.1f s): %lld page scrolls, longest UI stall "
                "%lld ms (timer every 30 ms; budget 50)\n",
                double(tick.elapsed()) / 1000.0, static_cast<long long>(pages),
                static_cast<long long>(worstStall));
    return 0;
}
