#include "smallshifts.h"

#include "jobs/progress.h"

#include <QElapsedTimer>

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace assay::analysis {

namespace {

struct WindowEntry
{
    std::uint64_t key = 0;
    std::uint32_t input = 0;
    std::uint16_t x = 0, y = 0; // the window's top left corner in the image

    bool operator<(const WindowEntry &other) const
    {
        return key != other.key ? key < other.key : input < other.input;
    }
};

struct Candidate
{
    std::uint32_t a = 0, b = 0; // a < b
    int dx = 0, dy = 0;         // b's pixel (x, y) lies on a's (x + dx, y + dy)

    bool operator<(const Candidate &other) const
    {
        return a != other.a ? a < other.a : b < other.b;
    }
};

// The window's key: its side and bytes hashed.
std::uint64_t windowKey(const SmallImage &image, int x, int y, int side, std::uint8_t *buffer)
{
    for (int row = 0; row < side; ++row)
        std::memcpy(buffer + size_t(row) * size_t(side),
                    image.pixels + size_t(y + row) * size_t(image.width) + size_t(x), size_t(side));
    return XXH3_64bits_withSeed(buffer, size_t(side) * size_t(side), XXH64_hash_t(side));
}

// Whether the window (as windowKey copied it) spans at least minRange grey levels.
bool hasContent(const std::uint8_t *window, int side, int minRange)
{
    const auto [low, high] = std::minmax_element(window, window + size_t(side) * size_t(side));
    return *high - *low >= minRange;
}

// A quick "not indexed" for most looked-up keys: one bit per key's low bits.
class KeyFilter
{
public:
    explicit KeyFilter(size_t keys) : m_bits(std::bit_ceil(std::max<size_t>(keys * 16, 1024))) {}
    void add(std::uint64_t key) { m_bits[key & (m_bits.size() - 1)] = true; }
    bool mayHold(std::uint64_t key) const { return m_bits[key & (m_bits.size() - 1)]; }

private:
    std::vector<bool> m_bits;
};

// Copies of the images of the marked inputs, for the confirmation; their sizes are the ones
// the first pass noted.
struct ImageStore
{
    std::vector<std::uint8_t> pixels;
    std::vector<std::int64_t> offset; // per input, -1 when not held

    SmallImage of(std::uint32_t input,
                  const std::vector<std::pair<std::uint16_t, std::uint16_t>> &sizes) const
    {
        if (offset[input] < 0)
            return {};
        return {sizes[input].first, sizes[input].second, pixels.data() + offset[input]};
    }
};

} // namespace

bool parseSmallImage(std::string_view bytes, SmallImage &image)
{
    if (bytes.size() < 4)
        return false;
    const auto *p = reinterpret_cast<const std::uint8_t *>(bytes.data());
    const int width = p[0] | (p[1] << 8), height = p[2] | (p[3] << 8);
    if (width <= 0 || height <= 0 || bytes.size() != 4 + size_t(width) * size_t(height))
        return false;
    image = {width, height, p + 4};
    return true;
}

int shiftWindowSide(int shorterSide)
{
    const int side = shorterSide * 3 / 4 / 4 * 4;
    return side >= 8 ? side : 0;
}

bool confirmsShifted(const SmallImage &a, const SmallImage &b, int dx, int dy,
                     const ShiftRule &rule)
{
    const int x0 = std::max(0, -dx), x1 = std::min(b.width, a.width - dx);
    const int y0 = std::max(0, -dy), y1 = std::min(b.height, a.height - dy);
    if (x1 <= x0 || y1 <= y0)
        return false;
    const double overlap = double(x1 - x0) * double(y1 - y0);
    if (overlap < rule.minOverlap * double(a.width) * a.height
        || overlap < rule.minOverlap * double(b.width) * b.height)
        return false;
    std::int64_t sum = 0;
    for (int y = y0; y < y1; ++y) {
        const std::uint8_t *rowB = b.pixels + size_t(y) * size_t(b.width);
        const std::uint8_t *rowA = a.pixels + size_t(y + dy) * size_t(a.width) + dx;
        for (int x = x0; x < x1; ++x)
            sum += int(rowB[x]) - int(rowA[x]);
    }
    const double shift = double(sum) / overlap;
    double difference = 0;
    for (int y = y0; y < y1; ++y) {
        const std::uint8_t *rowB = b.pixels + size_t(y) * size_t(b.width);
        const std::uint8_t *rowA = a.pixels + size_t(y + dy) * size_t(a.width) + dx;
        for (int x = x0; x < x1; ++x)
            difference += std::abs(double(int(rowB[x]) - int(rowA[x])) - shift);
    }
    return difference / overlap <= rule.maxDifference;
}

std::vector<std::pair<std::uint32_t, std::uint32_t>>
findShiftedPairs(const SmallImageSource &source, std::size_t inputCount, const ShiftRule &rule,
                 jobs::Progress *progress, ShiftSearchStats *stats)
{
    QElapsedTimer timer;
    timer.start();
    ShiftSearchStats local;
    ShiftSearchStats &counts = stats ? *stats : local;
    std::vector<std::uint8_t> buffer;
    auto window = [&](int side) {
        buffer.resize(size_t(side) * size_t(side));
        return buffer.data();
    };
    std::uint64_t visited = 0;
    auto checkCancel = [&] {
        if (progress && (++visited & 0xfff) == 0)
            jobs::throwIfCanceled(*progress);
    };

    // 1. Each image under its centre window.
    std::vector<WindowEntry> index;
    std::vector<std::pair<std::uint16_t, std::uint16_t>> sizes(inputCount, {0, 0});
    source({}, [&](std::uint32_t input, const SmallImage &image) {
        checkCancel();
        if (input >= inputCount)
            return;
        sizes[input] = {std::uint16_t(image.width), std::uint16_t(image.height)};
        const int side = shiftWindowSide(std::min(image.width, image.height));
        if (side == 0)
            return;
        const int x = (image.width - side) / 2, y = (image.height - side) / 2;
        const std::uint64_t key = windowKey(image, x, y, side, window(side));
        // Flat windows (a blank background) are shared by unrelated images. A window looked up
        // later is not checked: one with the bytes of an indexed window has its content.
        if (hasContent(buffer.data(), side, rule.minWindowRange))
            index.push_back({key, input, std::uint16_t(x), std::uint16_t(y)});
    });
    std::sort(index.begin(), index.end());
    {
        // At most maxBucket images per window: more are copies the exact search groups.
        size_t kept = 0, bucketStart = 0;
        for (size_t i = 0; i < index.size(); ++i) {
            if (kept == 0 || index[i].key != index[kept - 1].key)
                bucketStart = kept;
            if (kept - bucketStart < size_t(rule.maxBucket))
                index[kept++] = index[i];
        }
        index.resize(kept);
    }
    KeyFilter filter(index.size());
    for (const WindowEntry &entry : index)
        filter.add(entry.key);
    counts.indexed = std::int64_t(index.size());
    if (index.empty())
        return {};
    // Only the sides some image is indexed by are looked up (one or two in most datasets).
    std::vector<bool> indexedSide;
    for (const auto &[width, height] : sizes) {
        const int side = shiftWindowSide(std::min<int>(width, height));
        if (side >= int(indexedSide.size()))
            indexedSide.resize(size_t(side) + 1, false);
        indexedSide[size_t(side)] = side > 0;
    }

    // 2. Each image's windows around its centre, looked up.
    std::vector<Candidate> candidates;
    const size_t maxCandidates = 8'000'000 + 40 * inputCount;
    source({}, [&](std::uint32_t b, const SmallImage &image) {
        checkCancel();
        if (b >= inputCount || candidates.size() >= maxCandidates)
            return;
        const int shorter = std::min(image.width, image.height);
        int lastSide = -1;
        for (int other = shorter - rule.maxSizeDifference; other <= shorter + rule.maxSizeDifference;
             ++other) {
            const int side = shiftWindowSide(other);
            if (side == 0 || side == lastSide || side > shorter
                || side >= int(indexedSide.size()) || !indexedSide[size_t(side)])
                continue;
            lastSide = side;
            const int cx = (image.width - side) / 2, cy = (image.height - side) / 2;
            for (int oy = -rule.maxOffset; oy <= rule.maxOffset; ++oy) {
                for (int ox = -rule.maxOffset; ox <= rule.maxOffset; ++ox) {
                    const int x = cx + ox, y = cy + oy;
                    if (x < 0 || y < 0 || x + side > image.width || y + side > image.height)
                        continue;
                    const std::uint64_t key = windowKey(image, x, y, side, window(side));
                    if (!filter.mayHold(key))
                        continue;
                    auto at = std::lower_bound(index.begin(), index.end(), WindowEntry{key, 0, 0, 0});
                    for (; at != index.end() && at->key == key; ++at) {
                        const std::uint32_t a = at->input;
                        if (a == b
                            || std::abs(int(sizes[a].first) - image.width) > rule.maxSizeDifference
                            || std::abs(int(sizes[a].second) - image.height)
                                   > rule.maxSizeDifference)
                            continue;
                        const int dx = int(at->x) - x, dy = int(at->y) - y;
                        candidates.push_back(a < b ? Candidate{a, b, dx, dy}
                                                   : Candidate{b, a, -dx, -dy});
                    }
                }
            }
        }
    });
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end(),
                                 [](const Candidate &x, const Candidate &y) {
                                     return x.a == y.a && x.b == y.b;
                                 }),
                     candidates.end());
    counts.candidates = std::int64_t(candidates.size());
    if (candidates.empty()) {
        counts.seconds = double(timer.nsecsElapsed()) / 1e9;
        return {};
    }

    // 3. The candidates' images, and each pair's whole overlap compared.
    std::vector<bool> needed(inputCount, false);
    for (const Candidate &c : candidates)
        needed[c.a] = needed[c.b] = true;
    ImageStore held;
    held.offset.assign(inputCount, -1);
    source(needed, [&](std::uint32_t input, const SmallImage &image) {
        checkCancel();
        if (input >= inputCount || !needed[input] || held.offset[input] >= 0
            || sizes[input] != std::pair{std::uint16_t(image.width), std::uint16_t(image.height)})
            return;
        held.offset[input] = std::int64_t(held.pixels.size());
        held.pixels.insert(held.pixels.end(), image.pixels,
                           image.pixels + size_t(image.width) * size_t(image.height));
    });
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    for (const Candidate &c : candidates) {
        checkCancel();
        const SmallImage a = held.of(c.a, sizes), b = held.of(c.b, sizes);
        if (a.pixels && b.pixels && confirmsShifted(a, b, c.dx, c.dy, rule))
            pairs.emplace_back(c.a, c.b);
    }
    counts.confirmed = std::int64_t(pairs.size());
    counts.seconds = double(timer.nsecsElapsed()) / 1e9;
    return pairs;
}

} // namespace assay::analysis
