#include "reviewimages.h"

#include "editcontroller.h"

#include "browser/thumbnailprovider.h"
#include "inspector/viewerimage.h"
#include "scan/imageheader.h"
#include "scan/imageloader.h"
#include "store/project.h"
#include "store/thumbnailcache.h"
#include "util/datasetpath.h"
#include "util/error.h"

#include <QFile>

#include <algorithm>
#include <climits>

namespace assay::ui {

namespace {
constexpr size_t keepBehind = 1;                     // full images kept behind the current one
constexpr int maxFullAhead = 4;                      // full images decoded ahead, at most …
constexpr std::int64_t fullAheadPixels = 25'000'000; // … and beyond the first, this many pixels
constexpr size_t previewsBehind = 4;                 // stand-ins kept behind the current one
constexpr size_t previewsAhead = 12;                 // and asked for ahead of it
constexpr int jpegPreviewSide = 400;                 // a JPEG stand-in's longest side, at least
constexpr qint64 headerBytes = 256 * 1024;           // read to find an image's size in its header

template<typename Map, typename Keep> void eraseUnless(Map &map, Keep keep)
{
    for (auto it = map.begin(); it != map.end();)
        it = keep(it.key()) ? std::next(it) : map.erase(it);
}
} // namespace

ReviewImages::ReviewImages(EditController *edits, QObject *parent) : QObject(parent), m_edits(edits)
{}

ReviewImages::~ReviewImages()
{
    stop();
}

void ReviewImages::setThumbnails(ThumbnailProvider *thumbnails)
{
    if (m_thumbnails)
        m_thumbnails->disconnect(this);
    m_thumbnails = thumbnails;
    if (thumbnails)
        connect(thumbnails, &ThumbnailProvider::ready, this, &ReviewImages::onThumbnailReady);
}

void ReviewImages::start(const QString &datasetRoot)
{
    stop();
    m_root = datasetRoot;
}

void ReviewImages::stop()
{
    for (const Load &load : std::as_const(m_loading)) {
        load.skip->store(1); // loads not started yet skip their work
        load.watcher->disconnect(this);
        load.watcher->deleteLater();
    }
    for (auto it = m_loading.cbegin(); it != m_loading.cend(); ++it)
        withdraw(it.key());
    m_loading.clear();
    for (auto it = m_full.cbegin(); it != m_full.cend(); ++it)
        withdraw(it.key());
    m_full.clear();
    m_errors.clear();
    m_previews.clear();
    m_sources.clear();
    m_wantedFull.clear();
    m_wantedPreviews.clear();
    m_cacheFile.reset();
    m_fullAhead = 0;
}

ReviewImages::Source &ReviewImages::source(std::int64_t sampleId)
{
    if (const auto found = m_sources.find(sampleId); found != m_sources.end())
        return *found;
    Source source;
    if (store::Project *project = m_edits->project()) {
        try {
            store::Statement row(project->db(), "SELECT path, member, width, height "
                                                "FROM samples WHERE id = ?");
            row.bind(1, sampleId);
            if (row.step()) {
                source.known = true;
                source.path = row.text(0);
                source.member = row.isNull(1) ? -1 : row.int64(1);
                if (!row.isNull(2) && !row.isNull(3) && row.int64(2) > 0 && row.int64(3) > 0)
                    source.size = QSize(int(row.int64(2)), int(row.int64(3)));
            }
        } catch (const Error &) {
            // Not known: no stand-in and no load; the view shows what the header says.
        }
    }
    return *m_sources.insert(sampleId, source);
}

QSize ReviewImages::logicalSize(std::int64_t sampleId)
{
    Source &source = this->source(sampleId);
    if (source.size.isValid() || !source.known || source.member >= 0)
        return source.size;
    QFile file(datasetpath::absolute(m_root, source.path));
    if (file.open(QIODevice::ReadOnly)) {
        const QByteArray bytes = file.read(headerBytes);
        const scan::ImageHeader header =
            scan::readImageHeader(std::string_view(bytes.constData(), size_t(bytes.size())));
        if (header.width > 0 && header.height > 0 && header.width <= INT_MAX &&
            header.height <= INT_MAX)
            source.size = QSize(int(header.width), int(header.height));
    }
    return source.size;
}

void ReviewImages::focus(const std::vector<std::int64_t> &samples, size_t position)
{
    QSet<std::int64_t> full, previews;
    std::vector<std::int64_t> ahead; // full decodes to ask for, nearest first
    if (position < samples.size()) {
        for (size_t i = position - std::min(position, keepBehind); i < position; ++i)
            full.insert(samples[i]);
        ahead.push_back(samples[position]);
        std::int64_t pixels = 0;
        m_fullAhead = 0;
        for (size_t i = position + 1; i < samples.size() && m_fullAhead < maxFullAhead; ++i) {
            const QSize size = source(samples[i]).size; // unknown counts as small
            const std::int64_t count =
                size.isValid() ? std::int64_t(size.width()) * size.height() : 0;
            if (m_fullAhead > 0 && pixels + count > fullAheadPixels)
                break;
            pixels += count;
            ahead.push_back(samples[i]);
            ++m_fullAhead;
        }
        for (const std::int64_t id : ahead)
            full.insert(id);
        const size_t last = std::min(samples.size(), position + 1 + previewsAhead);
        for (size_t i = position - std::min(position, previewsBehind); i < last; ++i)
            previews.insert(samples[i]);
    }
    m_wantedFull = full;
    m_wantedPreviews = previews;
    const auto wantedFull = [&](std::int64_t id) {
        return full.contains(id);
    };
    for (auto it = m_full.begin(); it != m_full.end();) {
        if (wantedFull(it.key())) {
            ++it;
        } else {
            withdraw(it.key());
            it = m_full.erase(it);
        }
    }
    eraseUnless(m_errors, wantedFull);
    eraseUnless(m_previews, [&](std::int64_t id) { return previews.contains(id); });
    eraseUnless(m_sources, [&](std::int64_t id) {
        return full.contains(id) || previews.contains(id) || m_loading.contains(id);
    });
    for (auto it = m_loading.cbegin(); it != m_loading.cend(); ++it) {
        const bool wanted = full.contains(it.key());
        it->skip->store(wanted ? 0 : 1);
        if (wanted)
            offer(it.key(), it->watcher->future());
        else
            withdraw(it.key());
    }

    for (const std::int64_t id : ahead)
        if (!m_full.contains(id) && !m_errors.contains(id) && !m_loading.contains(id))
            request(id);
    // Stand-ins from the grid's provider, the farthest first: it loads the newest request first.
    if (!m_thumbnails)
        return;
    const size_t last = std::min(samples.size(), position + 1 + previewsAhead);
    for (size_t i = last; i-- > position;) {
        const std::int64_t id = samples[i];
        if (m_previews.contains(id))
            continue;
        const Source &from = source(id);
        if (!from.known)
            continue;
        const QImage image = m_thumbnails->thumbnail(id, from.path, from.member);
        if (!image.isNull())
            m_previews.insert(id, image);
    }
}

void ReviewImages::request(std::int64_t sampleId)
{
    const Source &from = source(sampleId);
    if (!from.known)
        return;
    auto skip = std::make_shared<std::atomic<int>>(0);
    auto *watcher = new QFutureWatcher<ViewerImage>(this);
    m_loading.insert(sampleId, {watcher, skip});
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, sampleId] {
        watcher->deleteLater();
        m_loading.remove(sampleId);
        onLoaded(sampleId, watcher->result());
    });
    watcher->setFuture(loadViewerImage(m_root, from.path, from.member, skip, 0));
    offer(sampleId, watcher->future()); // the inspector beside waits for it, not decoding too
}

void ReviewImages::onLoaded(std::int64_t sampleId, const ViewerImage &result)
{
    const bool wanted = m_wantedFull.contains(sampleId);
    if (result.image.isNull() && result.error.isEmpty()) {
        withdraw(sampleId);
        // Called off before it started; wanted again since (the user came back): load it now.
        if (wanted)
            request(sampleId);
        return;
    }
    if (wanted && !result.image.isNull())
        m_full.insert(sampleId, result.image); // its finished decode stays on offer
    else
        withdraw(sampleId);
    if (wanted && result.image.isNull())
        m_errors.insert(sampleId, result.error);
    emit fullReady(sampleId, result.image, result.error);
}

void ReviewImages::offer(std::int64_t sampleId, const QFuture<ViewerImage> &decode)
{
    const Source &from = source(sampleId);
    offerDecode(m_root, from.path, from.member, decode);
}

void ReviewImages::withdraw(std::int64_t sampleId)
{
    if (const auto from = m_sources.constFind(sampleId); from != m_sources.constEnd())
        withdrawDecode(m_root, from->path, from->member);
}

QImage ReviewImages::preview(std::int64_t sampleId)
{
    if (const auto found = m_previews.constFind(sampleId); found != m_previews.constEnd())
        return *found;
    QImage image;
    if (m_thumbnails)
        image = m_thumbnails->cached(sampleId);
    if (image.isNull())
        image = previewFromCacheFile(sampleId);
    if (image.isNull())
        image = previewFromJpeg(source(sampleId));
    if (!image.isNull())
        m_previews.insert(sampleId, image);
    return image;
}

// The scan's thumbnail: one small JPEG read from the cache file, a millisecond or so.
QImage ReviewImages::previewFromCacheFile(std::int64_t sampleId)
{
    store::Project *project = m_edits->project();
    if (!project)
        return {};
    try {
        if (!m_cacheFile || !m_cacheFile->isUsable()) // the first scan may create it meanwhile
            m_cacheFile = std::make_unique<store::ThumbnailCache>(
                store::ThumbnailCache::pathFor(project->path()),
                store::ThumbnailCache::Mode::ReadOnly);
        if (!m_cacheFile->isUsable())
            return {};
        const QByteArray jpeg = m_cacheFile->get(sampleId);
        return jpeg.isEmpty() ? QImage() : QImage::fromData(jpeg, "JPEG");
    } catch (const Error &) {
        m_cacheFile.reset(); // damaged or not ours: the other stand-ins remain
        return {};
    }
}

// A sample never scanned: a JPEG decodes DCT-scaled to an eighth in a fraction of the time of
// the full decode. Other types cannot be decoded small, and are not tried here.
QImage ReviewImages::previewFromJpeg(const Source &source)
{
    if (!source.known || source.member >= 0 ||
        scan::typeFromExtension(source.path.toStdString()) != scan::ImageType::Jpeg)
        return {};
    try {
        const scan::LoadedImage loaded =
            scan::loadSampleImage(m_root, source.path, -1, 100'000'000, jpegPreviewSide);
        QString error;
        return loaded.error.isEmpty() ? matToImage(loaded.pixels, error) : QImage();
    } catch (const std::exception &) { // OpenCV, allocation: a missing stand-in, not a crash
        return {};
    }
}

void ReviewImages::onThumbnailReady(qint64 sampleId)
{
    if (!m_wantedPreviews.contains(sampleId) || m_previews.contains(sampleId) || !m_thumbnails)
        return;
    const QImage image = m_thumbnails->cached(sampleId);
    if (image.isNull())
        return;
    m_previews.insert(sampleId, image);
    emit previewReady(sampleId);
}

} // namespace assay::ui
