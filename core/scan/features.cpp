#include "features.h"

#include <opencv2/img_hash.hpp>
#include <opencv2/imgproc.hpp>

#include <turbojpeg.h>
#include <xxhash.h>

#include <array>
#include <cmath>
#include <cstring>

namespace assay::scan {

namespace {

class TurboCompressor
{
public:
    TurboCompressor() : m_handle(tjInitCompress()) {}
    ~TurboCompressor() { tjDestroy(m_handle); }
    tjhandle handle() const { return m_handle; }

private:
    tjhandle m_handle;
};

QByteArray encodeJpeg(const cv::Mat &image, int quality)
{
    thread_local TurboCompressor compressor;
    unsigned char *buffer = nullptr;
    unsigned long size = 0;
    const bool gray = image.channels() == 1;
    const int status = tjCompress2(compressor.handle(), image.data, image.cols, int(image.step),
                                   image.rows, gray ? TJPF_GRAY : TJPF_BGR, &buffer, &size,
                                   gray ? TJSAMP_GRAY : TJSAMP_420, quality, TJFLAG_FASTDCT);
    QByteArray out;
    if (status == 0)
        out = QByteArray(reinterpret_cast<const char *>(buffer), qsizetype(size));
    tjFree(buffer);
    return out;
}

std::uint64_t hashBits(const cv::Mat &hash)
{
    std::uint64_t bits = 0;
    for (int i = 0; i < std::min(8, hash.cols); ++i)
        bits = (bits << 8) | hash.at<uchar>(0, i);
    return bits;
}

// Percentile of a 256-bin histogram (the smallest level with cumulative share >= q).
double percentile(const std::array<double, 256> &histogram, double total, double q)
{
    double cumulative = 0;
    for (int level = 0; level < 256; ++level) {
        cumulative += histogram[size_t(level)];
        if (cumulative >= q * total)
            return level;
    }
    return 255;
}

cv::Mat resizedToSide(const cv::Mat &image, int side)
{
    const int longest = std::max(image.cols, image.rows);
    if (longest <= side)
        return image;
    const double scale = double(side) / longest;
    cv::Mat out;
    cv::resize(image, out,
               cv::Size(std::max(1, int(std::lround(image.cols * scale))),
                        std::max(1, int(std::lround(image.rows * scale)))),
               0, 0, cv::INTER_AREA);
    return out;
}

} // namespace

QByteArray contentHash(const void *data, size_t size)
{
    const XXH128_hash_t hash = XXH3_128bits(data, size);
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, hash);
    return QByteArray(reinterpret_cast<const char *>(canonical.digest), 16);
}

void computeFeatures(const Decoded &decoded, SampleFeatures &features, int thumbnailSide)
{
    const cv::Mat &pixels = decoded.pixels;
    features.width = decoded.width;
    features.height = decoded.height;
    features.channels = decoded.channels;
    {
        // Exact-duplicate key: the decoded pixels with their size and decode scale.
        XXH3_state_t *state = XXH3_createState();
        XXH3_64bits_reset(state);
        const std::int32_t shape[4] = {decoded.width, decoded.height, pixels.channels(),
                                       decoded.scaleDenominator};
        XXH3_64bits_update(state, shape, sizeof shape);
        for (int row = 0; row < pixels.rows; ++row)
            XXH3_64bits_update(state, pixels.ptr(row), pixels.cols * pixels.elemSize());
        features.pixelHash = XXH3_64bits_digest(state);
        XXH3_freeState(state);
    }

    const cv::Mat working = resizedToSide(pixels, thumbnailSide);
    cv::Mat luma;
    if (working.channels() == 1)
        luma = working;
    else
        cv::cvtColor(working, luma, cv::COLOR_BGR2GRAY);

    std::array<double, 256> histogram{};
    for (int row = 0; row < luma.rows; ++row) {
        const uchar *p = luma.ptr(row);
        for (int col = 0; col < luma.cols; ++col)
            histogram[p[col]] += 1;
    }
    const double total = double(luma.total());
    double sum = 0, sumSquares = 0, entropy = 0;
    for (int level = 0; level < 256; ++level) {
        const double count = histogram[size_t(level)];
        sum += count * level;
        sumSquares += count * level * level;
        if (count > 0) {
            const double p = count / total;
            entropy -= p * std::log2(p);
        }
    }
    features.brightness = sum / total;
    features.contrast = std::sqrt(std::max(0.0, sumSquares / total
                                                    - features.brightness * features.brightness));
    features.entropy = entropy;
    features.lumaP1 = percentile(histogram, total, 0.01);
    features.lumaP5 = percentile(histogram, total, 0.05);
    features.lumaP95 = percentile(histogram, total, 0.95);
    features.lumaP99 = percentile(histogram, total, 0.99);

    cv::Mat laplacian;
    cv::Laplacian(luma, laplacian, CV_32F);
    cv::Scalar mean, stddev;
    cv::meanStdDev(laplacian, mean, stddev);
    features.sharpness = stddev[0] * stddev[0];

    if (working.channels() == 3) {
        // Hasler-Suesstrunk colourfulness and the mean absolute channel difference.
        double rgSum = 0, rgSq = 0, ybSum = 0, ybSq = 0, channelDifference = 0;
        for (int row = 0; row < working.rows; ++row) {
            const uchar *p = working.ptr(row);
            for (int col = 0; col < working.cols; ++col, p += 3) {
                const double b = p[0], g = p[1], r = p[2];
                const double rg = r - g;
                const double yb = 0.5 * (r + g) - b;
                rgSum += rg;
                rgSq += rg * rg;
                ybSum += yb;
                ybSq += yb * yb;
                channelDifference += std::abs(rg) + std::abs(g - b);
            }
        }
        const double rgMean = rgSum / total, ybMean = ybSum / total;
        const double rgVar = std::max(0.0, rgSq / total - rgMean * rgMean);
        const double ybVar = std::max(0.0, ybSq / total - ybMean * ybMean);
        features.colorfulness = std::sqrt(rgVar + ybVar)
                                + 0.3 * std::sqrt(rgMean * rgMean + ybMean * ybMean);
        features.grayscale = channelDifference / (2.0 * total) < 1.0;
    } else {
        features.colorfulness = 0;
        features.grayscale = true;
    }

    thread_local cv::Ptr<cv::img_hash::PHash> phash = cv::img_hash::PHash::create();
    thread_local cv::Ptr<cv::img_hash::AverageHash> ahash = cv::img_hash::AverageHash::create();
    cv::Mat hash;
    phash->compute(working, hash);
    features.phash = hashBits(hash);
    ahash->compute(working, hash);
    features.ahash = hashBits(hash);

    {
        // Shrinking averages (area); the few images smaller than 16 px are stretched.
        cv::Mat signature;
        const bool shrink = luma.cols >= 16 && luma.rows >= 16;
        cv::resize(luma, signature, cv::Size(16, 16), 0, 0,
                   shrink ? cv::INTER_AREA : cv::INTER_LINEAR);
        features.signature = QByteArray(reinterpret_cast<const char *>(signature.data), 256);
    }
    features.smallImage.clear();
    if (luma.cols == decoded.width && luma.rows == decoded.height
        && std::max(luma.cols, luma.rows) <= smallImageSide) {
        QByteArray &small = features.smallImage;
        small.resize(4 + qsizetype(luma.total()));
        auto *out = reinterpret_cast<unsigned char *>(small.data());
        out[0] = static_cast<unsigned char>(luma.cols & 0xff);
        out[1] = static_cast<unsigned char>(luma.cols >> 8);
        out[2] = static_cast<unsigned char>(luma.rows & 0xff);
        out[3] = static_cast<unsigned char>(luma.rows >> 8);
        for (int row = 0; row < luma.rows; ++row)
            std::memcpy(out + 4 + row * luma.cols, luma.ptr(row), size_t(luma.cols));
    }

    features.thumbnail = encodeJpeg(working.isContinuous() ? working : working.clone(), 85);
}

} // namespace assay::scan
