// The signature comparison that confirms near-duplicate pairs: brightness cancels, a mirror or
// another image does not pass, small images use the pixel difference, and the quick block-sum
// bound never rejects a pair the full difference accepts.

#include "analysis/imagesignature.h"

#include <QTest>

#include <algorithm>
#include <random>

using namespace assay::analysis;

namespace {

using Pixels = std::array<std::uint8_t, signatureBytes>;

// A smooth scene: a diagonal gradient with a bright square off the centre (not symmetric).
Pixels scene(int shift = 0)
{
    Pixels p{};
    for (int y = 0; y < signatureSide; ++y)
        for (int x = 0; x < signatureSide; ++x) {
            int v = 40 + 6 * x + 3 * y + shift;
            if (x >= 2 && x < 7 && y >= 3 && y < 9)
                v += 90;
            p[size_t(y * signatureSide + x)] = std::uint8_t(std::clamp(v, 0, 255));
        }
    return p;
}

Pixels mirrored(const Pixels &in)
{
    Pixels out{};
    for (int y = 0; y < signatureSide; ++y)
        for (int x = 0; x < signatureSide; ++x)
            out[size_t(y * signatureSide + x)] = in[size_t(y * signatureSide + signatureSide - 1 - x)];
    return out;
}

PreparedSignature prepared(const Pixels &p)
{
    return prepareSignature(p.data());
}

} // namespace

class TestImageSignature : public QObject
{
    Q_OBJECT
private slots:
    void identicalAndBrighter();
    void mirrorAndOtherImagesFail();
    void smallImagesCompareThePixels();
    void flatImagesUseTheDifference();
    void blockBoundNeverRejectsAnAcceptedPair();
    void cropsAreSampledFromTheWhole();
};

void TestImageSignature::identicalAndBrighter()
{
    const PreparedSignature a = prepared(scene()), brighter = prepared(scene(20));
    const SignatureDistance same = compareSignatures(a, a);
    QCOMPARE(same.difference, 0.0);
    QVERIFY(same.decorrelation < 1e-6);
    const SignatureDistance lighter = compareSignatures(a, brighter);
    QVERIFY2(lighter.difference < 0.5, qPrintable(QString::number(lighter.difference)));
    QVERIFY(lighter.decorrelation < 1e-3);
    QVERIFY(confirmsDuplicate(a, brighter, false));
    QVERIFY(confirmsDuplicate(a, brighter, true));
}

void TestImageSignature::mirrorAndOtherImagesFail()
{
    const PreparedSignature a = prepared(scene()), flipped = prepared(mirrored(scene()));
    QVERIFY(compareSignatures(a, flipped).decorrelation > 0.05);
    QVERIFY(!confirmsDuplicate(a, flipped, false));
    QVERIFY(!confirmsDuplicate(a, flipped, true));
    std::mt19937 random(3);
    Pixels noise{};
    for (std::uint8_t &v : noise)
        v = std::uint8_t(random() % 256);
    QVERIFY(!confirmsDuplicate(a, prepared(noise), false));
}

void TestImageSignature::smallImagesCompareThePixels()
{
    // Same silhouette (the 8x8 blocks agree), different texture inside the blocks: a photo
    // rule would accept it, the small-image rule must not.
    Pixels base = scene(), textured = scene();
    for (int y = 0; y < signatureSide; ++y)
        for (int x = 0; x < signatureSide; ++x) {
            const int sign = ((x + y) % 2) ? 1 : -1; // sums to zero over each 2x2 block
            const size_t i = size_t(y * signatureSide + x);
            textured[i] = std::uint8_t(std::clamp(int(base[i]) + 12 * sign, 0, 255));
        }
    const PreparedSignature a = prepared(base), b = prepared(textured);
    QVERIFY(compareSignatures(a, b).decorrelation < 0.01);
    QVERIFY(confirmsDuplicate(a, b, false));
    QVERIFY(compareSignatures(a, b).difference > ConfirmRule().smallDifference);
    QVERIFY(!confirmsDuplicate(a, b, true));
}

void TestImageSignature::flatImagesUseTheDifference()
{
    Pixels grey{}, greyNoise{};
    grey.fill(128);
    std::mt19937 random(9);
    for (std::uint8_t &v : greyNoise)
        v = std::uint8_t(127 + random() % 3);
    const PreparedSignature a = prepared(grey), b = prepared(greyNoise);
    QVERIFY(a.spread < ConfirmRule().flatSpread);
    QCOMPARE(compareSignatures(a, b).decorrelation, 1.0); // undefined for a uniform image
    QVERIFY(confirmsDuplicate(a, b, false));             // so the difference decides
    QVERIFY(!confirmsDuplicate(a, prepared(scene()), false));
}

void TestImageSignature::blockBoundNeverRejectsAnAcceptedPair()
{
    std::mt19937 random(11);
    ConfirmRule rule;
    for (int round = 0; round < 2000; ++round) {
        Pixels a = scene(int(random() % 40)), b = a;
        const int noise = 1 + int(random() % 12);
        for (std::uint8_t &v : b)
            v = std::uint8_t(std::clamp(int(v) + int(random() % (2 * noise + 1)) - noise, 0, 255));
        const PreparedSignature pa = prepared(a), pb = prepared(b);
        const bool full = compareSignatures(pa, pb).difference <= rule.smallDifference;
        QCOMPARE(confirmsDuplicate(pa, pb, true, rule), full);
    }
}

void TestImageSignature::cropsAreSampledFromTheWhole()
{
    // A 64x64 scene and its 60x61 crop (4 px off the left, 3 off the top), each reduced to 16x16
    // by block means, as the scan does.
    std::array<std::array<int, 64>, 64> big{};
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x)
            big[size_t(y)][size_t(x)] = 30 + 2 * x + (x > 20 && x < 40 && y > 10 && y < 30 ? 120 : 0)
                                        + ((x / 6 + y / 6) % 2) * 20;
    auto reduce = [&](int left, int top, int width, int height) {
        Pixels out{};
        for (int y = 0; y < signatureSide; ++y)
            for (int x = 0; x < signatureSide; ++x) {
                double sum = 0;
                int n = 0;
                for (int yy = top + y * height / 16; yy < top + (y + 1) * height / 16; ++yy)
                    for (int xx = left + x * width / 16; xx < left + (x + 1) * width / 16; ++xx) {
                        sum += big[size_t(yy)][size_t(xx)];
                        ++n;
                    }
                out[size_t(y * signatureSide + x)] = std::uint8_t(sum / n);
            }
        return out;
    };
    const PreparedSignature whole = prepared(reduce(0, 0, 64, 64));
    const PreparedSignature part = prepared(reduce(4, 3, 60, 61));
    ConfirmRule strict;
    strict.decorrelation = 0.004;
    QVERIFY(!confirmsDuplicate(whole, part, false, strict));
    QVERIFY(confirmsCrop(whole, 64, 64, part, 60, 61, strict));
    // Not a crop by the sizes: larger, the same size, or cut by more than 10 %.
    QVERIFY(!confirmsCrop(part, 60, 61, whole, 64, 64, strict));
    QVERIFY(!confirmsCrop(whole, 64, 64, part, 64, 64, strict));
    QVERIFY(!confirmsCrop(whole, 64, 64, part, 50, 61, strict));
    // A mirrored scene is no crop of it.
    QVERIFY(!confirmsCrop(whole, 64, 64, prepared(mirrored(reduce(4, 3, 60, 61))), 60, 61));
}

QTEST_GUILESS_MAIN(TestImageSignature)
#include "tst_imagesignature.moc"
