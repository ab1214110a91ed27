// clusterDuplicates: exact copies and confirmed near edges joined into clusters around
// representatives, with the leaks across splits and the label conflicts among them.

#include "duplicates.h"
#include "unionfind.h"

#include <algorithm>
#include <map>
#include <queue>
#include <set>
#include <tuple>
#include <unordered_map>

namespace assay::analysis {

namespace {

template<typename Key, typename KeyOf>
void joinEqual(const DuplicateInputs &inputs, UnionFind &sets, KeyOf keyOf)
{
    std::unordered_map<Key, size_t> first;
    first.reserve(inputs.samples.size());
    for (size_t i = 0; i < inputs.samples.size(); ++i) {
        const Key key = keyOf(inputs.samples[i]);
        if (key == Key())
            continue;
        const auto [it, inserted] = first.emplace(key, i);
        if (!inserted)
            sets.unite(std::uint32_t(it->second), std::uint32_t(i));
    }
}

int bits(std::uint64_t a, std::uint64_t b)
{
    return __builtin_popcountll(a ^ b);
}

// Splits sort train (0) first and "no split" (-1) last.
unsigned splitRank(int split)
{
    return unsigned(split);
}

// Units (samples that always go together) and the links between them within the threshold.
struct UnitGraph
{
    std::vector<std::uint32_t> unitOf;     // sample -> unit
    std::vector<std::uint32_t> firstOf;    // unit -> offset into members
    std::vector<std::uint32_t> members;    // samples, unit by unit, ascending
    std::vector<std::uint32_t> linkFirst;  // unit -> offset into links
    std::vector<std::pair<std::uint32_t, int>> links; // (other unit, distance), both directions

    std::size_t units() const { return firstOf.size() - 1; }
};

UnitGraph buildUnits(const DuplicateInputs &inputs, const std::vector<SampleEdge> &edges,
                     int threshold)
{
    const size_t n = inputs.samples.size();
    UnionFind sets(n);
    joinEqual<std::uint64_t>(inputs, sets, [](const DuplicateInput &s) { return s.pixelHash; });
    joinEqual<std::string>(inputs, sets, [](const DuplicateInput &s) { return s.contentHash; });
    for (const SampleEdge &edge : edges) {
        if (edge.distance == 0)
            sets.unite(std::uint32_t(edge.a), std::uint32_t(edge.b));
    }
    UnitGraph graph;
    graph.unitOf.assign(n, 0);
    std::vector<std::uint32_t> unitOfRoot(n, ~0u);
    std::vector<std::uint32_t> counts;
    for (std::uint32_t i = 0; i < n; ++i) {
        std::uint32_t &unit = unitOfRoot[sets.find(i)];
        if (unit == ~0u) {
            unit = std::uint32_t(counts.size());
            counts.push_back(0);
        }
        graph.unitOf[i] = unit;
        ++counts[unit];
    }
    graph.firstOf.assign(counts.size() + 1, 0);
    for (size_t u = 0; u < counts.size(); ++u)
        graph.firstOf[u + 1] = graph.firstOf[u] + counts[u];
    graph.members.resize(n);
    std::vector<std::uint32_t> cursor(graph.firstOf.begin(), graph.firstOf.end() - 1);
    for (std::uint32_t i = 0; i < n; ++i)
        graph.members[cursor[graph.unitOf[i]]++] = i;

    std::vector<std::tuple<std::uint32_t, std::uint32_t, int>> directed;
    for (const SampleEdge &edge : edges) {
        if (edge.distance <= 0 || edge.distance > threshold)
            continue;
        const std::uint32_t a = graph.unitOf[edge.a], b = graph.unitOf[edge.b];
        if (a == b)
            continue;
        directed.emplace_back(a, b, edge.distance);
        directed.emplace_back(b, a, edge.distance);
    }
    std::sort(directed.begin(), directed.end());
    graph.linkFirst.assign(counts.size() + 1, 0);
    for (size_t i = 0; i < directed.size(); ++i) {
        const auto [a, b, distance] = directed[i];
        if (i > 0 && std::get<0>(directed[i - 1]) == a && std::get<1>(directed[i - 1]) == b)
            continue; // the shortest of parallel links comes first
        graph.links.emplace_back(b, distance);
        ++graph.linkFirst[a + 1];
    }
    for (size_t u = 0; u < counts.size(); ++u)
        graph.linkFirst[u + 1] += graph.linkFirst[u];
    return graph;
}

// Groups of units: a representative unit and the units it links to, peeled off the connected
// groups best-connected first (see clusterDuplicates).
std::vector<std::vector<std::uint32_t>> starGroups(const DuplicateInputs &inputs,
                                                   const UnitGraph &graph, int threshold)
{
    const size_t units = graph.units();
    std::vector<unsigned> unitSplit(units, ~0u);
    for (std::uint32_t u = 0; u < units; ++u)
        for (std::uint32_t k = graph.firstOf[u]; k < graph.firstOf[u + 1]; ++k)
            unitSplit[u] = std::min(unitSplit[u], splitRank(inputs.samples[graph.members[k]].split));
    std::vector<std::uint32_t> degree(units, 0);
    std::vector<std::int64_t> distanceSum(units, 0);
    for (std::uint32_t u = 0; u < units; ++u) {
        degree[u] = graph.linkFirst[u + 1] - graph.linkFirst[u];
        for (std::uint32_t k = graph.linkFirst[u]; k < graph.linkFirst[u + 1]; ++k)
            distanceSum[u] += graph.links[k].second;
    }
    // A max-heap of (degree, -sum, -split, -unit), with stale entries skipped when popped.
    using Entry = std::tuple<std::uint32_t, std::int64_t, std::int64_t, std::int64_t>;
    auto entry = [&](std::uint32_t u) {
        return Entry{degree[u], -distanceSum[u], -std::int64_t(unitSplit[u]), -std::int64_t(u)};
    };
    std::priority_queue<Entry> heap;
    for (std::uint32_t u = 0; u < units; ++u) {
        if (degree[u] > 0)
            heap.push(entry(u));
    }
    std::vector<bool> taken(units, false);
    std::vector<std::vector<std::uint32_t>> groups;
    auto release = [&](std::uint32_t u) { // u is taken: its free neighbours lose a link
        taken[u] = true;
        for (std::uint32_t k = graph.linkFirst[u]; k < graph.linkFirst[u + 1]; ++k) {
            const auto [other, distance] = graph.links[k];
            if (taken[other])
                continue;
            --degree[other];
            distanceSum[other] -= distance;
            if (degree[other] > 0)
                heap.push(entry(other));
        }
    };
    while (!heap.empty()) {
        const Entry top = heap.top();
        heap.pop();
        const auto u = std::uint32_t(-std::get<3>(top));
        if (taken[u] || top != entry(u) || degree[u] == 0)
            continue;
        std::vector<std::uint32_t> group{u};
        for (std::uint32_t k = graph.linkFirst[u]; k < graph.linkFirst[u + 1]; ++k) {
            if (!taken[graph.links[k].first])
                group.push_back(graph.links[k].first);
        }
        for (const std::uint32_t member : group)
            taken[member] = true;
        for (const std::uint32_t member : group) {
            taken[member] = false;
            release(member);
        }
        groups.push_back(std::move(group));
    }
    // A unit left alone (its neighbours went to other centres first) joins the group of a
    // neighbour whose centre is within the threshold of it too, the nearest such centre.
    std::vector<std::uint32_t> groupOf(units, ~0u);
    for (std::uint32_t g = 0; g < groups.size(); ++g)
        for (const std::uint32_t u : groups[g])
            groupOf[u] = g;
    auto hashOf = [&](std::uint32_t u) { return inputs.samples[graph.members[graph.firstOf[u]]].phash; };
    for (std::uint32_t u = 0; u < units; ++u) {
        if (taken[u])
            continue;
        std::uint32_t best = ~0u;
        int bestDistance = threshold + 1;
        for (std::uint32_t k = graph.linkFirst[u]; k < graph.linkFirst[u + 1]; ++k) {
            const std::uint32_t g = groupOf[graph.links[k].first];
            if (g == ~0u)
                continue;
            const int distance = bits(hashOf(u), hashOf(groups[g].front()));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = g;
            }
        }
        if (best != ~0u) {
            groups[best].push_back(u);
            taken[u] = true;
        }
    }
    // Units of several samples that no link joined to others are clusters of their own.
    for (std::uint32_t u = 0; u < units; ++u) {
        if (!taken[u] && graph.firstOf[u + 1] - graph.firstOf[u] > 1)
            groups.push_back({u});
    }
    return groups;
}

} // namespace

DuplicateFindings clusterDuplicates(const DuplicateInputs &inputs,
                                    const std::vector<SampleEdge> &edges,
                                    const DuplicateOptions &options)
{
    const UnitGraph graph = buildUnits(inputs, edges, options.threshold);
    DuplicateFindings findings;
    for (const std::vector<std::uint32_t> &group : starGroups(inputs, graph, options.threshold)) {
        DuplicateCluster cluster;
        // The representative: the representative unit's member in the earliest split, so an
        // evaluation copy points at its training twin.
        const std::uint32_t centre = group.front();
        size_t representative = graph.members[graph.firstOf[centre]];
        for (std::uint32_t k = graph.firstOf[centre]; k < graph.firstOf[centre + 1]; ++k) {
            const size_t m = graph.members[k];
            if (splitRank(inputs.samples[m].split)
                < splitRank(inputs.samples[representative].split))
                representative = m;
        }
        std::vector<std::tuple<int, unsigned, size_t>> ranked; // distance, split, sample
        for (const std::uint32_t unit : group) {
            for (std::uint32_t k = graph.firstOf[unit]; k < graph.firstOf[unit + 1]; ++k) {
                const size_t m = graph.members[k];
                if (m != representative)
                    ranked.emplace_back(bits(inputs.samples[m].phash,
                                             inputs.samples[representative].phash),
                                        splitRank(inputs.samples[m].split), m);
            }
        }
        std::sort(ranked.begin(), ranked.end());
        cluster.members.push_back(representative);
        for (const auto &[distance, split, m] : ranked)
            cluster.members.push_back(m);
        findings.clusters.push_back(std::move(cluster));
    }

    std::map<std::pair<int, int>, SplitLeak> leaks;
    for (DuplicateCluster &cluster : findings.clusters) {
        const DuplicateInput &representative = inputs.samples[cluster.members.front()];
        bool exact = true, sameBytes = !representative.contentHash.empty();
        std::set<int> splits, labels;
        std::set<std::string> objects;
        for (const size_t m : cluster.members) {
            const DuplicateInput &s = inputs.samples[m];
            const int distance = bits(s.phash, representative.phash);
            cluster.distances.push_back(distance);
            cluster.maxDistance = std::max(cluster.maxDistance, distance);
            exact = exact && s.pixelHash == representative.pixelHash && s.pixelHash != 0;
            sameBytes = sameBytes && s.contentHash == representative.contentHash;
            if (s.split >= 0)
                splits.insert(s.split);
            if (s.label >= 0)
                labels.insert(s.label);
            objects.insert(s.objects);
        }
        cluster.kind = exact ? DuplicateKind::Exact : DuplicateKind::Near;
        cluster.sameBytes = sameBytes;
        cluster.leaks = splits.size() > 1;
        cluster.conflict = labels.size() > 1 || (labels.empty() && objects.size() > 1);
        findings.duplicateSamples += std::int64_t(cluster.members.size());
        if (!cluster.leaks)
            continue;
        for (auto a = splits.begin(); a != splits.end(); ++a) {
            for (auto b = std::next(a); b != splits.end(); ++b) {
                SplitLeak &leak = leaks[{*a, *b}];
                leak.splitA = *a;
                leak.splitB = *b;
                ++leak.clusters;
                for (const size_t m : cluster.members) {
                    if (inputs.samples[m].split == *b)
                        leak.samples.push_back(m);
                }
            }
        }
    }
    std::stable_sort(findings.clusters.begin(), findings.clusters.end(),
                     [](const DuplicateCluster &a, const DuplicateCluster &b) {
                         return a.members.size() > b.members.size();
                     });
    for (auto &[splits, leak] : leaks)
        findings.leaks.push_back(std::move(leak));
    return findings;
}

} // namespace assay::analysis
