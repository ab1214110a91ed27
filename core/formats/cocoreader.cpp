// COCO instances: images, categories, annotations (bbox, polygon or RLE segmentation, iscrowd),
// one annotation file per split. Streamed with simdjson On-Demand: a 450 MB file never becomes a
// DOM. Keys Assay does not interpret are kept verbatim (as JSON text) in each annotation's extra.

#include "datasetreader.h"

#include "jobs/progress.h"
#include "util/datasetpath.h"
#include "util/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <simdjson.h>

#include <sys/stat.h>

#include <map>
#include <unordered_map>

namespace assay::formats {

namespace {

namespace od = simdjson::ondemand;

struct RawAnnotation
{
    std::int64_t imageId = 0;
    std::int64_t categoryId = -1;
    // The category_id as the file spelled it, and where among the kept keys it stood: an id
    // missing from "categories" is kept in extra, in place, so the annotation still has it.
    std::string categoryToken;
    size_t categoryAt = std::string::npos;
    ImportAnnotation annotation; // item and category filled once images and categories are known
};

// Puts `"category_id": <token>` back into an annotation's kept keys where the source had it
// (`at`: the length the kept keys had then, the closing brace not counted).
void keepCategoryId(std::string &extra, const std::string &token, size_t at)
{
    const std::string field = "\"category_id\": " + token;
    if (extra.empty())
        extra = "{" + field + "}";
    else if (at == 0)
        extra.insert(1, field + ", ");
    else
        extra.insert(std::min(at, extra.size() - 1), ", " + field);
}

std::string_view trimmedToken(std::string_view token)
{
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n'
                              || token.back() == '\r'))
        token.remove_suffix(1);
    return token;
}

struct RawImage
{
    std::string fileName;
    std::int64_t width = 0, height = 0;
};

// "instances_train2017.json" -> "train"; "val.json" -> "val"; anything else -> "".
QString splitOfFile(const QString &fileName)
{
    static const QRegularExpression pattern(
        QStringLiteral("(?:^|[_-])(train|val|valid|validation|test|dev)\\d*(?:[_.-]|$)"),
        QRegularExpression::CaseInsensitiveOption);
    const auto match = pattern.match(QFileInfo(fileName).completeBaseName());
    return match.hasMatch() ? match.captured(1).toLower() : QString();
}

// COCO's compressed RLE string (LEB128-like, 5 bits a char, deltas from the run two back).
std::vector<std::uint32_t> decodeRleString(std::string_view s)
{
    std::vector<std::uint32_t> counts;
    size_t p = 0;
    while (p < s.size()) {
        long long x = 0;
        int k = 0;
        bool more = true;
        while (more && p < s.size()) {
            const long long c = static_cast<long long>(s[p]) - 48;
            x |= (c & 0x1f) << (5 * k);
            more = (c & 0x20) != 0;
            ++p;
            ++k;
            if (!more && (c & 0x10))
                x |= -1LL << (5 * k);
        }
        if (counts.size() > 2)
            x += counts[counts.size() - 2];
        counts.push_back(std::uint32_t(std::max<long long>(0, x)));
    }
    return counts;
}

std::string rawJson(od::value value)
{
    switch (value.type()) {
    case od::json_type::object:
        return std::string(value.get_object().value().raw_json().value());
    case od::json_type::array:
        return std::string(value.get_array().value().raw_json().value());
    default: return std::string(value.raw_json_token());
    }
}

double number(od::value value)
{
    return value.get_double();
}

class CocoFile
{
public:
    CocoFile(const QString &path, QString shownName) : m_path(path), m_name(std::move(shownName))
    {
        auto loaded = simdjson::padded_string::load(QFile::encodeName(path).toStdString());
        if (loaded.error())
            throw Error(QStringLiteral("cannot read %1: %2")
                            .arg(m_name, QString::fromUtf8(simdjson::error_message(loaded.error()))));
        m_json = std::move(loaded.value());
    }

    void parse(std::vector<RawImage> &images, std::unordered_map<std::int64_t, size_t> &imageIndex,
               std::map<std::int64_t, std::pair<QString, QString>> &categories,
               std::vector<RawAnnotation> &annotations, jobs::Progress &progress)
    {
        od::parser parser;
        od::document doc;
        try {
            doc = parser.iterate(m_json);
            od::object top = doc.get_object();
            for (auto field : top) {
                const std::string_view key = field.unescaped_key();
                if (key == "images")
                    readImages(field.value().get_array(), images, imageIndex);
                else if (key == "annotations")
                    readAnnotations(field.value().get_array(), annotations, progress);
                else if (key == "categories")
                    readCategories(field.value().get_array(), categories);
                // Other top-level keys (info, licenses) are skipped by moving on.
            }
        } catch (const simdjson::simdjson_error &error) {
            throw Error(QStringLiteral("%1:%2: %3")
                            .arg(m_name, location(doc),
                                 QString::fromUtf8(simdjson::error_message(error.error()))));
        }
    }

private:
    QString location(od::document &doc)
    {
        const char *at = nullptr;
        if (doc.current_location().get(at) != simdjson::SUCCESS || !at)
            return QStringLiteral("?");
        const char *begin = m_json.data();
        int line = 1, column = 1;
        for (const char *p = begin; p < at && p < begin + m_json.size(); ++p) {
            if (*p == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        return QStringLiteral("%1:%2").arg(line).arg(column);
    }

    void readImages(od::array array, std::vector<RawImage> &images,
                    std::unordered_map<std::int64_t, size_t> &imageIndex)
    {
        for (auto element : array) {
            od::object image = element.get_object();
            RawImage raw;
            std::int64_t id = -1;
            for (auto field : image) {
                const std::string_view key = field.unescaped_key();
                if (key == "id")
                    id = field.value().get_int64();
                else if (key == "file_name")
                    raw.fileName = std::string(field.value().get_string().value());
                else if (key == "width")
                    raw.width = field.value().get_int64();
                else if (key == "height")
                    raw.height = field.value().get_int64();
            }
            if (id < 0 || raw.fileName.empty())
                throw Error(QStringLiteral("%1: an image without an id or a file_name").arg(m_name));
            if (!imageIndex.emplace(id, images.size()).second)
                throw Error(QStringLiteral("%1: image id %2 appears twice").arg(m_name).arg(id));
            images.push_back(std::move(raw));
        }
    }

    void readCategories(od::array array, std::map<std::int64_t, std::pair<QString, QString>> &out)
    {
        for (auto element : array) {
            std::int64_t id = -1;
            QString name, super;
            for (auto field : element.get_object()) {
                const std::string_view key = field.unescaped_key();
                if (key == "id")
                    id = field.value().get_int64();
                else if (key == "name")
                    name = QString::fromUtf8(std::string(field.value().get_string().value()));
                else if (key == "supercategory")
                    super = QString::fromUtf8(std::string(field.value().get_string().value()));
            }
            if (id < 0 || name.isEmpty())
                throw Error(QStringLiteral("%1: a category without an id or a name").arg(m_name));
            out[id] = {name, super};
        }
    }

    void readAnnotations(od::array array, std::vector<RawAnnotation> &annotations,
                         jobs::Progress &progress)
    {
        std::int64_t position = 0;
        const std::string sourceFile = m_name.toStdString();
        for (auto element : array) {
            RawAnnotation raw;
            ImportAnnotation &a = raw.annotation;
            a.sourceFile = sourceFile;
            a.sourceIndex = position++;
            std::string extra;
            bool hasBox = false;
            for (auto field : element.get_object()) {
                const std::string_view key = field.unescaped_key();
                od::value value = field.value();
                if (key == "image_id") {
                    raw.imageId = value.get_int64();
                } else if (key == "category_id") {
                    raw.categoryToken = std::string(trimmedToken(value.raw_json_token()));
                    raw.categoryAt = extra.size();
                    raw.categoryId = value.get_int64();
                } else if (key == "bbox") {
                    double box[4] = {0, 0, 0, 0};
                    int i = 0;
                    for (auto v : value.get_array()) {
                        if (i < 4)
                            box[i] = number(v.value());
                        ++i;
                    }
                    if (i != 4)
                        throw Error(QStringLiteral("%1: annotation %2 has a bbox of %3 numbers")
                                        .arg(m_name)
                                        .arg(a.sourceIndex)
                                        .arg(i));
                    a.x = box[0];
                    a.y = box[1];
                    a.w = box[2];
                    a.h = box[3];
                    hasBox = true;
                } else if (key == "iscrowd") {
                    a.crowd = value.get_int64() != 0;
                } else if (key == "segmentation") {
                    readSegmentation(value, a);
                } else {
                    // id, area and anything else: kept verbatim.
                    extra += (extra.empty() ? "{\"" : ", \"") + std::string(key)
                             + "\": " + rawJson(value);
                }
            }
            if (!extra.empty())
                a.extra = extra + "}";
            if (!hasBox && a.kind == AnnotationKind::Box)
                throw Error(QStringLiteral("%1: annotation %2 has neither a bbox nor a "
                                           "segmentation")
                                .arg(m_name)
                                .arg(a.sourceIndex));
            annotations.push_back(std::move(raw));
            if ((position & 16383) == 0) {
                progress.setCurrent(QStringLiteral("%1 annotations").arg(position));
                jobs::throwIfCanceled(progress);
            }
        }
    }

    void readSegmentation(od::value value, ImportAnnotation &a)
    {
        if (value.type() == od::json_type::array) {
            for (auto ring : value.get_array()) {
                std::vector<float> points;
                for (auto v : ring.get_array())
                    points.push_back(float(number(v.value())));
                if (!points.empty())
                    a.polygons.push_back(std::move(points));
            }
            if (!a.polygons.empty())
                a.kind = AnnotationKind::Polygon;
            return;
        }
        od::object rle = value.get_object();
        for (auto field : rle) {
            const std::string_view key = field.unescaped_key();
            od::value v = field.value();
            if (key == "size") {
                int i = 0;
                for (auto n : v.get_array()) {
                    const auto size = int(n.get_int64());
                    (i++ == 0 ? a.mask.height : a.mask.width) = size;
                }
            } else if (key == "counts") {
                if (v.type() == od::json_type::string) {
                    a.mask.counts = decodeRleString(v.get_string().value());
                } else {
                    for (auto n : v.get_array())
                        a.mask.counts.push_back(std::uint32_t(n.get_int64()));
                }
            }
            // Other keys of an RLE object are skipped by moving on.
        }
        a.kind = AnnotationKind::Mask;
    }

    QString m_path;
    QString m_name;
    simdjson::padded_string m_json;
};

// The folder a file's `file_name` values are relative to: chosen, or detected from where its
// first image exists (beside the annotations, in images/<stem>, <stem>, images/).
QString imagesFolder(const QString &root, const QString &jsonFile, const std::string &firstImage,
                     const ReadOptions &options)
{
    if (!options.imagesDir.isEmpty())
        return QFileInfo(options.imagesDir).absoluteFilePath();
    const QString stem = QFileInfo(jsonFile).completeBaseName();
    const QString split = stem.section(u'_', -1); // instances_train2017 -> train2017
    const QString first = QString::fromStdString(firstImage);
    for (const QString &candidate :
         {root, root + QStringLiteral("/images/") + split, root + u'/' + split,
          root + QStringLiteral("/images"), QFileInfo(jsonFile).absolutePath()}) {
        if (QFileInfo::exists(candidate + u'/' + first))
            return QDir::cleanPath(candidate);
    }
    return root + QStringLiteral("/images/") + split;
}

} // namespace

ImportPlan readCoco(const QString &source, const ReadOptions &options, jobs::Progress &progress)
{
    const QFileInfo info(source);
    QStringList files;
    QString root;
    if (info.isDir()) {
        QDir folder(info.absoluteFilePath());
        QDir annotations(folder.filePath(QStringLiteral("annotations")));
        const QStringList patterns{QStringLiteral("instances_*.json")};
        for (const QString &name : annotations.entryList(patterns, QDir::Files, QDir::Name))
            files << annotations.filePath(name);
        for (const QString &name : folder.entryList(patterns, QDir::Files, QDir::Name))
            files << folder.filePath(name);
        root = folder.absolutePath();
    } else {
        files << info.absoluteFilePath();
        const QDir parent = info.absoluteDir();
        root = parent.dirName() == u"annotations" ? QFileInfo(parent.absolutePath()).absolutePath()
                                                  : parent.absolutePath();
    }
    if (files.isEmpty())
        throw Error(QStringLiteral("%1 holds no COCO annotation file (annotations/instances_*.json)")
                        .arg(source));
    if (!options.root.isEmpty())
        root = QFileInfo(options.root).absoluteFilePath();

    ImportPlan plan;
    plan.format = QStringLiteral("coco");
    plan.root = QDir::cleanPath(root);
    plan.source = info.absoluteFilePath();
    plan.labelSource = QStringLiteral("COCO annotations");
    std::map<std::int64_t, std::pair<QString, QString>> categories;
    std::map<QString, int> categoryOfName;
    std::map<QString, std::int64_t> itemOfPath;

    for (const QString &file : files) {
        const QString shown = QDir(plan.root).relativeFilePath(file);
        struct stat fileInfo {};
        if (::stat(QFile::encodeName(file).constData(), &fileInfo) == 0)
            plan.sourceFiles.push_back({shown.toStdString(), fileInfo.st_size, fileInfo.st_mtime});
        progress.setPhase(QStringLiteral("Reading %1").arg(shown));
        std::vector<RawImage> images;
        std::unordered_map<std::int64_t, size_t> imageIndex;
        std::vector<RawAnnotation> annotations;
        CocoFile(file, shown).parse(images, imageIndex, categories, annotations, progress);

        const QString split = splitOfFile(file);
        const int splitIndex = split.isEmpty() ? -1 : int(plan.splits.indexOf(split));
        if (!split.isEmpty() && splitIndex < 0)
            plan.splits << split;
        const int splitId = split.isEmpty() ? -1 : int(plan.splits.indexOf(split));
        const QString folder = imagesFolder(plan.root, file,
                                            images.empty() ? std::string() : images[0].fileName,
                                            options);
        const QString prefix = QDir(plan.root).relativeFilePath(folder);
        std::vector<std::int64_t> itemOfImage(images.size(), -1);
        for (size_t i = 0; i < images.size(); ++i) {
            const QString name = QString::fromStdString(images[i].fileName);
            const QString entry = prefix == u"." ? name : prefix + u'/' + name;
            const auto relative = datasetpath::relativeInsideRoot(plan.root, entry);
            if (!relative) {
                plan.refused.push_back({name, QStringLiteral("%1: escapes the dataset root")
                                                  .arg(shown)});
                continue;
            }
            const auto known = itemOfPath.find(*relative);
            if (known != itemOfPath.end()) {
                itemOfImage[i] = known->second;
                continue;
            }
            ImportItem item;
            item.path = relative->toStdString();
            item.split = splitId;
            item.width = int(std::clamp<std::int64_t>(images[i].width, 0, INT_MAX));
            item.height = int(std::clamp<std::int64_t>(images[i].height, 0, INT_MAX));
            struct stat st {};
            const QByteArray full = QFile::encodeName(datasetpath::absolute(plan.root, *relative));
            if (::stat(full.constData(), &st) == 0) {
                item.size = st.st_size;
                item.mtime = st.st_mtime;
            } else {
                item.exists = false;
                plan.skipped.push_back({*relative, QStringLiteral("annotation points at a "
                                                                  "missing image")});
            }
            itemOfImage[i] = std::int64_t(plan.items.size());
            itemOfPath.emplace(*relative, itemOfImage[i]);
            plan.items.push_back(std::move(item));
        }
        for (RawAnnotation &raw : annotations) {
            const auto image = imageIndex.find(raw.imageId);
            if (image == imageIndex.end())
                throw Error(QStringLiteral("%1: annotation %2 refers to image id %3, which is not "
                                           "in \"images\"")
                                .arg(shown)
                                .arg(raw.annotation.sourceIndex)
                                .arg(raw.imageId));
            if (itemOfImage[image->second] < 0)
                continue; // its image was refused
            ImportAnnotation a = std::move(raw.annotation);
            a.item = size_t(itemOfImage[image->second]);
            const auto category = categories.find(raw.categoryId);
            if (category != categories.end()) {
                auto [it, inserted] = categoryOfName.try_emplace(category->second.first,
                                                                 int(plan.categories.size()));
                if (inserted)
                    plan.categories << category->second.first;
                a.category = it->second;
            } else {
                plan.skipped.push_back({shown, QStringLiteral("annotation %1: category id %2 is "
                                                              "not in \"categories\"")
                                                   .arg(a.sourceIndex)
                                                   .arg(raw.categoryId)});
                if (raw.categoryAt != std::string::npos)
                    keepCategoryId(a.extra, raw.categoryToken, raw.categoryAt);
            }
            if (a.kind != AnnotationKind::Box && a.w == 0 && a.h == 0 && !a.polygons.empty()) {
                float minX = 1e30f, minY = 1e30f, maxX = -1e30f, maxY = -1e30f;
                for (const auto &ring : a.polygons)
                    for (size_t p = 0; p + 1 < ring.size(); p += 2) {
                        minX = std::min(minX, ring[p]);
                        maxX = std::max(maxX, ring[p]);
                        minY = std::min(minY, ring[p + 1]);
                        maxY = std::max(maxY, ring[p + 1]);
                    }
                a.x = minX;
                a.y = minY;
                a.w = maxX - minX;
                a.h = maxY - minY;
            }
            plan.annotations.push_back(std::move(a));
        }
    }
    // Categories that no annotation uses are still part of the dataset.
    for (const auto &[id, names] : categories) {
        if (categoryOfName.try_emplace(names.first, int(plan.categories.size())).second)
            plan.categories << names.first;
    }
    return plan;
}

} // namespace assay::formats
