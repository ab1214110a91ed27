#include "alignedsignature.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numbers>
#include <vector>

namespace assay::analysis {

namespace {

constexpr int side = signatureSide;

float backgroundOf(const std::uint8_t *pixels, int width, int height, const AlignRule &rule,
                   bool &plain)
{
    std::vector<std::uint8_t> border;
    for (int i = 0; i < width; ++i) {
        border.push_back(pixels[i]);
        border.push_back(pixels[(height - 1) * width + i]);
    }
    for (int i = 1; i < height - 1; ++i) {
        border.push_back(pixels[i * width]);
        border.push_back(pixels[i * width + width - 1]);
    }
    const size_t n = border.size();
    std::vector<std::uint8_t> sorted = border;
    std::nth_element(sorted.begin(), sorted.begin() + long(n / 2), sorted.end());
    const float background = sorted[n / 2];
    size_t close = 0;
    for (const std::uint8_t p : border)
        close += std::abs(float(p) - background) <= rule.borderTolerance;
    plain = double(close) >= rule.borderShare * double(n);
    return background;
}

// Where 2 * side samples along one axis fall between the pixel centres of `size` pixels: the
// lower pixel and the weight of the upper one, or -1 outside the image (the background there).
struct Taps
{
    std::array<int, 2 * side> first{};
    std::array<float, 2 * side> weight{};
};

Taps tapsOf(float centre, float deviation, int size)
{
    Taps taps;
    for (int k = 0; k < 2 * side; ++k) {
        const float at = centre + 4 * deviation * ((float(k) + 0.5f) / (2 * side) - 0.5f);
        if (at < 0 || at >= 1) {
            taps.first[size_t(k)] = -1;
            continue;
        }
        const float p = std::clamp(at * float(size) - 0.5f, 0.0f, float(size - 1));
        const int lower = std::min(int(p), size - 2);
        taps.first[size_t(k)] = lower;
        taps.weight[size_t(k)] = p - float(lower);
    }
    return taps;
}

// Signs of the 8x8 lowest DCT coefficients (the DC term left out) against their median.
std::uint64_t dctKey(const std::array<std::uint8_t, signatureBytes> &pixels)
{
    static const auto basis = [] {
        std::array<std::array<float, side>, 8> table{};
        for (int k = 0; k < 8; ++k)
            for (int n = 0; n < side; ++n)
                table[size_t(k)][size_t(n)] =
                    float(std::cos(std::numbers::pi * (2 * n + 1) * k / (2.0 * side)));
        return table;
    }();
    std::array<std::array<float, side>, 8> rows{}; // rows[k][y]: row y transformed along x
    for (int y = 0; y < side; ++y)
        for (int k = 0; k < 8; ++k) {
            float sum = 0;
            for (int x = 0; x < side; ++x)
                sum += basis[size_t(k)][size_t(x)] * float(pixels[size_t(y * side + x)]);
            rows[size_t(k)][size_t(y)] = sum;
        }
    std::array<float, 64> coefficients{};
    for (int l = 0; l < 8; ++l)
        for (int k = 0; k < 8; ++k) {
            float sum = 0;
            for (int y = 0; y < side; ++y)
                sum += basis[size_t(l)][size_t(y)] * rows[size_t(k)][size_t(y)];
            coefficients[size_t(l * 8 + k)] = sum;
        }
    std::array<float, 63> ac{};
    std::copy(coefficients.begin() + 1, coefficients.end(), ac.begin());
    std::nth_element(ac.begin(), ac.begin() + 31, ac.end());
    const float median = ac[31];
    std::uint64_t key = 0;
    for (size_t i = 1; i < coefficients.size(); ++i)
        if (coefficients[i] > median)
            key |= std::uint64_t(1) << i;
    return key;
}

} // namespace

AlignedSignature alignSignature(const PreparedSignature &signature, const AlignRule &rule)
{
    return alignImage(signature.pixels.data(), side, side, rule);
}

AlignedSignature alignImage(const std::uint8_t *pixels, int width, int height,
                            const AlignRule &rule)
{
    AlignedSignature aligned;
    if (width < 2 || height < 2)
        return aligned;
    bool plain = false;
    const float background = backgroundOf(pixels, width, height, rule, plain);
    if (!plain)
        return aligned;
    double mass = 0, sumX = 0, sumY = 0, sumXX = 0, sumYY = 0;
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const double weight = std::abs(double(pixels[y * width + x]) - background);
            const double fx = (x + 0.5) / width, fy = (y + 0.5) / height;
            mass += weight;
            sumX += weight * fx;
            sumY += weight * fy;
            sumXX += weight * fx * fx;
            sumYY += weight * fy * fy;
        }
    }
    if (mass < rule.minContent * width * height)
        return aligned;
    aligned.cx = float(sumX / mass);
    aligned.cy = float(sumY / mass);
    aligned.sx = float(std::sqrt(std::max(0.0, sumXX / mass - double(aligned.cx) * aligned.cx)));
    aligned.sy = float(std::sqrt(std::max(0.0, sumYY / mass - double(aligned.cy) * aligned.cy)));
    if (aligned.sx < 0.5f / side || aligned.sy < 0.5f / side)
        return aligned;
    // 2x2 bilinear samples per output pixel, averaged; separable: columns first.
    const Taps xs = tapsOf(aligned.cx, aligned.sx, width),
               ys = tapsOf(aligned.cy, aligned.sy, height);
    std::array<std::array<float, 2 * side>, 2 * side> grid{}; // [sample row][sample column]
    std::vector<float> row(static_cast<size_t>(width));
    for (int k = 0; k < 2 * side; ++k) {
        const int lower = ys.first[size_t(k)];
        if (lower < 0) {
            grid[size_t(k)].fill(background);
            continue;
        }
        const float fy = ys.weight[size_t(k)];
        const std::uint8_t *top = pixels + lower * width, *bottom = top + width;
        for (int x = 0; x < width; ++x)
            row[size_t(x)] = float(top[x]) + fy * (float(bottom[x]) - float(top[x]));
        for (int j = 0; j < 2 * side; ++j) {
            const int left = xs.first[size_t(j)];
            grid[size_t(k)][size_t(j)] =
                left < 0 ? background
                         : row[size_t(left)] +
                               xs.weight[size_t(j)] * (row[size_t(left) + 1] - row[size_t(left)]);
        }
    }
    int total = 0;
    for (int v = 0; v < side; ++v) {
        for (int u = 0; u < side; ++u) {
            const float sum =
                grid[size_t(2 * v)][size_t(2 * u)] + grid[size_t(2 * v)][size_t(2 * u + 1)] +
                grid[size_t(2 * v + 1)][size_t(2 * u)] + grid[size_t(2 * v + 1)][size_t(2 * u + 1)];
            const int value = std::clamp(int(std::lround(sum / 4)), 0, 255);
            aligned.pixels[size_t(v * side + u)] = std::uint8_t(value);
            total += value;
        }
    }
    aligned.mean = float(total) / signatureBytes;
    for (int y = 0; y < 8; ++y) {
        for (int x = 0; x < 8; ++x) {
            const std::uint8_t *p = aligned.pixels.data() + 2 * y * side + 2 * x;
            aligned.blockSums[size_t(y * 8 + x)] =
                std::int16_t(p[0] + p[1] + p[side] + p[side + 1]);
        }
    }
    aligned.key = dctKey(aligned.pixels);
    aligned.valid = true;
    return aligned;
}

double alignedDifference(const AlignedSignature &a, const AlignedSignature &b)
{
    return meanFreeDifference(a.pixels, a.mean, b.pixels, b.mean);
}

bool confirmsAligned(const AlignedSignature &a, const AlignedSignature &b, const AlignRule &rule)
{
    if (!a.valid || !b.valid)
        return false;
    if (std::abs(double(a.cx) - b.cx) > rule.maxShift ||
        std::abs(double(a.cy) - b.cy) > rule.maxShift)
        return false;
    auto within = [&](float p, float q) {
        return double(std::max(p, q)) <= rule.maxScale * double(std::min(p, q));
    };
    if (!within(a.sx, b.sx) || !within(a.sy, b.sy))
        return false;
    if (meanFreeBound(a.blockSums, a.mean, b.blockSums, b.mean) > rule.alignedDifference)
        return false;
    return alignedDifference(a, b) <= rule.alignedDifference;
}

} // namespace assay::analysis
