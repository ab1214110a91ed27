#include "textout.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace assay::exporting::text {

namespace {

template<typename T>
std::string shortest(T value)
{
    if (!std::isfinite(value))
        return "0";
    if (value == std::trunc(value) && std::fabs(value) < 1e15)
        return std::to_string(static_cast<long long>(value));
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

} // namespace

std::string number(double value)
{
    return shortest(value);
}

std::string number(float value)
{
    return shortest(value);
}

std::string fixed(double value, int decimals)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string jsonString(std::string_view utf8)
{
    std::string out = "\"";
    for (const char c : utf8) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\u%04x", unsigned(c));
                out += buffer;
            } else {
                out.push_back(c);
            }
        }
    }
    out.push_back('"');
    return out;
}

std::string xmlEscaped(std::string_view utf8)
{
    std::string out;
    for (const char c : utf8) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out.push_back(c);
        }
    }
    return out;
}

std::string rleString(const std::vector<std::uint32_t> &counts)
{
    std::string out;
    for (size_t i = 0; i < counts.size(); ++i) {
        long long x = counts[i];
        if (i > 2)
            x -= static_cast<long long>(counts[i - 2]);
        bool more = true;
        while (more) {
            long long c = x & 0x1f;
            x >>= 5;
            more = (c & 0x10) ? x != -1 : x != 0;
            if (more)
                c |= 0x20;
            out.push_back(static_cast<char>(c + 48));
        }
    }
    return out;
}

std::string cocoBox(double x, double y, double w, double h)
{
    return '[' + number(x) + ", " + number(y) + ", " + number(w) + ", " + number(h) + ']';
}

std::string cocoPolygons(const std::vector<std::vector<float>> &polygons)
{
    std::string out = "[";
    for (size_t r = 0; r < polygons.size(); ++r) {
        out += r ? ", [" : "[";
        for (size_t i = 0; i < polygons[r].size(); ++i) {
            if (i)
                out += ", ";
            out += number(polygons[r][i]);
        }
        out += ']';
    }
    return out + ']';
}

std::string cocoMask(const RleMask &mask, bool compressed)
{
    std::string out = "{\"size\": [" + std::to_string(mask.height) + ", "
                      + std::to_string(mask.width) + "], \"counts\": ";
    if (compressed)
        return out + jsonString(rleString(mask.counts)) + '}';
    out += '[';
    for (size_t i = 0; i < mask.counts.size(); ++i)
        out += (i ? ", " : "") + std::to_string(mask.counts[i]);
    return out + "]}";
}

double area(AnnotationKind kind, double w, double h,
            const std::vector<std::vector<float>> &polygons, const RleMask &mask)
{
    if (kind == AnnotationKind::Mask) {
        double pixels = 0;
        for (size_t i = 1; i < mask.counts.size(); i += 2)
            pixels += mask.counts[i];
        return pixels;
    }
    if (kind == AnnotationKind::Polygon) {
        double total = 0;
        for (const auto &ring : polygons) {
            double twice = 0;
            const size_t n = ring.size() / 2;
            for (size_t i = 0; i < n; ++i) {
                const size_t j = (i + 1) % n;
                twice += double(ring[2 * i]) * ring[2 * j + 1] - double(ring[2 * j]) * ring[2 * i + 1];
            }
            total += std::fabs(twice) / 2;
        }
        return total;
    }
    return std::max(0.0, w) * std::max(0.0, h);
}

int decimalsOf(std::string_view line)
{
    int best = 0;
    int current = -1;
    for (const char c : line) {
        if (c == '.') {
            current = 0;
        } else if (c >= '0' && c <= '9') {
            if (current >= 0)
                best = std::max(best, ++current);
        } else {
            current = -1;
        }
    }
    return best;
}

} // namespace assay::exporting::text
