#pragma once

#include <QFuture>
#include <QImage>
#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>

namespace cv {
class Mat;
}

namespace assay::ui {

// A sample's full image ready to paint, or why there is none.
struct ViewerImage
{
    QImage image;
    QString error;
};

// A deep copy of 8-bit gray, BGR or BGRA pixels as RGB32 / ARGB32_Premultiplied (formats that
// paint without conversion); null with `error` set for anything else.
QImage matToImage(const cv::Mat &mat, QString &error);

// Decodes a view holds or has under way (review mode: the current sample and the next ones),
// offered to the other views of the same file — the inspector beside the review — so that a
// large image is not decoded twice. The UI thread only; withdrawn when the holder lets the image
// go or calls the decode off.
void offerDecode(const QString &root, const QString &path, std::int64_t member,
                 const QFuture<ViewerImage> &decode);
void withdrawDecode(const QString &root, const QString &path, std::int64_t member);
// The offered decode's image when it has finished; null otherwise.
QImage offeredImage(const QString &root, const QString &path, std::int64_t member);

// Reads, decodes and converts one sample's image off the UI thread (or answers with a decode
// offered above), on jobs::workerPool() — or,
// while every thread of that pool is busy (a scan), on a thread of its own, so the inspector
// does not wait for the scan to end. A task that starts after `*latest` has moved on from
// `generation` skips the work (the user stepped past the sample). Never throws.
QFuture<ViewerImage> loadViewerImage(const QString &root, const QString &path,
                                     std::int64_t member,
                                     std::shared_ptr<const std::atomic<int>> latest,
                                     int generation);

} // namespace assay::ui
