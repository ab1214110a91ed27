#pragma once

#include "model/annotation.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Spelling values for the files an export writes.
namespace assay::exporting::text {

// The shortest text that reads back as the same double ("12", "0.5", "473.07").
std::string number(double value);
// The same for a float (polygon coordinates are stored as floats).
std::string number(float value);
// `value` with exactly `decimals` decimals ("0.500000").
std::string fixed(double value, int decimals);

std::string jsonString(std::string_view utf8); // with quotes and escapes
std::string xmlEscaped(std::string_view utf8);

// COCO's compressed RLE string (pycocotools' rleToString).
std::string rleString(const std::vector<std::uint32_t> &counts);

// The JSON spelling of COCO geometry.
std::string cocoBox(double x, double y, double w, double h);
std::string cocoPolygons(const std::vector<std::vector<float>> &polygons);
std::string cocoMask(const RleMask &mask, bool compressed);

// Area of an object: the mask's pixels, the polygons' (shoelace), else the box's.
double area(AnnotationKind kind, double w, double h,
            const std::vector<std::vector<float>> &polygons, const RleMask &mask);

// Number of decimals in the most precise numeric token of a line ("0.5 0.25" -> 2).
int decimalsOf(std::string_view line);

} // namespace assay::exporting::text
