#pragma once

#include <QString>

#include <cstdint>
#include <string_view>

namespace assay::scan {

// What a file's first bytes say it is, and (where the header says so) its size: read before
// anything is decoded, so that decompression bombs are refused without allocating pixels.
enum class ImageType { Unknown, Jpeg, Png, Gif, Bmp, Webp, Tiff, Pnm, Jpeg2000, Hdr, Exr, SunRaster };

struct ImageHeader
{
    ImageType type = ImageType::Unknown;
    std::int64_t width = 0; // 0 when the header could not tell
    std::int64_t height = 0;
};

// Sniffs the type from magic bytes and reads width and height from the header where the format
// makes that cheap (every type but OpenEXR).
ImageHeader readImageHeader(std::string_view bytes);

// "jpeg", "png", ... ("unknown" for Unknown).
QString imageTypeName(ImageType type);

// The type a file name's extension promises (Unknown for extensions that are not images).
ImageType typeFromExtension(std::string_view fileName);

// OpenCV 4.6 and TurboJPEG decode every type except GIF.
bool isDecodable(ImageType type);

// Walks a PNG's chunks: each length in bounds, each CRC right, IHDR first, IEND present.
// Returns an empty string when the structure is sound, else the first problem found.
QString checkPngStructure(std::string_view bytes);

} // namespace assay::scan
