// COCO instances: images, categories, annotations (bbox, polygon or RLE segmentation, iscrowd),
// one annotation file per split. Streamed: JsonMembers hands simdjson On-Demand one window of a
// member at a time, so a 450 MB file never becomes a DOM nor a structural index of itself.
// Annotations are resolved as they are read and handed to a PlanSink in batches (importDataset
// writes them on a second thread while this one reads on) or kept in the plan. Keys Assay does not
// interpret are kept verbatim (as JSON text) in each annotation's extra.

#include "cocojson.h"
#include "datasetreader.h"
#include "plansink.h"
#include "text.h"

#include "jobs/progress.h"
#include "util/datasetpath.h"
#include "util/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <map>
#include <thread>
#include <unordered_map>

namespace assay::formats {

namespace {

constexpr size_t batchSize = 8192; // annotations handed to a sink at once

// "instances_train2017.json" -> "train"; "val.json" -> "val"; anything else -> "".
QString splitOfFile(const QString &fileName)
{
    static const QRegularExpression pattern(
        QStringLiteral("(?:^|[_-])(train|val|valid|validation|test|dev)\\d*(?:[_.-]|$)"),
        QRegularExpression::CaseInsensitiveOption);
    const auto match = pattern.match(QFileInfo(fileName).completeBaseName());
    return match.hasMatch() ? match.captured(1).toLower() : QString();
}

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

// Image id -> position in a file's image list, then (setItems) the plan item it became: a table
// when the ids are dense (COCO's are), else a sorted list. One cache miss for each of 900,000
// annotations where a hash map of 120,000 ids costs two or three.
class ImageIds
{
public:
    static constexpr std::int32_t absent = -2;
    static constexpr std::int32_t refused = -1;

    // Throws Error for an id that appears twice.
    void build(const std::vector<coco::Image> &images, const QString &shown)
    {
        m_sorted.clear();
        m_table.clear();
        m_sorted.reserve(images.size());
        for (size_t i = 0; i < images.size(); ++i)
            m_sorted.emplace_back(images[i].id, std::int32_t(i));
        std::sort(m_sorted.begin(), m_sorted.end());
        const auto twice = std::adjacent_find(
            m_sorted.begin(), m_sorted.end(),
            [](const auto &a, const auto &b) { return a.first == b.first; });
        if (twice != m_sorted.end())
            throw Error(QStringLiteral("%1: image id %2 appears twice").arg(shown).arg(twice->first));
        if (m_sorted.empty())
            return;
        m_first = m_sorted.front().first;
        const auto span = std::uint64_t(m_sorted.back().first - m_first) + 1;
        if (span > 8 * std::uint64_t(m_sorted.size()) + 4096)
            return;
        m_table.assign(size_t(span), absent);
        for (const auto &[id, position] : m_sorted)
            m_table[size_t(id - m_first)] = position;
        std::vector<std::pair<std::int64_t, std::int32_t>>().swap(m_sorted);
    }

    // Replaces each image's position by `items[position]` (its plan item, or `refused`).
    void setItems(const std::vector<std::int32_t> &items)
    {
        for (std::int32_t &entry : m_table) {
            if (entry != absent)
                entry = items[size_t(entry)];
        }
        for (auto &entry : m_sorted)
            entry.second = items[size_t(entry.second)];
    }

    // What `id` maps to, or `absent`.
    std::int32_t find(std::int64_t id) const
    {
        if (!m_table.empty()) {
            const std::uint64_t at = std::uint64_t(id - m_first);
            return at < m_table.size() ? m_table[size_t(at)] : absent;
        }
        const auto found = std::lower_bound(
            m_sorted.begin(), m_sorted.end(), id,
            [](const auto &entry, std::int64_t key) { return entry.first < key; });
        return found != m_sorted.end() && found->first == id ? found->second : absent;
    }

private:
    std::int64_t m_first = 0;
    std::vector<std::int32_t> m_table;
    std::vector<std::pair<std::int64_t, std::int32_t>> m_sorted;
};

// Stats the files of items [begin, end) (size, mtime, whether they exist) relative to the root,
// on two threads: 120,000 stats of absolute paths are a third of a second.
void statItems(const QString &root, std::vector<ImportItem> &items, size_t begin)
{
    const QByteArray rootPath = QFile::encodeName(root);
    const int rootFd = ::open(rootPath.constData(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    const std::string rootPrefix = rootPath.toStdString() + '/';
    auto statRange = [&](size_t from, size_t to) {
        std::string full;
        for (size_t i = from; i < to; ++i) {
            ImportItem &item = items[i];
            struct stat st {};
            bool found = false;
            if (rootFd >= 0) {
                found = ::fstatat(rootFd, item.path.c_str(), &st, 0) == 0;
            } else {
                full.assign(rootPrefix).append(item.path);
                found = ::stat(full.c_str(), &st) == 0;
            }
            item.exists = found;
            item.size = found ? st.st_size : 0;
            item.mtime = found ? st.st_mtime : 0;
        }
    };
    const size_t count = items.size() - begin;
    if (count >= 4096 && std::thread::hardware_concurrency() > 1) {
        const size_t middle = begin + count / 2;
        std::thread helper(statRange, middle, items.size());
        statRange(begin, middle);
        helper.join();
    } else {
        statRange(begin, items.size());
    }
    if (rootFd >= 0)
        ::close(rootFd);
}

// Reads the files of one import into one plan.
class CocoImport
{
public:
    CocoImport(ImportPlan &plan, const ReadOptions &options, jobs::Progress &progress,
               PlanSink *sink)
        : m_plan(plan), m_options(options), m_progress(progress), m_sink(sink)
    {
    }

    void readFile(const QString &file);
    void finish();

private:
    // One file's images; once the plan has their items, their ids map to those.
    struct Images
    {
        std::vector<coco::Image> list;
        ImageIds ids;
    };

    std::int64_t readLastCategories(const JsonMembers &json, const QString &file,
                                    const QString &shown);
    void addItems(const QString &file, Images &images);
    std::optional<std::string> relativePath(const std::string &prefix, const QString &qtPrefix,
                                            const std::string &fileName);
    int categoryIndex(std::int64_t id);
    void take(coco::RawAnnotation &raw, const QString &shown, const Images &images);
    void flush();

    ImportPlan &m_plan;
    const ReadOptions &m_options;
    jobs::Progress &m_progress;
    PlanSink *m_sink;
    coco::Categories m_categories; // shared by the files: a later file's ids win
    std::map<QString, int> m_categoryOfName;
    std::unordered_map<std::int64_t, int> m_categoryOfId; // this file's: -1 unknown
    std::unordered_map<std::string, std::int64_t> m_itemOfPath;
    std::vector<ImportAnnotation> m_batch;
    size_t m_used = 0; // objects of m_batch filled (the rest are spent ones to fill again)
};

void CocoImport::readFile(const QString &file)
{
    const QString shown = QDir(m_plan.root).relativeFilePath(file);
    struct stat fileInfo {};
    if (::stat(QFile::encodeName(file).constData(), &fileInfo) == 0)
        m_plan.sourceFiles.push_back({shown.toStdString(), fileInfo.st_size, fileInfo.st_mtime});
    m_progress.setPhase(QStringLiteral("Reading %1").arg(shown));
    m_categoryOfId.clear();

    JsonMembers json(file, shown);
    coco::Parser parser(json, m_progress);
    Images images;
    const std::string sourceFile = shown.toStdString();
    std::int64_t position = 0;
    auto stream = [&] {
        parser.readAnnotations(sourceFile, position,
                               [&](coco::RawAnnotation &raw) { take(raw, shown, images); });
    };
    // Annotations are read once the images and categories are known: in place when they come
    // first, else after the members behind them. COCO's own files list the categories last: they
    // are read from the end of the file first (when that is where they are), so the annotations
    // stream in one pass.
    const std::int64_t categoriesAt = readLastCategories(json, file, shown);
    bool categoriesFound = false; // the member at categoriesAt came
    bool otherCategories = false; // another "categories" member (a duplicate key) was read
    std::vector<JsonMembers::Mark> later;
    bool seenImages = false, seenCategories = categoriesAt >= 0;
    bool itemsAdded = false, streamed = false;
    auto addItemsOnce = [&] {
        if (itemsAdded)
            return;
        itemsAdded = true;
        addItems(file, images);
        if (m_sink)
            m_sink->items(m_plan);
    };
    std::string key;
    while (json.nextMember(key)) {
        if (key == "categories" && categoriesAt >= 0 && json.valueMark().offset == categoriesAt) {
            categoriesFound = true;
            if (otherCategories && !streamed)
                parser.readCategories(m_categories); // again, so the last one wins as before
            else
                json.skipValue(); // read already
            continue;
        }
        if (key == "images" || key == "categories") {
            if (streamed || (key == "images" && itemsAdded))
                throw Error(QStringLiteral("%1: \"%2\" comes again after the annotations")
                                .arg(shown, QString::fromStdString(key)));
            if (key == "images") {
                parser.readImages(images.list);
                seenImages = true;
            } else {
                parser.readCategories(m_categories);
                seenCategories = otherCategories = true;
            }
        } else if (key == "annotations") {
            if (seenImages)
                addItemsOnce(); // written while the rest is read
            if (seenImages && seenCategories && later.empty()) {
                stream();
                streamed = true;
            } else {
                later.push_back(json.valueMark());
                json.skipValue();
            }
        } else {
            parser.validate(); // info, licenses...: not used, still well-formed
        }
    }
    if (categoriesAt >= 0 && !categoriesFound)
        throw Error(QStringLiteral("%1: the \"categories\" at its end are not a member of its "
                                   "top-level object")
                        .arg(shown));
    addItemsOnce();
    for (const JsonMembers::Mark &mark : later) {
        json.rewindTo(mark);
        stream();
    }
}

// Reads the categories when they are the last member of the file (see JsonMembers::
// lastArrayMember) and returns where they are; -1 (nothing read) when they are not there or do
// not read: the members are then read in order and report any error with its line.
std::int64_t CocoImport::readLastCategories(const JsonMembers &json, const QString &file,
                                            const QString &shown)
{
    const std::optional<JsonMembers::Mark> mark = json.lastArrayMember("categories");
    if (!mark)
        return -1;
    coco::Categories found;
    try {
        JsonMembers tail(file, shown, 1 << 20);
        tail.rewindTo(*mark);
        coco::Parser(tail, m_progress).readCategories(found);
    } catch (const Error &) {
        return -1;
    }
    for (auto &[id, names] : found)
        m_categories[id] = std::move(names);
    return mark->offset;
}

// A `file_name` as a root-relative path; nothing when it escapes the root.
std::optional<std::string> CocoImport::relativePath(const std::string &prefix,
                                                    const QString &qtPrefix,
                                                    const std::string &fileName)
{
    // The common case needs no cleaning: a plain name under a plain folder.
    if ((qtPrefix == u"." || !prefix.empty()) && isPlainRelative(fileName))
        return prefix + fileName;
    const QString name = fromUtf8(fileName);
    const QString entry = qtPrefix == u"." ? name : qtPrefix + u'/' + name;
    const auto relative = datasetpath::relativeInsideRoot(m_plan.root, entry);
    if (!relative)
        return std::nullopt;
    return relative->toStdString();
}

void CocoImport::addItems(const QString &file, Images &images)
{
    const QString split = splitOfFile(file);
    if (!split.isEmpty() && !m_plan.splits.contains(split))
        m_plan.splits << split;
    const int splitId = split.isEmpty() ? -1 : int(m_plan.splits.indexOf(split));
    const QString folder = imagesFolder(
        m_plan.root, file, images.list.empty() ? std::string() : images.list[0].fileName,
        m_options);
    const QString qtPrefix = QDir(m_plan.root).relativeFilePath(folder);
    const std::string prefix = qtPrefix == u"." ? std::string()
                               : isPlainRelative(qtPrefix.toStdString())
                                   ? qtPrefix.toStdString() + '/'
                                   : std::string();
    const QString shown = QDir(m_plan.root).relativeFilePath(file);
    images.ids.build(images.list, shown);
    std::vector<std::int32_t> items(images.list.size(), ImageIds::refused);
    const size_t firstNew = m_plan.items.size();
    m_plan.items.reserve(firstNew + images.list.size());
    m_itemOfPath.reserve(m_itemOfPath.size() + images.list.size());
    for (size_t i = 0; i < images.list.size(); ++i) {
        const coco::Image &image = images.list[i];
        std::optional<std::string> relative = relativePath(prefix, qtPrefix, image.fileName);
        if (!relative) {
            const QString name = fromUtf8(image.fileName);
            m_plan.refused.push_back(
                {name, QStringLiteral("%1: %2").arg(shown, datasetpath::refusalReason(name))});
            continue;
        }
        const auto [known, added] = m_itemOfPath.try_emplace(*relative, m_plan.items.size());
        if (!added) {
            items[i] = std::int32_t(known->second);
            continue;
        }
        ImportItem item;
        item.split = splitId;
        item.width = int(std::clamp<std::int64_t>(image.width, 0, INT_MAX));
        item.height = int(std::clamp<std::int64_t>(image.height, 0, INT_MAX));
        item.path = std::move(*relative);
        items[i] = std::int32_t(m_plan.items.size());
        m_plan.items.push_back(std::move(item));
    }
    statItems(m_plan.root, m_plan.items, firstNew);
    for (size_t i = firstNew; i < m_plan.items.size(); ++i) {
        if (!m_plan.items[i].exists)
            m_plan.skipped.push_back({fromUtf8(m_plan.items[i].path),
                                      QStringLiteral("annotation points at a missing image")});
    }
    images.ids.setItems(items);
    std::vector<coco::Image>().swap(images.list);
}

// The plan's index of a category id of this file, adding its name at its first use; -1 when
// the file has no such category.
int CocoImport::categoryIndex(std::int64_t id)
{
    const auto [cached, added] = m_categoryOfId.try_emplace(id, -1);
    if (added) {
        const auto category = m_categories.find(id);
        if (category != m_categories.end()) {
            const QString &name = category->second.first;
            const auto [named, isNew] =
                m_categoryOfName.try_emplace(name, int(m_plan.categories.size()));
            if (isNew)
                m_plan.categories << name;
            cached->second = named->second;
        }
    }
    return cached->second;
}

void CocoImport::take(coco::RawAnnotation &raw, const QString &shown, const Images &images)
{
    const std::int32_t item = images.ids.find(raw.imageId);
    if (item == ImageIds::absent)
        throw Error(QStringLiteral("%1: annotation %2 refers to image id %3, which is not in "
                                   "\"images\"")
                        .arg(shown)
                        .arg(raw.annotation.sourceIndex)
                        .arg(raw.imageId));
    if (item == ImageIds::refused)
        return;
    ImportAnnotation &a = raw.annotation;
    a.item = size_t(item);
    a.category = categoryIndex(raw.categoryId);
    if (a.category < 0) {
        m_plan.skipped.push_back({shown, QStringLiteral("annotation %1: category id %2 is not in "
                                                        "\"categories\"")
                                             .arg(a.sourceIndex)
                                             .arg(raw.categoryId)});
        if (raw.categoryAt != std::string::npos)
            coco::keepCategoryId(a.extra, raw.categoryToken, raw.categoryAt);
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
    if (!m_sink) {
        m_plan.annotations.push_back(std::move(a));
        return;
    }
    // Into a batch the sink handed back when there is one: `raw` gets that object's allocations
    // to fill next.
    if (m_used == 0 && m_batch.empty()) {
        m_batch = m_sink->spentBatch();
        m_batch.reserve(batchSize);
    }
    if (m_used < m_batch.size())
        std::swap(m_batch[m_used], a);
    else
        m_batch.push_back(std::move(a));
    if (++m_used >= batchSize)
        flush();
}

void CocoImport::flush()
{
    if (m_used == 0)
        return;
    m_batch.resize(m_used);
    m_plan.annotationsStreamed += std::int64_t(m_used);
    m_sink->annotations(m_plan, std::move(m_batch));
    m_batch = {};
    m_used = 0;
}

void CocoImport::finish()
{
    if (m_sink)
        flush();
    // Categories that no annotation uses are still part of the dataset.
    for (const auto &[id, names] : m_categories) {
        if (m_categoryOfName.try_emplace(names.first, int(m_plan.categories.size())).second)
            m_plan.categories << names.first;
    }
}

} // namespace

ImportPlan readCoco(const QString &source, const ReadOptions &options, jobs::Progress &progress,
                    PlanSink *sink)
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
    CocoImport import(plan, options, progress, sink);
    for (const QString &file : files)
        import.readFile(file);
    import.finish();
    return plan;
}

} // namespace assay::formats
