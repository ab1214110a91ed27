#include "plantedset.h"

#include "formats/idxfile.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <random>
#include <unordered_map>

namespace assay::test {

namespace {

const QString fashionMnistDir = QStringLiteral("/usr/share/datasets/fashion-mnist");
const QString photoDir = QStringLiteral("/usr/share/doc/opencv-doc/examples/data");

const QStringList fashionClasses = {
    QStringLiteral("T-shirt_top"), QStringLiteral("Trouser"), QStringLiteral("Pullover"),
    QStringLiteral("Dress"),       QStringLiteral("Coat"),    QStringLiteral("Sandal"),
    QStringLiteral("Shirt"),       QStringLiteral("Sneaker"), QStringLiteral("Bag"),
    QStringLiteral("Ankle_boot")};
const QStringList photoClasses = {QStringLiteral("indoor"), QStringLiteral("outdoor"),
                                  QStringLiteral("object"), QStringLiteral("pattern")};

// A deterministic generator whose numbers do not depend on the standard library's distributions.
class Random
{
public:
    explicit Random(std::uint32_t seed) : m_engine(seed) {}
    std::uint32_t below(std::uint32_t n) { return std::uint32_t(m_engine() % n); }
    double unit() { return double(m_engine()) / 4294967296.0; }

private:
    std::mt19937 m_engine;
};

struct SourceImage
{
    cv::Mat pixels;
    QByteArray bytes; // as the original file is written
    QString extension;
    int label = 0;
};

QByteArray encode(const cv::Mat &image, const char *extension, int quality = 92)
{
    std::vector<uchar> bytes;
    std::vector<int> parameters;
    if (std::string_view(extension) == ".jpg")
        parameters = {cv::IMWRITE_JPEG_QUALITY, quality};
    cv::imencode(extension, image, bytes, parameters);
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size()));
}

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
}

std::vector<SourceImage> fashionImages(const PlantedSetOptions &options, Random &random)
{
    std::vector<formats::IdxData> images, labels;
    for (const char *prefix : {"train", "t10k"}) {
        images.push_back(formats::readIdxFile(
            fashionMnistDir + QStringLiteral("/%1-images-idx3-ubyte.gz").arg(QLatin1String(prefix))));
        labels.push_back(formats::readIdxFile(
            fashionMnistDir + QStringLiteral("/%1-labels-idx1-ubyte.gz").arg(QLatin1String(prefix))));
    }
    const std::int64_t total = images[0].count + images[1].count;
    const int wanted = std::min<int>(options.originals + options.distractors, int(total));
    // A partial Fisher-Yates shuffle of all indices: `wanted` distinct images.
    std::vector<std::uint32_t> order(static_cast<size_t>(total));
    for (std::uint32_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::vector<SourceImage> out;
    for (int i = 0; i < wanted; ++i) {
        std::swap(order[size_t(i)], order[i + random.below(std::uint32_t(total - i))]);
        const std::int64_t index = order[size_t(i)];
        const int file = index < images[0].count ? 0 : 1;
        const std::int64_t item = file == 0 ? index : index - images[0].count;
        SourceImage image;
        image.pixels = cv::Mat(28, 28, CV_8UC1, const_cast<uchar *>(images[file].item(item)))
                           .clone();
        image.extension = QStringLiteral(".png");
        image.bytes = encode(image.pixels, ".png");
        image.label = labels[file].item(0)[item];
        out.push_back(std::move(image));
    }
    return out;
}

std::vector<SourceImage> photoImages(const PlantedSetOptions &options, Random &random)
{
    QStringList paths;
    QDirIterator it(photoDir, {QStringLiteral("*.jpg"), QStringLiteral("*.png")}, QDir::Files);
    while (it.hasNext())
        paths << it.next();
    paths.sort();
    std::vector<SourceImage> out;
    for (const QString &path : paths) {
        cv::Mat pixels = cv::imread(QFile::encodeName(path).toStdString(), cv::IMREAD_COLOR);
        if (pixels.empty() || std::min(pixels.cols, pixels.rows) < 128)
            continue;
        const int longest = std::max(pixels.cols, pixels.rows);
        if (longest > options.maxPhotoSide) {
            const double scale = double(options.maxPhotoSide) / longest;
            cv::resize(pixels, pixels, {}, scale, scale, cv::INTER_AREA);
        }
        SourceImage image;
        image.pixels = pixels;
        image.extension = QStringLiteral(".jpg");
        image.bytes = encode(pixels, ".jpg");
        image.label = int(random.below(std::uint32_t(photoClasses.size())));
        out.push_back(std::move(image));
    }
    // Originals at random among them, the rest are distractors.
    for (size_t i = 0; i + 1 < out.size(); ++i)
        std::swap(out[i], out[i + random.below(std::uint32_t(out.size() - i))]);
    return out;
}

cv::Mat edited(const cv::Mat &image, Plant plant, Random &random)
{
    cv::Mat out;
    switch (plant) {
    case Plant::Brighter:
        out = image + cv::Scalar::all(25);
        break;
    case Plant::Shift1: {
        const cv::Mat move = (cv::Mat_<double>(2, 3) << 1, 0, 1, 0, 1, 1);
        cv::warpAffine(image, out, move, image.size(), cv::INTER_NEAREST, cv::BORDER_REPLICATE);
        break;
    }
    case Plant::Resize: {
        const double scale = random.below(2) ? 1.15 : 0.85;
        cv::resize(image, out, {}, scale, scale, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
        break;
    }
    case Plant::Crop: {
        auto cut = [&](int side, int &first) {
            const double share = 0.02 + 0.03 * random.unit();
            const int total = std::max(1, int(std::lround(share * side)));
            first = int(random.below(std::uint32_t(total + 1)));
            return total;
        };
        int left = 0, top = 0;
        const int width = image.cols - cut(image.cols, left);
        const int height = image.rows - cut(image.rows, top);
        out = image(cv::Rect(left, top, width, height)).clone();
        break;
    }
    case Plant::Flip:
        cv::flip(image, out, 1);
        break;
    default:
        out = image;
    }
    return out;
}

} // namespace

const char *plantName(Plant plant)
{
    switch (plant) {
    case Plant::Original: return "original";
    case Plant::Distractor: return "distractor";
    case Plant::ByteCopy: return "byte copy";
    case Plant::Jpeg70: return "JPEG q70";
    case Plant::Brighter: return "brightness +25";
    case Plant::Shift1: return "shift 1 px";
    case Plant::Resize: return "resize ±15 %";
    case Plant::Crop: return "crop ≤ 5 %";
    case Plant::LabelConflict: return "label conflict";
    case Plant::Flip: return "mirrored (not a dup.)";
    }
    return "?";
}

std::vector<Plant> copyKinds()
{
    return {Plant::ByteCopy, Plant::Jpeg70, Plant::Brighter,      Plant::Shift1,
            Plant::Resize,   Plant::Crop,   Plant::LabelConflict, Plant::Flip};
}

PlantedSet writePlantedSet(const QString &root, const PlantedSetOptions &options)
{
    Random random(options.seed);
    const bool photos = options.source == PlantedSource::Photos;
    const std::vector<SourceImage> images =
        photos ? photoImages(options, random) : fashionImages(options, random);
    const QStringList &classes = photos ? photoClasses : fashionClasses;
    const int originals = std::min<int>(options.originals, int(images.size()));

    PlantedSet set;
    set.root = root;
    auto add = [&](PlantedFile file, const QByteArray &bytes) {
        file.path = QStringLiteral("%1/%2/%3").arg(file.split, file.label, file.path);
        writeBytes(root + u'/' + file.path, bytes);
        set.files.push_back(std::move(file));
        return int(set.files.size() - 1);
    };
    std::vector<int> originalFile(images.size(), -1);
    for (size_t i = 0; i < images.size(); ++i) {
        const SourceImage &image = images[i];
        PlantedFile file;
        file.plant = int(i) < originals ? Plant::Original : Plant::Distractor;
        file.split = QStringLiteral("train");
        file.label = classes[image.label];
        file.path = QStringLiteral("i%1%2").arg(i, 5, 10, QLatin1Char('0')).arg(image.extension);
        originalFile[i] = add(file, image.bytes);
    }
    const bool lossless = !photos;
    for (int i = 0; i < originals; ++i) {
        const SourceImage &image = images[size_t(i)];
        for (const Plant plant : copyKinds()) {
            for (int k = 0; k < options.copiesPerKind; ++k) {
                PlantedFile file;
                file.plant = plant;
                file.source = originalFile[size_t(i)];
                file.split = random.unit() < options.testShare ? QStringLiteral("test")
                                                               : QStringLiteral("train");
                file.label = classes[image.label];
                QByteArray bytes;
                QString extension = image.extension;
                if (plant == Plant::ByteCopy || (plant == Plant::LabelConflict && k % 2 == 0)) {
                    bytes = image.bytes;
                } else if (plant == Plant::Jpeg70 || plant == Plant::LabelConflict) {
                    bytes = encode(image.pixels, ".jpg", 70);
                    extension = QStringLiteral(".jpg");
                } else {
                    bytes = encode(edited(image.pixels, plant, random), lossless ? ".png" : ".jpg");
                }
                if (plant == Plant::LabelConflict) {
                    const int other = (image.label + 1 + int(random.below(
                                                             std::uint32_t(classes.size() - 1))))
                                      % int(classes.size());
                    file.label = classes[other];
                }
                QString kind = QString::fromLatin1(plantName(plant)).section(u' ', 0, 0);
                file.path = QStringLiteral("i%1_%2%3%4")
                                .arg(i, 5, 10, QLatin1Char('0'))
                                .arg(kind.remove(u'+'))
                                .arg(k)
                                .arg(extension);
                add(file, bytes);
            }
        }
    }
    return set;
}

double visualDifference(const QString &fileA, const QString &fileB)
{
    auto load = [](const QString &path) {
        thread_local std::unordered_map<std::string, cv::Mat> cache;
        const std::string key = QFile::encodeName(path).toStdString();
        if (const auto found = cache.find(key); found != cache.end())
            return found->second;
        cv::Mat image = cv::imread(key, cv::IMREAD_GRAYSCALE), small;
        if (image.empty())
            qFatal("cannot read %s", key.c_str());
        cv::resize(image, small, {32, 32}, 0, 0, cv::INTER_AREA);
        small.convertTo(small, CV_32F);
        small -= cv::mean(small);
        if (cache.size() > 100000)
            cache.clear();
        cache.emplace(key, small);
        return small;
    };
    return cv::mean(cv::abs(load(fileA) - load(fileB)))[0];
}

PlantedScore scorePlantedClusters(const PlantedSet &set, const std::vector<QStringList> &clusters,
                                  int maxPairsPerCluster)
{
    std::unordered_map<QString, int> indexOf;
    for (size_t i = 0; i < set.files.size(); ++i)
        indexOf.emplace(set.files[i].path, int(i));
    std::vector<int> clusterOf(set.files.size(), -1);
    PlantedScore score;
    std::vector<std::vector<int>> members;
    for (const QStringList &cluster : clusters) {
        std::vector<int> files;
        for (const QString &path : cluster) {
            const auto found = indexOf.find(path);
            if (found == indexOf.end())
                qFatal("a cluster names %s, which is not in the set", qPrintable(path));
            clusterOf[size_t(found->second)] = int(members.size());
            files.push_back(found->second);
        }
        members.push_back(std::move(files));
    }
    auto groupOf = [&](int i) {
        const PlantedFile &file = set.files[size_t(i)];
        return file.source >= 0 && file.plant != Plant::Flip ? file.source : i;
    };
    for (size_t i = 0; i < set.files.size(); ++i) {
        const PlantedFile &file = set.files[i];
        if (file.source < 0)
            continue;
        PlantedScore::Kind &kind = score.kinds[file.plant];
        ++kind.planted;
        if (clusterOf[i] >= 0 && clusterOf[i] == clusterOf[size_t(file.source)])
            ++kind.found;
    }
    for (const std::vector<int> &cluster : members) {
        ++score.clusters;
        score.largestCluster = std::max(score.largestCluster, int(cluster.size()));
        const std::int64_t n = std::int64_t(cluster.size());
        score.pairs += n * (n - 1) / 2;
        if (n > maxPairsPerCluster) {
            std::map<int, std::int64_t> groups;
            for (const int m : cluster)
                ++groups[groupOf(m)];
            std::int64_t planted = 0;
            for (const auto &[group, count] : groups)
                planted += count * (count - 1) / 2;
            score.plantedPairs += planted;
            score.falsePairs += n * (n - 1) / 2 - planted;
            continue;
        }
        for (size_t a = 0; a < cluster.size(); ++a) {
            for (size_t b = a + 1; b < cluster.size(); ++b) {
                if (groupOf(cluster[a]) == groupOf(cluster[b])) {
                    ++score.plantedPairs;
                    continue;
                }
                // Look-alikes: the two files, or the images they were made from (a crop of
                // one of two near-identical photos is a near copy of the other, too).
                const int baseA = groupOf(cluster[a]), baseB = groupOf(cluster[b]);
                auto full = [&](int i) { return set.root + u'/' + set.files[size_t(i)].path; };
                if (visualDifference(full(cluster[a]), full(cluster[b]))
                        <= visuallyIdenticalDifference
                    || visualDifference(full(baseA), full(baseB)) <= visuallyIdenticalDifference) {
                    ++score.lookAlikePairs;
                    if (score.lookAlikeExamples.size() < 40)
                        score.lookAlikeExamples.emplace_back(set.files[size_t(cluster[a])].path,
                                                             set.files[size_t(cluster[b])].path);
                    continue;
                }
                ++score.falsePairs;
                if (score.falseExamples.size() < 40)
                    score.falseExamples.emplace_back(set.files[size_t(cluster[a])].path,
                                                     set.files[size_t(cluster[b])].path);
            }
        }
    }
    return score;
}

void writePairSheet(const PlantedSet &set, const std::vector<std::pair<QString, QString>> &pairs,
                    const QString &file)
{
    constexpr int side = 128;
    std::vector<cv::Mat> rows;
    for (const auto &[a, b] : pairs) {
        cv::Mat row(side + 16, 2 * side + 8, CV_8UC3, cv::Scalar::all(255));
        int x = 0;
        for (const QString &path : {a, b}) {
            cv::Mat image = cv::imread(QFile::encodeName(set.root + u'/' + path).toStdString(),
                                       cv::IMREAD_COLOR);
            const double scale = double(side) / std::max(image.cols, image.rows);
            cv::resize(image, image, {}, scale, scale,
                       scale < 1 ? cv::INTER_AREA : cv::INTER_NEAREST);
            image.copyTo(row(cv::Rect(x, 0, image.cols, image.rows)));
            cv::putText(row, path.section(u'/', -1).toStdString(), {x, side + 12},
                        cv::FONT_HERSHEY_PLAIN, 0.8, cv::Scalar(0, 0, 200));
            x += side + 8;
        }
        rows.push_back(row);
    }
    if (rows.empty())
        return;
    cv::Mat sheet;
    cv::vconcat(rows, sheet);
    cv::imwrite(QFile::encodeName(file).toStdString(), sheet);
}

std::vector<QStringList> runFindimagedupes(const PlantedSet &set, const QString &threshold,
                                           double *seconds)
{
    const QString program = QStandardPaths::findExecutable(QStringLiteral("findimagedupes"));
    if (program.isEmpty())
        return {};
    QProcess process;
    process.setWorkingDirectory(set.root);
    QElapsedTimer timer;
    timer.start();
    process.start(program, {QStringLiteral("-q"), QStringLiteral("-R"), QStringLiteral("-t"),
                            threshold, QStringLiteral(".")});
    if (!process.waitForFinished(-1))
        qFatal("findimagedupes did not finish");
    if (seconds)
        *seconds = double(timer.elapsed()) / 1000.0;
    std::vector<QStringList> groups;
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    for (const QString &line : out.split(u'\n', Qt::SkipEmptyParts)) {
        QStringList group;
        // Our file names hold no spaces; the paths come absolute or as ./split/class/name.
        for (const QString &path : line.split(u' ', Qt::SkipEmptyParts))
            group << QDir(set.root).relativeFilePath(QDir::cleanPath(path));
        groups.push_back(group);
    }
    return groups;
}

} // namespace assay::test
