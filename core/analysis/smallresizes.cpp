#include "smallresizes.h"

#include "duplicates.h"

#include "jobs/progress.h"

#include <QElapsedTimer>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <map>
#include <thread>
#include <unordered_map>

namespace assay::analysis {

namespace {

// Appends to `hits` the positions in [begin, end) of `hashes` within maxDistance of `query`; with
// the POPCNT instruction where the processor has it (the build targets plain x86-64).
using RunScan = void (*)(const std::uint64_t *hashes, std::uint32_t begin, std::uint32_t end,
                         std::uint64_t query, int maxDistance, std::vector<std::uint32_t> &hits);

__attribute__((target("popcnt"))) void scanRunPopcnt(const std::uint64_t *hashes,
                                                     std::uint32_t begin, std::uint32_t end,
                                                     std::uint64_t query, int maxDistance,
                                                     std::vector<std::uint32_t> &hits)
{
    for (std::uint32_t at = begin; at < end; ++at)
        if (__builtin_popcountll(hashes[at] ^ query) <= maxDistance)
            hits.push_back(at);
}

void scanRunPortable(const std::uint64_t *hashes, std::uint32_t begin, std::uint32_t end,
                     std::uint64_t query, int maxDistance, std::vector<std::uint32_t> &hits)
{
    for (std::uint32_t at = begin; at < end; ++at)
        if (std::popcount(hashes[at] ^ query) <= maxDistance)
            hits.push_back(at);
}

RunScan runScan()
{
    static const RunScan scan =
        __builtin_cpu_supports("popcnt") ? &scanRunPopcnt : &scanRunPortable;
    return scan;
}

// Multi-index lookup of one size's pHashes: any hash within maxDistance bits of a query agrees
// with it exactly on at least one of maxDistance + 1 blocks. Each block's table holds the hashes
// themselves, bucketed by the block's value (a counting sort), so a lookup reads one contiguous
// run per block.
class HashIndex
{
public:
    HashIndex(const std::vector<std::uint64_t> &hashes, int maxDistance)
        : m_maxDistance(maxDistance)
    {
        const int blocks = maxDistance + 1;
        int bit = 0;
        for (int k = 0; k < blocks; ++k) {
            Table table;
            table.first = bit;
            table.width = 64 / blocks + (k < 64 % blocks ? 1 : 0);
            bit += table.width;
            table.start.assign((size_t(1) << table.width) + 1, 0);
            for (const std::uint64_t hash : hashes)
                ++table.start[table.valueOf(hash) + 1];
            for (size_t v = 1; v < table.start.size(); ++v)
                table.start[v] += table.start[v - 1];
            table.hashes.resize(hashes.size());
            table.ids.resize(hashes.size());
            std::vector<std::uint32_t> next(table.start.begin(), table.start.end() - 1);
            for (std::uint32_t slot = 0; slot < hashes.size(); ++slot) {
                const std::uint32_t at = next[table.valueOf(hashes[slot])]++;
                table.hashes[at] = hashes[slot];
                table.ids[at] = slot;
            }
            m_tables.push_back(std::move(table));
        }
    }

    // Calls visit(slot) once for each indexed hash within maxDistance of `query`; returns how
    // many hashes it compared.
    template<typename Visit> std::int64_t find(std::uint64_t query, Visit visit) const
    {
        std::int64_t compared = 0;
        const RunScan scan = runScan();
        for (size_t k = 0; k < m_tables.size(); ++k) {
            const Table &table = m_tables[k];
            const std::uint32_t value = table.valueOf(query);
            const std::uint32_t begin = table.start[value], end = table.start[value + 1];
            compared += end - begin;
            m_hits.clear();
            scan(table.hashes.data(), begin, end, query, m_maxDistance, m_hits);
            for (const std::uint32_t at : m_hits) {
                const std::uint64_t hash = table.hashes[at];
                // Found under the first block the two agree on only.
                bool earlier = false;
                for (size_t j = 0; j < k && !earlier; ++j)
                    earlier = m_tables[j].valueOf(hash) == m_tables[j].valueOf(query);
                if (!earlier)
                    visit(table.ids[at]);
            }
        }
        return compared;
    }

private:
    struct Table
    {
        int first = 0, width = 0;
        std::vector<std::uint32_t> start; // per block value, its first entry (and the end)
        std::vector<std::uint64_t> hashes;
        std::vector<std::uint32_t> ids; // the slots, in that order

        std::uint32_t valueOf(std::uint64_t hash) const
        {
            return std::uint32_t((hash >> first) & ((std::uint64_t(1) << width) - 1));
        }
    };

    int m_maxDistance = 0;
    std::vector<Table> m_tables;
    mutable std::vector<std::uint32_t> m_hits; // find()'s scratch: one thread at a time
};

struct SizeGroup
{
    int width = 0, height = 0;
    std::vector<std::uint32_t> inputs;
    std::vector<std::uint64_t> hashes;
    std::vector<const PreparedSignature *> signatures; // of each input: there, not flat
};

cv::Mat viewOf(const SmallImage &image)
{
    return cv::Mat(image.height, image.width, CV_8UC1, const_cast<std::uint8_t *>(image.pixels));
}

// A small grey image blurred, in floats (rows packed).
struct Blurred
{
    int width = 0, height = 0;
    std::vector<float> values;
};

// A Gaussian blur of small images: 2 * ceil(3 sigma) + 1 taps, each pass separately, borders
// reflected (OpenCV's BORDER_REFLECT). OpenCV's GaussianBlur sets up a filter engine per call,
// ~9 us for a 28x28 image; this takes ~1 us.
class Blur
{
public:
    explicit Blur(double sigma)
    {
        const int radius = std::max(1, int(std::ceil(3 * sigma)));
        float total = 0;
        for (int i = -radius; i <= radius; ++i) {
            m_kernel.push_back(float(std::exp(-0.5 * i * i / (sigma * sigma))));
            total += m_kernel.back();
        }
        for (float &weight : m_kernel)
            weight /= total;
    }

    Blurred operator()(const cv::Mat &image) const
    {
        const int width = image.cols, height = image.rows;
        const int radius = int(m_kernel.size() / 2);
        auto reflect = [](int i, int n) {
            while (i < 0 || i >= n)
                i = i < 0 ? -i - 1 : 2 * n - i - 1;
            return i;
        };
        // Across each row, from a copy padded with its reflected ends.
        std::vector<float> padded(size_t(width + 2 * radius));
        std::vector<float> across(size_t(width) * size_t(height));
        for (int y = 0; y < height; ++y) {
            const std::uint8_t *row = image.ptr<std::uint8_t>(y);
            for (int x = -radius; x < width + radius; ++x)
                padded[size_t(x + radius)] = float(row[reflect(x, width)]);
            float *out = across.data() + size_t(y) * size_t(width);
            for (int x = 0; x < width; ++x) {
                float sum = 0;
                for (size_t i = 0; i < m_kernel.size(); ++i)
                    sum += m_kernel[i] * padded[size_t(x) + i];
                out[x] = sum;
            }
        }
        // Down each column: whole rows weighted and added.
        Blurred out{width, height, std::vector<float>(across.size(), 0.0f)};
        for (int y = 0; y < height; ++y) {
            float *row = out.values.data() + size_t(y) * size_t(width);
            for (int i = -radius; i <= radius; ++i) {
                const float weight = m_kernel[size_t(i + radius)];
                const float *source = across.data() + size_t(reflect(y + i, height)) * size_t(width);
                for (int x = 0; x < width; ++x)
                    row[x] += weight * source[x];
            }
        }
        return out;
    }

private:
    std::vector<float> m_kernel;
};

// The mean-free mean absolute difference of two blurred images of one size.
double meanFreeDifference(const Blurred &a, const Blurred &b)
{
    double sumA = 0, sumB = 0;
    for (size_t i = 0; i < a.values.size(); ++i) {
        sumA += a.values[i];
        sumB += b.values[i];
    }
    const double n = double(a.values.size());
    const float shift = float((sumA - sumB) / n);
    double sum = 0;
    for (size_t i = 0; i < a.values.size(); ++i)
        sum += std::abs(a.values[i] - b.values[i] - shift);
    return sum / n;
}

// The difference of `from` resampled onto the grid of `onto` (blurred) at step `step` of
// rule.scaleSteps across the interval of scales that round to that size; -1 when that scale
// does not give the size.
double resampledDifference(const cv::Mat &from, const Blurred &onto, int step, const Blur &blur,
                           const ResizeRule &rule)
{
    const double t = (step + 0.5) / std::max(1, rule.scaleSteps);
    const double fx = (onto.width - 0.5 + t) / from.cols;
    const double fy = (onto.height - 0.5 + t) / from.rows;
    cv::Mat resampled;
    cv::resize(from, resampled, cv::Size(), fx, fy,
               fx * fy < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    if (resampled.cols != onto.width || resampled.rows != onto.height)
        return -1;
    return meanFreeDifference(blur(resampled), onto);
}

// confirmsResized with each image's blurred version at hand.
bool confirmsBlurred(const cv::Mat &a, const Blurred &blurredA, const cv::Mat &b,
                     const Blurred &blurredB, const Blur &blur, const ResizeRule &rule)
{
    if (!isUniformScaling(a.cols, a.rows, b.cols, b.rows, rule))
        return false;
    auto agrees = [&](int step, double &least) {
        for (const double difference : {resampledDifference(a, blurredB, step, blur, rule),
                                        resampledDifference(b, blurredA, step, blur, rule)}) {
            if (difference >= 0 && difference <= rule.maxDifference)
                return true;
            if (difference >= 0)
                least = std::min(least, difference);
        }
        return false;
    };
    // The middle scale first, both ways: most other images are told apart there.
    const int steps = std::max(1, rule.scaleSteps), middle = steps / 2;
    double least = 1e9;
    if (agrees(middle, least))
        return true;
    if (least > rule.screenDifference)
        return false;
    for (int step = 0; step < steps; ++step)
        if (step != middle && agrees(step, least))
            return true;
    return false;
}

} // namespace

bool isUniformScaling(int w1, int h1, int w2, int h2, const ResizeRule &rule)
{
    if (std::int64_t(w1) * h1 > std::int64_t(w2) * h2) {
        std::swap(w1, w2);
        std::swap(h1, h2);
    }
    if (w1 <= 0 || h1 <= 0 || (w1 == w2 && h1 == h2) || w2 < w1 || h2 < h1)
        return false;
    const double sx = double(w2) / w1, sy = double(h2) / h1;
    if (std::max(sx, sy) > rule.maxScale)
        return false;
    // Each side rounds to whole pixels: the scales may differ by what a pixel of the smaller
    // image's sides is worth.
    return std::abs(sx - sy) <= 1.0 / std::min(w1, h1) + 1e-9;
}

bool confirmsResized(const SmallImage &a, const SmallImage &b, const ResizeRule &rule)
{
    const Blur blur(rule.blurSigma);
    const cv::Mat viewA = viewOf(a), viewB = viewOf(b);
    return confirmsBlurred(viewA, blur(viewA), viewB, blur(viewB), blur, rule);
}

std::vector<std::pair<std::uint32_t, std::uint32_t>>
findResizedPairs(const ResizeSearchInput &input, const ResizeRule &rule, jobs::Progress *progress,
                 ResizeSearchStats *stats)
{
    QElapsedTimer timer;
    timer.start();
    ResizeSearchStats local;
    ResizeSearchStats &counts = stats ? *stats : local;
    const DuplicateInputs &inputs = *input.inputs;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> out;

    std::map<std::pair<int, int>, SizeGroup> bySize;
    for (std::uint32_t i = 0; i < inputs.samples.size(); ++i) {
        const DuplicateInput &sample = inputs.samples[i];
        if (!(*input.small)[i] || std::min(sample.width, sample.height) < rule.minSide)
            continue;
        const PreparedSignature *signature = input.signature(i);
        if (!signature || signature->spread < rule.minSpread)
            continue;
        SizeGroup &group = bySize[{sample.width, sample.height}];
        group.width = sample.width;
        group.height = sample.height;
        group.inputs.push_back(i);
        group.hashes.push_back(sample.phash);
        group.signatures.push_back(signature);
    }
    std::vector<SizeGroup *> groups;
    for (auto &[size, group] : bySize)
        groups.push_back(&group);

    // Candidates: the rarer size's hashes looked up among the other's, passing the first cut.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> candidates;
    std::unordered_map<const SizeGroup *, HashIndex> indexes;
    for (size_t g = 0; g < groups.size() && !counts.limited; ++g) {
        for (size_t h = g + 1; h < groups.size() && !counts.limited; ++h) {
            SizeGroup *queries = groups[g], *indexed = groups[h];
            if (!isUniformScaling(queries->width, queries->height, indexed->width, indexed->height,
                                  rule))
                continue;
            ++counts.sizePairs;
            if (queries->inputs.size() > indexed->inputs.size())
                std::swap(queries, indexed);
            auto found = indexes.find(indexed);
            if (found == indexes.end())
                found = indexes.try_emplace(indexed, indexed->hashes, rule.maxHashDistance).first;
            for (size_t q = 0; q < queries->inputs.size(); ++q) {
                const std::uint32_t a = queries->inputs[q];
                const PreparedSignature *signatureA = queries->signatures[q];
                counts.compares += found->second.find(queries->hashes[q], [&](std::uint32_t slot) {
                    const std::uint32_t b = indexed->inputs[slot];
                    ++counts.candidates;
                    const PreparedSignature *signatureB = indexed->signatures[slot];
                    if (meanFreeBound(signatureA->blockSums, signatureA->mean,
                                         signatureB->blockSums, signatureB->mean)
                               > rule.maxSignatureDifference
                        || meanFreeDifference(signatureA->pixels, signatureA->mean,
                                              signatureB->pixels, signatureB->mean)
                               > rule.maxSignatureDifference
                        || input.known(std::min(a, b), std::max(a, b)))
                        return;
                    candidates.emplace_back(std::min(a, b), std::max(a, b));
                });
                if (counts.candidates > rule.maxCandidates || counts.compares > rule.maxCompares
                    || std::int64_t(candidates.size()) > rule.maxFitted) {
                    counts.limited = true;
                    break;
                }
                if (progress && (q & 0xfff) == 0)
                    jobs::throwIfCanceled(*progress);
            }
        }
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    counts.lookupSeconds = double(timer.nsecsElapsed()) / 1e9;
    counts.fitted = std::int64_t(candidates.size());
    if (candidates.empty() || !input.source) {
        counts.seconds = double(timer.nsecsElapsed()) / 1e9;
        return out;
    }

    // The pixels of the candidates' images, then the comparisons.
    std::vector<bool> needed(inputs.samples.size(), false);
    for (const auto &[a, b] : candidates)
        needed[a] = needed[b] = true;
    struct Held
    {
        cv::Mat image;
        Blurred blurred;
    };
    std::unordered_map<std::uint32_t, Held> held;
    const Blur blur(rule.blurSigma);
    input.source(needed, [&](std::uint32_t i, const SmallImage &image) {
        if (i >= needed.size() || !needed[i])
            return;
        Held &entry = held[i];
        entry.image = viewOf(image).clone();
        entry.blurred = blur(entry.image);
    });
    counts.imageSeconds = double(timer.nsecsElapsed()) / 1e9 - counts.lookupSeconds;
    // Compared on every core; the held images are only read.
    std::vector<std::uint8_t> confirmed(candidates.size(), 0);
    const size_t workers = std::clamp<size_t>(std::thread::hardware_concurrency(), 1,
                                              candidates.size() / 64 + 1);
    std::vector<std::thread> pool;
    for (size_t w = 0; w < workers; ++w) {
        pool.emplace_back([&, w] {
            for (size_t k = w; k < candidates.size(); k += workers) {
                if ((k & 0xff) == w && progress && progress->isCanceled())
                    return;
                const auto imageA = held.find(candidates[k].first);
                const auto imageB = held.find(candidates[k].second);
                confirmed[k] = imageA != held.end() && imageB != held.end()
                               && confirmsBlurred(imageA->second.image, imageA->second.blurred,
                                                  imageB->second.image, imageB->second.blurred,
                                                  blur, rule);
            }
        });
    }
    for (std::thread &thread : pool)
        thread.join();
    if (progress)
        jobs::throwIfCanceled(*progress);
    for (size_t k = 0; k < candidates.size(); ++k)
        if (confirmed[k])
            out.push_back(candidates[k]);
    counts.confirmed = std::int64_t(out.size());
    counts.seconds = double(timer.nsecsElapsed()) / 1e9;
    return out;
}

} // namespace assay::analysis
