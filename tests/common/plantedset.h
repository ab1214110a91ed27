#pragma once

// Datasets with planted duplicates, for the accuracy test and benchmark of the duplicate
// analysis: real images (Fashion-MNIST, the opencv-doc photos) written as an ImageFolder tree
// (ROOT/train|test/CLASS/NAME) together with edited copies of some of them, and a scorer that
// compares found clusters with what was planted.

#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

namespace assay::test {

// How a file came to be. Every copy kind but Flip is a duplicate of its original.
enum class Plant {
    Original,      // an image that has copies
    Distractor,    // an image without copies
    ByteCopy,      // the same bytes
    Jpeg70,        // re-encoded as JPEG quality 70
    Brighter,      // +25 on every channel
    Shift1,        // moved by one pixel right and down (edge pixels repeated)
    Resize,        // 85 % or 115 % of the size
    Crop,          // 2-5 % of the width and of the height cut off, sides chosen at random
    LabelConflict, // the same bytes or re-encoded, filed under another class
    Flip,          // mirrored left-right: not a duplicate
};
const char *plantName(Plant plant);
// The copy kinds (ByteCopy .. Flip), in the order the tables print them.
std::vector<Plant> copyKinds();

enum class PlantedSource { FashionMnist, Photos };

struct PlantedSetOptions
{
    PlantedSource source = PlantedSource::FashionMnist;
    std::uint32_t seed = 1;
    int originals = 100;       // images that get copies (photos: at most all of them)
    int distractors = 300;     // Fashion-MNIST images without copies (photos: the rest)
    int copiesPerKind = 1;     // copies of each kind per original
    double testShare = 0.7;    // of the copies, this share goes to test (leakage), the rest to train
    int maxPhotoSide = 1024;   // larger photos are scaled down first (the "original" pixels)
};

struct PlantedFile
{
    QString path;    // relative to the root, '/'-separated
    Plant plant = Plant::Original;
    int source = -1; // index of the original this is a copy of (also for Flip), -1 otherwise
    QString split;
    QString label;
};

struct PlantedSet
{
    QString root;
    std::vector<PlantedFile> files;
};

// Writes the dataset under `root` (created; must be empty) and returns what it planted. Originals
// and distractors go to train; Fashion-MNIST images come from /usr/share/datasets/fashion-mnist
// (both of its files, chosen at random with the seed), photos from the opencv-doc examples.
// Lossless copies are PNG; photos and their lossy copies are JPEG (quality 92 unless planted
// otherwise). Same seed, same files.
PlantedSet writePlantedSet(const QString &root, const PlantedSetOptions &options);

// How different two image files look: both to grayscale 32x32 (area), each minus its own mean;
// the mean absolute difference in grey levels. At most visuallyIdenticalDifference, an unplanted
// pair a tool reports counts as a true duplicate (the rule is checked by eye in the benchmark).
double visualDifference(const QString &fileA, const QString &fileB);
inline constexpr double visuallyIdenticalDifference = 6.0;

struct PlantedScore
{
    struct Kind
    {
        int planted = 0;
        int found = 0; // copies in the same cluster as their original
        double recall() const { return planted ? double(found) / planted : 1.0; }
    };
    std::map<Plant, Kind> kinds;
    std::int64_t pairs = 0;           // pairs of files in the same cluster
    std::int64_t plantedPairs = 0;    // ... that were planted as copies of one original
    std::int64_t lookAlikePairs = 0;  // ... not planted but visually identical (the rule above,
                                      // applied to the files or to the images they came from)
    std::int64_t falsePairs = 0;      // ... neither (a mirrored copy with its original is false)
    int clusters = 0;
    int largestCluster = 0;
    std::vector<std::pair<QString, QString>> falseExamples;     // the first few false pairs
    std::vector<std::pair<QString, QString>> lookAlikeExamples; // ... and look-alike ones
    double precision() const
    {
        return pairs ? double(plantedPairs + lookAlikePairs) / double(pairs) : 1.0;
    }
};

// Scores clusters of paths (relative to the set's root). Pairs inside a cluster larger than
// `maxPairsPerCluster` members are counted, not looked at: all but the planted ones are false.
PlantedScore scorePlantedClusters(const PlantedSet &set, const std::vector<QStringList> &clusters,
                                  int maxPairsPerCluster = 200);

// Writes pairs (paths relative to the set's root) side by side, one pair a row, as a PNG: for
// checking the look-alike rule and the false pairs by eye.
void writePairSheet(const PlantedSet &set, const std::vector<std::pair<QString, QString>> &pairs,
                    const QString &file);

// findimagedupes on the set's files (threshold as its -t option, "90%" by default): its groups
// as paths relative to the root. Empty when the program is not installed.
std::vector<QStringList> runFindimagedupes(const PlantedSet &set, const QString &threshold,
                                           double *seconds = nullptr);

} // namespace assay::test
