#include "hammingblocks.h"

#include <cmath>
#include <numeric>

namespace assay::analysis::hamming {

Layout makeLayout(int blocks, int maxDistance)
{
    Layout layout;
    layout.blocks = blocks;
    layout.depth = blocks - maxDistance;
    int shift = 0;
    std::uint64_t tops = 0;
    for (int b = 0; b < blocks; ++b) {
        const auto at = std::size_t(b);
        const int width = 64 / blocks + (b < 64 % blocks ? 1 : 0);
        const std::uint64_t field =
            width == 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << width) - 1;
        layout.shift[at] = shift;
        layout.width[at] = width;
        layout.mask[at] = field << shift;
        layout.top[at] = std::uint64_t(1) << (shift + width - 1);
        tops |= layout.top[at];
        shift += width;
    }
    layout.low = ~tops;
    return layout;
}

std::array<int, 64> balancedBitOrder(const std::vector<std::uint64_t> &values, const Layout &layout)
{
    // Ones per bit, from per-byte histograms: eight increments a hash instead of 64.
    std::vector<std::array<std::uint32_t, 256>> bytes(8, std::array<std::uint32_t, 256>{});
    for (std::uint64_t value : values)
        for (std::size_t byte = 0; byte < 8; ++byte)
            ++bytes[byte][(value >> (8 * byte)) & 0xff];
    std::array<double, 64> entropy{};
    for (std::size_t bit = 0; bit < 64; ++bit) {
        std::uint64_t ones = 0;
        for (std::size_t v = 0; v < 256; ++v)
            if (v >> (bit % 8) & 1)
                ones += bytes[bit / 8][v];
        const double p = double(ones) / double(std::max<std::size_t>(values.size(), 1));
        entropy[bit] = p <= 0 || p >= 1 ? 0.0 : -(p * std::log2(p) + (1 - p) * std::log2(1 - p));
    }
    std::array<int, 64> order{};
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return entropy[std::size_t(a)] > entropy[std::size_t(b)];
    });
    const auto blocks = std::size_t(layout.blocks);
    std::vector<double> sum(blocks, 0.0);
    std::vector<int> used(blocks, 0);
    std::array<int, 64> to{};
    for (int bit : order) {
        std::size_t best = blocks;
        for (std::size_t b = 0; b < blocks; ++b)
            if (used[b] < layout.width[b] && (best == blocks || sum[b] < sum[best]))
                best = b;
        to[std::size_t(bit)] = layout.shift[best] + used[best]++;
        sum[best] += entropy[std::size_t(bit)];
    }
    return to;
}

std::vector<std::uint64_t> permuteBits(const std::vector<std::uint64_t> &values,
                                       const std::array<int, 64> &to)
{
    // One table per byte: a byte's value -> its bits, moved.
    std::vector<std::array<std::uint64_t, 256>> tables(8, std::array<std::uint64_t, 256>{});
    for (std::size_t byte = 0; byte < 8; ++byte)
        for (std::size_t v = 0; v < 256; ++v)
            for (std::size_t bit = 0; bit < 8; ++bit)
                if (v >> bit & 1)
                    tables[byte][v] |= std::uint64_t(1) << to[8 * byte + bit];
    std::vector<std::uint64_t> moved(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::uint64_t out = 0;
        for (std::size_t byte = 0; byte < 8; ++byte)
            out |= tables[byte][(values[i] >> (8 * byte)) & 0xff];
        moved[i] = out;
    }
    return moved;
}

void partition(const std::uint64_t *values, const std::uint32_t *ids, std::size_t size,
               const BlockKey &key, std::uint64_t *outValues, std::uint32_t *outIds,
               std::vector<std::uint32_t> &ends)
{
    ends.assign(key.parts() + 1, 0);
    for (std::size_t i = 0; i < size; ++i)
        ++ends[key(values[i]) + 1];
    for (std::size_t p = 0; p + 1 < ends.size(); ++p)
        ends[p + 1] += ends[p];
    for (std::size_t i = 0; i < size; ++i) {
        const std::uint32_t at = ends[key(values[i])]++;
        outValues[at] = values[i];
        outIds[at] = ids[i];
    }
}

bool someBlockConstant(const std::uint64_t *values, std::size_t size, const Layout &layout,
                       std::uint64_t differingTops)
{
    std::uint64_t any = 0, all = ~std::uint64_t(0);
    for (std::size_t i = 0; i < size; ++i) {
        any |= values[i];
        all &= values[i];
    }
    const std::uint64_t varying = any & ~all; // bits that are not the same in every hash
    return (differingTops & ~layout.nonzeroTops(varying)) != 0;
}

} // namespace assay::analysis::hamming
