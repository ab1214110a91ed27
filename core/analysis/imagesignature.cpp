#include "imagesignature.h"

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

SignatureDistance compareSignatures(const PreparedSignature &a, const PreparedSignature &b)
{
    SignatureDistance distance;
    // Integer sums over the pixels, in 1/256 grey levels: the loop vectorises.
    const int offset = int(std::lround((a.mean - b.mean) * 256));
    int sum = 0;
    for (int i = 0; i < signatureBytes; ++i)
        sum += std::abs((int(a.pixels[size_t(i)]) - int(b.pixels[size_t(i)])) * 256 - offset);
    distance.difference = double(sum) / (256.0 * signatureBytes);
    distance.decorrelation = decorrelation(a, b);
    return distance;
}

bool confirmsDuplicate(const PreparedSignature &a, const PreparedSignature &b, bool small,
                       const ConfirmRule &rule)
{
    if (small || a.spread < rule.flatSpread || b.spread < rule.flatSpread) {
        // Most candidates fail already on the 2x2 block sums: |sum of a block's differences| is
        // at most the sum of their absolute values, so this bounds the difference from below.
        // Integers in 1/64 grey levels: the loop vectorises.
        const int offset = int(std::lround(256.0 * (double(a.mean) - double(b.mean))));
        int bound = 0;
        for (size_t i = 0; i < a.blockSums.size(); ++i)
            bound += std::abs((int(a.blockSums[i]) - int(b.blockSums[i])) * 64 - offset);
        if (double(bound) / (64.0 * signatureBytes) > rule.smallDifference)
            return false;
        return compareSignatures(a, b).difference <= rule.smallDifference;
    }
    return decorrelation(a, b) <= rule.decorrelation;
}

} // namespace assay::analysis
