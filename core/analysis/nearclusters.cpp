#include "nearclusters.h"

#include "unionfind.h"
#include "util/error.h"

#include <algorithm>

namespace assay::analysis {

NearClusters clusterNearPairs(const NearPairs &near, int threshold)
{
    if (threshold < 0 || threshold > near.maxDistance)
        throw Error(QStringLiteral("Threshold %1 is outside the distances searched (0 to %2)")
                        .arg(threshold)
                        .arg(near.maxDistance));
    const std::size_t n = near.values.size();
    NearClusters clusters;
    clusters.threshold = threshold;
    clusters.clusterOfValue.assign(n, NearClusters::noCluster);
    clusters.offsets.push_back(0);

    UnionFind sets(n);
    std::vector<std::uint32_t> links(n, 0);
    std::vector<std::uint32_t> linkDistances(n, 0);
    for (const HashPair &pair : near.pairs) {
        if (pair.distance > threshold)
            continue;
        sets.unite(pair.a, pair.b);
        ++links[pair.a];
        ++links[pair.b];
        linkDistances[pair.a] += pair.distance;
        linkDistances[pair.b] += pair.distance;
    }
    std::vector<std::uint32_t> inputs(n, 0);
    for (std::uint32_t value : near.valueOf)
        ++inputs[value];

    // Per set (at its root): inputs, then the representative of each set that is a cluster.
    std::vector<std::uint32_t> root(n);
    std::vector<std::uint32_t> setInputs(n, 0);
    for (std::uint32_t v = 0; v < n; ++v) {
        root[v] = sets.find(v);
        setInputs[root[v]] += inputs[v];
    }
    auto better = [&](std::uint32_t a, std::uint32_t b) { // is a the better representative?
        if (links[a] != links[b])
            return links[a] > links[b];
        if (linkDistances[a] != linkDistances[b])
            return linkDistances[a] < linkDistances[b];
        return a < b;
    };
    std::vector<std::uint32_t> best(n, NearClusters::noCluster);
    std::vector<std::uint32_t> roots;
    for (std::uint32_t v = 0; v < n; ++v) {
        const std::uint32_t r = root[v];
        if (setInputs[r] < 2)
            continue;
        if (best[r] == NearClusters::noCluster)
            roots.push_back(r);
        if (best[r] == NearClusters::noCluster || better(v, best[r]))
            best[r] = v;
    }
    std::sort(roots.begin(), roots.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (setInputs[a] != setInputs[b])
            return setInputs[a] > setInputs[b];
        return best[a] < best[b];
    });

    // Members in value order, cluster by cluster, then each cluster by distance.
    std::vector<std::uint32_t> clusterOfRoot(n, NearClusters::noCluster);
    clusters.inputCounts.reserve(roots.size());
    for (std::uint32_t r : roots) {
        clusterOfRoot[r] = std::uint32_t(clusters.inputCounts.size());
        clusters.offsets.push_back(clusters.offsets.back() + sets.setSize(r));
        clusters.inputCounts.push_back(setInputs[r]);
    }
    clusters.members.resize(clusters.offsets.back());
    clusters.distances.resize(clusters.offsets.back());
    std::vector<std::uint32_t> cursor(clusters.offsets.begin(), clusters.offsets.end() - 1);
    for (std::uint32_t v = 0; v < n; ++v) {
        const std::uint32_t c = clusterOfRoot[root[v]];
        if (c == NearClusters::noCluster)
            continue;
        clusters.clusterOfValue[v] = c;
        clusters.members[cursor[c]++] = v;
    }
    std::vector<std::uint64_t> ranked; // distance << 32 | value
    for (std::size_t c = 0; c < roots.size(); ++c) {
        const std::uint64_t representative = near.values[best[roots[c]]];
        const std::uint32_t from = clusters.offsets[c], to = clusters.offsets[c + 1];
        ranked.clear();
        for (std::uint32_t i = from; i < to; ++i) {
            const std::uint32_t v = clusters.members[i];
            const auto distance = std::uint64_t(hammingDistance(near.values[v], representative));
            ranked.push_back(distance << 32 | v);
        }
        std::sort(ranked.begin(), ranked.end()); // the representative alone is at distance 0
        for (std::uint32_t i = from; i < to; ++i) {
            clusters.members[i] = std::uint32_t(ranked[i - from]);
            clusters.distances[i] = std::uint8_t(ranked[i - from] >> 32);
        }
    }
    return clusters;
}

ValueInputs inputsByValue(const NearPairs &near)
{
    ValueInputs result;
    result.offsets.assign(near.values.size() + 1, 0);
    for (std::uint32_t value : near.valueOf)
        ++result.offsets[value + 1];
    for (std::size_t v = 0; v < near.values.size(); ++v)
        result.offsets[v + 1] += result.offsets[v];
    result.inputs.resize(near.valueOf.size());
    std::vector<std::uint32_t> cursor(result.offsets.begin(), result.offsets.end() - 1);
    for (std::uint32_t i = 0; i < near.valueOf.size(); ++i)
        result.inputs[cursor[near.valueOf[i]]++] = i;
    return result;
}

} // namespace assay::analysis
