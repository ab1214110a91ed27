// The resampled search for small images (analysis/smallresizes.h): Fashion-MNIST images scaled
// by 15 % up or down, by area, bilinear, bicubic and Lanczos resampling, confirm against their
// originals; other garments of the same class, mirrored copies and blank images do not; the
// search finds the planted pairs among distractors of the same sizes and stops at its budget.

#include "analysis/duplicates.h"
#include "analysis/imagesignature.h"
#include "analysis/smallresizes.h"
#include "formats/idxfile.h"

#include <QFile>
#include <QTest>

#include <opencv2/img_hash.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstring>
#include <random>
#include <set>

using namespace assay;
using namespace assay::analysis;

namespace {

const QString imagesFile =
    QStringLiteral("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
const QString labelsFile =
    QStringLiteral("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");

SmallImage viewOf(const cv::Mat &image)
{
    return {image.cols, image.rows, image.data};
}

cv::Mat scaled(const cv::Mat &image, double scale, int interpolation)
{
    cv::Mat out;
    cv::resize(image, out, cv::Size(), scale, scale, interpolation);
    return out;
}

// The features a scan stores for a small image: its pHash and 16x16 area signature.
DuplicateInput inputOf(const cv::Mat &image)
{
    thread_local cv::Ptr<cv::img_hash::PHash> phash = cv::img_hash::PHash::create();
    cv::Mat hash;
    phash->compute(image, hash);
    DuplicateInput input;
    std::memcpy(&input.phash, hash.data, sizeof input.phash);
    input.width = image.cols;
    input.height = image.rows;
    return input;
}

PreparedSignature signatureOf(const cv::Mat &image)
{
    cv::Mat signature;
    cv::resize(image, signature, cv::Size(16, 16), 0, 0, cv::INTER_AREA);
    return prepareSignature(signature.data);
}

// The features of `images` as a scan stores them, and a search over them that joins no pair
// already and reads the pixels from `images` (marking in `visited` what it read).
struct Search
{
    DuplicateInputs inputs;
    std::vector<PreparedSignature> signatures;
    std::vector<bool> small, visited;
    ResizeSearchInput input;

    explicit Search(const std::vector<cv::Mat> &images)
        : small(images.size(), true), visited(images.size(), false)
    {
        for (const cv::Mat &image : images) {
            inputs.samples.push_back(inputOf(image));
            signatures.push_back(signatureOf(image));
        }
        input.inputs = &inputs;
        input.small = &small;
        input.signature = [this](std::uint32_t i) {
            return &signatures[i];
        };
        input.known = [](std::uint32_t, std::uint32_t) {
            return false;
        };
        input.source = [this, &images](const std::vector<bool> &needed,
                                       const SmallImageVisitor &visit) {
            for (std::uint32_t i = 0; i < images.size(); ++i) {
                if (needed[i]) {
                    visited[i] = true;
                    visit(i, viewOf(images[i]));
                }
            }
        };
    }
    Search(const Search &) = delete;
};

struct Garments
{
    std::vector<cv::Mat> images;
    std::vector<int> labels;
};

Garments loadGarments(int count)
{
    const formats::IdxData images = formats::readIdxFile(imagesFile);
    const formats::IdxData labels = formats::readIdxFile(labelsFile);
    Garments out;
    for (int i = 0; i < count; ++i) {
        out.images.push_back(
            cv::Mat(28, 28, CV_8UC1, const_cast<uchar *>(images.item(i * 7))).clone());
        out.labels.push_back(labels.item(0)[i * 7]);
    }
    return out;
}

struct Resampler
{
    const char *name;
    int shrink, grow;
};

const Resampler resamplers[] = {{"area/bilinear", cv::INTER_AREA, cv::INTER_LINEAR},
                                {"bilinear/bicubic", cv::INTER_LINEAR, cv::INTER_CUBIC},
                                {"Lanczos", cv::INTER_LANCZOS4, cv::INTER_LANCZOS4}};

} // namespace

class TestSmallResizes : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        if (!QFile::exists(imagesFile))
            QSKIP("dataset-fashion-mnist is not installed");
    }
    void uniformScaling_data();
    void uniformScaling();
    void resizedCopiesConfirm();
    void otherGarmentsDoNotConfirm();
    void blankImagesAreNotSearched();
    void searchFindsPlantedPairs();
};

void TestSmallResizes::uniformScaling_data()
{
    QTest::addColumn<int>("w1");
    QTest::addColumn<int>("h1");
    QTest::addColumn<int>("w2");
    QTest::addColumn<int>("h2");
    QTest::addColumn<bool>("uniform");
    QTest::newRow("shrunk 15 %") << 28 << 28 << 24 << 24 << true;
    QTest::newRow("grown 15 %") << 28 << 28 << 32 << 32 << true;
    QTest::newRow("one pixel larger") << 28 << 28 << 29 << 29 << true;
    QTest::newRow("same size") << 28 << 28 << 28 << 28 << false;
    QTest::newRow("grown 43 %") << 28 << 28 << 40 << 40 << false;
    QTest::newRow("oblong, rounded") << 28 << 20 << 32 << 23 << true;
    QTest::newRow("aspect changed") << 28 << 28 << 32 << 24 << false;
    QTest::newRow("wider, not taller") << 28 << 28 << 32 << 28 << false;
}

void TestSmallResizes::uniformScaling()
{
    QFETCH(int, w1);
    QFETCH(int, h1);
    QFETCH(int, w2);
    QFETCH(int, h2);
    QFETCH(bool, uniform);
    QCOMPARE(isUniformScaling(w1, h1, w2, h2), uniform);
    QCOMPARE(isUniformScaling(w2, h2, w1, h1), uniform);
}

void TestSmallResizes::resizedCopiesConfirm()
{
    const Garments garments = loadGarments(100);
    for (const Resampler &resampler : resamplers) {
        int confirmed = 0, tried = 0;
        for (const cv::Mat &image : garments.images) {
            for (const double scale : {0.85, 1.15}) {
                const cv::Mat copy =
                    scaled(image, scale, scale < 1 ? resampler.shrink : resampler.grow);
                const bool yes = confirmsResized(viewOf(image), viewOf(copy));
                QCOMPARE(confirmsResized(viewOf(copy), viewOf(image)), yes);
                confirmed += yes;
                ++tried;
            }
        }
        qInfo("%s: %d of %d re-sized copies confirmed", resampler.name, confirmed, tried);
        QVERIFY2(confirmed >= tried * 95 / 100, resampler.name);
    }
}

void TestSmallResizes::otherGarmentsDoNotConfirm()
{
    // Each shrunk copy against every other garment of its class: the hardest strangers.
    const Garments garments = loadGarments(300);
    int wrong = 0, tried = 0;
    for (size_t a = 0; a < 60; ++a) {
        const cv::Mat copy = scaled(garments.images[a], 0.85, cv::INTER_AREA);
        for (size_t b = 0; b < garments.images.size(); ++b) {
            if (b == a || garments.labels[b] != garments.labels[a])
                continue;
            wrong += confirmsResized(viewOf(copy), viewOf(garments.images[b]));
            ++tried;
        }
    }
    qInfo("%d of %d pairs of different garments of one class confirmed", wrong, tried);
    QVERIFY(tried > 1000);
    QVERIFY(wrong * 1000 <= tried); // at most 0.1 %

    // A mirrored copy of an asymmetric garment (a shirt with a print) is another picture.
    int mirroredWrong = 0, asymmetric = 0;
    for (const cv::Mat &image : garments.images) {
        cv::Mat mirrored;
        cv::flip(image, mirrored, 1);
        if (cv::norm(image, mirrored, cv::NORM_L1) / double(image.total()) < 12)
            continue; // symmetric: its mirror is the same picture
        ++asymmetric;
        mirroredWrong +=
            confirmsResized(viewOf(scaled(mirrored, 1.15, cv::INTER_LINEAR)), viewOf(image));
    }
    QVERIFY(asymmetric > 50);
    QCOMPARE(mirroredWrong, 0);
}

void TestSmallResizes::blankImagesAreNotSearched()
{
    const std::vector<cv::Mat> images = {cv::Mat(28, 28, CV_8UC1, cv::Scalar(0)),
                                         cv::Mat(24, 24, CV_8UC1, cv::Scalar(0)),
                                         cv::Mat(32, 32, CV_8UC1, cv::Scalar(255))};
    Search search(images);
    ResizeSearchStats stats;
    QVERIFY(findResizedPairs(search.input, {}, nullptr, &stats).empty());
    QCOMPARE(stats.sizePairs, 0); // flat images are not even looked up
    QCOMPARE(stats.compares, 0);
}

void TestSmallResizes::searchFindsPlantedPairs()
{
    // 200 garments at 28x28; 40 of them also shrunk to 24x24 and 40 grown to 32x32, beside 60
    // other garments at each of those sizes.
    const Garments garments = loadGarments(400);
    std::vector<cv::Mat> images;
    std::set<std::pair<std::uint32_t, std::uint32_t>> planted;
    for (int i = 0; i < 200; ++i)
        images.push_back(garments.images[size_t(i)]);
    for (int i = 0; i < 80; ++i) {
        const double scale = i < 40 ? 0.85 : 1.15;
        images.push_back(scaled(garments.images[size_t(i)], scale,
                                scale < 1 ? cv::INTER_AREA : cv::INTER_CUBIC));
        planted.insert({std::uint32_t(i), std::uint32_t(images.size() - 1)});
    }
    for (int i = 200; i < 320; ++i)
        images.push_back(scaled(garments.images[size_t(i)], i < 260 ? 0.85 : 1.15, cv::INTER_AREA));

    Search search(images);
    // 24-28 and 28-32 (24-32 is a third larger)
    const std::pair<std::uint32_t, std::uint32_t> alreadyJoined = *planted.begin();
    search.input.known = [&](std::uint32_t a, std::uint32_t b) {
        return std::pair(a, b) == alreadyJoined;
    };
    ResizeSearchStats stats;
    const auto pairs = findResizedPairs(search.input, {}, nullptr, &stats);
    const std::set<std::pair<std::uint32_t, std::uint32_t>> found(pairs.begin(), pairs.end());
    int missed = 0;
    for (const auto &pair : planted)
        missed += pair != alreadyJoined && !found.count(pair);
    for (const auto &pair : found)
        QVERIFY2(planted.count(pair),
                 qPrintable(QStringLiteral("%1-%2 joined").arg(pair.first).arg(pair.second)));
    QVERIFY(!found.count(alreadyJoined));
    QVERIFY2(missed <= 2, qPrintable(QString::number(missed)));
    QCOMPARE(stats.confirmed, std::int64_t(pairs.size()));
    QVERIFY(stats.candidates >= stats.fitted);
    QVERIFY(!stats.limited);
    // Only the candidates' pixels were read.
    QVERIFY(std::count(search.visited.begin(), search.visited.end(), true) <
            std::ptrdiff_t(images.size()));
    QVERIFY(stats.compares >= stats.candidates);
    QCOMPARE(stats.sizePairs, 2);

    // Each budget stops the search, and says so.
    for (const bool candidates : {true, false}) {
        ResizeRule tight;
        (candidates ? tight.maxCandidates : tight.maxCompares) = 0;
        stats = {};
        QVERIFY(findResizedPairs(search.input, tight, nullptr, &stats).size() < found.size());
        QVERIFY(stats.limited);
    }
}

QTEST_GUILESS_MAIN(TestSmallResizes)
#include "tst_smallresizes.moc"
