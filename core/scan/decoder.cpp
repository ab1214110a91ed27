#include "decoder.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <turbojpeg.h>

namespace assay::scan {

namespace {

// One TurboJPEG decompressor per thread: creating one per image costs more than a small decode.
class TurboDecompressor
{
public:
    TurboDecompressor() : m_handle(tjInitDecompress()) {}
    ~TurboDecompressor() { tjDestroy(m_handle); }
    tjhandle handle() const { return m_handle; }

private:
    tjhandle m_handle;
};

tjhandle threadDecompressor()
{
    thread_local TurboDecompressor decompressor;
    return decompressor.handle();
}

Decoded decodeJpeg(std::string_view bytes, const DecodeLimits &limits, Decoded result)
{
    tjhandle tj = threadDecompressor();
    const auto *data = reinterpret_cast<const unsigned char *>(bytes.data());
    const auto size = static_cast<unsigned long>(bytes.size());
    int width = 0, height = 0, subsampling = 0, colorspace = 0;
    if (tjDecompressHeader3(tj, data, size, &width, &height, &subsampling, &colorspace) != 0) {
        result.status = DecodeStatus::Corrupt;
        result.reason = QString::fromUtf8(tjGetErrorStr2(tj));
        return result;
    }
    result.width = width;
    result.height = height;
    if (std::int64_t(width) * height > limits.maxPixels) {
        result.status = DecodeStatus::TooLarge;
        return result;
    }
    const bool gray = colorspace == TJCS_GRAY;
    result.channels = gray ? 1 : 3;
    // The smallest DCT scale (1/8, 1/4, 1/2, 1) whose longest side still reaches workingSide.
    const int longest = std::max(width, height);
    int denominator = 8;
    while (denominator > 1 && (longest + denominator - 1) / denominator < limits.workingSide)
        denominator /= 2;
    const tjscalingfactor factor{1, denominator};
    const int scaledWidth = TJSCALED(width, factor);
    const int scaledHeight = TJSCALED(height, factor);
    cv::Mat pixels(scaledHeight, scaledWidth, gray ? CV_8UC1 : CV_8UC3);
    const int status = tjDecompress2(tj, data, size, pixels.data, scaledWidth,
                                     int(pixels.step), scaledHeight,
                                     gray ? TJPF_GRAY : TJPF_BGR, TJFLAG_FASTDCT);
    if (status != 0) {
        // Warnings ("Premature end of JPEG file") leave a partly grey image: that is corruption.
        result.status = DecodeStatus::Corrupt;
        result.reason = QString::fromUtf8(tjGetErrorStr2(tj));
        return result;
    }
    result.pixels = pixels;
    result.scaleDenominator = denominator;
    return result;
}

Decoded decodeWithOpenCv(std::string_view bytes, Decoded result)
{
    const cv::Mat raw(1, int(bytes.size()), CV_8UC1,
                      const_cast<char *>(bytes.data())); // imdecode only reads
    cv::Mat image;
    try {
        image = cv::imdecode(raw, cv::IMREAD_UNCHANGED | cv::IMREAD_ANYDEPTH);
    } catch (const cv::Exception &error) {
        result.status = DecodeStatus::Corrupt;
        result.reason = QString::fromStdString(error.msg).trimmed();
        return result;
    }
    if (image.empty()) {
        result.status = DecodeStatus::Corrupt;
        if (result.reason.isEmpty())
            result.reason = QStringLiteral("the %1 decoder could not read the image")
                                .arg(imageTypeName(result.type));
        return result;
    }
    result.width = image.cols;
    result.height = image.rows;
    result.channels = image.channels();
    if (image.depth() != CV_8U) {
        double scale = 1.0;
        if (image.depth() == CV_16U)
            scale = 1.0 / 257.0;
        else if (image.depth() == CV_32F || image.depth() == CV_64F)
            scale = 255.0; // HDR/EXR data in [0, 1] (clipped above)
        image.convertTo(image, CV_8U, scale);
    }
    if (image.channels() == 4)
        cv::cvtColor(image, image, cv::COLOR_BGRA2BGR);
    else if (image.channels() == 2)
        cv::extractChannel(image, image, 0);
    result.pixels = image;
    return result;
}

} // namespace

Decoded decodeImage(std::string_view bytes, const DecodeLimits &limits)
{
    Decoded result;
    if (bytes.empty()) {
        result.status = DecodeStatus::ZeroBytes;
        result.reason = QStringLiteral("the file is empty");
        return result;
    }
    const ImageHeader header = readImageHeader(bytes);
    result.type = header.type;
    result.width = int(std::min<std::int64_t>(header.width, INT32_MAX));
    result.height = int(std::min<std::int64_t>(header.height, INT32_MAX));
    if (!isDecodable(header.type)) {
        result.status = DecodeStatus::Unsupported;
        result.reason = header.type == ImageType::Unknown
                            ? QStringLiteral("not an image format Assay can read")
                            : QStringLiteral("%1 images cannot be decoded (no decoder in this "
                                             "build)")
                                  .arg(imageTypeName(header.type).toUpper());
        return result;
    }
    // Divided, not multiplied: a header may claim 4 billion by 4 billion pixels.
    if (header.width > 0 && header.height > 0 && header.width > limits.maxPixels / header.height) {
        result.status = DecodeStatus::TooLarge;
        result.reason = QStringLiteral("%1×%2 pixels (%3 MP) exceeds the %4 MP decoding limit")
                            .arg(header.width)
                            .arg(header.height)
                            .arg(double(header.width) * double(header.height) / 1e6, 0, 'f', 1)
                            .arg(double(limits.maxPixels) / 1e6, 0, 'f', 0);
        return result;
    }
    // OpenCV allocates what a header claims before it reads a pixel, and checks the claim only
    // against its own 1 GP limit: a type whose size the header does not state is not decoded.
    const bool sizeStated = header.width > 0 && header.height > 0;
    if (!sizeStated && header.type != ImageType::Jpeg && header.type != ImageType::Png) {
        result.status = DecodeStatus::Corrupt;
        result.reason = QStringLiteral("the %1 header does not state a readable image size")
                            .arg(imageTypeName(header.type).toUpper());
        return result;
    }
    if (header.type == ImageType::Png) {
        const QString problem = checkPngStructure(bytes);
        if (!problem.isEmpty()) {
            result.status = DecodeStatus::Corrupt;
            result.reason = problem;
            return result;
        }
    }
    if (header.type == ImageType::Jpeg) {
        Decoded jpeg = decodeJpeg(bytes, limits, result);
        if (jpeg.status == DecodeStatus::TooLarge)
            jpeg.reason = QStringLiteral("%1×%2 pixels exceeds the %3 MP decoding limit")
                              .arg(jpeg.width)
                              .arg(jpeg.height)
                              .arg(double(limits.maxPixels) / 1e6, 0, 'f', 0);
        return jpeg;
    }
    return decodeWithOpenCv(bytes, result);
}

Decoded wrapGrayPixels(const unsigned char *pixels, int width, int height)
{
    Decoded result;
    result.type = ImageType::Unknown;
    result.width = width;
    result.height = height;
    result.channels = 1;
    result.pixels = cv::Mat(height, width, CV_8UC1, const_cast<unsigned char *>(pixels)).clone();
    return result;
}

} // namespace assay::scan
