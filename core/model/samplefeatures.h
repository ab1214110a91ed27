#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace assay {

// How a sample's scan ended.
enum class ScanStatus : int {
    Ok = 0,
    ZeroBytes = 1,
    Unsupported = 2,
    TooLarge = 3,
    Corrupt = 4,
    Missing = 5,    // the file vanished since the import
    Unreadable = 6, // it exists but cannot be read (permissions, I/O error)
};

// Everything the scan learns about one sample from one read and one decode.
struct SampleFeatures
{
    std::int64_t sampleId = 0;
    int extractorVersion = 0;
    std::int64_t fileSize = 0;
    std::int64_t fileMtime = 0;
    QByteArray contentHash; // XXH3-128 of the file's (or member's) bytes, 16 bytes
    ScanStatus status = ScanStatus::Ok;
    QString detail;         // the reason when status != Ok
    QString realType;       // by content: "jpeg", "png", ... ("idx" for MNIST members)
    int width = 0;
    int height = 0;
    int channels = 0;
    // Pixel statistics on the working image (longest side min(160, native)); luma is BT.601.
    double brightness = 0;   // mean luma, 0-255
    double contrast = 0;     // standard deviation of luma
    double sharpness = 0;    // variance of the 3x3 Laplacian of luma
    double entropy = 0;      // Shannon entropy of the luma histogram, bits (0-8)
    double colorfulness = 0; // Hasler-Suesstrunk
    bool grayscale = false;  // one channel, or colour channels that (nearly) agree
    double lumaP1 = 0, lumaP5 = 0, lumaP95 = 0, lumaP99 = 0;
    std::uint64_t pixelHash = 0; // XXH3-64 of the decoded pixels (re-encoded exact copies)
    std::uint64_t phash = 0;     // OpenCV img_hash PHash (DCT)
    std::uint64_t ahash = 0;     // OpenCV img_hash AverageHash
    // 16x16 grey thumbnail (256 bytes, row by row) of the working image's luma, squeezed to a
    // square: what confirms a near-duplicate pair (analysis/imagesignature.h).
    QByteArray signature;
    // A small image (longer side at most 64 px) whole: 2-byte little-endian width and height,
    // then its grey pixels row by row (analysis/smallshifts.h); empty for larger images.
    QByteArray smallImage;
    QByteArray thumbnail;        // JPEG, longest side <= 160
};

} // namespace assay
