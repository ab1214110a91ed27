#pragma once

#include <QFutureWatcher>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSize>
#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace assay::store {
class ThumbnailCache;
}

namespace assay::ui {

class EditController;
class ThumbnailProvider;
struct ViewerImage;

// The pictures review mode shows. A full-resolution decode of a 13-megapixel PNG takes longer
// than a step may (issue #8: the next image within 50 ms), so each sample has a stand-in that is
// there at once — its thumbnail from memory or the project's thumbnail cache file, or a JPEG
// decoded DCT-scaled — while the full image decodes in the background. The current sample and
// the next ones are decoded ahead (fewer when they are large); loads for samples the review has
// left behind are called off before they start.
class ReviewImages : public QObject
{
    Q_OBJECT
public:
    explicit ReviewImages(EditController *edits, QObject *parent = nullptr);
    ~ReviewImages() override;

    // The grid's thumbnails: those in memory are used at once, others are asked for ahead.
    void setThumbnails(ThumbnailProvider *thumbnails);

    void start(const QString &datasetRoot);
    void stop();

    // Decodes `samples[position]` and the next ones and forgets those out of reach.
    void focus(const std::vector<std::int64_t> &samples, size_t position);

    // The decoded full image, or null.
    QImage full(std::int64_t sampleId) const { return m_full.value(sampleId); }
    // Why the full image could not be decoded ("" when it was, or is not decoded yet).
    QString error(std::int64_t sampleId) const { return m_errors.value(sampleId); }
    // A small stand-in, found without waiting for a decode of the full image; null when there
    // is none to be had quickly (a PNG that was never scanned).
    QImage preview(std::int64_t sampleId);
    // The original image's size as the project (or the file's header) states it; invalid when
    // unknown. Annotation coordinates are pixels of this size.
    QSize logicalSize(std::int64_t sampleId);
    bool isLoading(std::int64_t sampleId) const { return m_loading.contains(sampleId); }
    // Full images decoded ahead of `position` (the rest of the window holds stand-ins only).
    int fullAhead() const { return m_fullAhead; }

signals:
    // A full decode finished (the image, or why there is none), whether or not still wanted.
    void fullReady(qint64 sampleId, const QImage &image, const QString &error);
    // A stand-in asked for ahead arrived.
    void previewReady(qint64 sampleId);

private:
    struct Source
    {
        QString path;
        std::int64_t member = -1;
        QSize size; // from the project; invalid when it does not say
        bool known = false;
    };
    struct Load
    {
        QFutureWatcher<ViewerImage> *watcher = nullptr;
        std::shared_ptr<std::atomic<int>> skip; // 1: not wanted any more
    };

    Source &source(std::int64_t sampleId);
    void request(std::int64_t sampleId);
    void onLoaded(std::int64_t sampleId, const ViewerImage &result);
    // Decodes offered to the other views of the same file (the inspector).
    void offer(std::int64_t sampleId, const QFuture<ViewerImage> &decode);
    void withdraw(std::int64_t sampleId);
    QImage previewFromCacheFile(std::int64_t sampleId);
    QImage previewFromJpeg(const Source &source);
    void onThumbnailReady(qint64 sampleId);

    EditController *m_edits;
    QPointer<ThumbnailProvider> m_thumbnails;
    std::unique_ptr<store::ThumbnailCache> m_cacheFile;
    QString m_root;
    QHash<std::int64_t, Source> m_sources;
    QHash<std::int64_t, QImage> m_full;
    QHash<std::int64_t, QString> m_errors;
    QHash<std::int64_t, QImage> m_previews;
    QHash<std::int64_t, Load> m_loading;
    QSet<std::int64_t> m_wantedFull;     // samples whose full image is kept or loaded
    QSet<std::int64_t> m_wantedPreviews; // samples whose stand-in is kept or asked for
    int m_fullAhead = 0;
};

} // namespace assay::ui
