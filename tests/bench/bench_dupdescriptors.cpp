// Which descriptors tell planted copies from different images (the calibration behind the
// duplicate analysis's defaults). On a planted set (tests/common/plantedset.h) every file is
// decoded as the scan decodes it; then, per descriptor, the distances of the planted copies to
// their originals (by kind of edit) and of hard negatives: mirrored copies, and pairs of
// different images whose pHashes are within 16 bits (the candidates a pHash index hands over).
// --sweep instead clusters (union-find) candidates from three hashes confirmed by four verifiers
// at several limits and scores them; --density counts the pHash pairs among all 70,000
// Fashion-MNIST images and how many two verifiers pass. docs/architecture.md has the findings.
//
// Usage: bench_dupdescriptors [WORKDIR] [--photos] [--originals N] [--distractors N] [--copies N]
//                             [--seed S] [--only NAME] [--sweep [--show DIR]] [--density]

#include "plantedset.h"

#include "analysis/hammingpairs.h"
#include "analysis/unionfind.h"
#include "formats/idxfile.h"
#include "scan/decoder.h"
#include "scan/features.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <opencv2/img_hash.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>

using namespace assay;

namespace {

struct Described
{
    SampleFeatures features;
    cv::Mat thumb8, thumb12, thumb16; // zero mean, unit norm (float)
    cv::Mat blockMean, marr, radial, moments;
    cv::Mat raw8, raw16, raw32;        // float grey thumbnails, for the shift search
    std::uint64_t spectrum = 0;  // bits of the low DFT magnitudes (shift-invariant)
    std::uint64_t blurredPhash = 0;
    std::uint64_t centredPhash = 0;       // pHash of the image moved so its centroid is central
    cv::Mat centred8, centred16, centred32; // its thumbnails, zero mean and unit norm
    int width = 0, height = 0;
};

cv::Mat normalizedThumb(const cv::Mat &gray, int side)
{
    cv::Mat small;
    cv::resize(gray, small, {side, side}, 0, 0, cv::INTER_AREA);
    small.convertTo(small, CV_32F);
    small -= cv::mean(small);
    const double norm = cv::norm(small);
    if (norm > 0)
        small /= norm;
    return small;
}

cv::Mat rawThumb(const cv::Mat &gray, int side)
{
    cv::Mat small;
    cv::resize(gray, small, {side, side}, 0, 0,
               gray.cols > side ? cv::INTER_AREA : cv::INTER_LINEAR);
    small.convertTo(small, CV_32F);
    return small;
}

// 64 bits: whether each of the 64 lowest-frequency DFT magnitudes of the mean-free 32x32
// thumbnail (half plane, DC left out) is above their median.
std::uint64_t spectrumBits(const cv::Mat &raw32)
{
    cv::Mat centred = raw32 - cv::mean(raw32), spectrum;
    cv::dft(centred, spectrum, cv::DFT_COMPLEX_OUTPUT);
    std::vector<float> magnitudes;
    for (int v = 0; v <= 4 && magnitudes.size() < 64; ++v)
        for (int u = -6; u <= 6 && magnitudes.size() < 64; ++u) {
            if (v == 0 && u <= 0)
                continue;
            const cv::Vec2f c = spectrum.at<cv::Vec2f>(v, (u + 32) % 32);
            magnitudes.push_back(std::hypot(c[0], c[1]));
        }
    std::vector<float> sorted = magnitudes;
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
    const float median = sorted[sorted.size() / 2];
    std::uint64_t bits = 0;
    for (size_t i = 0; i < magnitudes.size(); ++i)
        if (magnitudes[i] > median)
            bits |= std::uint64_t(1) << i;
    return bits;
}

// Mean absolute difference of two grey thumbnails after each loses its mean.
double meanFreeDifference(const cv::Mat &a, const cv::Mat &b)
{
    const cv::Mat difference = a - b;
    const double shift = cv::mean(difference)[0];
    return cv::mean(cv::abs(difference - shift))[0];
}

// 1 - the best Pearson correlation of a and b over integer shifts up to `reach` (overlap only).
double shiftedDistance(const cv::Mat &a, const cv::Mat &b, int reach)
{
    const int side = a.cols;
    double best = -1;
    for (int dy = -reach; dy <= reach; ++dy)
        for (int dx = -reach; dx <= reach; ++dx) {
            double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
            int n = 0;
            for (int y = std::max(0, -dy); y < std::min(side, side - dy); ++y) {
                const float *pa = a.ptr<float>(y);
                const float *pb = b.ptr<float>(y + dy);
                for (int x = std::max(0, -dx); x < std::min(side, side - dx); ++x) {
                    const double va = pa[x], vb = pb[x + dx];
                    sa += va; sb += vb; saa += va * va; sbb += vb * vb; sab += va * vb;
                    ++n;
                }
            }
            const double cov = n * sab - sa * sb;
            const double var = (n * saa - sa * sa) * (n * sbb - sb * sb);
            best = std::max(best, var > 0 ? cov / std::sqrt(var) : 0.0);
        }
    return 1.0 - best;
}

// 32x32 grey, the image scaled to it and moved so that its centroid (of the luma above the 5th
// percentile) is at the centre; edges repeated.
cv::Mat centredImage(const cv::Mat &gray)
{
    int histogram[256] = {};
    for (int y = 0; y < gray.rows; ++y)
        for (int x = 0; x < gray.cols; ++x)
            ++histogram[gray.at<uchar>(y, x)];
    int floor = 0;
    for (int seen = 0; floor < 255 && (seen += histogram[floor]) < int(gray.total() / 20);)
        ++floor;
    double sw = 0, sx = 0, sy = 0;
    for (int y = 0; y < gray.rows; ++y)
        for (int x = 0; x < gray.cols; ++x) {
            const double w = std::max(0, gray.at<uchar>(y, x) - floor);
            sw += w;
            sx += w * (x + 0.5);
            sy += w * (y + 0.5);
        }
    const double cx = sw > 0 ? sx / sw : gray.cols / 2.0, cy = sw > 0 ? sy / sw : gray.rows / 2.0;
    const double kx = 32.0 / gray.cols, ky = 32.0 / gray.rows;
    const cv::Mat m = (cv::Mat_<double>(2, 3) << kx, 0, 16 - kx * cx - 0.5 + 0.5 * kx * 0 ,
                       0, ky, 16 - ky * cy);
    cv::Mat out;
    cv::warpAffine(gray, out, m, {32, 32},
                   (gray.cols > 32 ? cv::INTER_AREA : cv::INTER_LINEAR), cv::BORDER_REPLICATE);
    return out;
}

Described describe(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    const QByteArray bytes = file.readAll();
    const scan::Decoded decoded =
        scan::decodeImage(std::string_view(bytes.constData(), size_t(bytes.size())), {});
    Described d;
    scan::computeFeatures(decoded, d.features);
    d.width = decoded.width;
    d.height = decoded.height;
    cv::Mat working = decoded.pixels;
    const int longest = std::max(working.cols, working.rows);
    if (longest > 160) {
        const double scale = 160.0 / longest;
        cv::resize(working, working,
                   {std::max(1, int(std::lround(working.cols * scale))),
                    std::max(1, int(std::lround(working.rows * scale)))},
                   0, 0, cv::INTER_AREA);
    }
    cv::Mat gray, colour;
    if (working.channels() == 1) {
        gray = working;
        cv::cvtColor(working, colour, cv::COLOR_GRAY2BGR);
    } else {
        cv::cvtColor(working, gray, cv::COLOR_BGR2GRAY);
        colour = working;
    }
    d.thumb8 = normalizedThumb(gray, 8);
    d.thumb12 = normalizedThumb(gray, 12);
    d.thumb16 = normalizedThumb(gray, 16);
    d.raw8 = rawThumb(gray, 8);
    d.raw16 = rawThumb(gray, 16);
    d.raw32 = rawThumb(gray, 32);
    d.spectrum = spectrumBits(d.raw32);
    {
        cv::Mat blurred, hash;
        cv::resize(gray, blurred, {32, 32}, 0, 0, gray.cols > 32 ? cv::INTER_AREA : cv::INTER_LINEAR);
        cv::GaussianBlur(blurred, blurred, {0, 0}, 1.5);
        cv::img_hash::pHash(blurred, hash);
        std::memcpy(&d.blurredPhash, hash.data, 8);
    }
    {
        const cv::Mat centred = centredImage(gray);
        cv::Mat hash;
        cv::img_hash::pHash(centred, hash);
        std::memcpy(&d.centredPhash, hash.data, 8);
        d.centred8 = normalizedThumb(centred, 8);
        d.centred16 = normalizedThumb(centred, 16);
        d.centred32 = normalizedThumb(centred, 32);
    }
    cv::img_hash::blockMeanHash(colour, d.blockMean);
    cv::img_hash::marrHildrethHash(colour, d.marr);
    cv::img_hash::radialVarianceHash(colour, d.radial);
    cv::img_hash::colorMomentHash(colour, d.moments);
    return d;
}

struct Descriptor
{
    const char *name;
    std::function<double(const Described &, const Described &)> distance;
    std::uint64_t (*bits)(const Described &) = nullptr; // a 64-bit hash: all pairs are counted
};

std::vector<Descriptor> descriptors()
{
    auto bits = [](const cv::Mat &a, const cv::Mat &b) { return cv::norm(a, b, cv::NORM_HAMMING); };
    static const auto radial = cv::img_hash::RadialVarianceHash::create();
    return {
        {"pHash bits", [](const Described &a, const Described &b) {
             return double(analysis::hammingDistance(a.features.phash, b.features.phash)); },
         [](const Described &d) { return d.features.phash; }},
        {"aHash bits", [](const Described &a, const Described &b) {
             return double(analysis::hammingDistance(a.features.ahash, b.features.ahash)); },
         [](const Described &d) { return d.features.ahash; }},
        {"thumb 8x8 1-r", [](const Described &a, const Described &b) {
             return 1.0 - a.thumb8.dot(b.thumb8); }},
        {"thumb 12x12 1-r", [](const Described &a, const Described &b) {
             return 1.0 - a.thumb12.dot(b.thumb12); }},
        {"thumb 16x16 1-r", [](const Described &a, const Described &b) {
             return 1.0 - a.thumb16.dot(b.thumb16); }},
        {"NCC 16x16 shift<=1 1-r", [](const Described &a, const Described &b) {
             return shiftedDistance(a.raw16, b.raw16, 1); }},
        {"NCC 32x32 shift<=2 1-r", [](const Described &a, const Described &b) {
             return shiftedDistance(a.raw32, b.raw32, 2); }},
        {"spectrum bits", [](const Described &a, const Described &b) {
             return double(analysis::hammingDistance(a.spectrum, b.spectrum)); },
         [](const Described &d) { return d.spectrum; }},
        {"blurred pHash bits", [](const Described &a, const Described &b) {
             return double(analysis::hammingDistance(a.blurredPhash, b.blurredPhash)); },
         [](const Described &d) { return d.blurredPhash; }},
        {"MAD 16x16 grey", [](const Described &a, const Described &b) {
             return meanFreeDifference(a.raw16, b.raw16); }},
        {"MAD 32x32 grey", [](const Described &a, const Described &b) {
             return meanFreeDifference(a.raw32, b.raw32); }},
        {"MAD 8x8 grey", [](const Described &a, const Described &b) {
             return meanFreeDifference(a.raw8, b.raw8); }},
        {"centred pHash bits", [](const Described &a, const Described &b) {
             return double(analysis::hammingDistance(a.centredPhash, b.centredPhash)); },
         [](const Described &d) { return d.centredPhash; }},
        {"centred 8x8 1-r", [](const Described &a, const Described &b) {
             return 1.0 - a.centred8.dot(b.centred8); }},
        {"centred 16x16 1-r", [](const Described &a, const Described &b) {
             return 1.0 - a.centred16.dot(b.centred16); }},
        {"centred 32x32 1-r", [](const Described &a, const Described &b) {
             return 1.0 - a.centred32.dot(b.centred32); }},
        {"BlockMean bits", [bits](const Described &a, const Described &b) {
             return bits(a.blockMean, b.blockMean); }},
        {"MarrHildreth bits", [bits](const Described &a, const Described &b) {
             return bits(a.marr, b.marr); }},
        {"RadialVar 1-r", [](const Described &a, const Described &b) {
             return 1.0 - radial->compare(a.radial, b.radial); }},
        {"ColorMoment L2", [](const Described &a, const Described &b) {
             return cv::norm(a.moments, b.moments, cv::NORM_L2); }},
    };
}

double quantile(std::vector<double> values, double q)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(q * double(values.size())))];
}

double shareAtMost(const std::vector<double> &values, double limit)
{
    if (values.empty())
        return 0;
    return double(std::count_if(values.begin(), values.end(),
                                [&](double v) { return v <= limit; }))
           / double(values.size());
}

// Clusters from candidate pairs (a 64-bit hash within t bits, all pairs compared) confirmed by
// a verifier within c, joined by union-find together with exact copies; scored.
void sweep(const test::PlantedSet &set, const std::vector<Described> &described,
           const QString &only, const QString &showDir)
{
    struct Hash
    {
        const char *name;
        std::uint64_t (*bits)(const Described &);
    };
    const Hash hashes[] = {
        {"pHash", [](const Described &d) { return d.features.phash; }},
        {"spectrum", [](const Described &d) { return d.spectrum; }},
        {"centred pHash", [](const Described &d) { return d.centredPhash; }},
    };
    struct Verifier
    {
        const char *name;
        std::vector<double> limits;
    };
    const Verifier verifiers[] = {{"MAD 16x16 grey", {3, 4, 6, 8}},
                                  {"MAD 8x8 grey", {3, 4, 6, 8}},
                                  {"thumb 8x8 1-r", {0.005, 0.01, 0.02, 0.04}},
                                  {"thumb 16x16 1-r", {0.005, 0.01, 0.02, 0.04}},
                                  {"NCC 32x32 shift<=2 1-r", {0.01, 0.02, 0.04}},
                                  {"centred 16x16 1-r", {0.005, 0.01, 0.02, 0.04}}};
    std::map<QString, Descriptor> byName;
    for (const Descriptor &d : descriptors())
        byName.emplace(QString::fromLatin1(d.name), d);
    for (const Hash &hash : hashes) {
        if (!only.isEmpty() && !QString::fromLatin1(hash.name).contains(only))
            continue;
        std::vector<std::uint64_t> values;
        for (const Described &d : described)
            values.push_back(hash.bits(d));
        const analysis::NearPairs near = analysis::findNearPairsBruteForce(values, 12);
        std::vector<std::vector<std::uint32_t>> byValue(near.values.size());
        for (std::uint32_t i = 0; i < near.valueOf.size(); ++i)
            byValue[near.valueOf[i]].push_back(i);
        for (const Verifier &verifier : verifiers) {
            const Descriptor &check = byName.at(QString::fromLatin1(verifier.name));
            // Candidate sample pairs with their hash distance and verifier distance.
            struct Candidate { std::uint32_t a, b; int bits; double distance; };
            std::vector<Candidate> candidates;
            auto add = [&](std::uint32_t a, std::uint32_t b, int bits) {
                candidates.push_back({a, b, bits, check.distance(described[a], described[b])});
            };
            for (const auto &members : byValue)
                for (size_t i = 0; i < members.size(); ++i)
                    for (size_t j = i + 1; j < members.size(); ++j)
                        add(members[i], members[j], 0);
            for (const analysis::HashPair &p : near.pairs)
                for (const std::uint32_t a : byValue[p.a])
                    for (const std::uint32_t b : byValue[p.b])
                        add(a, b, p.distance);
            for (const int t : {4, 6, 8, 10, 12}) {
                for (const double limit : verifier.limits) {
                    analysis::UnionFind sets(described.size());
                    std::map<std::uint64_t, std::uint32_t> pixels;
                    for (std::uint32_t i = 0; i < described.size(); ++i) {
                        const auto [it, inserted] = pixels.emplace(described[i].features.pixelHash, i);
                        if (!inserted)
                            sets.unite(it->second, i);
                    }
                    std::int64_t edges = 0;
                    for (const Candidate &c : candidates)
                        if (c.bits <= t && c.distance <= limit) {
                            sets.unite(c.a, c.b);
                            ++edges;
                        }
                    std::map<std::uint32_t, QStringList> clusters;
                    for (std::uint32_t i = 0; i < described.size(); ++i)
                        clusters[sets.find(i)] << set.files[i].path;
                    std::vector<QStringList> list;
                    for (auto &[root, paths] : clusters)
                        if (paths.size() > 1)
                            list.push_back(paths);
                    const test::PlantedScore score = test::scorePlantedClusters(set, list);
                    std::printf("%-13s T=%2d  %-22s <= %.3f  edges %7lld  clusters %5d largest %4d "
                                "precision %.3f (false %lld)  recall",
                                hash.name, t, verifier.name, limit, static_cast<long long>(edges),
                                score.clusters, score.largestCluster, score.precision(),
                                static_cast<long long>(score.falsePairs));
                    for (const test::Plant plant : test::copyKinds())
                        std::printf(" %.2f", score.kinds.at(plant).recall());
                    std::printf("\n");
                    std::fflush(stdout);
                    if (!showDir.isEmpty()) {
                        const QString stem = QStringLiteral("%1/%2-t%3-%4-%5")
                                                 .arg(showDir, QString::fromLatin1(hash.name))
                                                 .arg(t)
                                                 .arg(QString::fromLatin1(verifier.name).section(u' ', 0, 1))
                                                 .arg(limit);
                        test::writePairSheet(set, score.falseExamples, stem + QStringLiteral("-false.png"));
                        test::writePairSheet(set, score.lookAlikeExamples, stem + QStringLiteral("-alike.png"));
                    }
                }
            }
        }
    }
}

} // namespace

// How dense the pHashes of all 70,000 Fashion-MNIST images are: pairs within T, and how many of
// them each verifier passes.
void fashionDensity()
{
    std::vector<Described> described;
    for (const char *file : {"train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz"}) {
        const formats::IdxData idx = formats::readIdxFile(
            QStringLiteral("/usr/share/datasets/fashion-mnist/") + QString::fromLatin1(file));
        for (std::int64_t i = 0; i < idx.count; ++i) {
            const scan::Decoded decoded = scan::wrapGrayPixels(idx.item(i), idx.columns, idx.rows);
            Described d;
            scan::computeFeatures(decoded, d.features);
            d.thumb8 = normalizedThumb(decoded.pixels, 8);
            d.thumb16 = normalizedThumb(decoded.pixels, 16);
            described.push_back(std::move(d));
        }
    }
    std::vector<std::uint64_t> hashes;
    for (const Described &d : described)
        hashes.push_back(d.features.phash);
    for (const int t : {2, 4, 6, 8, 10, 12}) {
        const analysis::NearPairs near = analysis::findNearPairs(hashes, t);
        std::vector<std::vector<std::uint32_t>> byValue(near.values.size());
        for (std::uint32_t i = 0; i < near.valueOf.size(); ++i)
            byValue[near.valueOf[i]].push_back(i);
        std::int64_t samplePairs = 0, pass16 = 0, pass8 = 0;
        auto check = [&](std::uint32_t a, std::uint32_t b) {
            ++samplePairs;
            pass16 += 1.0 - described[a].thumb16.dot(described[b].thumb16) <= 0.01;
            pass8 += 1.0 - described[a].thumb8.dot(described[b].thumb8) <= 0.04;
        };
        for (const auto &members : byValue)
            for (size_t i = 1; i < members.size(); ++i)
                check(members[0], members[i]);
        for (const analysis::HashPair &p : near.pairs)
            for (const std::uint32_t a : byValue[p.a])
                for (const std::uint32_t b : byValue[p.b])
                    check(a, b);
        std::printf("Fashion-MNIST 70,000: T=%2d  %lld sample pairs%s; 16x16 <= 0.01 passes %lld, "
                    "8x8 <= 0.04 passes %lld\n",
                    t, static_cast<long long>(samplePairs), near.truncated ? " (truncated)" : "",
                    static_cast<long long>(pass16), static_cast<long long>(pass8));
        std::fflush(stdout);
    }
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments();
    test::PlantedSetOptions options;
    options.originals = 500;
    options.distractors = 9500;
    QString work, only, show;
    bool sweepMode = false;
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == u"--photos")
            options.source = test::PlantedSource::Photos;
        else if (args[i] == u"--originals" && i + 1 < args.size())
            options.originals = args[++i].toInt();
        else if (args[i] == u"--distractors" && i + 1 < args.size())
            options.distractors = args[++i].toInt();
        else if (args[i] == u"--copies" && i + 1 < args.size())
            options.copiesPerKind = args[++i].toInt();
        else if (args[i] == u"--show" && i + 1 < args.size())
            show = args[++i];
        else if (args[i] == u"--density") {
            fashionDensity();
            return 0;
        } else if (args[i] == u"--sweep")
            sweepMode = true;
        else if (args[i] == u"--only" && i + 1 < args.size())
            only = args[++i];
        else if (args[i] == u"--seed" && i + 1 < args.size())
            options.seed = args[++i].toUInt();
        else
            work = args[i];
    }
    QTemporaryDir temporary;
    const QString root = (work.isEmpty() ? temporary.path() : work) + QStringLiteral("/set");
    QDir(root).removeRecursively();
    const test::PlantedSet set = test::writePlantedSet(root, options);
    std::printf("%zu files (%s)\n", set.files.size(),
                options.source == test::PlantedSource::Photos ? "photos" : "Fashion-MNIST");
    std::vector<Described> described;
    described.reserve(set.files.size());
    for (const test::PlantedFile &file : set.files)
        described.push_back(describe(root + u'/' + file.path));

    if (sweepMode) {
        std::printf("recall columns: byte, JPEG, brighter, shift, resize, crop, conflict, "
                    "mirrored (merged: lower is better)\n");
        sweep(set, described, only, show);
        return 0;
    }
    // Hard negatives: different images (not planted together, not look-alikes) within 16 pHash
    // bits, at most 200,000 of them at random; and the mirrored copies.
    std::vector<std::uint64_t> hashes;
    for (const Described &d : described)
        hashes.push_back(d.features.phash);
    const analysis::NearPairs near = analysis::findNearPairsBruteForce(hashes, 16);
    std::vector<std::vector<std::uint32_t>> byValue(near.values.size());
    for (std::uint32_t i = 0; i < near.valueOf.size(); ++i)
        byValue[near.valueOf[i]].push_back(i);
    auto groupOf = [&](size_t i) {
        const test::PlantedFile &f = set.files[i];
        return f.source >= 0 && f.plant != test::Plant::Flip ? f.source : int(i);
    };
    std::vector<std::pair<size_t, size_t>> negatives;
    auto consider = [&](size_t a, size_t b) {
        if (groupOf(a) != groupOf(b))
            negatives.emplace_back(a, b);
    };
    for (const auto &members : byValue)
        for (size_t k = 1; k < members.size(); ++k)
            consider(members[0], members[k]);
    for (const analysis::HashPair &p : near.pairs)
        for (const std::uint32_t a : byValue[p.a])
            for (const std::uint32_t b : byValue[p.b])
                consider(a, b);
    std::mt19937 random(7);
    std::shuffle(negatives.begin(), negatives.end(), random);
    size_t kept = 0;
    std::vector<std::pair<size_t, size_t>> hard;
    int lookAlike = 0;
    for (const auto &[a, b] : negatives) {
        if (kept >= 200000)
            break;
        ++kept;
        if (test::visualDifference(root + u'/' + set.files[a].path,
                                   root + u'/' + set.files[b].path)
            <= test::visuallyIdenticalDifference) {
            ++lookAlike;
            continue;
        }
        hard.emplace_back(a, b);
    }
    std::printf("%zu pairs of different images within 16 pHash bits; %zu sampled, %d of them "
                "look alike (left out)\n\n",
                negatives.size(), kept, lookAlike);

    for (const Descriptor &descriptor : descriptors()) {
        if (!only.isEmpty() && !QString::fromLatin1(descriptor.name).contains(only))
            continue;
        std::printf("%s\n", descriptor.name);
        std::map<test::Plant, std::vector<double>> positive;
        for (size_t i = 0; i < set.files.size(); ++i) {
            const test::PlantedFile &f = set.files[i];
            if (f.source >= 0)
                positive[f.plant].push_back(
                    descriptor.distance(described[i], described[size_t(f.source)]));
        }
        std::vector<double> negative;
        for (const auto &[a, b] : hard)
            negative.push_back(descriptor.distance(described[a], described[b]));
        double need = 0; // the smallest threshold that meets every recall budget
        for (const auto &[plant, values] : positive) {
            if (plant == test::Plant::Flip)
                continue;
            const bool strict = plant == test::Plant::ByteCopy || plant == test::Plant::Jpeg70
                                || plant == test::Plant::Brighter
                                || plant == test::Plant::LabelConflict;
            need = std::max(need, quantile(values, strict ? 0.985 : 0.92));
            std::printf("  %-22s p50 %7.3f  p90 %7.3f  p98 %7.3f  max %7.3f\n",
                        test::plantName(plant), quantile(values, 0.5), quantile(values, 0.9),
                        quantile(values, 0.98), quantile(values, 1.0));
        }
        std::printf("  %-22s p50 %7.3f  p10 %7.3f  p2 %7.3f  min %7.3f\n",
                    test::plantName(test::Plant::Flip), quantile(positive[test::Plant::Flip], 0.5),
                    quantile(positive[test::Plant::Flip], 0.1),
                    quantile(positive[test::Plant::Flip], 0.02),
                    quantile(positive[test::Plant::Flip], 0.0));
        std::printf("  %-22s p0.1 %7.3f p1 %7.3f p5 %7.3f p50 %7.3f\n", "hard negatives",
                    quantile(negative, 0.001), quantile(negative, 0.01), quantile(negative, 0.05),
                    quantile(negative, 0.5));
        std::printf("  at %.3f (every recall budget met): %.4f of hard negatives and %.3f of "
                    "mirrored copies pass\n\n",
                    need, shareAtMost(negative, need),
                    shareAtMost(positive[test::Plant::Flip], need));
        if (descriptor.bits) {
            std::vector<std::uint64_t> all;
            for (const Described &d : described)
                all.push_back(descriptor.bits(d));
            for (const int t : {int(need) / 2, int(need)}) {
                const analysis::NearPairs within = analysis::findNearPairsBruteForce(all, t);
                std::printf("  all pairs of distinct values within %d bits: %zu\n", t,
                            within.pairs.size());
            }
        }
    }
    return 0;
}
