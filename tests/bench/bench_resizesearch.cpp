// The cost of the resampled search for re-sized small images (analysis/smallresizes.h) where it
// is dearest: two large groups of images whose sizes scale into each other.
//   1. Fashion-MNIST: half of its 70,000 images at 28x28, the other half grown to 32x32
//      (different garments: dense pHashes, no copies), plus 1,000 re-sized copies planted
//      across the sizes; the whole search, pixels compared.
//   2. Uniform random hashes, N + N of two compatible sizes, one signature: the lookups alone,
//      until the compare budget stops them.
//
// Usage: bench_resizesearch

#include "analysis/duplicates.h"
#include "analysis/imagesignature.h"
#include "analysis/smallresizes.h"
#include "formats/idxfile.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>

#include <opencv2/img_hash.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <cstdio>
#include <cstring>
#include <random>
#include <set>

using namespace assay;
using namespace assay::analysis;

namespace {

struct Features
{
    DuplicateInputs inputs;
    std::vector<PreparedSignature> signatures;
    std::vector<cv::Mat> images;

    void add(const cv::Mat &image)
    {
        thread_local cv::Ptr<cv::img_hash::PHash> phash = cv::img_hash::PHash::create();
        cv::Mat hash, signature;
        phash->compute(image, hash);
        DuplicateInput input;
        std::memcpy(&input.phash, hash.data, sizeof input.phash);
        input.width = image.cols;
        input.height = image.rows;
        inputs.samples.push_back(input);
        cv::resize(image, signature, cv::Size(16, 16), 0, 0, cv::INTER_AREA);
        signatures.push_back(prepareSignature(signature.data));
        images.push_back(image);
    }
};

void print(const char *name, const ResizeSearchStats &stats, double seconds, size_t found)
{
    std::printf("  %-36s %6.2f s (lookups %.2f s, images %.2f s): %lld compares, %lld candidates, "
                "%lld compared by pixels, %zu pairs%s\n",
                name, seconds, stats.lookupSeconds, stats.imageSeconds, static_cast<long long>(stats.compares),
                static_cast<long long>(stats.candidates), static_cast<long long>(stats.fitted),
                found, stats.limited ? " (stopped at the budget)" : "");
}

void fashion()
{
    const QString dir = QStringLiteral("/usr/share/datasets/fashion-mnist");
    if (!QFile::exists(dir + QStringLiteral("/train-images-idx3-ubyte.gz"))) {
        std::printf("  dataset-fashion-mnist is not installed\n");
        return;
    }
    std::vector<cv::Mat> originals;
    for (const char *name : {"train", "t10k"}) {
        const formats::IdxData data = formats::readIdxFile(
            dir + QStringLiteral("/%1-images-idx3-ubyte.gz").arg(QLatin1String(name)));
        for (std::int64_t i = 0; i < data.count; ++i)
            originals.push_back(
                cv::Mat(28, 28, CV_8UC1, const_cast<uchar *>(data.item(i))).clone());
    }
    QElapsedTimer timer;
    timer.start();
    Features features;
    std::mt19937 random(11);
    std::set<std::pair<std::uint32_t, std::uint32_t>> planted;
    const size_t half = originals.size() / 2;
    for (size_t i = 0; i < originals.size(); ++i) {
        cv::Mat image = originals[i];
        if (i >= half)
            cv::resize(image, image, cv::Size(32, 32), 0, 0, cv::INTER_LINEAR);
        features.add(image);
    }
    for (std::uint32_t k = 0; k < 1000; ++k) {
        const std::uint32_t source = std::uint32_t(random() % half);
        cv::Mat copy;
        cv::resize(originals[source], copy, cv::Size(), 1.15, 1.15, cv::INTER_CUBIC);
        features.add(copy);
        planted.insert({source, std::uint32_t(features.images.size() - 1)});
    }
    std::printf("  %zu images at 28x28 and %zu at 32x32 prepared in %.1f s\n", half,
                features.images.size() - half, double(timer.elapsed()) / 1000);

    const std::vector<bool> small(features.images.size(), true);
    ResizeSearchInput input;
    input.inputs = &features.inputs;
    input.small = &small;
    input.signature = [&](std::uint32_t i) { return &features.signatures[i]; };
    input.known = [](std::uint32_t, std::uint32_t) { return false; };
    input.source = [&](const std::vector<bool> &needed, const SmallImageVisitor &visit) {
        for (std::uint32_t i = 0; i < features.images.size(); ++i)
            if (needed[i])
                visit(i, {features.images[i].cols, features.images[i].rows,
                          features.images[i].data});
    };
    ResizeSearchStats stats;
    timer.restart();
    const auto pairs = findResizedPairs(input, {}, nullptr, &stats);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    size_t found = 0;
    for (const auto &pair : pairs)
        found += planted.count(pair);
    print("Fashion-MNIST 35,000 + 36,000", stats, seconds, pairs.size());
    std::printf("  planted copies found: %zu of %zu; other pairs: %zu\n", found, planted.size(),
                pairs.size() - found);
}

void uniform(size_t n)
{
    std::mt19937_64 random(5);
    DuplicateInputs inputs;
    for (size_t i = 0; i < 2 * n; ++i) {
        DuplicateInput input;
        input.phash = random();
        input.width = input.height = i < n ? 28 : 32;
        inputs.samples.push_back(input);
    }
    const std::vector<bool> small(inputs.samples.size(), true);
    ResizeSearchInput input;
    input.inputs = &inputs;
    input.small = &small;
    // One signature for all (a ramp): the hashes decide.
    std::array<std::uint8_t, signatureBytes> ramp{};
    for (int i = 0; i < signatureBytes; ++i)
        ramp[size_t(i)] = std::uint8_t(i);
    const PreparedSignature signature = prepareSignature(ramp.data());
    input.signature = [&](std::uint32_t) { return &signature; };
    input.known = [](std::uint32_t, std::uint32_t) { return false; };
    ResizeSearchStats stats;
    QElapsedTimer timer;
    timer.start();
    const auto pairs = findResizedPairs(input, {}, nullptr, &stats);
    const QByteArray name = QStringLiteral("uniform hashes, %1 + %1").arg(n).toUtf8();
    print(name.constData(), stats, double(timer.nsecsElapsed()) / 1e9, pairs.size());
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    std::printf("Resampled search for re-sized small images (one thread)\n\n1. Fashion-MNIST\n");
    fashion();
    std::printf("\n2. Lookups alone (budget: %lld compares)\n",
                static_cast<long long>(ResizeRule{}.maxCompares));
    for (const size_t n : {size_t(100'000), size_t(300'000), size_t(1'000'000)})
        uniform(n);
    return 0;
}
