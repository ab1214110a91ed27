#pragma once

#include "imageheader.h"

#include <QString>

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <string_view>

namespace assay::scan {

enum class DecodeStatus { Ok, ZeroBytes, Unsupported, TooLarge, Corrupt };

struct DecodeLimits
{
    std::int64_t maxPixels = 100'000'000; // refuse to decode beyond this (header first)
    int workingSide = 160; // decode (JPEG: DCT-scale) so the longest side is at least this
};

struct Decoded
{
    DecodeStatus status = DecodeStatus::Ok;
    QString reason;       // the decoder's words when status != Ok
    ImageType type = ImageType::Unknown;
    int width = 0;        // full size, from the header or the decode
    int height = 0;
    int channels = 0;     // of the source: 1 gray, 3 colour, 4 with alpha
    cv::Mat pixels;       // 8-bit, 1 or 3 channels (BGR), possibly DCT-scaled
    int scaleDenominator = 1; // pixels are 1/scaleDenominator of full size (JPEG only)
};

// Decodes an image file's bytes once. JPEG goes through TurboJPEG with DCT scaling (the smallest
// scale whose longest side still reaches limits.workingSide) and reports warnings such as
// "Premature end of JPEG file" as corruption; other types go through OpenCV. The header is read
// first and images beyond limits.maxPixels are refused without decoding.
Decoded decodeImage(std::string_view bytes, const DecodeLimits &limits);

// Wraps raw 8-bit gray pixels (an MNIST member) as a decoded image.
Decoded wrapGrayPixels(const unsigned char *pixels, int width, int height);

} // namespace assay::scan
