#include "imagetypes.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace assay::formats {

namespace {

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

constexpr std::array<std::string_view, 19> imageExtensions = {
    "jpg", "jpeg", "jpe", "png", "bmp", "dib", "tif", "tiff", "webp", "gif",
    "pgm", "ppm", "pbm", "pnm", "pxm", "jp2", "sr", "ras", "hdr"};

constexpr std::array<std::string_view, 9> splitNames = {
    "train", "training", "val", "valid", "validation", "test", "testing", "dev", "eval"};

} // namespace

bool hasImageExtension(std::string_view fileName)
{
    const size_t dot = fileName.rfind('.');
    if (dot == std::string_view::npos || dot + 1 >= fileName.size())
        return false;
    const std::string ext = lower(fileName.substr(dot + 1));
    return std::find(imageExtensions.begin(), imageExtensions.end(), ext)
           != imageExtensions.end();
}

bool hasImageExtension(const QString &fileName)
{
    const QByteArray utf8 = fileName.toUtf8();
    return hasImageExtension(std::string_view(utf8.constData(), size_t(utf8.size())));
}

bool isSplitFolderName(std::string_view name)
{
    const std::string key = lower(name);
    return std::find(splitNames.begin(), splitNames.end(), key) != splitNames.end();
}

} // namespace assay::formats
