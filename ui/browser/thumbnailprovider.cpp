#include "thumbnailprovider.h"

#include "scan/imageloader.h"
#include "store/thumbnailcache.h"

#include <opencv2/imgproc.hpp>

#include <QMutex>
#include <QThread>

#include <deque>

namespace assay::ui {

// Lives on the provider's thread: pops the newest request, reads it from the cache file,
// decodes the JPEG and hands the image back.
class ThumbnailWorker : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        qint64 id = 0;
        int generation = 0;
        QString path;
        qint64 member = -1;
    };

    void open(const QString &path, const QString &root, int generation)
    {
        m_cache.reset();
        m_path = path;
        m_root = root;
        m_generation = generation;
    }

    void enqueue(Request request)
    {
        QMutexLocker lock(&m_mutex);
        m_pending.push_back(std::move(request));
        // Scrolling fast queues far more than the screen shows: keep only the newest requests.
        while (m_pending.size() > 600) {
            emit dropped(m_pending.front().id);
            m_pending.pop_front();
        }
    }

    void work()
    {
        for (;;) {
            Request request;
            {
                QMutexLocker lock(&m_mutex);
                if (m_pending.empty())
                    return;
                request = std::move(m_pending.back());
                m_pending.pop_back();
            }
            if (request.generation != m_generation)
                continue; // asked for by a project that is no longer open
            QImage image;
            if (ensureCache()) {
                const QByteArray jpeg = m_cache->get(request.id);
                if (!jpeg.isEmpty())
                    image.loadFromData(jpeg, "JPEG");
            }
            if (image.isNull() && !request.path.isEmpty() && !m_root.isEmpty())
                image = makeThumbnail(request);
            // A null image tells the provider "not there yet": it asks again after retryMissing().
            emit loaded(request.id, image);
        }
    }

private:
    // Not in the cache (not scanned yet): decode the image itself, DCT-scaled for JPEG.
    QImage makeThumbnail(const Request &request)
    {
        const scan::LoadedImage loaded = scan::loadSampleImage(m_root, request.path,
                                                               request.member, 100'000'000,
                                                               thumbnailSide);
        if (loaded.pixels.empty())
            return {};
        cv::Mat pixels = loaded.pixels;
        const int longest = std::max(pixels.cols, pixels.rows);
        if (longest > thumbnailSide) {
            const double scale = double(thumbnailSide) / longest;
            cv::resize(pixels, pixels,
                       cv::Size(std::max(1, int(pixels.cols * scale)),
                                std::max(1, int(pixels.rows * scale))),
                       0, 0, cv::INTER_AREA);
        }
        if (pixels.channels() == 1)
            return QImage(pixels.data, pixels.cols, pixels.rows, int(pixels.step),
                          QImage::Format_Grayscale8)
                .copy();
        return QImage(pixels.data, pixels.cols, pixels.rows, int(pixels.step),
                      QImage::Format_BGR888)
            .copy();
    }

    static constexpr int thumbnailSide = 160;
    QString m_root;

public:

private:
    // The cache file may not exist yet when a project opens: its first scan creates it.
    bool ensureCache()
    {
        if (!m_cache || !m_cache->isUsable()) {
            if (m_path.isEmpty())
                return false;
            m_cache = std::make_unique<store::ThumbnailCache>(
                m_path, store::ThumbnailCache::Mode::ReadOnly);
        }
        return m_cache->isUsable();
    }

signals:
    void loaded(qint64 sampleId, const QImage &image);
    void dropped(qint64 sampleId);

private:
    QString m_path;
    std::unique_ptr<store::ThumbnailCache> m_cache;
    QMutex m_mutex;
    std::deque<Request> m_pending;
    int m_generation = 0;
};

ThumbnailProvider::ThumbnailProvider(QObject *parent)
    : QObject(parent), m_thread(new QThread(this)), m_worker(new ThumbnailWorker)
{
    m_cache.setMaxCost(64 * 1024 * 1024); // bytes of decoded thumbnails kept in memory
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ThumbnailWorker::loaded, this, &ThumbnailProvider::onLoaded);
    connect(m_worker, &ThumbnailWorker::dropped, this,
            [this](qint64 sampleId) { m_requested.remove(sampleId); });
    m_thread->setObjectName(QStringLiteral("thumbnails"));
    m_thread->start();
}

ThumbnailProvider::~ThumbnailProvider()
{
    m_thread->quit();
    m_thread->wait();
}

void ThumbnailProvider::setProject(const QString &cacheFile, const QString &datasetRoot)
{
    ++m_generation;
    m_cache.clear();
    m_requested.clear();
    m_missing.clear();
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, cacheFile, datasetRoot,
                                         generation = m_generation] {
        worker->open(cacheFile, datasetRoot, generation);
    });
}

QImage ThumbnailProvider::thumbnail(qint64 sampleId, const QString &path, qint64 member)
{
    if (const QImage *image = m_cache.object(sampleId))
        return *image;
    if (m_requested.contains(sampleId) || m_missing.contains(sampleId))
        return {};
    m_requested.insert(sampleId);
    m_worker->enqueue({sampleId, m_generation, path, member});
    QMetaObject::invokeMethod(m_worker, &ThumbnailWorker::work, Qt::QueuedConnection);
    return {};
}

QImage ThumbnailProvider::cached(qint64 sampleId) const
{
    const QImage *image = m_cache.object(sampleId);
    return image ? *image : QImage();
}

void ThumbnailProvider::retryMissing()
{
    m_missing.clear();
}

void ThumbnailProvider::onLoaded(qint64 sampleId, const QImage &image)
{
    m_requested.remove(sampleId);
    if (image.isNull()) {
        m_missing.insert(sampleId);
        return;
    }
    m_cache.insert(sampleId, new QImage(image), int(std::max<qsizetype>(1, image.sizeInBytes())));
    emit ready(sampleId);
}

} // namespace assay::ui

#include "thumbnailprovider.moc"
