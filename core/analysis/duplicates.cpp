// clusterDuplicates: exact and near copies joined into clusters (union-find), with the leaks
// across splits and the label conflicts among them.

#include "duplicates.h"
#include "unionfind.h"

#include <algorithm>
#include <map>
#include <set>
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

} // namespace

DuplicateFindings clusterDuplicates(const DuplicateInputs &inputs,
                                    const std::vector<SampleEdge> &nearEdges,
                                    const DuplicateOptions &options)
{
    const size_t n = inputs.samples.size();
    UnionFind sets(n);
    joinEqual<std::uint64_t>(inputs, sets, [](const DuplicateInput &s) { return s.pixelHash; });
    joinEqual<std::string>(inputs, sets, [](const DuplicateInput &s) { return s.contentHash; });
    for (const SampleEdge &edge : nearEdges) {
        if (edge.distance <= options.threshold)
            sets.unite(std::uint32_t(edge.a), std::uint32_t(edge.b));
    }

    std::unordered_map<size_t, size_t> clusterOf; // root -> cluster
    DuplicateFindings findings;
    for (size_t i = 0; i < n; ++i) {
        const size_t root = sets.find(std::uint32_t(i));
        auto [it, inserted] = clusterOf.try_emplace(root, findings.clusters.size());
        if (inserted)
            findings.clusters.emplace_back();
        findings.clusters[it->second].members.push_back(i);
    }
    std::erase_if(findings.clusters, [](const DuplicateCluster &c) { return c.members.size() < 2; });

    std::map<std::pair<int, int>, SplitLeak> leaks;
    for (DuplicateCluster &cluster : findings.clusters) {
        // The representative: the first member of the earliest split (train before val/test),
        // so an evaluation copy points at its training twin.
        std::stable_sort(cluster.members.begin(), cluster.members.end(), [&](size_t a, size_t b) {
            const unsigned sa = unsigned(inputs.samples[a].split);
            const unsigned sb = unsigned(inputs.samples[b].split);
            return sa < sb;
        });
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
