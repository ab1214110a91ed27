#include "annotationsync.h"

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

} // namespace

AnnotationSync::AnnotationSync(Database &db)
    : m_db(db),
      m_insert(db, "INSERT INTO annotations(sample_id, category_id, kind, x, y, w, h, geometry, "
                   "iscrowd, extra, source_file, source_index) "
                   "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
      m_update(db, "UPDATE annotations SET category_id = ?, kind = ?, x = ?, y = ?, w = ?, h = ?, "
                   "geometry = ?, iscrowd = ?, extra = ? WHERE id = ?")
{
    Statement all(db, "SELECT id, sample_id, source_file, source_index, ifnull(category_id, 0), "
                      "kind, x, y, w, h, geometry, iscrowd, extra FROM annotations "
                      "WHERE source_file IS NOT NULL");
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
        m_existing.emplace(m_key, std::move(e));
    }
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
        if (!m_existing.empty()) { // a new project has none: no keys to build
            keyOf(m_key, sampleId, a.sourceFile, a.sourceIndex);
            found = m_existing.find(m_key);
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
    if (m_existing.empty())
        return;
    // Annotations of the plan's samples that the source no longer has.
    std::unordered_set<std::int64_t> planSamples(sampleIds.begin(), sampleIds.end());
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
