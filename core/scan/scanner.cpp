#include "scanner.h"

#include "features.h"

#include "formats/idxfile.h"
#include "jobs/progress.h"
#include "jobs/workerpool.h"
#include "store/featurestore.h"
#include "store/project.h"
#include "store/thumbnailcache.h"
#include "store/transaction.h"
#include "util/error.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QThreadPool>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

namespace assay::scan {

namespace {

constexpr std::int64_t maxFileBytes = std::int64_t(2) << 30; // no image file is read past 2 GiB
constexpr size_t chunkSize = 32;

struct FileStat
{
    bool ok = false;
    int error = 0;
    std::int64_t size = 0;
    std::int64_t mtime = 0;
};

// The dataset root, for opening sample files strictly below it: a stored path that leads
// outside through `..` or a symbolic link (a file or a folder swapped for one since the import)
// is refused with EXDEV, so a scan never reads outside the root. openat2's RESOLVE_BENEATH does
// it in the kernel; before Linux 5.6 (ENOSYS) the resolved path is compared with the root's.
class RootDir
{
public:
    explicit RootDir(const std::string &root) // with its trailing '/'
        : m_root(root), m_fd(::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC))
    {
        if (char *canonical = ::realpath(root.c_str(), nullptr)) {
            m_canonical = std::string(canonical) + '/';
            std::free(canonical);
        }
    }
    ~RootDir()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    RootDir(const RootDir &) = delete;
    RootDir &operator=(const RootDir &) = delete;

    // A read-only descriptor of `relative` (O_NONBLOCK: a FIFO never blocks), or -1 and errno.
    int open(const std::string &relative) const
    {
        if (m_fd < 0) {
            errno = ENOENT; // the root itself is gone
            return -1;
        }
        open_how how{};
        how.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
        how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
        const long fd = ::syscall(SYS_openat2, m_fd, relative.c_str(), &how, sizeof how);
        if (fd >= 0 || errno != ENOSYS)
            return int(fd);
        const std::string full = m_root + relative;
        char *resolved = ::realpath(full.c_str(), nullptr);
        if (!resolved)
            return -1;
        const bool inside = std::string_view(resolved).starts_with(m_canonical);
        std::free(resolved);
        if (!inside) {
            errno = EXDEV;
            return -1;
        }
        return ::open(full.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    }

private:
    std::string m_root;
    std::string m_canonical;
    int m_fd = -1;
};

// Closes a descriptor on every way out.
struct FdGuard
{
    int fd = -1;
    ~FdGuard()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

// Opens a sample's file below the root and reads its size and mtime; `file.fd` stays open for
// reading the content.
FileStat openFile(const RootDir &root, const std::string &relative, FdGuard &file)
{
    FileStat result;
    file.fd = root.open(relative);
    struct stat info {};
    if (file.fd < 0 || ::fstat(file.fd, &info) != 0) {
        result.error = errno;
        return result;
    }
    result.ok = S_ISREG(info.st_mode);
    result.error = result.ok ? 0 : EISDIR;
    result.size = info.st_size;
    result.mtime = info.st_mtime;
    return result;
}

// Reads a file from its descriptor; one that shrank or failed midway is measured as it was read.
void readWholeFile(int fd, std::int64_t size, std::string &into)
{
    into.resize(size_t(size));
    size_t got = 0;
    while (got < into.size()) {
        const ssize_t n = ::read(fd, into.data() + got, into.size() - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += size_t(n);
    }
    into.resize(got); // a file that shrank while being read is measured as it was read
}

// MNIST-style containers, read once and shared by the workers that need their members.
class ContainerCache
{
public:
    struct Entry
    {
        std::once_flag loaded;
        std::shared_ptr<const formats::IdxData> data;
        QString error;
    };

    std::shared_ptr<Entry> get(const std::string &path)
    {
        std::shared_ptr<Entry> entry;
        {
            std::lock_guard lock(m_mutex);
            auto &slot = m_entries[path];
            if (!slot)
                slot = std::make_shared<Entry>();
            entry = slot;
        }
        std::call_once(entry->loaded, [&] {
            try {
                entry->data = std::make_shared<formats::IdxData>(
                    formats::readIdxFile(QFile::decodeName(QByteArray::fromStdString(path))));
            } catch (const Error &error) {
                entry->error = error.message();
            }
        });
        return entry;
    }

private:
    std::mutex m_mutex;
    std::map<std::string, std::shared_ptr<Entry>> m_entries;
};

enum class Outcome { UpToDate, Touched, Computed };

struct Result
{
    Outcome outcome = Outcome::Computed;
    size_t candidate = 0; // index into the run's candidates
    SampleFeatures features;
};

class ScanRun
{
public:
    ScanRun(const QString &root, std::vector<store::ScanCandidate> candidates,
            const ScanOptions &options, jobs::Progress &progress)
        : m_root(QFile::encodeName(root).toStdString() + '/'), m_rootDir(m_root),
          m_candidates(std::move(candidates)), m_options(options), m_progress(progress)
    {
    }

    // Worker body: takes chunks until none are left or the job is canceled.
    void work()
    {
        jobs::lowerCurrentThreadPriority();
        std::vector<Result> results;
        std::string buffer;
        for (;;) {
            const size_t begin = m_next.fetch_add(chunkSize);
            if (begin >= m_candidates.size() || m_progress.isCanceled())
                break;
            const size_t end = std::min(m_candidates.size(), begin + chunkSize);
            for (size_t i = begin; i < end && !m_progress.isCanceled(); ++i) {
                results.push_back(process(m_candidates[i], buffer));
                results.back().candidate = i;
                m_progress.advance();
            }
            deliver(results);
        }
        // Notified under the lock: once drain() sees the last worker finished, scanProject
        // destroys this run (its mutex and condition variable) while the pool thread may still
        // be returning; a notify after the unlock could touch a destroyed condition variable
        // (found by ThreadSanitizer).
        std::lock_guard lock(m_mutex);
        ++m_finishedWorkers;
        m_wake.notify_all();
    }

    // Waits for results and hands them out in batches until every worker has finished.
    template<typename Write>
    void drain(int workers, Write write)
    {
        QElapsedTimer sinceFlush;
        sinceFlush.start();
        std::vector<Result> batch;
        for (;;) {
            bool done = false;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait_for(lock, std::chrono::milliseconds(100), [&] {
                    return m_finishedWorkers == workers
                           || m_pending.size() >= size_t(m_options.batchSize);
                });
                done = m_finishedWorkers == workers;
                if (!m_pending.empty()
                    && (done || m_pending.size() >= size_t(m_options.batchSize)
                        || sinceFlush.elapsed() >= m_options.flushMilliseconds)) {
                    batch.swap(m_pending);
                }
            }
            if (!batch.empty()) {
                write(batch);
                batch.clear();
                sinceFlush.restart();
            }
            if (done) {
                std::lock_guard lock(m_mutex);
                if (m_pending.empty())
                    return;
            }
        }
    }

    // The sample's address for people ("path" or "path#member").
    QString describe(size_t candidate) const
    {
        const store::ScanCandidate &c = m_candidates[candidate];
        const QString path = QString::fromStdString(c.path);
        return c.member >= 0 ? path + u'#' + QString::number(c.member) : path;
    }

private:
    void deliver(std::vector<Result> &results)
    {
        if (results.empty())
            return;
        {
            std::lock_guard lock(m_mutex);
            for (Result &result : results)
                m_pending.push_back(std::move(result));
        }
        results.clear();
        m_wake.notify_all();
    }

    Result process(const store::ScanCandidate &candidate, std::string &buffer)
    {
        Result result;
        SampleFeatures &f = result.features;
        f.sampleId = candidate.sampleId;
        f.extractorVersion = featureExtractorVersion;
        const std::string full = m_root + candidate.path;
        FdGuard file;
        const FileStat stat = openFile(m_rootDir, candidate.path, file);
        if (!stat.ok) {
            f.status = stat.error == ENOENT ? ScanStatus::Missing : ScanStatus::Unreadable;
            f.detail = stat.error == ENOENT ? QStringLiteral("the file no longer exists")
                       : stat.error == EXDEV
                           ? QStringLiteral("refused: the path leads outside the dataset root "
                                            "(a symbolic link or '..')")
                           : QStringLiteral("cannot read the file: %1")
                                 .arg(QString::fromLocal8Bit(std::strerror(stat.error)));
            return result;
        }
        f.fileSize = stat.size;
        f.fileMtime = stat.mtime;
        const bool current = candidate.scanned
                             && candidate.extractorVersion == featureExtractorVersion;
        if (current && candidate.scannedSize == stat.size && candidate.scannedMtime == stat.mtime) {
            result.outcome = Outcome::UpToDate;
            return result;
        }
        if (candidate.member >= 0)
            return processMember(candidate, full, current, std::move(result));

        if (stat.size > maxFileBytes) {
            f.status = ScanStatus::TooLarge;
            f.detail = QStringLiteral("the file has %1 bytes, more than the %2 read limit")
                           .arg(stat.size)
                           .arg(maxFileBytes);
            return result;
        }
        readWholeFile(file.fd, stat.size, buffer);
        f.contentHash = contentHash(buffer.data(), buffer.size());
        if (current && f.contentHash == candidate.contentHash) {
            result.outcome = Outcome::Touched;
            return result;
        }
        const Decoded decoded = decodeImage(buffer, m_options.limits);
        f.realType = imageTypeName(decoded.type);
        f.width = decoded.width;
        f.height = decoded.height;
        switch (decoded.status) {
        case DecodeStatus::Ok: computeFeatures(decoded, f); break;
        case DecodeStatus::ZeroBytes: f.status = ScanStatus::ZeroBytes; break;
        case DecodeStatus::Unsupported: f.status = ScanStatus::Unsupported; break;
        case DecodeStatus::TooLarge: f.status = ScanStatus::TooLarge; break;
        case DecodeStatus::Corrupt: f.status = ScanStatus::Corrupt; break;
        }
        if (decoded.status != DecodeStatus::Ok)
            f.detail = decoded.reason;
        return result;
    }

    Result processMember(const store::ScanCandidate &candidate, const std::string &full,
                         bool current, Result result)
    {
        SampleFeatures &f = result.features;
        f.realType = QStringLiteral("idx");
        const auto container = m_containers.get(full);
        if (!container->data) {
            f.status = ScanStatus::Corrupt;
            f.detail = container->error;
            return result;
        }
        const formats::IdxData &idx = *container->data;
        if (candidate.member >= idx.count) {
            f.status = ScanStatus::Missing;
            f.detail = QStringLiteral("the container holds only %1 images").arg(idx.count);
            return result;
        }
        const unsigned char *pixels = idx.item(candidate.member);
        const size_t bytes = size_t(idx.rows) * size_t(idx.columns);
        f.contentHash = contentHash(pixels, bytes);
        if (current && f.contentHash == candidate.contentHash) {
            result.outcome = Outcome::Touched;
            return result;
        }
        computeFeatures(wrapGrayPixels(pixels, idx.columns, idx.rows), f);
        return result;
    }

    std::string m_root;
    RootDir m_rootDir;
    std::vector<store::ScanCandidate> m_candidates;
    ScanOptions m_options;
    jobs::Progress &m_progress;
    std::atomic<size_t> m_next{0};
    ContainerCache m_containers;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<Result> m_pending;
    int m_finishedWorkers = 0;
};

} // namespace

ScanSummary scanProject(const QString &projectPath, const ScanOptions &options,
                        jobs::Progress &progress)
{
    QElapsedTimer clock;
    clock.start();
    auto project = store::Project::open(projectPath);
    if (project->isReadOnly())
        throw Error(QStringLiteral("%1 is read-only; cannot scan").arg(projectPath));
    const QString root = project->datasetRoot();
    if (root.isEmpty())
        throw Error(QStringLiteral("%1 has no dataset yet; import one first").arg(projectPath));

    // OpenCV's own limit backs up the header check for formats whose size we cannot read.
    qputenv("OPENCV_IO_MAX_IMAGE_PIXELS", QByteArray::number(qint64(options.limits.maxPixels)));
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    cv::setNumThreads(1); // parallelism comes from the worker pool, one image per thread

    progress.setPhase(QStringLiteral("Scanning"));
    std::vector<store::ScanCandidate> candidates = loadScanCandidates(project->db());
    ScanSummary summary;
    summary.samples = std::int64_t(candidates.size());
    progress.setTotal(summary.samples);
    progress.setDone(0);

    store::ThumbnailCache cache(store::ThumbnailCache::pathFor(project->path()),
                                store::ThumbnailCache::Mode::ReadWrite);
    store::FeatureWriter writer(project->db());
    const std::int64_t now = QDateTime::currentSecsSinceEpoch();

    jobs::setWorkerThreads(options.threads);
    const int workers = std::max(1, std::min<int>(jobs::workerThreads(),
                                                  int(candidates.size() / chunkSize) + 1));
    summary.threads = workers;
    ScanRun run(root, std::move(candidates), options, progress);
    for (int i = 0; i < workers; ++i)
        jobs::workerPool().start([&run] { run.work(); });

    std::vector<store::ThumbnailCache::Entry> thumbnails;
    std::exception_ptr failure;
    run.drain(workers, [&](std::vector<Result> &batch) {
        if (failure)
            return; // keep draining so the workers can finish, but write nothing more
        try {
            store::Transaction transaction(project->db());
            for (Result &result : batch) {
                switch (result.outcome) {
                case Outcome::UpToDate: ++summary.upToDate; continue;
                case Outcome::Touched:
                    writer.touch(result.features.sampleId, result.features.fileSize,
                                 result.features.fileMtime);
                    ++summary.unchangedContent;
                    continue;
                case Outcome::Computed: break;
                }
                writer.write(result.features, now);
                ++summary.computed;
                if (result.features.status != ScanStatus::Ok)
                    ++summary.problems;
                if (!result.features.thumbnail.isEmpty())
                    thumbnails.push_back({result.features.sampleId, result.features.contentHash,
                                          std::move(result.features.thumbnail)});
            }
            transaction.commit();
            cache.put(thumbnails);
            progress.setCurrent(run.describe(batch.back().candidate));
            thumbnails.clear();
        } catch (...) {
            failure = std::current_exception();
            progress.cancel(); // stop the workers; what was committed stays
        }
    });
    if (failure)
        std::rethrow_exception(failure);
    summary.canceled = progress.isCanceled();
    summary.seconds = double(clock.nsecsElapsed()) / 1e9;
    return summary;
}

} // namespace assay::scan
