// The window search for small images (analysis/smallshifts.h): a copy shifted by whole pixels
// or cropped a pixel per side is found and confirmed at its own resolution; another image, a
// mirrored copy and flat images are not; malformed stored bytes are refused.

#include "analysis/smallshifts.h"

#include <QTest>

#include <map>
#include <random>

using namespace assay::analysis;

namespace {

struct Grey
{
    int width = 0, height = 0;
    std::vector<std::uint8_t> pixels;

    std::uint8_t at(int x, int y) const
    {
        x = std::clamp(x, 0, width - 1);
        y = std::clamp(y, 0, height - 1);
        return pixels[size_t(y) * size_t(width) + size_t(x)];
    }
    SmallImage view() const { return {width, height, pixels.data()}; }
};

// A garment-like image: a dark background with a textured blob.
Grey garment(int width, int height, unsigned seed)
{
    std::mt19937 random(seed);
    Grey g{width, height, std::vector<std::uint8_t>(size_t(width) * size_t(height), 0)};
    for (int y = 2; y < height - 2; ++y)
        for (int x = 3; x < width - 3; ++x)
            g.pixels[size_t(y) * size_t(width) + size_t(x)] = std::uint8_t(60 + random() % 180);
    return g;
}

// Moved by (dx, dy), the edge replicated (as OpenCV's BORDER_REPLICATE).
Grey shifted(const Grey &g, int dx, int dy)
{
    Grey out{g.width, g.height, g.pixels};
    for (int y = 0; y < g.height; ++y)
        for (int x = 0; x < g.width; ++x)
            out.pixels[size_t(y) * size_t(g.width) + size_t(x)] = g.at(x - dx, y - dy);
    return out;
}

Grey cropped(const Grey &g, int left, int top, int width, int height)
{
    Grey out{width, height, {}};
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            out.pixels.push_back(g.at(x + left, y + top));
    return out;
}

Grey mirrored(const Grey &g)
{
    Grey out{g.width, g.height, g.pixels};
    for (int y = 0; y < g.height; ++y)
        for (int x = 0; x < g.width; ++x)
            out.pixels[size_t(y) * size_t(g.width) + size_t(x)] = g.at(g.width - 1 - x, y);
    return out;
}

SmallImageSource sourceOf(const std::vector<Grey> &images)
{
    return [&images](const std::vector<bool> &needed, const SmallImageVisitor &visit) {
        for (std::uint32_t i = 0; i < images.size(); ++i)
            if (needed.empty() || needed[i])
                visit(i, images[i].view());
    };
}

} // namespace

class TestSmallShifts : public QObject
{
    Q_OBJECT
private slots:
    void parsesTheStoredLayout();
    void windowSides();
    void findsShiftsAndCropsOnly();
    void confirmationNeedsTheRightAlignment();
    void flatImagesProposeNothing();
};

void TestSmallShifts::parsesTheStoredLayout()
{
    QByteArray bytes("\x03\x00\x02\x00", 4);
    bytes.append("abcdef");
    SmallImage image;
    QVERIFY(parseSmallImage(std::string_view(bytes.constData(), size_t(bytes.size())), image));
    QCOMPARE(image.width, 3);
    QCOMPARE(image.height, 2);
    QCOMPARE(image.pixels[5], std::uint8_t('f'));
    bytes.chop(1); // one pixel short
    QVERIFY(!parseSmallImage(std::string_view(bytes.constData(), size_t(bytes.size())), image));
    QVERIFY(!parseSmallImage(std::string_view("\0\0\0\0", 4), image)); // zero size
    QVERIFY(!parseSmallImage(std::string_view("\x01", 1), image));
}

void TestSmallShifts::windowSides()
{
    QCOMPARE(shiftWindowSide(28), 20);
    QCOMPARE(shiftWindowSide(27), 20); // a crop by a pixel keeps its original's window
    QCOMPARE(shiftWindowSide(32), 24);
    QCOMPARE(shiftWindowSide(64), 48);
    QCOMPARE(shiftWindowSide(10), 0); // too small to say anything
}

void TestSmallShifts::findsShiftsAndCropsOnly()
{
    std::vector<Grey> images;
    const Grey original = garment(28, 28, 1);
    images.push_back(original);                        // 0
    images.push_back(shifted(original, 1, 1));         // 1: one pixel down and right
    images.push_back(cropped(original, 1, 0, 27, 27)); // 2: a pixel cut left and bottom
    images.push_back(shifted(original, -2, 1));        // 3
    images.push_back(mirrored(original));              // 4: not a duplicate
    images.push_back(garment(28, 28, 2));              // 5: another garment
    images.push_back(cropped(garment(32, 32, 3), 0, 0, 32, 32)); // 6: other size and content
    Grey brighter = shifted(original, 0, 1);                     // 7: shifted and brighter
    for (std::uint8_t &p : brighter.pixels)
        p = std::uint8_t(std::min(255, p + 20));
    images.push_back(brighter);

    ShiftSearchStats stats;
    const auto pairs = findShiftedPairs(sourceOf(images), images.size(), {}, nullptr, &stats);
    std::map<std::pair<std::uint32_t, std::uint32_t>, bool> found;
    for (const auto &pair : pairs) {
        QVERIFY(pair.first < pair.second);
        found[pair] = true;
    }
    QVERIFY(found.count({0, 1}));
    QVERIFY(found.count({0, 2}));
    QVERIFY(found.count({0, 3}));
    QVERIFY(found.count({1, 2}));
    for (const auto &[pair, yes] : found) {
        Q_UNUSED(yes)
        QVERIFY2(pair.first != 4 && pair.second != 4 && pair.first != 5 && pair.second != 5
                     && pair.first != 6 && pair.second != 6,
                 qPrintable(QStringLiteral("%1-%2").arg(pair.first).arg(pair.second)));
    }
    // A brightness change alters the bytes: the window search leaves it to the other searches.
    QVERIFY(!found.count({0, 7}));
    QCOMPARE(stats.indexed, 8);
    QCOMPARE(stats.confirmed, std::int64_t(pairs.size()));
}

void TestSmallShifts::confirmationNeedsTheRightAlignment()
{
    const Grey original = garment(28, 28, 7);
    const Grey copy = shifted(original, 1, 1);
    // copy's pixel (x, y) shows original's (x - 1, y - 1).
    QVERIFY(confirmsShifted(original.view(), copy.view(), -1, -1));
    QVERIFY(!confirmsShifted(original.view(), copy.view(), 0, 0));
    QVERIFY(!confirmsShifted(original.view(), copy.view(), 1, 1));
    // Too little overlap is no confirmation, whatever the pixels.
    QVERIFY(!confirmsShifted(original.view(), original.view(), 8, 0));
}

void TestSmallShifts::flatImagesProposeNothing()
{
    std::vector<Grey> images;
    for (int i = 0; i < 50; ++i)
        images.push_back({28, 28, std::vector<std::uint8_t>(28 * 28, std::uint8_t(i % 3))});
    ShiftSearchStats stats;
    QVERIFY(findShiftedPairs(sourceOf(images), images.size(), {}, nullptr, &stats).empty());
    QCOMPARE(stats.indexed, 0);
    QCOMPARE(stats.candidates, 0);
}

QTEST_GUILESS_MAIN(TestSmallShifts)
#include "tst_smallshifts.moc"
