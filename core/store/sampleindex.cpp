#include "sampleindex.h"
#include "names.h"

#include "database.h"
#include "project.h"

#include "model/annotation.h"

#include <QHash>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <unordered_map>

namespace assay::store {

namespace {

constexpr int pageSize = 100000;
constexpr float missing = std::numeric_limits<float>::quiet_NaN();

struct FeatureColumn
{
    const char *key;
    const char *title;
    bool logScale;
};

// The scan features the browser filters and sorts on, in the order of the SELECT below.
constexpr FeatureColumn featureColumns[] = {
    {"brightness", "Brightness", false}, {"contrast", "Contrast", false},
    {"sharpness", "Sharpness", true},    {"entropy", "Entropy", false},
    {"colorfulness", "Colourfulness", false}, {"width", "Width", false},
    {"height", "Height", false},         {"aspect", "Aspect ratio", false},
    {"megapixels", "Megapixels", true},  {"file_size", "File size", true},
    {"luma_p99", "Brightest 1% (luma p99)", false}, {"luma_p5", "Darkest 5% (luma p5)", false},
};

std::int64_t rowOf(const std::vector<std::int64_t> &ids, std::int64_t id)
{
    const auto found = std::lower_bound(ids.begin(), ids.end(), id);
    return found != ids.end() && *found == id ? found - ids.begin() : -1;
}

} // namespace

// Attribute values in one pass over sample_attributes in id order, merged with the index's rows
// (both ascend by sample id).
void SampleIndex::loadAttributes(Database &db, SampleIndex &index)
{
    struct Attribute
    {
        QString name;
        AttributeType type;
        std::string column;
    };
    std::vector<Attribute> attributes;
    {
        Statement list(db, "SELECT name, type, column_name FROM attributes ORDER BY id");
        while (list.step())
            attributes.push_back({list.text(0), static_cast<AttributeType>(list.int64(1)),
                                  std::string(list.utf8(2))});
    }
    if (attributes.empty())
        return;
    const size_t count = index.size();
    std::string sql = "SELECT sample_id";
    for (const Attribute &attribute : attributes)
        sql += ", " + attribute.column;
    sql += " FROM sample_attributes ORDER BY sample_id";
    struct Target
    {
        std::vector<float> *numbers = nullptr;
        TextColumn *text = nullptr;
        std::unordered_map<std::string, int> codes;
    };
    std::vector<Target> targets(attributes.size());
    for (size_t a = 0; a < attributes.size(); ++a) {
        const QString key = QStringLiteral("attr:") + attributes[a].name;
        if (attributes[a].type == AttributeType::Number) {
            index.numeric.push_back({key, attributes[a].name, false,
                                     std::vector<float>(count, missing)});
        } else {
            index.text.push_back({key, attributes[a].name, {}, std::vector<std::int32_t>(count, -1)});
        }
    }
    // Pointers only once the vectors have stopped growing.
    size_t numericAt = index.numeric.size(), textAt = index.text.size();
    for (size_t a = attributes.size(); a-- > 0;) {
        if (attributes[a].type == AttributeType::Number)
            targets[a].numbers = &index.numeric[--numericAt].values;
        else
            targets[a].text = &index.text[--textAt];
    }
    Statement values(db, sql);
    size_t row = 0;
    while (values.step()) {
        const std::int64_t id = values.int64(0);
        while (row < count && index.ids[row] < id)
            ++row;
        if (row == count)
            break;
        if (index.ids[row] != id)
            continue; // a sample that is not present
        for (size_t a = 0; a < attributes.size(); ++a) {
            const int column = int(a) + 1;
            if (values.isNull(column))
                continue;
            Target &target = targets[a];
            if (target.numbers) {
                (*target.numbers)[row] = float(values.real(column));
                continue;
            }
            const std::string_view text = values.utf8(column);
            auto [code, inserted] = target.codes.try_emplace(std::string(text),
                                                             int(target.text->dictionary.size()));
            if (inserted)
                target.text->dictionary << QString::fromUtf8(text.data(), qsizetype(text.size()));
            target.text->codes[row] = code->second;
        }
    }
}

void SampleIndex::loadObjects(Database &db, SampleIndex &index,
                              const NameIndex &classOf)
{
    if (!db.queryInt("SELECT EXISTS(SELECT 1 FROM annotations)"))
        return;
    Statement objects(db, "SELECT sample_id, ifnull(category_id, 0), count(*) FROM annotations "
                          "GROUP BY sample_id, category_id ORDER BY sample_id");
    const size_t count = index.ids.size();
    index.objectOffsets.assign(count + 1, 0);
    size_t row = 0;
    while (objects.step()) {
        const std::int64_t id = objects.int64(0);
        while (row < count && index.ids[row] < id)
            index.objectOffsets[++row] = std::uint32_t(index.objectClasses.size());
        if (row == count)
            break;
        if (index.ids[row] != id)
            continue; // a sample that is not present
        index.objectClasses.push_back(classOf.of(objects.int64(1)));
        index.objectCounts.push_back(std::uint32_t(objects.int64(2)));
    }
    while (row < count)
        index.objectOffsets[++row] = std::uint32_t(index.objectClasses.size());
}

std::shared_ptr<const SampleIndex> SampleIndex::load(Database &db, size_t limit)
{
    auto index = std::make_shared<SampleIndex>();
    const NameIndex classOf = loadCategoryNames(db, index->classes);
    const NameIndex splitOf = loadSplitNames(db, index->splits);
    size_t expected = size_t(db.queryInt("SELECT count(*) FROM samples WHERE status = 0"));
    if (limit > 0 && limit < expected) {
        expected = limit;
        index->m_partial = true;
    }
    for (const FeatureColumn &column : featureColumns) {
        index->numeric.push_back({QString::fromLatin1(column.key),
                                  QString::fromLatin1(column.title), column.logScale, {}});
        index->numeric.back().values.reserve(expected);
    }
    index->ids.reserve(expected);
    index->members.reserve(expected);
    index->classIndex.reserve(expected);
    index->splitIndex.reserve(expected);
    index->scanState.reserve(expected);
    index->m_pathOffsets.reserve(expected + 1);

    // Keyset pages keep each read transaction short (a long one would hold back checkpoints).
    Statement page(db, R"sql(
        SELECT s.id, s.path, s.member, ifnull(s.category_id, 0), ifnull(s.split_id, 0),
               f.status, f.brightness, f.contrast, f.sharpness, f.entropy, f.colorfulness,
               f.width, f.height, f.file_size, f.luma_p99, f.luma_p5
        FROM samples s LEFT JOIN features f ON f.sample_id = s.id
        WHERE s.status = 0 AND s.id > ? ORDER BY s.id LIMIT ?)sql");
    std::int64_t last = 0;
    for (;;) {
        const size_t wanted = limit > 0 ? std::min<size_t>(pageSize, limit - index->ids.size())
                                        : size_t(pageSize);
        page.bind(1, last);
        page.bind(2, std::int64_t(wanted));
        int rows = 0;
        while (page.step()) {
            ++rows;
            last = page.int64(0);
            index->ids.push_back(last);
            const std::string_view path = page.utf8(1);
            index->m_paths.append(path);
            index->m_pathOffsets.push_back(index->m_paths.size());
            index->members.push_back(page.int64(2));
            index->classIndex.push_back(classOf.of(page.int64(3)));
            index->splitIndex.push_back(std::int16_t(splitOf.of(page.int64(4))));
            const bool measured = !page.isNull(5) && page.int64(5) == 0;
            index->scanState.push_back(page.isNull(5) ? NotScanned
                                       : measured     ? Measured
                                                      : Unmeasurable);
            const bool sized = !page.isNull(11) && page.int64(11) > 0;
            auto value = [&](int column) { return measured ? float(page.real(column)) : missing; };
            const float width = sized ? float(page.int64(11)) : missing;
            const float height = sized ? float(page.int64(12)) : missing;
            const float values[] = {value(6),  value(7),  value(8),  value(9), value(10),
                                    width,     height,    sized ? width / height : missing,
                                    sized ? width * height / 1e6f : missing,
                                    page.isNull(13) ? missing : float(page.int64(13)),
                                    value(14), value(15)};
            for (size_t i = 0; i < std::size(values); ++i)
                index->numeric[i].values.push_back(values[i]);
        }
        page.reset();
        if (size_t(rows) < wanted || (limit > 0 && index->ids.size() >= limit))
            break;
    }
    const size_t count = index->ids.size();
    index->issueMask.assign(count, 0);
    {
        Statement distinct(db, "SELECT DISTINCT kind FROM issues ORDER BY kind LIMIT 32");
        while (distinct.step())
            index->issueKinds << distinct.text(0);
        Statement issues(db, "SELECT sample_id, kind FROM issues WHERE sample_id <= ?");
        issues.bind(1, last);
        std::vector<std::string> kinds; // UTF-8, to match without a QString per issue row
        for (const QString &kind : index->issueKinds)
            kinds.push_back(kind.toStdString());
        while (issues.step()) {
            const std::string_view kind = issues.utf8(1);
            const auto bit = std::find(kinds.begin(), kinds.end(), kind);
            const std::int64_t row = rowOf(index->ids, issues.int64(0));
            if (row >= 0 && bit != kinds.end())
                index->issueMask[size_t(row)] |= 1u << (bit - kinds.begin());
        }
    }
    {
        std::map<std::int64_t, int> tagBit;
        Statement tags(db, "SELECT id, name FROM tags ORDER BY id LIMIT 64");
        while (tags.step()) {
            tagBit[tags.int64(0)] = int(index->tags.size());
            index->tags << tags.text(1);
        }
        if (!index->tags.isEmpty())
            index->tagMask.assign(count, 0); // most projects have no tags: no 8 bytes a row
        Statement tagged(db, "SELECT sample_id, tag_id FROM sample_tags WHERE sample_id <= ?");
        tagged.bind(1, last);
        while (tagged.step()) {
            const std::int64_t row = rowOf(index->ids, tagged.int64(0));
            const auto b = tagBit.find(tagged.int64(1));
            if (row >= 0 && b != tagBit.end())
                index->tagMask[size_t(row)] |= std::uint64_t(1) << b->second;
        }
    }
    loadAttributes(db, *index);
    if (!index->m_partial)
        loadObjects(db, *index, classOf);
    return index;
}

QString SampleIndex::displayPath(size_t row) const
{
    const std::string_view p = path(row);
    const QString relative = QString::fromUtf8(p.data(), qsizetype(p.size()));
    return members[row] >= 0 ? relative + u'#' + QString::number(members[row]) : relative;
}

const std::vector<std::uint32_t> &SampleIndex::pathOrder() const
{
    // Computed once per index, on the first thread that asks; readers share it afterwards.
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    if (!m_pathOrder) {
        auto order = std::make_shared<std::vector<std::uint32_t>>(size());
        std::iota(order->begin(), order->end(), 0u);
        std::sort(order->begin(), order->end(), [this](std::uint32_t a, std::uint32_t b) {
            const auto pa = path(a), pb = path(b);
            return pa != pb ? pa < pb : members[a] < members[b];
        });
        m_pathOrder = std::move(order);
    }
    return *m_pathOrder;
}

int SampleIndex::numericColumn(const QString &key) const
{
    for (size_t i = 0; i < numeric.size(); ++i) {
        if (numeric[i].key == key)
            return int(i);
    }
    return -1;
}

int SampleIndex::textColumn(const QString &key) const
{
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i].key == key)
            return int(i);
    }
    return -1;
}

void summarizeIndex(const SampleIndex &index, ProjectSummary &summary)
{
    summary.classes = index.classes;
    summary.splits.clear();
    summary.perSplitClass.clear();
    summary.perSplit.clear();
    summary.samples = std::int64_t(index.size());
    summary.unlabeled = 0;
    const size_t classes = size_t(index.classes.size());
    const size_t splits = size_t(index.splits.size());
    std::vector<std::int64_t> counts((splits + 1) * (classes + 1), 0);
    for (size_t row = 0; row < index.size(); ++row) {
        const size_t split = index.splitIndex[row] >= 0 ? size_t(index.splitIndex[row]) : splits;
        const size_t cls = index.classIndex[row] >= 0 ? size_t(index.classIndex[row]) : classes;
        ++counts[split * (classes + 1) + cls];
    }
    summary.objectsPerSplitClass.clear();
    if (index.hasObjects()) {
        for (size_t row = 0; row < index.size(); ++row) {
            const QString split = index.splitIndex[row] >= 0
                                      ? index.splits[index.splitIndex[row]]
                                      : noSplitName;
            for (std::uint32_t i = index.objectOffsets[row]; i < index.objectOffsets[row + 1]; ++i) {
                const int c = index.objectClasses[i];
                summary.objectsPerSplitClass[split][c >= 0 ? index.classes[c]
                                                           : QStringLiteral("(unknown)")] +=
                    index.objectCounts[i];
            }
        }
    }
    for (size_t s = 0; s <= splits; ++s) {
        const QString name = s < splits ? index.splits[qsizetype(s)] : noSplitName;
        std::int64_t total = 0;
        for (size_t c = 0; c <= classes; ++c) {
            const std::int64_t n = counts[s * (classes + 1) + c];
            total += n;
            if (c < classes && n > 0)
                summary.perSplitClass[name][index.classes[qsizetype(c)]] = n;
            else if (c == classes)
                summary.unlabeled += n;
        }
        if (total > 0) {
            summary.splits << name;
            summary.perSplit[name] = total;
        }
    }
}

IndexQualityCounts qualityCounts(const SampleIndex &index)
{
    IndexQualityCounts counts;
    counts.perKind.assign(size_t(index.issueKinds.size()), 0);
    for (size_t row = 0; row < index.size(); ++row) {
        for (std::uint32_t bits = index.issueMask[row]; bits; bits &= bits - 1)
            ++counts.perKind[size_t(std::countr_zero(bits))];
        counts.scanned += index.scanState[row] != SampleIndex::NotScanned ? 1 : 0;
    }
    return counts;
}

} // namespace assay::store
