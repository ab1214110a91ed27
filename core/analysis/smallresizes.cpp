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
#include <unordered_map>

namespace assay::analysis {

namespace {

// Multi-index lookup of one size's pHashes: any hash within maxDistance bits of a query agrees
// with it exactly on at least one of maxDistance + 1 blocks.
class HashIndex
{
public:
    HashIndex(const std::vector<std::uint64_t> &hashes, int maxDistance)
        : m_hashes(hashes), m_maxDistance(maxDistance)
    {
        const int blocks = maxDistance + 1;
        int bit = 0;
        for (int k = 0; k < blocks; ++k) {
            const int width = 64 / blocks + (k < 64 % blocks ? 1 : 0);
            m_blocks.push_back({bit, width});
            bit += width;
        }
        m_tables.resize(m_blocks.size());
        for (size_t k = 0; k < m_blocks.size(); ++k) {
            std::vector<std::pair<std::uint32_t, std::uint32_t>> &table = m_tables[k];
            table.reserve(hashes.size());
            for (std::uint32_t slot = 0; slot < hashes.size(); ++slot)
                table.emplace_back(block(hashes[slot], k), slot);
            std::sort(table.begin(), table.end());
        }
    }

    // Calls visit(slot) once for each indexed hash within maxDistance of `query`; returns how
    // many hashes it compared.
    template<typename Visit> std::int64_t find(std::uint64_t query, Visit visit) const
    {
        std::int64_t compared = 0;
        for (size_t k = 0; k < m_blocks.size(); ++k) {
            const std::uint32_t value = block(query, k);
            const auto &table = m_tables[k];
            auto it = std::lower_bound(table.begin(), table.end(),
                                       std::pair<std::uint32_t, std::uint32_t>(value, 0));
            for (; it != table.end() && it->first == value; ++it) {
                ++compared;
                const std::uint64_t hash = m_hashes[it->second];
                if (std::popcount(hash ^ query) > m_maxDistance)
                    continue;
                // Found under the first block the two agree on only.
                bool earlier = false;
                for (size_t j = 0; j < k && !earlier; ++j)
                    earlier = block(hash, j) == block(query, j);
                if (!earlier)
                    visit(it->second);
            }
        }
        return compared;
    }

private:
    std::uint32_t block(std::uint64_t hash, size_t k) const
    {
        const auto [first, width] = m_blocks[k];
        return std::uint32_t((hash >> first) & ((std::uint64_t(1) << width) - 1));
    }

    const std::vector<std::uint64_t> &m_hashes;
    int m_maxDistance = 0;
    std::vector<std::pair<int, int>> m_blocks;                                  // first bit, width
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> m_tables; // block, slot
};

struct SizeGroup
{
    int width = 0, height = 0;
    std::vector<std::uint32_t> inputs;
    std::vector<std::uint64_t> hashes;
};

cv::Mat viewOf(const SmallImage &image)
{
    return cv::Mat(image.height, image.width, CV_8UC1, const_cast<std::uint8_t *>(image.pixels));
}

// The mean-free mean absolute difference of two images of one size.
double meanFreeDifference(const cv::Mat &a, const cv::Mat &b)
{
    const double shift = cv::mean(a)[0] - cv::mean(b)[0];
    double sum = 0;
    for (int y = 0; y < a.rows; ++y) {
        const std::uint8_t *rowA = a.ptr<std::uint8_t>(y), *rowB = b.ptr<std::uint8_t>(y);
        for (int x = 0; x < a.cols; ++x)
            sum += std::abs(double(rowA[x]) - double(rowB[x]) - shift);
    }
    return sum / double(a.total());
}

cv::Mat blurred(const cv::Mat &image, double sigma)
{
    cv::Mat out;
    cv::GaussianBlur(image, out, cv::Size(), sigma, sigma, cv::BORDER_REFLECT);
    return out;
}

// The least difference of `from` resampled onto `onto`'s grid, over the scales that turn the
// one size into the other. `ontoBlurred` is `onto` blurred by the rule.
double bestResampled(const cv::Mat &from, const cv::Mat &ontoBlurred, const ResizeRule &rule)
{
    double best = 1e9;
    const int steps = std::max(1, rule.scaleSteps);
    for (int k = 0; k < steps; ++k) {
        const double t = (k + 0.5) / steps;
        const double fx = (ontoBlurred.cols - 0.5 + t) / from.cols;
        const double fy = (ontoBlurred.rows - 0.5 + t) / from.rows;
        cv::Mat resampled;
        cv::resize(from, resampled, cv::Size(), fx, fy,
                   fx * fy < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
        if (resampled.size() != ontoBlurred.size())
            continue;
        best = std::min(best, meanFreeDifference(blurred(resampled, rule.blurSigma), ontoBlurred));
    }
    return best;
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
    if (!isUniformScaling(a.width, a.height, b.width, b.height, rule))
        return false;
    const cv::Mat viewA = viewOf(a), viewB = viewOf(b);
    const double there = bestResampled(viewA, blurred(viewB, rule.blurSigma), rule);
    if (there <= rule.maxDifference)
        return true;
    return bestResampled(viewB, blurred(viewA, rule.blurSigma), rule) <= rule.maxDifference;
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
        SizeGroup &group = bySize[{sample.width, sample.height}];
        group.width = sample.width;
        group.height = sample.height;
        group.inputs.push_back(i);
        group.hashes.push_back(sample.phash);
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
                const PreparedSignature *signatureA = input.signature(a);
                counts.compares += found->second.find(queries->hashes[q], [&](std::uint32_t slot) {
                    const std::uint32_t b = indexed->inputs[slot];
                    ++counts.candidates;
                    const PreparedSignature *signatureB = input.signature(b);
                    if (!signatureA || !signatureB || signatureA->spread < rule.minSpread ||
                        signatureB->spread < rule.minSpread ||
                        analysis::meanFreeDifference(signatureA->pixels, signatureA->mean,
                                                     signatureB->pixels, signatureB->mean) >
                            rule.maxSignatureDifference ||
                        input.known(std::min(a, b), std::max(a, b)))
                        return;
                    candidates.emplace_back(std::min(a, b), std::max(a, b));
                });
                if (counts.candidates > rule.maxCandidates || counts.compares > rule.maxCompares) {
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
    counts.fitted = std::int64_t(candidates.size());
    if (candidates.empty() || !input.source) {
        counts.seconds = double(timer.nsecsElapsed()) / 1e9;
        return out;
    }

    // The pixels of the candidates' images, then the comparisons.
    std::vector<bool> needed(inputs.samples.size(), false);
    for (const auto &[a, b] : candidates)
        needed[a] = needed[b] = true;
    std::unordered_map<std::uint32_t, std::pair<SmallImage, std::vector<std::uint8_t>>> held;
    input.source(needed, [&](std::uint32_t i, const SmallImage &image) {
        if (i >= needed.size() || !needed[i])
            return;
        auto &[view, pixels] = held[i];
        pixels.assign(image.pixels, image.pixels + size_t(image.width) * size_t(image.height));
        view = {image.width, image.height, nullptr};
    });
    for (auto &[i, entry] : held)
        entry.first.pixels = entry.second.data();
    for (size_t k = 0; k < candidates.size(); ++k) {
        const auto [a, b] = candidates[k];
        const auto imageA = held.find(a), imageB = held.find(b);
        if (imageA == held.end() || imageB == held.end())
            continue;
        if (confirmsResized(imageA->second.first, imageB->second.first, rule))
            out.emplace_back(a, b);
        if (progress && (k & 0xff) == 0)
            jobs::throwIfCanceled(*progress);
    }
    counts.confirmed = std::int64_t(out.size());
    counts.seconds = double(timer.nsecsElapsed()) / 1e9;
    return out;
}

} // namespace assay::analysis
