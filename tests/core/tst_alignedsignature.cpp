// Small images registered to their content (alignedsignature.h): a 28x28 object on a plain
// background re-sized by 15 % or brightened lines up with its original; shifted by a pixel or
// cropped by a pixel (size kept) it comes closer than unregistered (at 16x16 a 1-pixel shift is
// a phase the area sampling does not keep, docs/architecture.md); a differently patterned
// object of the same outline, a mirrored one, a larger or displaced one do not confirm; images
// without a plain background are not registered.

#include "analysis/alignedsignature.h"
#include "analysis/duplicates.h"

#include <QTest>

#include <opencv2/imgproc.hpp>

#include <bit>

using namespace assay::analysis;

namespace {

// A 28x28 garment-like object: an asymmetric outline with a pattern of stripes inside.
cv::Mat object(int stripes = 4, int side = 28)
{
    cv::Mat image(side, side, CV_8U, cv::Scalar(0));
    const double s = side / 28.0;
    std::vector<cv::Point> outline = {{int(6 * s), int(3 * s)},   {int(20 * s), int(3 * s)},
                                      {int(24 * s), int(12 * s)}, {int(21 * s), int(25 * s)},
                                      {int(9 * s), int(25 * s)},  {int(4 * s), int(14 * s)}};
    cv::fillConvexPoly(image, outline, cv::Scalar(150), cv::LINE_AA);
    for (int k = 0; k < stripes; ++k) {
        const int y = int((6 + k * 17.0 / stripes) * s);
        cv::line(image, {int(7 * s), y}, {int(20 * s), y + int(2 * s)}, cv::Scalar(240),
                 std::max(1, int(s)), cv::LINE_AA);
    }
    cv::circle(image, {int(17 * s), int(18 * s)}, int(2 * s), cv::Scalar(60), -1, cv::LINE_AA);
    return image;
}

PreparedSignature signatureOf(const cv::Mat &image)
{
    cv::Mat signature;
    cv::resize(image, signature, cv::Size(signatureSide, signatureSide), 0, 0, cv::INTER_AREA);
    return prepareSignature(signature.ptr<std::uint8_t>());
}

AlignedSignature aligned(const cv::Mat &image)
{
    return alignSignature(signatureOf(image));
}

cv::Mat shifted(const cv::Mat &image, int dx, int dy)
{
    cv::Mat out;
    const cv::Mat move = (cv::Mat_<double>(2, 3) << 1, 0, dx, 0, 1, dy);
    cv::warpAffine(image, out, move, image.size(), cv::INTER_NEAREST, cv::BORDER_REPLICATE);
    return out;
}

cv::Mat scaled(const cv::Mat &image, double scale)
{
    cv::Mat out;
    cv::resize(image, out, {}, scale, scale, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    return out;
}

} // namespace

class TestAlignedSignature : public QObject
{
    Q_OBJECT
private slots:
    void editedCopiesLineUp();
    void otherObjectsDoNot();
    void textureIsNotRegistered();
    void keysOfCopiesAreNear();
};

void TestAlignedSignature::editedCopiesLineUp()
{
    const cv::Mat original = object();
    const AlignedSignature a = aligned(original);
    QVERIFY(a.valid);
    cv::Mat cropped;
    cv::resize(original(cv::Rect(1, 0, 27, 27)), cropped, original.size(), 0, 0, cv::INTER_LINEAR);
    for (const auto &[name, copy] :
         {std::pair<const char *, cv::Mat>{"shift", shifted(original, 1, 1)}, {"crop", cropped}}) {
        const AlignedSignature b = aligned(copy);
        QVERIFY2(b.valid, name);
        const double plain = compareSignatures(signatureOf(original), signatureOf(copy)).difference;
        qInfo("%s: registered difference %.2f, unregistered %.2f", name, alignedDifference(a, b),
              plain);
        QVERIFY2(alignedDifference(a, b) < plain, name);
    }
    const std::pair<const char *, cv::Mat> copies[] = {
        {"smaller", scaled(original, 0.85)},
        {"larger", scaled(original, 1.15)},
        {"brighter", original + cv::Scalar(25)},
    };
    for (const auto &[name, copy] : copies) {
        const AlignedSignature b = aligned(copy);
        QVERIFY2(b.valid, name);
        qInfo("%s: registered difference %.2f", name, alignedDifference(a, b));
        QVERIFY2(confirmsAligned(a, b), name);
        QVERIFY2(confirmsAligned(b, a), name);
    }
}

void TestAlignedSignature::otherObjectsDoNot()
{
    const cv::Mat original = object();
    const AlignedSignature a = aligned(original);
    cv::Mat flipped;
    cv::flip(original, flipped, 1);
    // Other stitching, a mirror, the object displaced by a fifth of the image, and a larger one
    // (the same pixels once registered, but not a crop or re-size of the whole image).
    cv::Mat larger = scaled(original, 1.3);
    larger = larger(cv::Rect((larger.cols - 28) / 2, (larger.rows - 28) / 2, 28, 28)).clone();
    const std::pair<const char *, cv::Mat> others[] = {
        {"stripes", object(7)},
        {"mirrored", flipped},
        {"displaced", shifted(original, 4, 0)},
        {"zoomed", larger},
    };
    for (const auto &[name, other] : others) {
        const AlignedSignature b = aligned(other);
        qInfo("%s: registered difference %.2f", name, alignedDifference(a, b));
        QVERIFY2(!confirmsAligned(a, b), name);
    }
}

void TestAlignedSignature::textureIsNotRegistered()
{
    cv::Mat noise(28, 28, CV_8U);
    cv::randu(noise, 0, 256);
    QVERIFY(!aligned(noise).valid);
    QVERIFY(!aligned(cv::Mat(28, 28, CV_8U, cv::Scalar(90))).valid); // nothing on it
    AlignedSignature invalid;
    QVERIFY(!confirmsAligned(invalid, invalid));
}

void TestAlignedSignature::keysOfCopiesAreNear()
{
    const cv::Mat original = object();
    const AlignedSignature a = aligned(original), b = aligned(shifted(original, 1, 1));
    const AlignedSignature other = aligned(object(7));
    const int copy = std::popcount(a.key ^ b.key), sibling = std::popcount(a.key ^ other.key);
    qInfo("registered keys: shifted copy %d bits, other stripes %d bits", copy, sibling);
    QVERIFY(copy <= DuplicateOptions{}.alignedMaxDistance);
    QVERIFY(sibling > copy);
}

QTEST_GUILESS_MAIN(TestAlignedSignature)
#include "tst_alignedsignature.moc"
