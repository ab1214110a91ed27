// Near-duplicate benchmark (issue: duplicates, train/test leakage and label conflicts). Prints:
//   1. near pairs among 1,000,000 64-bit hashes, uniform random and clustered like real pHashes,
//      each with 1,000 planted near pairs (distances 1..8): seconds (wall and CPU), peak memory,
//      pairs and the recall of the planted pairs, at T = 4 and T = 8, on 1 and 2 threads;
//   2. the candidates behind the planner's choice: classic multi-index hashing (T + 1 blocks, one
//      exact block), more blocks, and the blocked SIMD brute force (timed on the first rows of
//      the 1M set and extrapolated by pair count; --full-brute-force runs it whole and checks
//      that it finds exactly the index's pairs);
//   3. the same at 100,000 hashes, checked against the full brute force;
//   4. re-clustering the stored pairs at other thresholds;
//   5. real pHashes: the 70,000 Fashion-MNIST images (index against brute force), and how far
//      edited copies of the opencv-doc photos move from their originals.
// Budgets: T = 8 < 20 s, T = 4 < 5 s at 1M; 100,000 hashes < 0.5 s; re-threshold < 200 ms.
//
// Usage: bench_duplicates [--full-brute-force] [--wide] [--repeat N] [--hashes N]
//   --wide adds T = 12 and T = 16 at 1M (uniform; T = 16 is ~20 M pairs, found by brute force)

#include "analysis/hammingkernels.h"
#include "analysis/hammingpairs.h"
#include "analysis/nearclusters.h"
#include "formats/idxfile.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFile>

#include <opencv2/img_hash.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <set>
#include <thread>

using namespace assay;
using namespace assay::analysis;

namespace {

constexpr std::size_t million = 1000000;

struct HashSet
{
    const char *name;
    std::vector<std::uint64_t> hashes;
    std::vector<std::pair<std::size_t, std::size_t>> planted; // input indices
    std::vector<int> plantedDistance;
};

// Peak memory of one run: freed heap goes back to the system and the kernel's high-water mark is
// reset first (malloc_trim, clear_refs 5), so the peak after the run minus the resident size
// before it is what the run added at most.
long residentKb(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qsizetype(std::strlen(field))).trimmed().split(' ').first().toLong();
    return 0;
}

struct Measured
{
    double wall = 0, cpu = 0, peakMb = 0;
};

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Best of `repeats` runs (by wall time): this machine is shared, and a run that lost its core to
// another process says nothing about the code. --repeat N sets it.
int repeats = 3;

template<class F> Measured measureOnce(F &&run)
{
    malloc_trim(0);
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    if (clear.open(QIODevice::WriteOnly))
        clear.write("5");
    clear.close();
    const long before = residentKb("VmRSS:");
    const double cpu = cpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    run();
    Measured m;
    m.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.cpu = cpuSeconds() - cpu;
    m.peakMb = double(residentKb("VmHWM:") - before) / 1024.0;
    return m;
}

template<class F> Measured measure(F &&run, int times = repeats)
{
    Measured best = measureOnce(run);
    for (int i = 1; i < times; ++i) {
        const Measured m = measureOnce(run);
        if (m.wall < best.wall)
            best = m;
    }
    return best;
}

std::uint64_t flipBits(std::uint64_t hash, int count, std::mt19937_64 &random)
{
    std::uint64_t flips = 0;
    while (__builtin_popcountll(flips) < count)
        flips |= std::uint64_t(1) << (random() % 64);
    return hash ^ flips;
}

// Appends copies of random members at distances 1..8 until the set holds n hashes.
void plant(HashSet &set, std::size_t n, std::mt19937_64 &random)
{
    const std::size_t base = set.hashes.size();
    while (set.hashes.size() < n) {
        const std::size_t of = random() % base;
        const int distance = 1 + int(random() % 8);
        set.planted.emplace_back(of, set.hashes.size());
        set.plantedDistance.push_back(distance);
        set.hashes.push_back(flipBits(set.hashes[of], distance, random));
    }
}

HashSet uniformSet(std::size_t n, std::size_t planted)
{
    std::mt19937_64 random(1);
    HashSet set{"uniform", {}, {}, {}};
    for (std::size_t i = 0; i + planted < n; ++i)
        set.hashes.push_back(random());
    plant(set, n, random);
    return set;
}

// 4,000 centres drawn with the bit frequencies of real pHashes (Fashion-MNIST's: the DC bit always
// set, others from 3% to 87% ones), each hash a centre with every bit flipped with probability
// 0.15: skewed blocks, and clusters of ~250 whose members are 16 bits apart on average.
HashSet clusteredSet(std::size_t n, std::size_t planted, const std::vector<double> &bitOnes)
{
    std::mt19937_64 random(2);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::vector<std::uint64_t> centres(4000);
    for (std::uint64_t &centre : centres)
        for (int bit = 0; bit < 64; ++bit)
            if (uniform(random) < bitOnes[size_t(bit)])
                centre |= std::uint64_t(1) << bit;
    HashSet set{"clustered", {}, {}, {}};
    for (std::size_t i = 0; i + planted < n; ++i) {
        std::uint64_t hash = centres[random() % centres.size()];
        for (int bit = 0; bit < 64; ++bit)
            if (uniform(random) < 0.15)
                hash ^= std::uint64_t(1) << bit;
        set.hashes.push_back(hash);
    }
    plant(set, n, random);
    return set;
}

std::uint64_t pHash(const cv::Mat &image)
{
    static const cv::Ptr<cv::img_hash::PHash> hasher = cv::img_hash::PHash::create();
    cv::Mat out;
    hasher->compute(image, out);
    std::uint64_t hash = 0;
    std::memcpy(&hash, out.data, sizeof hash);
    return hash;
}

std::vector<std::uint64_t> fashionMnistHashes()
{
    std::vector<std::uint64_t> hashes;
    for (const char *file : {"train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz"}) {
        const QString path =
            QStringLiteral("/usr/share/datasets/fashion-mnist/") + QString::fromLatin1(file);
        if (!QFile::exists(path))
            continue;
        const formats::IdxData idx = formats::readIdxFile(path);
        for (std::int64_t i = 0; i < idx.count; ++i)
            hashes.push_back(
                pHash(cv::Mat(idx.rows, idx.columns, CV_8UC1, const_cast<uchar *>(idx.item(i)))));
    }
    return hashes;
}

std::size_t recalled(const HashSet &set, const NearPairs &near, std::size_t &within)
{
    std::set<std::pair<std::uint32_t, std::uint32_t>> found;
    for (const HashPair &pair : near.pairs)
        found.emplace(pair.a, pair.b);
    std::size_t hits = 0;
    within = 0;
    for (std::size_t p = 0; p < set.planted.size(); ++p) {
        const std::uint32_t a = near.valueOf[set.planted[p].first];
        const std::uint32_t b = near.valueOf[set.planted[p].second];
        if (hammingDistance(near.values[a], near.values[b]) > near.maxDistance)
            continue;
        ++within;
        hits += a == b || found.count({std::min(a, b), std::max(a, b)}) > 0;
    }
    return hits;
}

NearPairs timed(const HashSet &set, int t, const NearPairOptions &options, const char *label,
                double budget, int times = repeats)
{
    NearPairs near;
    const Measured m = measure([&] { near = findNearPairs(set.hashes, t, options); }, times);
    std::size_t within = 0;
    const std::size_t hits = recalled(set, near, within);
    std::printf("  %-9s T=%-2d %-26s %d thr: %7.3f s (cpu %7.3f s) peak +%5.0f MB %9zu pairs, "
                "planted %zu/%zu%s",
                set.name, t, label, options.threads, m.wall, m.cpu, m.peakMb, near.pairs.size(),
                hits, within, hits == within ? "" : " RECALL BELOW 100%");
    if (budget > 0)
        std::printf("   budget < %g s%s", budget, m.wall < budget ? "" : " OVER");
    std::printf("\n");
    std::fflush(stdout);
    return near;
}

std::string methodLabel(int blocks, HashInstructions instructions)
{
    const char *isa = instructions == HashInstructions::Avx2 ? ", AVX2" : "";
    if (blocks == 0)
        return std::string("brute force") + isa;
    char label[64];
    std::snprintf(label, sizeof label, "index, %d blocks%s", blocks, isa);
    return label;
}

// The brute force over the first `rows` rows of the distinct values, extrapolated to all by the
// share of pairs those rows hold.
void bruteForceEstimate(const HashSet &set, int t, hamming::InstructionSet isa, int threads,
                        std::size_t rows)
{
    std::vector<std::uint64_t> values = set.hashes;
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    const std::size_t n = values.size();
    rows = std::min(rows, n);
    hamming::PairSink::Shared shared;
    shared.limit = std::size_t(-1);
    const hamming::PairRule rule{t, 0, 0, 0};
    const hamming::CompareRows compare = hamming::compareRowsFor(isa);
    const Measured m = measure(
        [&] {
            std::vector<std::thread> workers;
            std::vector<std::unique_ptr<hamming::PairSink>> sinks;
            for (int w = 0; w < threads; ++w)
                sinks.push_back(std::make_unique<hamming::PairSink>(shared));
            for (int w = 0; w < threads; ++w)
                workers.emplace_back([&, w] { // interleaved 256-row blocks: equal work
                    for (std::size_t r0 = std::size_t(w) * 256; r0 < rows;
                         r0 += 256 * size_t(threads))
                        compare(values.data(), nullptr, n, r0, std::min(rows, r0 + 256), rule,
                                *sinks[size_t(w)]);
                });
            for (std::thread &worker : workers)
                worker.join();
        },
        1);
    const double all = double(n) * double(n - 1) / 2;
    const double done = double(rows) * (double(n) - 1) - double(rows) * double(rows - 1) / 2;
    std::printf("  %-9s T=%-2d brute force, %-7s %d thr: %7.1f s (cpu %5.1f s) extrapolated from "
                "the first %zu rows (%.1f%% of the pairs)\n",
                set.name, t, isa == hamming::InstructionSet::Avx512 ? "AVX-512" : "AVX2", threads,
                m.wall * all / done, m.cpu * all / done, rows, 100.0 * done / all);
    std::fflush(stdout);
}

void reThreshold(const char *name, const NearPairs &near)
{
    for (int t = near.maxDistance; t >= 0; t -= 2) {
        NearClusters clusters;
        const Measured m = measure([&] { clusters = clusterNearPairs(near, t); });
        std::size_t largest = 0;
        for (std::size_t c = 0; c < clusters.size(); ++c)
            largest = std::max<std::size_t>(largest, clusters.membersOf(c).size());
        std::printf("  %-9s from %zu pairs at T=%d, re-cluster at %2d: %6.1f ms (cpu %6.1f ms), "
                    "%7zu clusters, largest %zu values   budget < 200 ms%s\n",
                    name, near.pairs.size(), near.maxDistance, t, m.wall * 1e3, m.cpu * 1e3,
                    clusters.size(), largest, m.wall < 0.2 ? "" : " OVER");
    }
    std::fflush(stdout);
}

// pHash distances between each opencv-doc photo and edited copies of it, and between photos.
void photoEdits()
{
    std::vector<cv::Mat> photos;
    QDirIterator it(QStringLiteral("/usr/share/doc/opencv-doc/examples/data"),
                    {QStringLiteral("*.jpg"), QStringLiteral("*.png")}, QDir::Files);
    while (it.hasNext()) {
        const cv::Mat image = cv::imread(QFile::encodeName(it.next()).toStdString());
        if (!image.empty() && image.cols >= 128 && image.rows >= 128)
            photos.push_back(image);
    }
    if (photos.empty())
        return;
    using Edit = cv::Mat (*)(const cv::Mat &);
    const std::vector<std::pair<const char *, Edit>> edits{
        {"JPEG quality 30",
         [](const cv::Mat &m) {
             std::vector<uchar> bytes;
             cv::imencode(".jpg", m, bytes, {cv::IMWRITE_JPEG_QUALITY, 30});
             return cv::imdecode(bytes, cv::IMREAD_COLOR);
         }},
        {"half size",
         [](const cv::Mat &m) {
             cv::Mat out;
             cv::resize(m, out, {}, 0.5, 0.5, cv::INTER_AREA);
             return out;
         }},
        {"brighter (+40)",
         [](const cv::Mat &m) {
             return cv::Mat(m + cv::Scalar::all(40));
         }},
        {"blur 5x5",
         [](const cv::Mat &m) {
             cv::Mat out;
             cv::GaussianBlur(m, out, {5, 5}, 0);
             return out;
         }},
        {"crop 5% each side",
         [](const cv::Mat &m) {
             const int dx = m.cols / 20, dy = m.rows / 20;
             return cv::Mat(m(cv::Rect(dx, dy, m.cols - 2 * dx, m.rows - 2 * dy)).clone());
         }},
        {"crop 15% each side",
         [](const cv::Mat &m) {
             const int dx = m.cols * 3 / 20, dy = m.rows * 3 / 20;
             return cv::Mat(m(cv::Rect(dx, dy, m.cols - 2 * dx, m.rows - 2 * dy)).clone());
         }},
        {"rotated 5 degrees",
         [](const cv::Mat &m) {
             cv::Mat out;
             const cv::Mat r = cv::getRotationMatrix2D({m.cols / 2.0f, m.rows / 2.0f}, 5, 1);
             cv::warpAffine(m, out, r, m.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT);
             return out;
         }},
        {"mirrored", [](const cv::Mat &m) {
             cv::Mat out;
             cv::flip(m, out, 1);
             return out;
         }}};
    std::vector<std::uint64_t> originals;
    for (const cv::Mat &photo : photos)
        originals.push_back(pHash(photo));
    std::printf("  pHash distance of an edited copy to its original (%zu opencv-doc photos): "
                "median / max\n",
                photos.size());
    for (const auto &[name, edit] : edits) {
        std::vector<int> distances;
        for (std::size_t i = 0; i < photos.size(); ++i)
            distances.push_back(hammingDistance(originals[i], pHash(edit(photos[i]))));
        std::sort(distances.begin(), distances.end());
        std::printf("    %-20s %2d / %2d\n", name, distances[distances.size() / 2],
                    distances.back());
    }
    std::vector<int> unrelated;
    for (std::size_t i = 0; i < originals.size(); ++i)
        for (std::size_t j = i + 1; j < originals.size(); ++j)
            unrelated.push_back(hammingDistance(originals[i], originals[j]));
    std::sort(unrelated.begin(), unrelated.end());
    std::printf("    %-20s min %d, 1st percentile %d, median %d (%zu pairs)\n", "different photos",
                unrelated.front(), unrelated[unrelated.size() / 100],
                unrelated[unrelated.size() / 2], unrelated.size());
    std::printf("    different photos within T:");
    for (int t : {4, 6, 8, 10, 12, 16}) {
        const auto within =
            std::upper_bound(unrelated.begin(), unrelated.end(), t) - unrelated.begin();
        std::printf(" %d: %.2f%%", t, 100.0 * double(within) / double(unrelated.size()));
    }
    std::printf("\n");
}

// How much a second thread of pure arithmetic speeds things up right now: other processes on
// this shared machine often hold a core, and then no 2-thread figure means anything.
double secondCoreSpeedup()
{
    auto spin = [](int threads) {
        std::atomic<std::uint64_t> sink{0};
        const auto start = std::chrono::steady_clock::now();
        std::vector<std::thread> workers;
        for (int w = 0; w < threads; ++w)
            workers.emplace_back([&, w] {
                std::uint64_t x = std::uint64_t(w);
                for (std::uint64_t k = 0; k < 400000000 / std::uint64_t(threads); ++k)
                    x = x * 6364136223846793005ull + k;
                sink += x;
            });
        for (std::thread &worker : workers)
            worker.join();
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    return spin(1) / spin(2);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    bool fullBruteForce = false;
    bool wide = false;
    std::size_t n = million;
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == u"--full-brute-force")
            fullBruteForce = true;
        else if (args[i] == u"--wide")
            wide = true;
        else if (args[i] == u"--repeat" && i + 1 < args.size())
            repeats = std::max(1, args[++i].toInt());
        else if (args[i] == u"--hashes" && i + 1 < args.size())
            n = args[++i].toULongLong();
    }
    const hamming::InstructionSet best = hamming::bestInstructionSet();
    std::printf("Near-duplicate pairs (%s; %u cores; best of %d runs, brute force once)\n",
                hamming::instructionSetName(best), std::thread::hardware_concurrency(), repeats);
    std::printf("Second core check: 2 threads of arithmetic run %.2fx faster than 1 (at start)\n",
                secondCoreSpeedup());

    std::vector<std::uint64_t> fashion;
    const Measured hashing = measure([&] { fashion = fashionMnistHashes(); }, 1);
    std::vector<double> bitOnes(64, 0.5);
    if (!fashion.empty())
        for (int bit = 0; bit < 64; ++bit) {
            std::size_t ones = 0;
            for (std::uint64_t hash : fashion)
                ones += (hash >> bit) & 1;
            bitOnes[size_t(bit)] = double(ones) / double(fashion.size());
        }
    const HashSet sets[] = {uniformSet(n, 1000), clusteredSet(n, 1000, bitOnes)};

    std::printf("\n1. %zu hashes, 1,000 planted pairs (the planner's method)\n", n);
    NearPairs stored[2];
    for (int s = 0; s < 2; ++s)
        for (int t : {4, 8})
            for (int threads : {1, 2}) {
                NearPairOptions options;
                options.threads = threads;
                const std::string label = methodLabel(plannedBlocks(n, t), HashInstructions::Auto);
                NearPairs near = timed(sets[s], t, options, label.c_str(), t == 4 ? 5 : 20);
                if (t == 8 && threads == 1)
                    stored[s] = std::move(near);
            }

    if (wide)
        for (int t : {12, 16})
            for (int threads : {1, 2}) {
                NearPairOptions options;
                options.threads = threads;
                const std::string label = methodLabel(plannedBlocks(n, t), HashInstructions::Auto);
                timed(sets[0], t, options, label.c_str(), 0, t > 12 ? 1 : repeats);
            }

    std::printf("\n2. The candidates, %zu hashes, 1 and 2 threads\n", n);
    for (const HashSet &set : sets) {
        for (int t : {4, 8}) {
            for (int blocks = t + 1; blocks <= t + 4; ++blocks)
                for (int threads : {1, 2}) {
                    NearPairOptions options;
                    options.threads = threads;
                    options.method = NearPairMethod::Index;
                    options.blocks = blocks;
                    timed(set, t, options, methodLabel(blocks, options.instructions).c_str(), 0);
                }
            if (best >= hamming::InstructionSet::Avx2) {
                NearPairOptions options;
                options.instructions = HashInstructions::Avx2;
                options.threads = 1;
                timed(set, t, options,
                      methodLabel(plannedBlocks(n, t), options.instructions).c_str(), 0);
            }
        }
        for (int threads : {1, 2}) {
            bruteForceEstimate(set, 8, best, threads, 20000);
            if (best > hamming::InstructionSet::Avx2)
                bruteForceEstimate(set, 8, hamming::InstructionSet::Avx2, threads, 4000);
        }
    }
    if (fullBruteForce)
        for (int s = 0; s < 2; ++s)
            for (int threads : {1, 2}) {
                NearPairOptions options;
                options.threads = threads;
                NearPairs all;
                const Measured m =
                    measure([&] { all = findNearPairsBruteForce(sets[s].hashes, 8, options); }, 1);
                std::printf("  %-9s T=8  brute force, whole         %d thr: %7.1f s (cpu %7.1f s), "
                            "%zu pairs, %s the index's\n",
                            sets[s].name, threads, m.wall, m.cpu, all.pairs.size(),
                            all.pairs == stored[s].pairs ? "exactly" : "NOT");
                std::fflush(stdout);
            }

    std::printf("\n3. 100,000 hashes (budget < 0.5 s), against the whole brute force\n");
    for (const HashSet &big : sets) {
        HashSet set{big.name, {}, {}, {}};
        set.hashes.assign(big.hashes.begin(), big.hashes.begin() + 99000);
        std::mt19937_64 random(3);
        plant(set, 100000, random);
        for (int t : {4, 8})
            for (int threads : {1, 2}) {
                NearPairOptions options;
                options.threads = threads;
                const NearPairs near = timed(
                    set, t, options,
                    methodLabel(plannedBlocks(100000, t), HashInstructions::Auto).c_str(), 0.5);
                if (threads != 1)
                    continue;
                NearPairs all;
                const Measured m =
                    measure([&] { all = findNearPairsBruteForce(set.hashes, t, options); });
                std::printf(
                    "  %-9s T=%-2d brute force                %d thr: %7.3f s (cpu %7.3f s), "
                    "%zu pairs, %s the index's\n",
                    set.name, t, options.threads, m.wall, m.cpu, all.pairs.size(),
                    all.pairs == near.pairs ? "exactly" : "NOT");
            }
    }

    std::printf("\n4. Changing the threshold: re-clustering the stored pairs\n");
    reThreshold(sets[0].name, stored[0]);
    reThreshold(sets[1].name, stored[1]);

    std::printf("\nSecond core check: %.2fx (after sections 1 to 4)\n", secondCoreSpeedup());

    std::printf("\n5. Real pHashes\n");
    if (!fashion.empty()) {
        std::printf("  Fashion-MNIST: %zu images hashed in %.1f s\n", fashion.size(), hashing.wall);
        HashSet real{"F-MNIST", fashion, {}, {}};
        for (int t : {4, 8}) {
            NearPairOptions options;
            options.threads = 1;
            const NearPairs near = timed(
                real, t, options,
                methodLabel(plannedBlocks(fashion.size(), t), HashInstructions::Auto).c_str(), 0);
            NearPairs all;
            const Measured m = measure([&] { all = findNearPairsBruteForce(fashion, t, options); });
            std::printf("  %-9s T=%-2d brute force                1 thr: %7.3f s, %zu pairs, %s "
                        "the index's\n",
                        real.name, t, m.wall, all.pairs.size(),
                        all.pairs == near.pairs ? "exactly" : "NOT");
        }
    }
    photoEdits();
    return 0;
}
