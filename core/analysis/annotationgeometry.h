#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace assay::analysis {

// Geometry tests behind the annotation checks, on plain numbers (no project, no Qt).

// A polygon ring of x0,y0,x1,y1,... with consecutive repeated points and a closing point equal
// to the first removed: what is left are the ring's distinct corners in order.
std::vector<double> ringCorners(const float *xy, size_t points);
void ringCorners(const float *xy, size_t points, std::vector<double> &corners); // reuses it

// Whether two edges of a ring that do not share a corner cross each other at a point inside
// both (a proper intersection: touching at a corner or overlapping along a line does not count,
// so repeated points and rounding noise raise nothing). `corners` as ringCorners gives them.
// Edges are swept in order of their left end and compared only with the edges whose x range
// they overlap: about n log n for the polygons annotation tools draw.
bool ringSelfIntersects(const std::vector<double> &corners);

struct Box
{
    double x = 0, y = 0, w = 0, h = 0;
};

// Intersection over union of two boxes with positive width and height.
double iou(const Box &a, const Box &b);

// The pairs (i, j), i < j, of boxes whose IoU is at least `threshold` (in (0, 1]). Boxes are
// sorted by x; IoU >= t needs the right box's left edge within (1 - t) of the left box's width
// of its left edge, so each box meets only its near neighbours.
struct OverlapPair
{
    size_t first = 0, second = 0;
    double iou = 0;
};
// At most `maxPairs` are returned (the first found): a degenerate image with thousands of
// identical boxes must not make millions of reports.
std::vector<OverlapPair> overlappingPairs(const std::vector<Box> &boxes, double threshold,
                                          size_t maxPairs = 100);

} // namespace assay::analysis
