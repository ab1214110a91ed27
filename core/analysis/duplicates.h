#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <string>
#include <vector>

namespace assay::analysis {

// What the duplicate analysis needs of one measured sample (from the stored features).
struct DuplicateInput
{
    std::int64_t sampleId = 0;
    QString path;             // for people: "path" or "path#member"
    int split = -1;           // index into DuplicateInputs::splits, or -1
    int label = -1;           // index into DuplicateInputs::classes, or -1
    std::string objects;      // detection: the sorted multiset of object class indices, as text
    std::string contentHash;  // the file's bytes (XXH3-128), empty when unknown
    std::uint64_t pixelHash = 0;
    std::uint64_t phash = 0;
    std::uint64_t ahash = 0;
};

struct DuplicateInputs
{
    QStringList classes;
    QStringList splits;
    std::vector<DuplicateInput> samples;
};

struct DuplicateOptions
{
    int threshold = 6;        // pHash bits: pairs within it are near duplicates
    int maxDistance = 12;     // pairs are found (and kept for re-thresholding) up to this
    int confirmDistance = 12; // ... and confirmed by the average hash within this
};

enum class DuplicateKind : int {
    Exact = 0, // every member has the same decoded pixels
    Near = 1,
};

// A group of samples that are copies of one another.
struct DuplicateCluster
{
    DuplicateKind kind = DuplicateKind::Near;
    std::vector<size_t> members; // indices into DuplicateInputs::samples; representative first
    std::vector<int> distances;  // per member, pHash bits from the representative
    bool sameBytes = false;      // every member has the same file bytes
    int maxDistance = 0;
    bool leaks = false;    // members in more than one split
    bool conflict = false; // members disagree on their class (or objects)
};

struct SplitLeak
{
    int splitA = -1, splitB = -1; // indices into splits, splitA < splitB
    std::int64_t clusters = 0;
    std::vector<size_t> samples; // members of splitB (the later, evaluation split) with a twin in A
};

struct DuplicateFindings
{
    std::vector<DuplicateCluster> clusters; // largest first
    std::vector<SplitLeak> leaks;
    std::int64_t duplicateSamples = 0; // samples in a cluster
};

} // namespace assay::analysis

namespace assay::analysis {

// Two samples whose pHashes differ in `distance` bits (confirmed by the second hash).
struct SampleEdge
{
    size_t a = 0, b = 0; // indices into DuplicateInputs::samples
    int distance = 0;
};

// Clusters from exact copies (same decoded pixels, or same bytes) and the near edges within
// options.threshold; marks leaks across splits and label conflicts.
DuplicateFindings clusterDuplicates(const DuplicateInputs &inputs,
                                    const std::vector<SampleEdge> &nearEdges,
                                    const DuplicateOptions &options);

} // namespace assay::analysis
