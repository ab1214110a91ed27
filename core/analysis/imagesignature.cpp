#include "imagesignature.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace assay::analysis {

PreparedSignature prepareSignature(const std::uint8_t *pixels)
{
    PreparedSignature prepared;
    int total = 0;
    for (int i = 0; i < signatureBytes; ++i) {
        prepared.pixels[size_t(i)] = pixels[i];
        total += pixels[i];
    }
    prepared.mean = float(total) / signatureBytes;
    double sumSquares = 0;
    for (int y = 0; y < 8; ++y) {
        for (int x = 0; x < 8; ++x) {
            const std::uint8_t *p = pixels + 2 * y * signatureSide + 2 * x;
            const int sum = p[0] + p[1] + p[signatureSide] + p[signatureSide + 1];
            prepared.blockSums[size_t(y * 8 + x)] = std::int16_t(sum);
            const float block = float(sum) / 4;
            const float centred = block - prepared.mean;
            prepared.coarse[size_t(y * 8 + x)] = centred;
            sumSquares += double(centred) * centred;
        }
    }
    prepared.spread = float(std::sqrt(sumSquares / 64));
    const float scale = sumSquares > 0 ? float(1.0 / std::sqrt(sumSquares)) : 0.0f;
    for (float &value : prepared.coarse)
        value *= scale;
    return prepared;
}

namespace {

double decorrelation(const PreparedSignature &a, const PreparedSignature &b)
{
    if (a.spread <= 0 || b.spread <= 0)
        return 1.0;
    float dot = 0;
    for (size_t i = 0; i < a.coarse.size(); ++i)
        dot += a.coarse[i] * b.coarse[i];
    return 1.0 - double(dot);
}

} // namespace

double meanFreeDifference(const std::array<std::uint8_t, signatureBytes> &a, float meanA,
                          const std::array<std::uint8_t, signatureBytes> &b, float meanB)
{
    // Integer sums over the pixels, in 1/256 grey levels: the loop vectorises.
    const int offset = int(std::lround((meanA - meanB) * 256));
    int sum = 0;
    for (int i = 0; i < signatureBytes; ++i)
        sum += std::abs((int(a[size_t(i)]) - int(b[size_t(i)])) * 256 - offset);
    return double(sum) / (256.0 * signatureBytes);
}

double meanFreeBound(const std::array<std::int16_t, 64> &a, float meanA,
                     const std::array<std::int16_t, 64> &b, float meanB)
{
    // |sum of a block's differences| is at most the sum of their absolute values, so this
    // bounds the difference from below. Integers in 1/64 grey levels: the loop vectorises.
    const int offset = int(std::lround(256.0 * (double(meanA) - double(meanB))));
    int bound = 0;
    for (size_t i = 0; i < a.size(); ++i)
        bound += std::abs((int(a[i]) - int(b[i])) * 64 - offset);
    return double(bound) / (64.0 * signatureBytes);
}

SignatureDistance compareSignatures(const PreparedSignature &a, const PreparedSignature &b)
{
    SignatureDistance distance;
    distance.difference = meanFreeDifference(a.pixels, a.mean, b.pixels, b.mean);
    distance.decorrelation = decorrelation(a, b);
    return distance;
}

bool confirmsDuplicate(const PreparedSignature &a, const PreparedSignature &b, bool small,
                       const ConfirmRule &rule)
{
    if (small || a.spread < rule.flatSpread || b.spread < rule.flatSpread) {
        // Most candidates fail already on the 2x2 block sums.
        if (meanFreeBound(a.blockSums, a.mean, b.blockSums, b.mean) > rule.smallDifference)
            return false;
        return compareSignatures(a, b).difference <= rule.smallDifference;
    }
    return decorrelation(a, b) <= rule.decorrelation;
}

namespace {

// The whole signature as a continuous image (bilinear between pixel centres, edges held).
float sample(const PreparedSignature &whole, float x, float y)
{
    const float px = std::clamp(x * signatureSide - 0.5f, 0.0f, float(signatureSide - 1));
    const float py = std::clamp(y * signatureSide - 0.5f, 0.0f, float(signatureSide - 1));
    const int x0 = std::min(int(px), signatureSide - 2), y0 = std::min(int(py), signatureSide - 2);
    const float fx = px - float(x0), fy = py - float(y0);
    const std::uint8_t *row = whole.pixels.data() + y0 * signatureSide + x0;
    const float top = float(row[0]) + fx * (float(row[1]) - float(row[0]));
    const float bottom = float(row[signatureSide])
                         + fx * (float(row[signatureSide + 1]) - float(row[signatureSide]));
    return top + fy * (bottom - top);
}

} // namespace

bool confirmsCrop(const PreparedSignature &whole, int wholeWidth, int wholeHeight,
                  const PreparedSignature &part, int partWidth, int partHeight,
                  const ConfirmRule &rule)
{
    if (wholeWidth <= 0 || wholeHeight <= 0 || partWidth <= 0 || partHeight <= 0
        || part.spread < rule.flatSpread)
        return false;
    const double w = double(partWidth) / wholeWidth, h = double(partHeight) / wholeHeight;
    if (w > 1 || h > 1 || (w == 1 && h == 1) || w < 1 - rule.maxCrop || h < 1 - rule.maxCrop)
        return false;
    double best = 1;
    std::array<float, 64> grid{};
    for (int iy = 0; iy < 5; ++iy) {
        for (int ix = 0; ix < 5; ++ix) {
            const float x0 = float((1 - w) * ix / 4), y0 = float((1 - h) * iy / 4);
            // Each 8x8 block of the part: four samples of the window, averaged.
            float mean = 0;
            for (int by = 0; by < 8; ++by) {
                for (int bx = 0; bx < 8; ++bx) {
                    float sum = 0;
                    for (const float oy : {0.5f, 1.5f})
                        for (const float ox : {0.5f, 1.5f})
                            sum += sample(whole, x0 + float(w) * (2 * bx + ox) / signatureSide,
                                          y0 + float(h) * (2 * by + oy) / signatureSide);
                    grid[size_t(by * 8 + bx)] = sum / 4;
                    mean += sum / 4;
                }
            }
            mean /= 64;
            double dot = 0, norm = 0;
            for (size_t i = 0; i < grid.size(); ++i) {
                const double centred = double(grid[i]) - mean;
                dot += centred * part.coarse[i];
                norm += centred * centred;
            }
            if (norm > 0)
                best = std::min(best, 1.0 - dot / std::sqrt(norm));
        }
    }
    return best <= rule.decorrelation;
}

} // namespace assay::analysis
