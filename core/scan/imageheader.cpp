#include "imageheader.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <string>

namespace assay::scan {

namespace {

std::uint32_t be32(const unsigned char *p)
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8)
           | p[3];
}
std::uint16_t be16(const unsigned char *p)
{
    return std::uint16_t((p[0] << 8) | p[1]);
}
std::uint32_t le32(const unsigned char *p)
{
    return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16)
           | (std::uint32_t(p[3]) << 24);
}
std::uint16_t le16(const unsigned char *p)
{
    return std::uint16_t(p[0] | (p[1] << 8));
}

const unsigned char *bytesOf(std::string_view data)
{
    return reinterpret_cast<const unsigned char *>(data.data());
}

// JPEG: the first start-of-frame marker holds height and width.
void readJpegSize(std::string_view data, ImageHeader &header)
{
    const unsigned char *p = bytesOf(data);
    size_t i = 2;
    while (i + 9 < data.size()) {
        if (p[i] != 0xFF) {
            ++i;
            continue;
        }
        const unsigned char marker = p[i + 1];
        if (marker == 0xFF || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            ++i;
            continue;
        }
        const size_t length = be16(p + i + 2);
        const bool startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4
                                  && marker != 0xC8 && marker != 0xCC;
        if (startOfFrame) {
            header.height = be16(p + i + 5);
            header.width = be16(p + i + 7);
            return;
        }
        if (marker == 0xDA || length < 2)
            return; // start of scan before a frame header: give up
        i += 2 + length;
    }
}

void readWebpSize(std::string_view data, ImageHeader &header)
{
    const unsigned char *p = bytesOf(data);
    if (data.size() < 30)
        return;
    if (std::memcmp(p + 12, "VP8X", 4) == 0) {
        header.width = 1 + (p[24] | (p[25] << 8) | (p[26] << 16));
        header.height = 1 + (p[27] | (p[28] << 8) | (p[29] << 16));
    } else if (std::memcmp(p + 12, "VP8L", 4) == 0 && p[20] == 0x2F) {
        const std::uint32_t bits = le32(p + 21);
        header.width = 1 + (bits & 0x3FFF);
        header.height = 1 + ((bits >> 14) & 0x3FFF);
    } else if (std::memcmp(p + 12, "VP8 ", 4) == 0) {
        header.width = le16(p + 26) & 0x3FFF;
        header.height = le16(p + 28) & 0x3FFF;
    }
}

void readTiffSize(std::string_view data, ImageHeader &header)
{
    const unsigned char *p = bytesOf(data);
    const bool little = p[0] == 'I';
    auto u16 = [&](size_t at) { return little ? le16(p + at) : be16(p + at); };
    auto u32 = [&](size_t at) { return little ? le32(p + at) : be32(p + at); };
    const size_t ifd = u32(4);
    if (ifd + 2 > data.size())
        return;
    const size_t entries = u16(ifd);
    for (size_t e = 0; e < entries; ++e) {
        const size_t at = ifd + 2 + e * 12;
        if (at + 12 > data.size())
            return;
        const std::uint16_t tag = u16(at);
        const std::uint16_t type = u16(at + 2);
        const std::uint32_t value = type == 3 ? u16(at + 8) : u32(at + 8);
        if (tag == 256)
            header.width = value;
        else if (tag == 257)
            header.height = value;
    }
}

// PNM: read the way OpenCV 4.6's PxM decoder reads it (each number ends at any non-digit, which
// is consumed; '#' comments run to a line end), so that the size checked here is the size it
// would allocate. Headers OpenCV would refuse leave the size unknown.
void readPnmSize(std::string_view data, ImageHeader &header)
{
    size_t i = 2;
    auto next = [&]() -> int { return i < data.size() ? static_cast<unsigned char>(data[i++]) : -1; };
    std::int64_t values[2] = {0, 0};
    for (std::int64_t &value : values) {
        int code = next();
        while (!std::isdigit(code)) {
            if (code == '#') {
                do
                    code = next();
                while (code >= 0 && code != '\n' && code != '\r');
                code = next();
            } else if (code >= 0 && std::isspace(code)) {
                while (code >= 0 && std::isspace(code))
                    code = next();
            } else {
                return;
            }
        }
        do {
            value = value * 10 + (code - '0');
            if (value > INT32_MAX)
                return;
            code = next();
        } while (std::isdigit(code));
    }
    header.width = values[0];
    header.height = values[1];
}

// JPEG 2000: the SIZ segment of a bare codestream, or the 'ihdr' box of a JP2 file.
void readJpeg2000Size(std::string_view data, ImageHeader &header)
{
    const unsigned char *p = bytesOf(data);
    if (data.size() >= 24 && p[0] == 0xFF && p[1] == 0x4F) {
        const std::uint32_t width = be32(p + 8), height = be32(p + 12);
        const std::uint32_t x0 = be32(p + 16), y0 = be32(p + 20);
        if (width > x0 && height > y0) {
            header.width = width - x0;
            header.height = height - y0;
        }
        return;
    }
    const std::string_view head = data.substr(0, 4096);
    const size_t at = head.find("ihdr");
    if (at != std::string_view::npos && at + 12 <= data.size()) {
        header.height = be32(p + at + 4);
        header.width = be32(p + at + 8);
    }
}

// Radiance HDR: header lines up to a blank one, then the resolution line OpenCV accepts
// ("-Y height +X width").
void readHdrSize(std::string_view data, ImageHeader &header)
{
    const std::string_view head = data.substr(0, 65536);
    const size_t blank = head.find("\n\n");
    if (blank == std::string_view::npos)
        return;
    const std::string_view line = head.substr(blank + 2, 64);
    long long height = 0, width = 0;
    const std::string text(line.substr(0, line.find('\n')));
    if (std::sscanf(text.c_str(), "-Y %lld +X %lld", &height, &width) == 2 && height > 0 && width > 0) {
        header.width = width;
        header.height = height;
    }
}

} // namespace

ImageHeader readImageHeader(std::string_view data)
{
    ImageHeader header;
    const unsigned char *p = bytesOf(data);
    const size_t n = data.size();
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
        header.type = ImageType::Jpeg;
        readJpegSize(data, header);
    } else if (n >= 8 && std::memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) {
        header.type = ImageType::Png;
        if (n >= 24 && std::memcmp(p + 12, "IHDR", 4) == 0) {
            header.width = be32(p + 16);
            header.height = be32(p + 20);
        }
    } else if (n >= 6 && (std::memcmp(p, "GIF87a", 6) == 0 || std::memcmp(p, "GIF89a", 6) == 0)) {
        header.type = ImageType::Gif;
        if (n >= 10) {
            header.width = le16(p + 6);
            header.height = le16(p + 8);
        }
    } else if (n >= 2 && p[0] == 'B' && p[1] == 'M') {
        header.type = ImageType::Bmp;
        if (n >= 26) {
            const std::uint32_t dibSize = le32(p + 14);
            if (dibSize == 12) {
                header.width = le16(p + 18);
                header.height = le16(p + 20);
            } else {
                header.width = std::abs(std::int32_t(le32(p + 18)));
                header.height = std::abs(std::int32_t(le32(p + 22)));
            }
        }
    } else if (n >= 12 && std::memcmp(p, "RIFF", 4) == 0 && std::memcmp(p + 8, "WEBP", 4) == 0) {
        header.type = ImageType::Webp;
        readWebpSize(data, header);
    } else if (n >= 8 && (std::memcmp(p, "II*\0", 4) == 0 || std::memcmp(p, "MM\0*", 4) == 0)) {
        header.type = ImageType::Tiff;
        readTiffSize(data, header);
    } else if (n >= 3 && p[0] == 'P' && p[1] >= '1' && p[1] <= '6'
               && std::isspace(static_cast<unsigned char>(p[2]))) {
        header.type = ImageType::Pnm;
        readPnmSize(data, header);
    } else if (n >= 12 && std::memcmp(p, "\0\0\0\x0CjP  \r\n\x87\n", 12) == 0) {
        header.type = ImageType::Jpeg2000;
        readJpeg2000Size(data, header);
    } else if (n >= 4 && std::memcmp(p, "\xFF\x4F\xFF\x51", 4) == 0) {
        header.type = ImageType::Jpeg2000;
        readJpeg2000Size(data, header);
    } else if (n >= 10 && (std::memcmp(p, "#?RADIANCE", 10) == 0 || std::memcmp(p, "#?RGBE", 6) == 0)) {
        header.type = ImageType::Hdr;
        readHdrSize(data, header);
    } else if (n >= 4 && std::memcmp(p, "\x76\x2F\x31\x01", 4) == 0) {
        header.type = ImageType::Exr;
    } else if (n >= 4 && std::memcmp(p, "\x59\xA6\x6A\x95", 4) == 0) {
        header.type = ImageType::SunRaster;
        if (n >= 12) {
            header.width = be32(p + 4);
            header.height = be32(p + 8);
        }
    }
    return header;
}

QString imageTypeName(ImageType type)
{
    switch (type) {
    case ImageType::Jpeg: return QStringLiteral("jpeg");
    case ImageType::Png: return QStringLiteral("png");
    case ImageType::Gif: return QStringLiteral("gif");
    case ImageType::Bmp: return QStringLiteral("bmp");
    case ImageType::Webp: return QStringLiteral("webp");
    case ImageType::Tiff: return QStringLiteral("tiff");
    case ImageType::Pnm: return QStringLiteral("pnm");
    case ImageType::Jpeg2000: return QStringLiteral("jpeg2000");
    case ImageType::Hdr: return QStringLiteral("hdr");
    case ImageType::Exr: return QStringLiteral("exr");
    case ImageType::SunRaster: return QStringLiteral("sunraster");
    case ImageType::Unknown: break;
    }
    return QStringLiteral("unknown");
}

ImageType typeFromExtension(std::string_view fileName)
{
    const size_t dot = fileName.rfind('.');
    if (dot == std::string_view::npos)
        return ImageType::Unknown;
    std::string ext(fileName.substr(dot + 1));
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (ext == "jpg" || ext == "jpeg" || ext == "jpe")
        return ImageType::Jpeg;
    if (ext == "png")
        return ImageType::Png;
    if (ext == "gif")
        return ImageType::Gif;
    if (ext == "bmp" || ext == "dib")
        return ImageType::Bmp;
    if (ext == "webp")
        return ImageType::Webp;
    if (ext == "tif" || ext == "tiff")
        return ImageType::Tiff;
    if (ext == "pgm" || ext == "ppm" || ext == "pbm" || ext == "pnm" || ext == "pxm")
        return ImageType::Pnm;
    if (ext == "jp2")
        return ImageType::Jpeg2000;
    if (ext == "hdr")
        return ImageType::Hdr;
    if (ext == "exr")
        return ImageType::Exr;
    if (ext == "sr" || ext == "ras")
        return ImageType::SunRaster;
    return ImageType::Unknown;
}

bool isDecodable(ImageType type)
{
    return type != ImageType::Unknown && type != ImageType::Gif;
}

QString checkPngStructure(std::string_view data)
{
    const unsigned char *p = bytesOf(data);
    size_t at = 8;
    bool first = true;
    while (at + 12 <= data.size()) {
        const std::uint32_t length = be32(p + at);
        const std::string type(data.substr(at + 4, 4));
        if (length > 0x7FFFFFFF || at + 12 + std::uint64_t(length) > data.size())
            return QStringLiteral("truncated PNG: the %1 chunk at byte %2 runs past the end of "
                                  "the file")
                .arg(QString::fromLatin1(type.data(), 4))
                .arg(at);
        for (char c : type) {
            if (!std::isalpha(static_cast<unsigned char>(c)))
                return QStringLiteral("damaged PNG: invalid chunk type at byte %1").arg(at);
        }
        if (first && type != "IHDR")
            return QStringLiteral("damaged PNG: the first chunk is not IHDR");
        first = false;
        const uLong crc = crc32(crc32(0L, Z_NULL, 0), p + at + 4, uInt(length + 4));
        if (crc != be32(p + at + 8 + length))
            return QStringLiteral("damaged PNG: CRC error in the %1 chunk at byte %2")
                .arg(QString::fromLatin1(type.data(), 4))
                .arg(at);
        if (type == "IEND")
            return {};
        at += 12 + length;
    }
    return QStringLiteral("truncated PNG: the file ends before the IEND chunk");
}

} // namespace assay::scan
