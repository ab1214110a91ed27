// The geometry behind the annotation checks: polygon self-intersection (proper crossings of
// edges that share no corner) and box pairs with a high IoU, checked against brute force.

#include "analysis/annotationgeometry.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace assay;
using namespace assay::analysis;

namespace {

bool crosses(std::vector<float> ring)
{
    return ringSelfIntersects(ringCorners(ring.data(), ring.size() / 2));
}

// A circle of `n` corners, optionally with two neighbouring corners swapped (a small loop).
std::vector<float> circle(size_t n, size_t swapAt = SIZE_MAX)
{
    std::vector<float> ring;
    for (size_t i = 0; i < n; ++i) {
        const double angle = 2 * M_PI * double(i) / double(n);
        ring.push_back(float(500 + 400 * std::cos(angle)));
        ring.push_back(float(500 + 400 * std::sin(angle)));
    }
    if (swapAt < n - 1) {
        std::swap(ring[2 * swapAt], ring[2 * swapAt + 2]);
        std::swap(ring[2 * swapAt + 1], ring[2 * swapAt + 3]);
    }
    return ring;
}

// Every pair of edges that share no corner, tested for a proper crossing.
bool crossesByBruteForce(const std::vector<double> &c)
{
    const size_t n = c.size() / 2;
    auto orient = [&](size_t a, size_t b, size_t p) {
        const double v = (c[2 * b] - c[2 * a]) * (c[2 * p + 1] - c[2 * a + 1]) -
                         (c[2 * b + 1] - c[2 * a + 1]) * (c[2 * p] - c[2 * a]);
        return (v > 0) - (v < 0);
    };
    for (size_t i = 0; i < n; ++i) {
        for (size_t j = i + 1; j < n; ++j) {
            const size_t i2 = (i + 1) % n, j2 = (j + 1) % n;
            if (i2 == j || j2 == i)
                continue;
            if (orient(i, i2, j) * orient(i, i2, j2) < 0 &&
                orient(j, j2, i) * orient(j, j2, i2) < 0)
                return true;
        }
    }
    return false;
}

} // namespace

class TestAnnotationGeometry : public QObject
{
    Q_OBJECT
private slots:
    void selfIntersection_data();
    void selfIntersection();
    void largeRings();
    void randomRingsMatchBruteForce();
    void cornersDropRepeats();
    void pairsMatchBruteForce();
    void identicalBoxesAreCapped();
};

void TestAnnotationGeometry::selfIntersection_data()
{
    QTest::addColumn<std::vector<float>>("ring");
    QTest::addColumn<bool>("expected");
    QTest::newRow("square") << std::vector<float>{0, 0, 10, 0, 10, 10, 0, 10} << false;
    QTest::newRow("bow tie") << std::vector<float>{0, 0, 10, 10, 10, 0, 0, 10} << true;
    QTest::newRow("triangle") << std::vector<float>{0, 0, 10, 0, 5, 8} << false;
    QTest::newRow("closed and repeated")
        << std::vector<float>{0, 0, 10, 0, 10, 0, 10, 10, 0, 10, 0, 0} << false;
    QTest::newRow("concave L") << std::vector<float>{0, 0, 10, 0, 10, 4, 4, 4, 4, 10, 0, 10}
                               << false;
    QTest::newRow("pentagram") << std::vector<float>{50, 0, 79, 90, 2, 35, 98, 35, 21, 90} << true;
    // A corner resting on an edge it does not belong to: touching, not crossing.
    QTest::newRow("corner touches edge")
        << std::vector<float>{0, 0, 10, 0, 10, 10, 5, 0.0f, 0, 10} << false;
    QTest::newRow("spike back along an edge")
        << std::vector<float>{0, 0, 10, 0, 5, 0, 5, 5} << false;
    QTest::newRow("figure eight over a long edge")
        << std::vector<float>{0, 0, 20, 0, 20, 10, 12, 10, 12, -5, 8, -5, 8, 10, 0, 10} << true;
}

void TestAnnotationGeometry::selfIntersection()
{
    QFETCH(std::vector<float>, ring);
    QFETCH(bool, expected);
    QCOMPARE(crosses(ring), expected);
}

void TestAnnotationGeometry::largeRings()
{
    QVERIFY(!crosses(circle(5000)));
    QVERIFY(crosses(circle(5000, 1234)));
    QVERIFY(crosses(circle(5000, 0)));
    QVERIFY(crosses(circle(5000, 4998)));
}

// Star-shaped outlines (the fast path), the same with two corners swapped, and random corners
// (mostly crossing), both turning directions.
void TestAnnotationGeometry::randomRingsMatchBruteForce()
{
    std::mt19937 random(11);
    std::uniform_real_distribution<double> unit(0, 1);
    int crossing = 0, simple = 0;
    for (int i = 0; i < 3000; ++i) {
        const size_t n = 4 + size_t(unit(random) * 30);
        std::vector<float> ring;
        const int shape = i % 3;
        const double direction = i % 2 ? 1 : -1;
        for (size_t p = 0; p < n; ++p) {
            const double angle = direction * 2 * M_PI * double(p) / double(n);
            const double r = shape == 2 ? 1.0 : 0.5 + 0.5 * unit(random);
            ring.push_back(float(shape == 2 ? 100 * unit(random) : 50 + 40 * r * std::cos(angle)));
            ring.push_back(float(shape == 2 ? 100 * unit(random) : 50 + 40 * r * std::sin(angle)));
        }
        if (shape == 1) {
            const size_t a = size_t(unit(random) * double(n - 1));
            std::swap(ring[2 * a], ring[2 * a + 2]);
            std::swap(ring[2 * a + 1], ring[2 * a + 3]);
        }
        const std::vector<double> corners = ringCorners(ring.data(), n);
        const bool expected = crossesByBruteForce(corners);
        QCOMPARE(ringSelfIntersects(corners), expected);
        ++(expected ? crossing : simple);
    }
    QVERIFY(crossing > 500 && simple > 500);
}

void TestAnnotationGeometry::cornersDropRepeats()
{
    const std::vector<float> ring{1, 1, 1, 1, 5, 5, 1, 1};
    QCOMPARE(ringCorners(ring.data(), 4), (std::vector<double>{1, 1, 5, 5}));
    const std::vector<float> single{3, 4};
    QCOMPARE(ringCorners(single.data(), 1), (std::vector<double>{3, 4}));
}

void TestAnnotationGeometry::pairsMatchBruteForce()
{
    std::mt19937 random(7);
    std::uniform_real_distribution<double> position(0, 200), size(1, 60), jitter(-1.5, 1.5);
    std::vector<Box> boxes;
    for (int i = 0; i < 400; ++i) {
        boxes.push_back({position(random), position(random), size(random), size(random)});
        if (i % 3 == 0) {                  // a near copy of the previous box
            const Box last = boxes.back(); // a copy: push_back may move the boxes
            boxes.push_back({last.x + jitter(random) * 0.2, last.y + jitter(random) * 0.2,
                             last.w + jitter(random) * 0.2, last.h + jitter(random) * 0.2});
        }
    }
    for (const double threshold : {0.95, 0.8, 0.5}) {
        std::vector<std::pair<size_t, size_t>> expected;
        for (size_t i = 0; i < boxes.size(); ++i)
            for (size_t j = i + 1; j < boxes.size(); ++j)
                if (iou(boxes[i], boxes[j]) >= threshold)
                    expected.emplace_back(i, j);
        std::vector<std::pair<size_t, size_t>> found;
        for (const OverlapPair &pair : overlappingPairs(boxes, threshold, SIZE_MAX))
            found.emplace_back(pair.first, pair.second);
        QCOMPARE(found, expected);
        if (threshold == 0.95)
            QVERIFY(found.size() > 20);
    }
    QCOMPARE(iou({0, 0, 10, 10}, {0, 0, 10, 10}), 1.0);
    QCOMPARE(iou({0, 0, 10, 10}, {10, 0, 10, 10}), 0.0);
}

// Twenty thousand identical boxes on one image: the first pairs, quickly, not 200 million.
void TestAnnotationGeometry::identicalBoxesAreCapped()
{
    const std::vector<Box> boxes(20000, Box{1, 2, 10, 10});
    const auto pairs = overlappingPairs(boxes, 0.95);
    QCOMPARE(pairs.size(), size_t(100));
    QCOMPARE(pairs.front().iou, 1.0);
    QCOMPARE(overlappingPairs(boxes, 0.95, 7).size(), size_t(7));
}

QTEST_GUILESS_MAIN(TestAnnotationGeometry)
#include "tst_annotationgeometry.moc"
