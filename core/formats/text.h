#pragma once

#include <QString>

#include <string_view>

// Small text helpers the readers share (UTF-8 byte views, no allocation).
namespace assay::formats {

// Strips ASCII spaces, tabs and carriage returns from both ends.
inline std::string_view trimmed(std::string_view text)
{
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!text.empty() && blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && blank(text.back()))
        text.remove_suffix(1);
    return text;
}

inline QString fromUtf8(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// A relative path with no '.', '..' or empty segments and no backslash or NUL: safe to use as a
// root-relative path as it is, without the slower general check (datasetpath).
inline bool isPlainRelative(std::string_view path)
{
    if (path.empty() || path.front() == '/')
        return false;
    size_t segmentStart = 0;
    for (size_t i = 0; i <= path.size(); ++i) {
        if (i < path.size()) {
            const char c = path[i];
            if (c == '\\' || c == '\0')
                return false;
            if (c != '/')
                continue;
        }
        const std::string_view segment = path.substr(segmentStart, i - segmentStart);
        if (segment.empty() || segment == "." || segment == "..")
            return false;
        segmentStart = i + 1;
    }
    return true;
}

} // namespace assay::formats
