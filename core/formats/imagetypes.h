#pragma once

#include <QString>

#include <string_view>

namespace assay::formats {

// Whether a file name has an image extension OpenCV or TurboJPEG can read (case-insensitive).
bool hasImageExtension(std::string_view fileName);
bool hasImageExtension(const QString &fileName);

// Split folder names recognised in ImageFolder layouts (case-insensitive).
bool isSplitFolderName(std::string_view name);

} // namespace assay::formats
