#include "sampleindex.h"

#include "database.h"

#include "model/annotation.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>

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
};

std::int64_t rowOf(const std::vector<std::int64_t> &ids, std::int64_t id)
{
    const auto found = std::lower_bound(ids.begin(), ids.end(), id);
    return found != ids.end() && *found == id ? found - ids.begin() : -1;
}

} // namespace

std::shared_ptr<const SampleIndex> SampleIndex::load(Database &db)
{
    auto index = std::make_shared<SampleIndex>();
    std::map<std::int64_t, int> classOf, splitOf;
    {
        Statement query(db, "SELECT id, name FROM categories ORDER BY position, id");
        while (query.step()) {
            classOf[query.int64(0)] = int(index->classes.size());
            index->classes << query.text(1);
        }
    }
    {
        Statement query(db, "SELECT id, name FROM splits ORDER BY id");
        while (query.step()) {
            splitOf[query.int64(0)] = int(index->splits.size());
            index->splits << query.text(1);
        }
    }
    for (const FeatureColumn &column : featureColumns)
        index->numeric.push_back({QString::fromLatin1(column.key),
                                  QString::fromLatin1(column.title), column.logScale, {}});

    // Keyset pages keep each read transaction short (a long one would hold back checkpoints).
    Statement page(db, R"sql(
        SELECT s.id, s.path, s.member, ifnull(s.category_id, 0), ifnull(s.split_id, 0),
               f.status, f.brightness, f.contrast, f.sharpness, f.entropy, f.colorfulness,
               f.width, f.height, f.file_size
        FROM samples s LEFT JOIN features f ON f.sample_id = s.id
        WHERE s.status = 0 AND s.id > ? ORDER BY s.id LIMIT ?)sql");
    std::int64_t last = 0;
    for (;;) {
        page.bind(1, last);
        page.bind(2, pageSize);
        int rows = 0;
        while (page.step()) {
            ++rows;
            last = page.int64(0);
            index->ids.push_back(last);
            const std::string_view path = page.utf8(1);
            index->m_paths.append(path);
            index->m_pathOffsets.push_back(index->m_paths.size());
            index->members.push_back(page.int64(2));
            const auto c = classOf.find(page.int64(3));
            index->classIndex.push_back(c == classOf.end() ? -1 : c->second);
            const auto s = splitOf.find(page.int64(4));
            index->splitIndex.push_back(std::int16_t(s == splitOf.end() ? -1 : s->second));
            const bool measured = !page.isNull(5) && page.int64(5) == 0;
            const bool sized = !page.isNull(11) && page.int64(11) > 0;
            auto value = [&](int column) { return measured ? float(page.real(column)) : missing; };
            const float width = sized ? float(page.int64(11)) : missing;
            const float height = sized ? float(page.int64(12)) : missing;
            const float values[] = {value(6),  value(7),  value(8),  value(9), value(10),
                                    width,     height,    sized ? width / height : missing,
                                    sized ? width * height / 1e6f : missing,
                                    page.isNull(13) ? missing : float(page.int64(13))};
            for (size_t i = 0; i < std::size(values); ++i)
                index->numeric[i].values.push_back(values[i]);
        }
        page.reset();
        if (rows < pageSize)
            break;
    }
    const size_t count = index->ids.size();
    index->issueMask.assign(count, 0);
    index->tagMask.assign(count, 0);
    {
        Statement kinds(db, "SELECT DISTINCT kind FROM issues ORDER BY kind LIMIT 32");
        while (kinds.step())
            index->issueKinds << kinds.text(0);
        Statement issues(db, "SELECT sample_id, kind FROM issues");
        QHash<QString, int> bit;
        for (qsizetype k = 0; k < index->issueKinds.size(); ++k)
            bit.insert(index->issueKinds[k], int(k));
        while (issues.step()) {
            const std::int64_t row = rowOf(index->ids, issues.int64(0));
            const auto b = bit.constFind(issues.text(1));
            if (row >= 0 && b != bit.cend())
                index->issueMask[size_t(row)] |= 1u << *b;
        }
    }
    {
        std::map<std::int64_t, int> tagBit;
        Statement tags(db, "SELECT id, name FROM tags ORDER BY id LIMIT 64");
        while (tags.step()) {
            tagBit[tags.int64(0)] = int(index->tags.size());
            index->tags << tags.text(1);
        }
        Statement tagged(db, "SELECT sample_id, tag_id FROM sample_tags");
        while (tagged.step()) {
            const std::int64_t row = rowOf(index->ids, tagged.int64(0));
            const auto b = tagBit.find(tagged.int64(1));
            if (row >= 0 && b != tagBit.end())
                index->tagMask[size_t(row)] |= std::uint64_t(1) << b->second;
        }
    }
    {
        struct Attribute
        {
            QString name;
            AttributeType type;
            std::string column;
        };
        std::vector<Attribute> attributes;
        Statement list(db, "SELECT name, type, column_name FROM attributes ORDER BY id");
        while (list.step())
            attributes.push_back({list.text(0), static_cast<AttributeType>(list.int64(1)),
                                  std::string(list.utf8(2))});
        for (const Attribute &attribute : attributes) {
            Statement values(db, "SELECT sample_id, " + attribute.column
                                     + " FROM sample_attributes WHERE " + attribute.column
                                     + " IS NOT NULL");
            const QString key = QStringLiteral("attr:") + attribute.name;
            if (attribute.type == AttributeType::Number) {
                NumericColumn column{key, attribute.name, false, std::vector<float>(count, missing)};
                while (values.step()) {
                    const std::int64_t row = rowOf(index->ids, values.int64(0));
                    if (row >= 0)
                        column.values[size_t(row)] = float(values.real(1));
                }
                index->numeric.push_back(std::move(column));
            } else {
                TextColumn column{key, attribute.name, {}, std::vector<std::int32_t>(count, -1)};
                QHash<QString, int> codeOf;
                while (values.step()) {
                    const std::int64_t row = rowOf(index->ids, values.int64(0));
                    if (row < 0)
                        continue;
                    const QString value = values.text(1);
                    auto code = codeOf.constFind(value);
                    if (code == codeOf.cend()) {
                        code = codeOf.insert(value, int(column.dictionary.size()));
                        column.dictionary << value;
                    }
                    column.codes[size_t(row)] = *code;
                }
                index->text.push_back(std::move(column));
            }
        }
    }
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

} // namespace assay::store
