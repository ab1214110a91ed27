#include "annotationgeometry.h"

#include <algorithm>
#include <numeric>

namespace assay::analysis {

namespace {

// Twice the signed area of the triangle a, b, c: > 0 when c lies left of a->b.
double orientation(const double *a, const double *b, const double *c)
{
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

int sign(double value)
{
    return (value > 0) - (value < 0);
}

bool crossProperly(const double *a, const double *b, const double *c, const double *d)
{
    return sign(orientation(a, b, c)) * sign(orientation(a, b, d)) < 0 &&
           sign(orientation(c, d, a)) * sign(orientation(c, d, b)) < 0;
}

// Whether the ring winds exactly once around its corners' mean, always turning the same way as
// seen from it: then every ray from that point meets the outline once, the edges cover disjoint
// angles, and no two of them can cross. True for most outlines drawn around an object; O(n),
// where the sweep below sorts.
bool starShapedOnce(const double *p, size_t n)
{
    double cx = 0, cy = 0;
    for (size_t i = 0; i < n; ++i) {
        cx += p[2 * i];
        cy += p[2 * i + 1];
    }
    const double c[2] = {cx / double(n), cy / double(n)};
    int turn = 0;
    size_t upward = 0, downward = 0;
    for (size_t i = 0; i < n; ++i) {
        const double *a = p + 2 * i, *b = p + 2 * ((i + 1) % n);
        const int s = sign(orientation(c, a, b));
        if (s == 0 || (turn != 0 && s != turn))
            return false;
        turn = s;
        upward += a[1] < c[1] && b[1] >= c[1];
        downward += b[1] < c[1] && a[1] >= c[1];
    }
    // Turning left (counter-clockwise), the outline crosses the ray to the right of the centre
    // going up; turning right, going down.
    return (turn > 0 ? upward : downward) == 1;
}

} // namespace

std::vector<double> ringCorners(const float *xy, size_t points)
{
    std::vector<double> corners;
    ringCorners(xy, points, corners);
    return corners;
}

void ringCorners(const float *xy, size_t points, std::vector<double> &corners)
{
    corners.clear();
    corners.reserve(points * 2);
    for (size_t p = 0; p < points; ++p) {
        const double x = xy[2 * p], y = xy[2 * p + 1];
        const size_t n = corners.size();
        if (n >= 2 && corners[n - 2] == x && corners[n - 1] == y)
            continue;
        corners.push_back(x);
        corners.push_back(y);
    }
    while (corners.size() >= 4 && corners[0] == corners[corners.size() - 2] &&
           corners[1] == corners[corners.size() - 1])
        corners.resize(corners.size() - 2);
}

bool ringSelfIntersects(const std::vector<double> &corners)
{
    const size_t n = corners.size() / 2;
    if (n < 4)
        return false; // a triangle's edges all share corners
    if (starShapedOnce(corners.data(), n))
        return false;
    auto point = [&](size_t i) {
        return corners.data() + 2 * (i % n);
    };
    struct Edge
    {
        double minX, maxX, minY, maxY;
        size_t index; // edge i runs from corner i to corner i + 1
    };
    thread_local std::vector<Edge> edges; // no allocation per ring across a million polygons
    edges.resize(n);
    for (size_t i = 0; i < n; ++i) {
        const double *a = point(i), *b = point(i + 1);
        edges[i] = {std::min(a[0], b[0]), std::max(a[0], b[0]), std::min(a[1], b[1]),
                    std::max(a[1], b[1]), i};
    }
    std::sort(edges.begin(), edges.end(),
              [](const Edge &l, const Edge &r) { return l.minX < r.minX; });
    for (size_t s = 0; s < n; ++s) {
        const Edge &e = edges[s];
        for (size_t t = s + 1; t < n && edges[t].minX <= e.maxX; ++t) {
            const Edge &f = edges[t];
            if (f.maxY < e.minY || f.minY > e.maxY)
                continue;
            const size_t i = e.index, j = f.index;
            if ((i + 1) % n == j || (j + 1) % n == i)
                continue; // neighbours share a corner
            if (crossProperly(point(i), point(i + 1), point(j), point(j + 1)))
                return true;
        }
    }
    return false;
}

double iou(const Box &a, const Box &b)
{
    const double w = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
    const double h = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
    if (w <= 0 || h <= 0)
        return 0;
    const double overlap = w * h;
    return overlap / (a.w * a.h + b.w * b.h - overlap);
}

std::vector<OverlapPair> overlappingPairs(const std::vector<Box> &boxes, double threshold,
                                          size_t maxPairs)
{
    std::vector<OverlapPair> pairs;
    if (boxes.size() < 2)
        return pairs;
    std::vector<size_t> order(boxes.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::sort(order.begin(), order.end(), [&](size_t l, size_t r) {
        return boxes[l].x != boxes[r].x ? boxes[l].x < boxes[r].x : l < r;
    });
    // IoU >= t means overlap >= t * area(left box), and the overlap is at most
    // (left.x + left.w - right.x) * left.h: so right.x <= left.x + (1 - t) * left.w.
    const double slack = 1 - threshold;
    for (size_t s = 0; s < order.size() && pairs.size() < maxPairs; ++s) {
        const Box &a = boxes[order[s]];
        const double reach = a.x + slack * a.w + 1e-9 * (1 + a.w);
        for (size_t t = s + 1; t < order.size() && boxes[order[t]].x <= reach; ++t) {
            const double value = iou(a, boxes[order[t]]);
            if (value >= threshold - 1e-12)
                pairs.push_back(
                    {std::min(order[s], order[t]), std::max(order[s], order[t]), value});
            if (pairs.size() >= maxPairs)
                break;
        }
    }
    std::sort(pairs.begin(), pairs.end(), [](const OverlapPair &l, const OverlapPair &r) {
        return l.first != r.first ? l.first < r.first : l.second < r.second;
    });
    return pairs;
}

} // namespace assay::analysis
