// MNIST IDX: gzip'd idx3 images + idx1 labels per split; each image is a sample addressed by
// its container file and index.

#include "datasetreader.h"
#include "idxfile.h"
#include "planbuilder.h"

#include "jobs/progress.h"
#include "util/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace assay::formats {

namespace {

const QStringList fashionMnistClasses = {
    QStringLiteral("T-shirt/top"), QStringLiteral("Trouser"), QStringLiteral("Pullover"),
    QStringLiteral("Dress"),       QStringLiteral("Coat"),    QStringLiteral("Sandal"),
    QStringLiteral("Shirt"),       QStringLiteral("Sneaker"), QStringLiteral("Bag"),
    QStringLiteral("Ankle boot")};

QStringList readNamesFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        throw Error(QStringLiteral("cannot read the class names file %1: %2")
                        .arg(path, file.errorString()));
    QStringList names;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (!line.isEmpty())
            names << line;
    }
    if (names.isEmpty())
        throw Error(QStringLiteral("%1: no class names in the file").arg(path));
    return names;
}

QString splitFromPrefix(const QString &prefix)
{
    const QString key = prefix.toLower();
    if (key == u"train" || key == u"training")
        return QStringLiteral("train");
    if (key == u"t10k" || key == u"test" || key == u"testing")
        return QStringLiteral("test");
    return prefix;
}

struct IdxPair
{
    QString prefix;
    QString images;
    QString labels;
};

std::vector<IdxPair> findPairs(const QDir &folder)
{
    static const QRegularExpression imagesPattern(
        QStringLiteral("^(.*?)[-_.]images[-_.]idx3-ubyte(\\.gz)?$"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression labelsPattern(
        QStringLiteral("^(.*?)[-_.]labels[-_.]idx1-ubyte(\\.gz)?$"),
        QRegularExpression::CaseInsensitiveOption);
    std::vector<IdxPair> pairs;
    const QStringList files = folder.entryList(QDir::Files, QDir::Name);
    for (const QString &name : files) {
        const auto match = imagesPattern.match(name);
        if (!match.hasMatch())
            continue;
        IdxPair pair{match.captured(1), name, {}};
        for (const QString &other : files) {
            const auto labelMatch = labelsPattern.match(other);
            if (labelMatch.hasMatch() && labelMatch.captured(1) == pair.prefix &&
                (pair.labels.isEmpty() || other.endsWith(u".gz") == name.endsWith(u".gz")))
                pair.labels = other;
        }
        pairs.push_back(pair);
    }
    std::sort(pairs.begin(), pairs.end(), [](const IdxPair &a, const IdxPair &b) {
        return splitNameLess(splitFromPrefix(a.prefix), splitFromPrefix(b.prefix));
    });
    return pairs;
}

} // namespace

bool folderHasIdxImages(const QString &folder)
{
    return !findPairs(QDir(folder)).empty();
}

QString idxLabelsFileFor(const QString &folder, const QString &imagesFile)
{
    for (const IdxPair &pair : findPairs(QDir(folder)))
        if (pair.images == imagesFile)
            return pair.labels;
    return {};
}

ImportPlan readMnist(const QString &source, const ReadOptions &options, jobs::Progress &progress)
{
    const QFileInfo sourceInfo(source);
    const QDir folder(sourceInfo.isDir() ? sourceInfo.absoluteFilePath()
                                         : sourceInfo.absolutePath());
    const std::vector<IdxPair> pairs = findPairs(folder);
    if (pairs.empty())
        throw Error(
            QStringLiteral("%1 holds no MNIST image files (*-images-idx3-ubyte[.gz])").arg(source));

    ImportPlan plan;
    plan.format = formatName(Format::Mnist);
    plan.root = folder.absolutePath();
    plan.source = sourceInfo.absoluteFilePath();

    // Class names: a names file (given, or beside the data), the Fashion-MNIST list, or digits.
    QString namesFile = options.namesFile;
    for (const char *candidate : {"classes.txt", "class_names.txt", "names.txt", "labels.txt"}) {
        if (!namesFile.isEmpty())
            break;
        if (folder.exists(QString::fromLatin1(candidate)))
            namesFile = folder.filePath(QString::fromLatin1(candidate));
    }
    if (!namesFile.isEmpty()) {
        plan.categories = readNamesFile(namesFile);
        plan.labelSource =
            QStringLiteral("IDX label files, names from %1").arg(QFileInfo(namesFile).fileName());
    } else if (folder.absolutePath().contains(u"fashion", Qt::CaseInsensitive)) {
        plan.categories = fashionMnistClasses;
        plan.labelSource = QStringLiteral("IDX label files, Fashion-MNIST class names");
    } else {
        for (int digit = 0; digit < 10; ++digit)
            plan.categories << QString::number(digit);
        plan.labelSource = QStringLiteral("IDX label files, digit class names");
    }

    for (const IdxPair &pair : pairs) {
        const QString imagesPath = folder.filePath(pair.images);
        progress.setPhase(QStringLiteral("Reading %1").arg(pair.images));
        const IdxData images = readIdxFile(imagesPath);
        jobs::throwIfCanceled(progress);
        if (images.dimensions != 3)
            throw Error(QStringLiteral("%1: expected an image file (3 dimensions), found %2")
                            .arg(imagesPath)
                            .arg(images.dimensions));
        IdxData labels;
        if (!pair.labels.isEmpty()) {
            const QString labelsPath = folder.filePath(pair.labels);
            labels = readIdxFile(labelsPath);
            if (labels.dimensions != 1 || labels.count != images.count)
                throw Error(QStringLiteral("%1: holds %2 labels for the %3 images of %4")
                                .arg(labelsPath)
                                .arg(labels.count)
                                .arg(images.count)
                                .arg(pair.images));
            for (std::int64_t i = 0; i < labels.count; ++i) {
                const int value = uchar(labels.values[qsizetype(i)]);
                if (value >= plan.categories.size())
                    throw Error(QStringLiteral("%1: label %2 of item %3 has no class name (%4 "
                                               "names known)")
                                    .arg(labelsPath)
                                    .arg(value)
                                    .arg(i)
                                    .arg(plan.categories.size()));
            }
        }
        const int split = int(plan.splits.size());
        plan.splits << splitFromPrefix(pair.prefix);
        const QFileInfo container(imagesPath);
        const std::string path = pair.images.toStdString();
        const std::int64_t mtime = container.lastModified().toSecsSinceEpoch();
        const std::int64_t itemSize = std::int64_t(images.rows) * images.columns;
        plan.items.reserve(plan.items.size() + size_t(images.count));
        for (std::int64_t i = 0; i < images.count; ++i) {
            ImportItem item;
            item.path = path;
            item.member = i;
            item.split = split;
            item.label = labels.count ? int(uchar(labels.values[qsizetype(i)])) : -1;
            item.size = itemSize;
            item.mtime = mtime;
            plan.items.push_back(std::move(item));
        }
    }
    return plan;
}

} // namespace assay::formats
