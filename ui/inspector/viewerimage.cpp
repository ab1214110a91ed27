#include "viewerimage.h"

#include "jobs/workerpool.h"
#include "scan/imageloader.h"
#include "util/error.h"

#include <QCoreApplication>
#include <QHash>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <opencv2/core/mat.hpp>

namespace assay::ui {

namespace {

QString translate(const char *text)
{
    return QCoreApplication::translate("assay::ui::SampleInspector", text);
}

ViewerImage decodeSample(const QString &root, const QString &path, std::int64_t member)
{
    ViewerImage result;
    try {
        const scan::LoadedImage loaded = scan::loadSampleImage(root, path, member);
        if (!loaded.error.isEmpty())
            result.error = loaded.error;
        else
            result.image = matToImage(loaded.pixels, result.error);
    } catch (const Error &error) {
        result.error = error.message();
    } catch (const std::exception &error) { // OpenCV, allocation: never into the event loop
        result.error = QString::fromLocal8Bit(error.what());
    }
    return result;
}

QHash<QString, QFuture<ViewerImage>> &offeredDecodes()
{
    static QHash<QString, QFuture<ViewerImage>> decodes;
    return decodes;
}

QString offerKey(const QString &root, const QString &path, std::int64_t member)
{
    return root + QLatin1Char('\n') + path + QLatin1Char('#') + QString::number(member);
}

QThreadPool &ownPool()
{
    static QThreadPool pool;
    pool.setMaxThreadCount(1);
    return pool;
}

} // namespace

QImage matToImage(const cv::Mat &mat, QString &error)
{
    if (mat.empty() || mat.depth() != CV_8U) {
        error = translate("The image has no 8-bit pixels to show");
        return {};
    }
    const auto *data = static_cast<const uchar *>(mat.data);
    const int step = int(mat.step[0]);
    switch (mat.channels()) { // convertToFormat copies: the Mat may die right after
    case 1:
        return QImage(data, mat.cols, mat.rows, step, QImage::Format_Grayscale8)
            .convertToFormat(QImage::Format_RGB32);
    case 3:
        return QImage(data, mat.cols, mat.rows, step, QImage::Format_BGR888)
            .convertToFormat(QImage::Format_RGB32);
    case 4: // BGRA in memory is ARGB32 on a little-endian machine
        return QImage(data, mat.cols, mat.rows, step, QImage::Format_ARGB32)
            .convertToFormat(QImage::Format_ARGB32_Premultiplied);
    default:
        error = translate("Images with %1 channels cannot be shown").arg(mat.channels());
        return {};
    }
}

void offerDecode(const QString &root, const QString &path, std::int64_t member,
                 const QFuture<ViewerImage> &decode)
{
    offeredDecodes().insert(offerKey(root, path, member), decode);
}

void withdrawDecode(const QString &root, const QString &path, std::int64_t member)
{
    offeredDecodes().remove(offerKey(root, path, member));
}

QImage offeredImage(const QString &root, const QString &path, std::int64_t member)
{
    const QFuture<ViewerImage> decode = offeredDecodes().value(offerKey(root, path, member));
    return decode.isValid() && decode.isFinished() && decode.resultCount() > 0
               ? decode.result().image
               : QImage();
}

QFuture<ViewerImage> loadViewerImage(const QString &root, const QString &path,
                                     std::int64_t member,
                                     std::shared_ptr<const std::atomic<int>> latest,
                                     int generation)
{
    if (const auto offered = offeredDecodes().constFind(offerKey(root, path, member));
        offered != offeredDecodes().constEnd()) {
        const bool calledOff = offered->isFinished() && offered->resultCount() > 0
                               && offered->result().image.isNull()
                               && offered->result().error.isEmpty();
        if (!calledOff)
            return *offered;
    }
    QThreadPool *pool = &jobs::workerPool();
    if (pool->activeThreadCount() >= pool->maxThreadCount())
        pool = &ownPool();
    return QtConcurrent::run(pool, [root, path, member, latest = std::move(latest), generation] {
        if (latest->load() != generation)
            return ViewerImage{}; // stale before it started: dropped on arrival anyway
        return decodeSample(root, path, member);
    });
}

} // namespace assay::ui
