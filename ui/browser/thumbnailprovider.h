#pragma once

#include <QCache>
#include <QImage>
#include <QObject>
#include <QSet>

#include <memory>

namespace assay::ui {

class ThumbnailWorker;

// Thumbnails for the grid: an LRU cache in memory in front of the project's thumbnail cache
// file, which a worker thread reads and decodes. `thumbnail()` never touches disk: it answers
// from memory or queues a request (newest first, so what is on screen loads first) and returns a
// null image; `ready(id)` follows when the image is in memory.
class ThumbnailProvider : public QObject
{
    Q_OBJECT
public:
    explicit ThumbnailProvider(QObject *parent = nullptr);
    ~ThumbnailProvider() override;

    // Points the provider at a project's cache file and dataset (empty: no project).
    void setProject(const QString &cacheFile, const QString &datasetRoot);
    // A sample's thumbnail, or a null image while it loads. `path` and `member` let the worker
    // make one from the image itself when the cache has none yet (the sample is not scanned).
    QImage thumbnail(qint64 sampleId, const QString &path = {}, qint64 member = -1);
    // A sample's thumbnail if it is in memory, else a null image (nothing is asked for).
    QImage cached(qint64 sampleId) const;
    // Forgets which samples had no thumbnail yet, so they are asked for again (during a scan).
    void retryMissing();

signals:
    void ready(qint64 sampleId);

private:
    void onLoaded(qint64 sampleId, const QImage &image);

    QCache<qint64, QImage> m_cache;
    QSet<qint64> m_requested;
    QSet<qint64> m_missing;
    QThread *m_thread;
    ThumbnailWorker *m_worker;
    int m_generation = 0;
};

} // namespace assay::ui
