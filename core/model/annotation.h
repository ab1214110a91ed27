#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <string_view>
#include <vector>

namespace assay {

// The image-level class label of a classification sample is the sample's category
// (samples.category_id); objects are annotations of one of these kinds.
enum class AnnotationKind : int {
    Box = 1,
    Polygon = 2,
    Mask = 3, // RLE
};

enum class AttributeType : int {
    Number = 0,
    Text = 1,
};

// A run-length encoded mask in COCO's layout: column-major, alternating runs of 0s and 1s,
// starting with 0s.
struct RleMask
{
    int width = 0;
    int height = 0;
    std::vector<std::uint32_t> counts;
};

// One object on an image, in pixel coordinates of the full-size image.
struct Annotation
{
    std::int64_t id = 0;
    std::int64_t sampleId = 0;
    std::int64_t categoryId = 0; // 0: none
    QString category;            // the category's name (filled by queries)
    AnnotationKind kind = AnnotationKind::Box;
    double x = 0, y = 0, w = 0, h = 0;           // the box (for every kind, its bounding box)
    std::vector<std::vector<float>> polygons;    // Polygon: rings of x0,y0,x1,y1,...
    RleMask mask;                                // Mask
    bool crowd = false;
};

// The `annotations.geometry` blob: polygons as [u32 rings]{[u32 points][f32 x, f32 y]...}...,
// masks as [u32 height][u32 width][u32 runs][u32 count]...; little-endian.
QByteArray encodePolygons(const std::vector<std::vector<float>> &polygons);
std::vector<std::vector<float>> decodePolygons(const QByteArray &blob);
// The rings of a polygons blob one at a time, each copied into a buffer the caller reuses: for
// reading a million polygons without allocating per polygon.
class PolygonRings
{
public:
    explicit PolygonRings(std::string_view blob);
    size_t count() const { return m_count; }
    // The next ring's x0,y0,x1,y1,...; false after the last (or at a damaged one).
    bool next(std::vector<float> &ring);

private:
    std::string_view m_blob;
    size_t m_at = 0;
    size_t m_count = 0;
    size_t m_read = 0;
};
QByteArray encodeMask(const RleMask &mask);
RleMask decodeMask(const QByteArray &blob);

} // namespace assay
