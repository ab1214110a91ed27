#include "duplicateedges.h"

#include "alignedsignature.h"
#include "hammingpairs.h"

#include "jobs/progress.h"

#include <QElapsedTimer>

#include <algorithm>
#include <bit>
#include <functional>
#include <span>
#include <unordered_set>

namespace assay::analysis {

namespace {

constexpr size_t maxLeaders = 32;
constexpr size_t maxMemberPairs = 256;

struct ValuePair
{
    std::uint32_t a = 0, b = 0; // indices into the distinct values
    int distance = 0;
};

std::uint64_t pairKey(size_t a, size_t b)
{
    return (std::uint64_t(std::min(a, b)) << 32) | std::uint64_t(std::max(a, b));
}

// The sample pairs the edges already join (pairKey).
std::unordered_set<std::uint64_t> knownPairs(const std::vector<SampleEdge> &edges)
{
    std::unordered_set<std::uint64_t> known;
    for (const SampleEdge &edge : edges)
        known.insert(pairKey(edge.a, edge.b));
    return known;
}

// An edge the second or third search of small images adds counts at the pair's pHash distance,
// at most the small images' search distance (so it joins at the slider's settings that join
// small copies).
int smallEdgeDistance(const DuplicateInputs &inputs, size_t a, size_t b, int smallMaxDistance)
{
    return std::min(std::popcount(inputs.samples[a].phash ^ inputs.samples[b].phash),
                    smallMaxDistance);
}

// Distinct pHash values, ascending, with the inputs of each.
struct Values
{
    std::vector<std::uint64_t> hashes;
    std::vector<std::uint32_t> first; // value -> offset into inputs
    std::vector<std::uint32_t> inputs;

    size_t size() const { return hashes.size(); }
    std::span<const std::uint32_t> of(size_t v) const
    {
        return std::span(inputs).subspan(first[v], first[v + 1] - first[v]);
    }
};

Values distinctValues(std::vector<std::pair<std::uint64_t, std::uint32_t>> sorted)
{
    std::sort(sorted.begin(), sorted.end());
    Values values;
    for (const auto &[hash, input] : sorted) {
        if (values.hashes.empty() || values.hashes.back() != hash) {
            values.hashes.push_back(hash);
            values.first.push_back(std::uint32_t(values.inputs.size()));
        }
        values.inputs.push_back(input);
    }
    values.first.push_back(std::uint32_t(values.inputs.size()));
    return values;
}

Values distinctValues(const DuplicateInputs &inputs)
{
    std::vector<std::pair<std::uint64_t, std::uint32_t>> sorted;
    sorted.reserve(inputs.samples.size());
    for (std::uint32_t i = 0; i < inputs.samples.size(); ++i)
        sorted.emplace_back(inputs.samples[i].phash, i);
    return distinctValues(std::move(sorted));
}

// Confirmed sample pairs of the values and value pairs: the members of each value are compared
// with up to maxLeaders leaders of it (the first members not confirmed against an earlier one)
// and join the first that confirms them; value pairs compare leader against leader, at most
// maxMemberPairs. `confirmed(a, b)` says whether two inputs confirm (false when either cannot
// be compared: such inputs are skipped); `distance(a, b, valueDistance)` is the edge's.
template<typename Confirmed, typename Distance>
void confirmValuePairs(const Values &values, const std::vector<ValuePair> &pairs,
                       const std::function<bool(std::uint32_t)> &usable, Confirmed confirmed,
                       Distance distance, std::vector<SampleEdge> &edges, jobs::Progress *progress)
{
    std::vector<std::uint32_t> leaderFirst(values.size() + 1, 0);
    std::vector<std::uint32_t> leaders;
    for (size_t v = 0; v < values.size(); ++v) {
        const size_t start = leaders.size();
        for (const std::uint32_t i : values.of(v)) {
            if (!usable(i))
                continue;
            bool joined = false;
            for (size_t k = start; k < leaders.size() && !joined; ++k) {
                if (confirmed(i, leaders[k])) {
                    edges.push_back({i, leaders[k], distance(i, leaders[k], 0)});
                    joined = true;
                }
            }
            if (!joined && leaders.size() - start < maxLeaders)
                leaders.push_back(i);
        }
        leaderFirst[v + 1] = std::uint32_t(leaders.size());
        if (progress && (v & 0xffff) == 0)
            jobs::throwIfCanceled(*progress);
    }
    for (size_t k = 0; k < pairs.size(); ++k) {
        const ValuePair &p = pairs[k];
        size_t comparisons = 0;
        for (std::uint32_t x = leaderFirst[p.a]; x < leaderFirst[p.a + 1]; ++x) {
            for (std::uint32_t y = leaderFirst[p.b]; y < leaderFirst[p.b + 1]; ++y) {
                if (comparisons++ >= maxMemberPairs)
                    break;
                if (confirmed(leaders[x], leaders[y]))
                    edges.push_back(
                        {leaders[x], leaders[y], distance(leaders[x], leaders[y], p.distance)});
            }
        }
        if (progress && (k & 0xffff) == 0)
            jobs::throwIfCanceled(*progress);
    }
}

// Near pairs among the given values (ascending indices) within maxDistance, lowered while the
// search overflows the pair budget.
std::vector<ValuePair> searchValues(const Values &values, const std::vector<std::uint32_t> &subset,
                                    int maxDistance, size_t budget, jobs::Progress *progress,
                                    int &searched, bool &limited)
{
    std::vector<std::uint64_t> hashes;
    hashes.reserve(subset.size());
    for (const std::uint32_t v : subset)
        hashes.push_back(values.hashes[v]);
    NearPairOptions options;
    options.lowerPriority = true;
    options.maxPairs = budget;
    for (int distance = maxDistance;; distance = std::max(0, distance - 2)) {
        const NearPairs near = findNearPairs(hashes, distance, options, progress);
        if (near.truncated && distance > 0) {
            limited = true;
            continue;
        }
        // The hashes are distinct and ascending, so findNearPairs' values are these, in order.
        searched = distance;
        std::vector<ValuePair> pairs;
        pairs.reserve(near.pairs.size());
        for (const HashPair &p : near.pairs)
            pairs.push_back({subset[p.a], subset[p.b], p.distance});
        return pairs;
    }
}

// The second search for small images: pairs of registered keys within
// options.alignedMaxDistance, confirmed by the registered pixels (alignedsignature.h). An edge
// that the pHash search did not already give counts at the pair's pHash distance, at most the
// small images' search distance (so it joins at the slider's settings that join small copies).
void confirmAligned(const DuplicateInputs &inputs, const DuplicateOptions &options,
                    const std::vector<bool> &small, const SignatureSet &prepared,
                    std::vector<SampleEdge> &edges, EdgeSearchStats &counts,
                    jobs::Progress *progress)
{
    QElapsedTimer timer;
    timer.start();
    std::vector<AlignedSignature> aligned(inputs.samples.size());
    std::vector<std::pair<std::uint64_t, std::uint32_t>> keys;
    for (std::uint32_t i = 0; i < inputs.samples.size(); ++i) {
        const PreparedSignature *signature = small[i] ? prepared.of(i) : nullptr;
        if (!signature)
            continue;
        aligned[i] = alignSignature(*signature, options.align);
        if (aligned[i].valid)
            keys.emplace_back(aligned[i].key, i);
    }
    if (keys.size() < 2)
        return;
    const Values values = distinctValues(std::move(keys));
    std::vector<std::uint32_t> all(values.size());
    for (std::uint32_t v = 0; v < values.size(); ++v)
        all[v] = v;
    const size_t budget =
        options.maxPairs ? options.maxPairs : 4'000'000 + 20 * inputs.samples.size();
    bool limited = false;
    int searched = 0;
    const std::vector<ValuePair> pairs =
        searchValues(values, all, options.alignedMaxDistance, budget, progress, searched, limited);
    counts.alignedValuePairs = std::int64_t(pairs.size());
    counts.alignedMaxDistance = searched;

    std::unordered_set<std::uint64_t> known = knownPairs(edges);
    const size_t before = edges.size();
    confirmValuePairs(
        values, pairs, [&](std::uint32_t i) { return aligned[i].valid; },
        [&](std::uint32_t a, std::uint32_t b) {
            ++counts.alignedCompared;
            return confirmsAligned(aligned[a], aligned[b], options.align);
        },
        [&](std::uint32_t a, std::uint32_t b, int) {
            return smallEdgeDistance(inputs, a, b, counts.smallMaxDistance);
        },
        edges, progress);
    // Keep only the pairs the pHash search did not confirm already.
    size_t kept = before;
    for (size_t k = before; k < edges.size(); ++k) {
        if (known.insert(pairKey(edges[k].a, edges[k].b)).second)
            edges[kept++] = edges[k];
    }
    edges.resize(kept);
    counts.alignedConfirmed = std::int64_t(kept - before);
    counts.alignedSeconds = double(timer.nsecsElapsed()) / 1e9;
}

// The pairs the window search confirms (smallshifts.h) that no search before gave.
void addShifted(const DuplicateInputs &inputs, const DuplicateOptions &options,
                const SmallImageSource &smallImages, std::vector<SampleEdge> &edges,
                EdgeSearchStats &counts, jobs::Progress *progress)
{
    const auto pairs =
        findShiftedPairs(smallImages, inputs.samples.size(), options.shift, progress,
                         &counts.shifted);
    std::unordered_set<std::uint64_t> known = knownPairs(edges);
    std::int64_t added = 0;
    for (const auto &[a, b] : pairs) {
        if (!known.insert(pairKey(a, b)).second)
            continue;
        edges.push_back({a, b, smallEdgeDistance(inputs, a, b, counts.smallMaxDistance)});
        ++added;
    }
    counts.shifted.confirmed = added;
}

// The pairs the resampled search confirms (smallresizes.h) that no search before gave.
void addResized(const DuplicateInputs &inputs, const DuplicateOptions &options,
                const std::vector<bool> &small, const SignatureSet &prepared,
                const SmallImageSource &smallImages, std::vector<SampleEdge> &edges,
                EdgeSearchStats &counts, jobs::Progress *progress)
{
    const std::unordered_set<std::uint64_t> known = knownPairs(edges);
    ResizeSearchInput input;
    input.inputs = &inputs;
    input.small = &small;
    input.signature = [&](std::uint32_t i) { return prepared.of(i); };
    input.known = [&](std::uint32_t a, std::uint32_t b) { return known.count(pairKey(a, b)) > 0; };
    input.source = smallImages;
    const auto pairs = findResizedPairs(input, options.resize, progress, &counts.resized);
    for (const auto &[a, b] : pairs)
        edges.push_back({a, b, smallEdgeDistance(inputs, a, b, counts.smallMaxDistance)});
}

} // namespace

bool isSmallImage(const DuplicateInput &input, const ConfirmRule &rule)
{
    const int longer = std::max(input.width, input.height);
    return longer > 0 && longer <= rule.smallSide;
}

std::vector<SampleEdge> findDuplicateEdges(const DuplicateInputs &inputs,
                                           const DuplicateOptions &options,
                                           const SignatureLoader &signatures,
                                           jobs::Progress *progress, EdgeSearchStats *stats,
                                           const SmallImageSource &smallImages)
{
    QElapsedTimer timer;
    timer.start();
    EdgeSearchStats local;
    EdgeSearchStats &counts = stats ? *stats : local;
    const size_t n = inputs.samples.size();
    std::vector<bool> small(n);
    for (size_t i = 0; i < n; ++i)
        small[i] = isSmallImage(inputs.samples[i], options.confirm);
    const Values values = distinctValues(inputs);

    // Values with a small input are searched at the small distance (against every value);
    // values of photos only, again at the full distance.
    std::vector<bool> valueSmall(values.size(), false);
    std::vector<std::uint32_t> all, photosOnly;
    for (std::uint32_t v = 0; v < values.size(); ++v) {
        for (const std::uint32_t i : values.of(v))
            valueSmall[v] = valueSmall[v] || small[i];
        all.push_back(v);
        if (!valueSmall[v])
            photosOnly.push_back(v);
    }
    const size_t budget = options.maxPairs ? options.maxPairs : 4'000'000 + 20 * n;
    const int smallDistance = std::min(options.smallMaxDistance, options.maxDistance);
    std::vector<ValuePair> pairs;
    counts.smallMaxDistance = smallDistance;
    counts.maxDistance = options.maxDistance;
    if (photosOnly.size() < values.size()) {
        for (const ValuePair &p : searchValues(values, all, smallDistance, budget, progress,
                                               counts.smallMaxDistance, counts.limited)) {
            if (valueSmall[p.a] || valueSmall[p.b] || photosOnly.size() < 2)
                pairs.push_back(p);
        }
    }
    if (photosOnly.size() >= 2) {
        const std::vector<ValuePair> photoPairs =
            searchValues(values, photosOnly, options.maxDistance, budget, progress,
                         counts.maxDistance, counts.limited);
        pairs.insert(pairs.end(), photoPairs.begin(), photoPairs.end());
    } else {
        counts.maxDistance = counts.smallMaxDistance;
    }
    counts.valuePairs = std::int64_t(pairs.size());
    counts.searchSeconds = double(timer.nsecsElapsed()) / 1e9;
    if (progress)
        jobs::throwIfCanceled(*progress);

    std::vector<bool> needed(n, false);
    for (size_t v = 0; v < values.size(); ++v) {
        if (values.of(v).size() > 1)
            for (const std::uint32_t i : values.of(v))
                needed[i] = true;
    }
    for (const ValuePair &p : pairs)
        for (const std::uint32_t v : {p.a, p.b})
            for (const std::uint32_t i : values.of(v))
                needed[i] = true;
    // Small images are also searched by their registered signatures (alignedsignature.h).
    bool anySmall = false;
    for (size_t i = 0; i < n; ++i) {
        anySmall = anySmall || small[i];
        needed[i] = needed[i] || small[i];
    }
    const SignatureSet prepared = signatures(needed);
    counts.signatureSeconds = double(timer.nsecsElapsed()) / 1e9 - counts.searchSeconds;

    std::vector<SampleEdge> edges;
    auto confirmed = [&](std::uint32_t a, std::uint32_t b) {
        const PreparedSignature *sa = prepared.of(a), *sb = prepared.of(b);
        if (!sa || !sb)
            return false;
        ++counts.compared;
        const bool isSmall = small[a] || small[b];
        bool yes = confirmsDuplicate(*sa, *sb, isSmall, options.confirm);
        if (!yes && !isSmall) {
            const DuplicateInput &ia = inputs.samples[a], &ib = inputs.samples[b];
            yes = confirmsCrop(*sa, ia.width, ia.height, *sb, ib.width, ib.height, options.confirm)
                  || confirmsCrop(*sb, ib.width, ib.height, *sa, ia.width, ia.height,
                                  options.confirm);
        }
        counts.confirmed += yes;
        return yes;
    };
    confirmValuePairs(
        values, pairs, [&](std::uint32_t i) { return prepared.of(i) != nullptr; }, confirmed,
        [](std::uint32_t, std::uint32_t, int valueDistance) { return valueDistance; }, edges,
        progress);
    if (anySmall && options.alignedMaxDistance >= 0)
        confirmAligned(inputs, options, small, prepared, edges, counts, progress);
    if (anySmall && options.shiftSearch && smallImages)
        addShifted(inputs, options, smallImages, edges, counts, progress);
    if (anySmall && options.resizeSearch && smallImages)
        addResized(inputs, options, small, prepared, smallImages, edges, counts, progress);
    counts.confirmSeconds =
        double(timer.nsecsElapsed()) / 1e9 - counts.searchSeconds - counts.signatureSeconds;
    return edges;
}

} // namespace assay::analysis
