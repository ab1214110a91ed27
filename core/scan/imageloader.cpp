#include "imageloader.h"

#include "decoder.h"

#include "formats/idxfile.h"
#include "util/datasetpath.h"
#include "util/error.h"

#include <QFile>
#include <QMutex>

#include <memory>

namespace assay::scan {

namespace {

// The last container read, kept so stepping through MNIST members does not re-read the file.
std::shared_ptr<const formats::IdxData> cachedContainer(const QString &file)
{
    static QMutex mutex;
    static QString cachedPath;
    static std::shared_ptr<const formats::IdxData> cached;
    QMutexLocker lock(&mutex);
    if (cachedPath != file || !cached) {
        cached = std::make_shared<formats::IdxData>(formats::readIdxFile(file));
        cachedPath = file;
    }
    return cached;
}

} // namespace

LoadedImage loadSampleImage(const QString &root, const QString &path, std::int64_t member,
                            std::int64_t maxPixels, int workingSide)
{
    LoadedImage loaded;
    const QString file = datasetpath::absolute(root, path);
    try {
        if (member >= 0) {
            const auto idx = cachedContainer(file);
            if (member >= idx->count) {
                loaded.error = QStringLiteral("%1 holds only %2 images").arg(path).arg(idx->count);
                return loaded;
            }
            loaded.pixels = cv::Mat(idx->rows, idx->columns, CV_8UC1,
                                    const_cast<uchar *>(idx->item(member)))
                                .clone();
            return loaded;
        }
    } catch (const Error &error) {
        loaded.error = error.message();
        return loaded;
    }
    QFile input(file);
    if (!input.open(QIODevice::ReadOnly)) {
        loaded.error = QStringLiteral("cannot read %1: %2").arg(path, input.errorString());
        return loaded;
    }
    const QByteArray bytes = input.readAll();
    DecodeLimits limits;
    limits.maxPixels = maxPixels;
    limits.workingSide = workingSide;
    Decoded decoded = decodeImage(std::string_view(bytes.constData(), size_t(bytes.size())), limits);
    if (decoded.status != DecodeStatus::Ok) {
        loaded.error = decoded.reason;
        return loaded;
    }
    loaded.pixels = decoded.pixels;
    return loaded;
}

} // namespace assay::scan
