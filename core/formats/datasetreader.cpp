#include "datasetreader.h"
#include "csvparser.h"
#include "idxfile.h"
#include "imagetypes.h"

#include "jobs/progress.h"
#include "util/error.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace assay::formats {

namespace {

// Whether any image file sits within a few levels of `folder` (stops at the first).
bool folderHasImages(const QString &folder)
{
    QDirIterator it(folder, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    int looked = 0;
    while (it.hasNext() && looked < 100000) {
        it.next();
        ++looked;
        if (hasImageExtension(it.fileName()))
            return true;
    }
    return false;
}

QStringList csvFilesIn(const QString &folder)
{
    return QDir(folder).entryList({QStringLiteral("*.csv"), QStringLiteral("*.CSV"),
                                   QStringLiteral("*.tsv"), QStringLiteral("*.TSV")},
                                  QDir::Files, QDir::Name);
}

[[noreturn]] void cannotTell(const QString &source, const QString &why)
{
    throw Error(QStringLiteral("cannot tell the format of %1: %2; choose one with --format %3")
                    .arg(source, why, formatChoices()));
}

} // namespace

QString formatName(Format format)
{
    switch (format) {
    case Format::Auto: return QStringLiteral("auto");
    case Format::ImageFolder: return QStringLiteral("imagefolder");
    case Format::Csv: return QStringLiteral("csv");
    case Format::Mnist: return QStringLiteral("mnist");
    case Format::Coco: return QStringLiteral("coco");
    case Format::Voc: return QStringLiteral("voc");
    case Format::Yolo: return QStringLiteral("yolo");
    }
    return {};
}

std::optional<Format> parseFormat(const QString &name)
{
    for (Format format : {Format::Auto, Format::ImageFolder, Format::Csv, Format::Mnist,
                          Format::Coco, Format::Voc, Format::Yolo}) {
        if (name.compare(formatName(format), Qt::CaseInsensitive) == 0)
            return format;
    }
    return std::nullopt;
}

QString formatChoices()
{
    return QStringLiteral("auto|imagefolder|csv|mnist|coco|voc|yolo");
}

Format detectFormat(const QString &source)
{
    const QFileInfo info(source);
    if (!info.exists())
        throw Error(QStringLiteral("%1 does not exist").arg(source));
    if (info.isFile()) {
        const QString suffix = info.suffix().toLower();
        if (suffix == u"csv" || suffix == u"tsv")
            return Format::Csv;
        if (suffix == u"json")
            return Format::Coco;
        if (suffix == u"yaml" || suffix == u"yml" || info.fileName() == u"obj.data")
            return Format::Yolo;
        if (isIdxFileName(info.fileName()))
            return Format::Mnist;
        cannotTell(source, QStringLiteral("it is neither a CSV manifest nor an MNIST IDX file"));
    }
    if (!info.isDir())
        cannotTell(source, QStringLiteral("it is neither a file nor a folder"));
    const QString folder = info.absoluteFilePath();
    if (QDir(folder).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
        throw Error(QStringLiteral("%1 is empty: no images to import").arg(source));
    if (folderHasIdxImages(folder))
        return Format::Mnist;
    if (!QDir(folder + QStringLiteral("/annotations"))
             .entryList({QStringLiteral("instances_*.json")}, QDir::Files)
             .isEmpty()
        || !QDir(folder).entryList({QStringLiteral("instances_*.json")}, QDir::Files).isEmpty())
        return Format::Coco;
    const QDir dir(folder);
    if (dir.exists(QStringLiteral("Annotations")) && dir.exists(QStringLiteral("JPEGImages")))
        return Format::Voc;
    if (dir.exists(QStringLiteral("data.yaml")) || dir.exists(QStringLiteral("obj.data"))
        || (dir.exists(QStringLiteral("images")) && dir.exists(QStringLiteral("labels"))))
        return Format::Yolo;
    const QStringList manifests = csvFilesIn(folder);
    if (manifests.size() == 1)
        return Format::Csv;
    if (folderHasImages(folder))
        return Format::ImageFolder;
    if (manifests.size() > 1)
        cannotTell(source, QStringLiteral("it holds several CSV files (%1); name one")
                               .arg(manifests.join(QStringLiteral(", "))));
    cannotTell(source, QStringLiteral("it holds no images, CSV manifest or MNIST IDX files"));
}

namespace {

ImportPlan readAs(Format format, const QString &source, const ReadOptions &options,
                  jobs::Progress &progress, PlanSink *sink)
{
    const QFileInfo info(source);
    switch (format) {
    case Format::ImageFolder:
        if (!info.isDir())
            throw Error(QStringLiteral("%1 is not a folder; the imagefolder format reads "
                                       "ROOT/<class>/<image> or ROOT/<split>/<class>/<image>")
                            .arg(source));
        return readImageFolder(info.absoluteFilePath(), progress);
    case Format::Csv: {
        QString csv = info.absoluteFilePath();
        if (info.isDir()) {
            const QStringList manifests = csvFilesIn(csv);
            if (manifests.size() != 1)
                throw Error(QStringLiteral("%1: %2; name the CSV file itself")
                                .arg(source, manifests.isEmpty()
                                                 ? QStringLiteral("no CSV manifest in the folder")
                                                 : QStringLiteral("several CSV files in the "
                                                                  "folder")));
            csv = QDir(csv).filePath(manifests.front());
        }
        return readCsvManifest(csv, options, progress);
    }
    case Format::Mnist:
        return readMnist(info.absoluteFilePath(), options, progress);
    case Format::Coco:
        return readCoco(info.absoluteFilePath(), options, progress, sink);
    case Format::Voc: {
        // A folder is the VOC root; a file inside Annotations/ names the root above it.
        QDir folder(info.isDir() ? info.absoluteFilePath() : info.absolutePath());
        if (!info.isDir() && folder.dirName() == u"Annotations")
            folder.cdUp();
        return readVoc(folder.absolutePath(), options, progress);
    }
    case Format::Yolo:
        return readYolo(info.absoluteFilePath(), options, progress);
    case Format::Auto:
        break;
    }
    throw Error(QStringLiteral("unknown format"));
}

const char *const optionKeys[] = {"root", "path_column", "label_column", "split_column",
                                  "names_file", "images_dir"};

QString *optionField(ReadOptions &options, size_t key)
{
    QString *fields[] = {&options.root,        &options.pathColumn, &options.labelColumn,
                         &options.splitColumn, &options.namesFile,  &options.imagesDir};
    return fields[key];
}

} // namespace

ImportPlan readDataset(const QString &source, const ReadOptions &options,
                       jobs::Progress &progress, PlanSink *sink)
{
    if (!QFileInfo::exists(source))
        throw Error(QStringLiteral("%1 does not exist").arg(source));
    ReadOptions used = options;
    used.format = options.format == Format::Auto ? detectFormat(source) : options.format;
    ImportPlan plan = readAs(used.format, source, used, progress, sink);
    if (plan.readOptions.isEmpty())
        plan.readOptions = encodeReadOptions(used);
    return plan;
}

QString encodeReadOptions(const ReadOptions &options)
{
    QJsonObject object{{QStringLiteral("format"), formatName(options.format)}};
    ReadOptions copy = options;
    for (size_t k = 0; k < std::size(optionKeys); ++k) {
        if (!optionField(copy, k)->isEmpty())
            object.insert(QLatin1String(optionKeys[k]), *optionField(copy, k));
    }
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

ReadOptions decodeReadOptions(const QString &json)
{
    const QJsonObject object = QJsonDocument::fromJson(json.toUtf8()).object();
    ReadOptions options;
    options.format = parseFormat(object.value(QStringLiteral("format")).toString())
                         .value_or(Format::Auto);
    for (size_t k = 0; k < std::size(optionKeys); ++k)
        *optionField(options, k) = object.value(QLatin1String(optionKeys[k])).toString();
    return options;
}

} // namespace assay::formats
