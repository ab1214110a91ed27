#include "annotationsync.h"

#include "editjournal.h"

#include <QHash>

#include <string>
#include <unordered_map>
#include <unordered_set>

namespace assay::store {

namespace {

void keyOf(std::string &key, std::int64_t sampleId, std::string_view file, std::int64_t index)
{
    key = std::to_string(sampleId);
    key.push_back('\0');
    key.append(file);
    key.push_back('\0');
    key += std::to_string(index);
}

QByteArray geometryOf(const ImportAnnotation &a)
{
    switch (a.kind) {
    case AnnotationKind::Polygon: return encodePolygons(a.polygons);
    case AnnotationKind::Mask: return encodeMask(a.mask);
    case AnnotationKind::Box: break;
    }
    return {};
}

void bindFields(Statement &s, int first, const ImportAnnotation &a, std::int64_t categoryId,
                const QByteArray &geometry)
{
    if (categoryId > 0)
        s.bind(first, categoryId);
    else
        s.bindNull(first);
    s.bind(first + 1, int(a.kind));
    s.bind(first + 2, a.x);
    s.bind(first + 3, a.y);
    s.bind(first + 4, a.w);
    s.bind(first + 5, a.h);
    // The annotation and its geometry outlive the statement's run: no copies.
    s.bindUnownedBlob(first + 6, geometry);
    s.bind(first + 7, a.crowd ? 1 : 0);
    if (a.extra.empty())
        s.bindNull(first + 8);
    else
        s.bindUnowned(first + 8, a.extra);
}

constexpr char existingColumns[] = "sample_id, source_file, source_index, "
                                   "ifnull(category_id, 0), kind, x, y, w, h, geometry, iscrowd, "
                                   "extra";

// The fields a record sets, as an import would store them.
template<typename Fields>
bool sameFields(const Fields &e, const ImportAnnotation &a, std::int64_t categoryId,
                const QByteArray &geometry)
{
    return e.categoryId == categoryId && e.kind == int(a.kind) && e.x == a.x && e.y == a.y
           && e.w == a.w && e.h == a.h && e.geometry == geometry && e.crowd == a.crowd
           && e.extra == a.extra;
}

AnnotationValue valueOf(std::int64_t sampleId, std::string_view file, std::int64_t index)
{
    AnnotationValue value;
    value.sampleId = sampleId;
    value.sourceFile = QString::fromUtf8(file.data(), qsizetype(file.size()));
    value.sourceIndex = index;
    return value;
}

} // namespace

AnnotationSync::AnnotationSync(Database &db)
    : m_db(db),
      m_insert(db, "INSERT INTO annotations(sample_id, category_id, kind, x, y, w, h, geometry, "
                   "iscrowd, extra, source_file, source_index) "
                   "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
      m_update(db, "UPDATE annotations SET category_id = ?, kind = ?, x = ?, y = ?, w = ?, h = ?, "
                   "geometry = ?, iscrowd = ?, extra = ? WHERE id = ?")
{
    auto load = [&](const std::string &sql, std::unordered_map<std::string, Existing> &into) {
        Statement all(db, sql);
        while (all.step()) {
            Existing e;
            e.id = all.int64(0);
            e.categoryId = all.int64(4);
            e.kind = int(all.int64(5));
            e.x = all.real(6);
            e.y = all.real(7);
            e.w = all.real(8);
            e.h = all.real(9);
            if (!all.isNull(10))
                e.geometry = all.blob(10);
            e.crowd = all.int64(11) != 0;
            e.extra = std::string(all.utf8(12));
            keyOf(m_key, all.int64(1), all.utf8(2), all.int64(3));
            into.emplace(m_key, std::move(e));
        }
    };
    load(std::string("SELECT id, ") + existingColumns
             + " FROM annotations WHERE source_file IS NOT NULL",
         m_existing);
    if (db.queryInt("SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE name = "
                    "'annotation_sources')"))
        load(std::string("SELECT annotation_id, ") + existingColumns + " FROM annotation_sources",
             m_sources);
}

bool AnnotationSync::keepsEdit(const ImportAnnotation &a, std::int64_t sampleId,
                               std::int64_t categoryId, const QByteArray &geometry,
                               Existing *current)
{
    const auto saved = m_sources.find(m_key);
    if (saved == m_sources.end())
        return false;
    Existing &source = saved->second;
    source.seen = true;
    const bool undone = current && current->categoryId == source.categoryId
                        && current->kind == source.kind && current->x == source.x
                        && current->y == source.y && current->w == source.w
                        && current->h == source.h && current->geometry == source.geometry
                        && current->crowd == source.crowd && current->extra == source.extra;
    if (undone || (current && sameFields(*current, a, categoryId, geometry))) {
        Statement forget(m_db, "DELETE FROM annotation_sources WHERE annotation_id = ?");
        forget.bind(1, source.id);
        forget.run();
        return false;
    }
    if (current)
        current->seen = true;
    if (sameFields(source, a, categoryId, geometry))
        return true; // the source did not change: nothing to tell
    Statement update(m_db, "UPDATE annotation_sources SET category_id = ?, kind = ?, x = ?, "
                           "y = ?, w = ?, h = ?, geometry = ?, iscrowd = ?, extra = ? "
                           "WHERE annotation_id = ?");
    bindFields(update, 1, a, categoryId, geometry);
    update.bind(10, source.id);
    update.run();
    source.categoryId = categoryId;
    source.kind = int(a.kind);
    source.x = a.x;
    source.y = a.y;
    source.w = a.w;
    source.h = a.h;
    source.geometry = geometry;
    source.crowd = a.crowd;
    source.extra = a.extra;

    auto json = [&](const Existing &e) {
        AnnotationValue value = valueOf(sampleId, a.sourceFile, a.sourceIndex);
        if (e.categoryId > 0)
            value.categoryId = e.categoryId;
        value.kind = e.kind;
        value.x = e.x;
        value.y = e.y;
        value.w = e.w;
        value.h = e.h;
        if (!e.geometry.isNull())
            value.geometry = e.geometry;
        value.crowd = e.crowd ? 1 : 0;
        if (!e.extra.empty())
            value.extra = QString::fromStdString(e.extra);
        return annotationValueJson(value);
    };
    m_kept.push_back({sampleId, source.id, json(source),
                      current ? FieldValue(json(*current)) : FieldValue()});
    return true;
}

AnnotationSync::~AnnotationSync() = default;

void AnnotationSync::add(const std::vector<ImportAnnotation> &annotations,
                         const std::vector<std::int64_t> &sampleIds,
                         const std::vector<std::int64_t> &categoryIds, ImportResult &result)
{
    for (const ImportAnnotation &a : annotations) {
        const std::int64_t sampleId = sampleIds[a.item];
        const std::int64_t categoryId = a.category >= 0 ? categoryIds[size_t(a.category)] : 0;
        const QByteArray geometry = geometryOf(a);
        auto found = m_existing.end();
        if (!m_existing.empty() || !m_sources.empty()) { // a new project has none: no keys
            keyOf(m_key, sampleId, a.sourceFile, a.sourceIndex);
            found = m_existing.find(m_key);
            if (!m_sources.empty()
                && keepsEdit(a, sampleId, categoryId, geometry,
                             found == m_existing.end() ? nullptr : &found->second))
                continue;
        }
        if (found == m_existing.end()) {
            m_insert.bind(1, sampleId);
            bindFields(m_insert, 2, a, categoryId, geometry);
            m_insert.bindUnowned(11, a.sourceFile);
            m_insert.bind(12, a.sourceIndex);
            m_insert.run();
            ++result.annotationsAdded;
            continue;
        }
        Existing &e = found->second;
        e.seen = true;
        if (e.categoryId == categoryId && e.kind == int(a.kind) && e.x == a.x && e.y == a.y
            && e.w == a.w && e.h == a.h && e.geometry == geometry && e.crowd == a.crowd
            && e.extra == a.extra)
            continue;
        bindFields(m_update, 1, a, categoryId, geometry);
        m_update.bind(10, e.id);
        m_update.run();
        ++result.annotationsUpdated;
    }
}

void AnnotationSync::removeUnseen(const std::vector<std::int64_t> &sampleIds,
                                  ImportResult &result)
{
    if (m_existing.empty() && m_sources.empty())
        return;
    // Annotations of the plan's samples that the source no longer has.
    std::unordered_set<std::int64_t> planSamples(sampleIds.begin(), sampleIds.end());
    // Saved source versions of records the source no longer has: nothing to compare with.
    Statement forget(m_db, "DELETE FROM annotation_sources WHERE annotation_id = ?");
    for (const auto &[key, source] : m_sources) {
        if (source.seen || !planSamples.count(std::stoll(key.substr(0, key.find('\0')))))
            continue;
        forget.bind(1, source.id);
        forget.run();
    }
    Statement remove(m_db, "DELETE FROM annotations WHERE id = ?");
    for (const auto &[key, e] : m_existing) {
        if (e.seen)
            continue;
        const std::int64_t sampleId = std::stoll(key.substr(0, key.find('\0')));
        if (!planSamples.count(sampleId))
            continue;
        remove.bind(1, e.id);
        remove.run();
        ++result.annotationsRemoved;
    }
}

} // namespace assay::store
