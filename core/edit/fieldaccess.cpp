// FieldAccess: where each edited field lives in the project's tables.

#include "fieldaccess.h"

#include "store/editjournal.h"
#include "util/datasetpath.h"
#include "util/error.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace assay::edit {

namespace {

constexpr char annotationRowColumns[] = "sample_id, category_id, kind, x, y, w, h, geometry, "
                                        "iscrowd, source_file, source_index, extra";

QJsonValue nullable(const store::Statement &row, int column, bool text = false)
{
    if (row.isNull(column))
        return QJsonValue::Null;
    if (text)
        return row.text(column);
    return qint64(row.int64(column));
}

QString compactJson(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// An annotation row's value from annotationRowColumns starting at `first`.
QString annotationJson(const store::Statement &row, int first)
{
    store::AnnotationValue a;
    a.sampleId = row.int64(first);
    if (!row.isNull(first + 1))
        a.categoryId = row.int64(first + 1);
    a.kind = int(row.int64(first + 2));
    a.x = row.real(first + 3);
    a.y = row.real(first + 4);
    a.w = row.real(first + 5);
    a.h = row.real(first + 6);
    if (!row.isNull(first + 7))
        a.geometry = row.blob(first + 7);
    a.crowd = int(row.int64(first + 8));
    if (!row.isNull(first + 9))
        a.sourceFile = row.text(first + 9);
    if (!row.isNull(first + 10))
        a.sourceIndex = row.int64(first + 10);
    if (!row.isNull(first + 11))
        a.extra = row.text(first + 11);
    return store::annotationValueJson(a);
}

QString categoryJson(const QString &name, const QJsonValue &supercategory,
                     const QJsonValue &sourceId, std::int64_t position)
{
    return compactJson({{QStringLiteral("name"), name},
                        {QStringLiteral("supercategory"), supercategory},
                        {QStringLiteral("source_id"), sourceId},
                        {QStringLiteral("position"), qint64(position)}});
}

void bindJsonId(store::Statement &s, int index, const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        s.bindNull(index);
    else
        s.bind(index, std::int64_t(value.toInteger()));
}

void bindJsonText(store::Statement &s, int index, const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        s.bindNull(index);
    else
        s.bind(index, value.toString());
}

QJsonObject parseRow(const FieldValue &value, const QString &what)
{
    const auto *text = std::get_if<QString>(&value);
    QJsonParseError error;
    const QJsonDocument document =
        text ? QJsonDocument::fromJson(text->toUtf8(), &error) : QJsonDocument();
    if (!text || error.error != QJsonParseError::NoError || !document.isObject())
        throw Error(QStringLiteral("the journal holds a damaged %1 row").arg(what));
    return document.object();
}

} // namespace

QString newAnnotationValue(std::int64_t sampleId, std::int64_t categoryId, AnnotationKind kind,
                           const Box &box, const QByteArray &geometry)
{
    store::AnnotationValue value;
    value.sampleId = sampleId;
    if (categoryId > 0)
        value.categoryId = categoryId;
    value.kind = int(kind);
    value.x = box.x;
    value.y = box.y;
    value.w = box.w;
    value.h = box.h;
    if (!geometry.isNull())
        value.geometry = geometry;
    return store::annotationValueJson(value);
}

QString newCategoryValue(const QString &name, const QString &supercategory, std::int64_t position)
{
    return categoryJson(name,
                        supercategory.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                : QJsonValue(supercategory),
                        QJsonValue(QJsonValue::Null), position);
}

FieldAccess::FieldAccess(store::Database &db) : m_db(db) {}

FieldAccess::~FieldAccess() = default;

store::Statement &FieldAccess::statement(Slot slot, const char *sql)
{
    std::optional<store::Statement> &s = m_statements[slot];
    if (!s)
        s.emplace(m_db, sql);
    return *s;
}

QString FieldAccess::categoryName(std::int64_t id)
{
    store::Statement &query = statement(ReadCategoryName, "SELECT name FROM categories WHERE id = ?");
    query.bind(1, id);
    const QString name = query.step() ? query.text(0) : QStringLiteral("#%1").arg(id);
    query.reset();
    return name;
}

QString FieldAccess::describe(const Change &change)
{
    auto samplePath = [this](std::int64_t id) {
        store::Statement query(m_db, "SELECT path, member FROM samples WHERE id = ?");
        query.bind(1, id);
        return query.step() ? datasetpath::display(query.text(0), query.int64(1))
                            : QStringLiteral("#%1").arg(id);
    };
    switch (change.field) {
    case Field::SampleClass:
    case Field::SampleSplit:
    case Field::SampleReviewed:
    case Field::SampleExcluded:
    case Field::SampleTag: return QStringLiteral("sample %1").arg(samplePath(change.sampleId));
    case Field::AnnotationClass:
    case Field::AnnotationBox:
    case Field::AnnotationGeometry:
    case Field::Annotation:
        if (change.sampleId)
            return QStringLiteral("object %1 of sample %2")
                .arg(change.annotationId)
                .arg(samplePath(change.sampleId));
        return QStringLiteral("object %1").arg(change.annotationId);
    case Field::CategoryName:
    case Field::Category: return QStringLiteral("class '%1'").arg(categoryName(change.categoryId));
    }
    return {};
}

void FieldAccess::requireRow(store::Statement &query, const Change &change)
{
    if (query.step())
        return;
    query.reset();
    switch (change.field) {
    case Field::AnnotationClass:
    case Field::AnnotationBox:
    case Field::AnnotationGeometry:
        throw Error(QStringLiteral("there is no object %1 (deleted meanwhile?)")
                        .arg(change.annotationId));
    case Field::CategoryName:
        throw Error(QStringLiteral("there is no class #%1").arg(change.categoryId));
    default:
        throw Error(QStringLiteral("there is no sample #%1").arg(change.sampleId));
    }
}

FieldValue FieldAccess::read(const Change &change)
{
    auto readId = [&](Slot slot, const char *sql, std::int64_t id) -> FieldValue {
        store::Statement &query = statement(slot, sql);
        query.bind(1, id);
        requireRow(query, change);
        const FieldValue value = query.isNull(0) ? FieldValue() : FieldValue(query.int64(0));
        query.reset();
        return value;
    };
    switch (change.field) {
    case Field::SampleClass:
        return readId(ReadSampleClass, "SELECT category_id FROM samples WHERE id = ?",
                      change.sampleId);
    case Field::SampleSplit:
        return readId(ReadSampleSplit, "SELECT split_id FROM samples WHERE id = ?",
                      change.sampleId);
    case Field::SampleReviewed:
        return readId(ReadReviewed, "SELECT reviewed FROM samples WHERE id = ?", change.sampleId);
    case Field::SampleExcluded:
        return readId(ReadExcluded, "SELECT excluded FROM samples WHERE id = ?", change.sampleId);
    case Field::SampleTag: {
        store::Statement &query = statement(
            ReadTag, "SELECT EXISTS(SELECT 1 FROM sample_tags st JOIN tags t ON t.id = st.tag_id "
                     "WHERE st.sample_id = ? AND t.name = ?)");
        query.bind(1, change.sampleId);
        query.bind(2, change.key);
        query.step();
        const bool tagged = query.int64(0) != 0;
        query.reset();
        return flagValue(tagged);
    }
    case Field::AnnotationClass:
        return readId(ReadAnnotationClass, "SELECT category_id FROM annotations WHERE id = ?",
                      change.annotationId);
    case Field::AnnotationBox: {
        store::Statement &query =
            statement(ReadBox, "SELECT x, y, w, h FROM annotations WHERE id = ?");
        query.bind(1, change.annotationId);
        requireRow(query, change);
        const Box box{query.real(0), query.real(1), query.real(2), query.real(3)};
        query.reset();
        return encodeBox(box);
    }
    case Field::AnnotationGeometry: {
        store::Statement &query =
            statement(ReadGeometry, "SELECT x, y, w, h, geometry FROM annotations WHERE id = ?");
        query.bind(1, change.annotationId);
        requireRow(query, change);
        const Box box{query.real(0), query.real(1), query.real(2), query.real(3)};
        const QByteArray value = encodeGeometry(box, query.blob(4));
        query.reset();
        return value;
    }
    case Field::Annotation: {
        if (change.annotationId == 0)
            return {};
        store::Statement &query = statement(
            ReadAnnotation,
            (std::string("SELECT ") + annotationRowColumns + " FROM annotations WHERE id = ?")
                .c_str());
        query.bind(1, change.annotationId);
        const FieldValue value = query.step() ? FieldValue(annotationJson(query, 0)) : FieldValue();
        query.reset();
        return value;
    }
    case Field::CategoryName: {
        store::Statement &query =
            statement(ReadCategoryName, "SELECT name FROM categories WHERE id = ?");
        query.bind(1, change.categoryId);
        requireRow(query, change);
        const FieldValue value = query.text(0);
        query.reset();
        return value;
    }
    case Field::Category: {
        if (change.categoryId == 0)
            return {};
        store::Statement &query = statement(ReadCategory, "SELECT name, supercategory, "
                                                          "source_id, position FROM categories "
                                                          "WHERE id = ?");
        query.bind(1, change.categoryId);
        FieldValue value;
        if (query.step())
            value = categoryJson(query.text(0), nullable(query, 1, true), nullable(query, 2),
                                 query.int64(3));
        query.reset();
        return value;
    }
    }
    return {};
}

void FieldAccess::saveSource(std::int64_t annotationId)
{
    // The source's version of an imported object, before its first edit (INSERT OR IGNORE: a
    // later edit keeps the first copy).
    store::Statement &save = statement(
        SaveSource,
        "INSERT OR IGNORE INTO annotation_sources(annotation_id, sample_id, source_file, "
        "source_index, category_id, kind, x, y, w, h, geometry, iscrowd, extra) "
        "SELECT id, sample_id, source_file, source_index, category_id, kind, x, y, w, h, "
        "geometry, iscrowd, extra FROM annotations WHERE id = ? AND source_file IS NOT NULL");
    save.bind(1, annotationId);
    save.run();
}

std::int64_t FieldAccess::tagId(const QString &name)
{
    if (const auto found = m_tagIds.constFind(name); found != m_tagIds.constEnd())
        return *found;
    store::Statement &find = statement(FindTag, "SELECT id FROM tags WHERE name = ?");
    find.bind(1, name);
    std::int64_t id = 0;
    if (find.step())
        id = find.int64(0);
    find.reset();
    if (id == 0) {
        // Tags are names: one is created on first use and never removed, so the journal can name
        // it and an undo can apply it again.
        store::Statement &add = statement(AddTag, "INSERT INTO tags(name) VALUES(?)");
        add.bind(1, name);
        add.run();
        id = m_db.lastInsertId();
    }
    m_tagIds.insert(name, id);
    return id;
}

void FieldAccess::writeAnnotationRow(Change &change, const QString &json)
{
    const std::optional<store::AnnotationValue> row = store::parseAnnotationValue(json);
    if (!row)
        throw Error(QStringLiteral("the journal holds a damaged object row"));
    store::Statement &insert = statement(
        InsertAnnotation, "INSERT INTO annotations(id, sample_id, category_id, kind, x, y, w, h, "
                          "geometry, iscrowd, source_file, source_index, extra) "
                          "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto bindOptional = [&](int index, const auto &optional) {
        if (optional)
            insert.bind(index, *optional);
        else
            insert.bindNull(index);
    };
    if (change.annotationId)
        insert.bind(1, change.annotationId);
    else
        insert.bindNull(1);
    insert.bind(2, row->sampleId);
    bindOptional(3, row->categoryId);
    insert.bind(4, row->kind);
    insert.bind(5, row->x);
    insert.bind(6, row->y);
    insert.bind(7, row->w);
    insert.bind(8, row->h);
    if (row->geometry)
        insert.bindBlob(9, row->geometry->isNull() ? QByteArray("") : *row->geometry);
    else
        insert.bindNull(9);
    insert.bind(10, row->crowd);
    bindOptional(11, row->sourceFile);
    bindOptional(12, row->sourceIndex);
    bindOptional(13, row->extra);
    try {
        insert.run();
    } catch (const Error &error) {
        insert.reset();
        throw Error(QStringLiteral("cannot add %1: %2").arg(describe(change), error.message()));
    }
    if (!change.annotationId)
        change.annotationId = m_db.lastInsertId();
}

void FieldAccess::writeCategoryRow(Change &change, const FieldValue &value)
{
    if (isNullValue(value)) {
        const std::int64_t used = [&] {
            store::Statement count(m_db, "SELECT (SELECT count(*) FROM samples WHERE "
                                         "category_id = ?1) + (SELECT count(*) FROM annotations "
                                         "WHERE category_id = ?1)");
            count.bind(1, change.categoryId);
            count.step();
            return count.int64(0);
        }();
        if (used > 0)
            throw Error(QStringLiteral("cannot remove %1: %2 samples or objects still have it")
                            .arg(describe(change))
                            .arg(used));
        store::Statement &remove =
            statement(DeleteCategory, "DELETE FROM categories WHERE id = ?");
        remove.bind(1, change.categoryId);
        remove.run();
        return;
    }
    const QJsonObject row = parseRow(value, QStringLiteral("class"));
    store::Statement &insert =
        statement(InsertCategory, "INSERT INTO categories(id, name, supercategory, source_id, "
                                  "position) VALUES(?, ?, ?, ?, ?)");
    if (change.categoryId)
        insert.bind(1, change.categoryId);
    else
        insert.bindNull(1);
    const QString name = row.value(QStringLiteral("name")).toString();
    insert.bind(2, name);
    bindJsonText(insert, 3, row.value(QStringLiteral("supercategory")));
    bindJsonId(insert, 4, row.value(QStringLiteral("source_id")));
    insert.bind(5, std::int64_t(row.value(QStringLiteral("position")).toInteger()));
    try {
        insert.run();
    } catch (const Error &) {
        insert.reset();
        throw Error(QStringLiteral("cannot add the class '%1': a class of that name (or id) "
                                   "exists")
                        .arg(name));
    }
    if (!change.categoryId)
        change.categoryId = m_db.lastInsertId();
}

void FieldAccess::write(Change &change, const FieldValue &value)
{
    auto bindValue = [](store::Statement &s, int index, const FieldValue &v) {
        if (isNullValue(v))
            s.bindNull(index);
        else if (const auto *id = std::get_if<std::int64_t>(&v))
            s.bind(index, *id);
        else
            throw Error(QStringLiteral("internal error: a field got a value of the wrong type"));
    };
    auto update = [&](Slot slot, const char *sql, std::int64_t id) {
        store::Statement &s = statement(slot, sql);
        bindValue(s, 1, value);
        s.bind(2, id);
        s.run();
    };
    switch (change.field) {
    case Field::SampleClass:
        // Before the first edit of the class, the source's value is kept beside it (SET reads
        // the row as it was): a re-import then tells an edit from a change of the source.
        update(WriteSampleClass,
               "UPDATE samples SET category_id = ?1, source_category_id = CASE WHEN edited & 1 "
               "THEN source_category_id ELSE category_id END, edited = edited | 1 WHERE id = ?2",
               change.sampleId);
        return;
    case Field::SampleSplit:
        update(WriteSampleSplit,
               "UPDATE samples SET split_id = ?1, source_split_id = CASE WHEN edited & 2 "
               "THEN source_split_id ELSE split_id END, edited = edited | 2 WHERE id = ?2",
               change.sampleId);
        return;
    case Field::SampleReviewed:
        update(WriteReviewed, "UPDATE samples SET reviewed = ? WHERE id = ?", change.sampleId);
        return;
    case Field::SampleExcluded:
        update(WriteExcluded, "UPDATE samples SET excluded = ? WHERE id = ?", change.sampleId);
        return;
    case Field::SampleTag: {
        const std::int64_t tag = tagId(change.key);
        store::Statement &s =
            idOf(value) ? statement(Tag, "INSERT OR IGNORE INTO sample_tags(sample_id, tag_id) "
                                         "VALUES(?, ?)")
                        : statement(Untag, "DELETE FROM sample_tags WHERE sample_id = ? AND "
                                           "tag_id = ?");
        s.bind(1, change.sampleId);
        s.bind(2, tag);
        s.run();
        return;
    }
    case Field::AnnotationClass:
        saveSource(change.annotationId);
        update(WriteAnnotationClass, "UPDATE annotations SET category_id = ? WHERE id = ?",
               change.annotationId);
        return;
    case Field::AnnotationBox: {
        const auto *text = std::get_if<QString>(&value);
        const std::optional<Box> box = text ? decodeBox(*text) : std::nullopt;
        if (!box)
            throw Error(QStringLiteral("a box is four numbers \"x,y,w,h\""));
        saveSource(change.annotationId);
        store::Statement &s = statement(
            WriteBox, "UPDATE annotations SET x = ?, y = ?, w = ?, h = ? WHERE id = ?");
        s.bind(1, box->x);
        s.bind(2, box->y);
        s.bind(3, box->w);
        s.bind(4, box->h);
        s.bind(5, change.annotationId);
        s.run();
        return;
    }
    case Field::AnnotationGeometry: {
        Box box;
        QByteArray geometry;
        const auto *bytes = std::get_if<QByteArray>(&value);
        if (!bytes || !decodeGeometry(*bytes, box, geometry))
            throw Error(QStringLiteral("internal error: a geometry value is damaged"));
        saveSource(change.annotationId);
        store::Statement &s =
            statement(WriteGeometry, "UPDATE annotations SET x = ?, y = ?, w = ?, h = ?, "
                                     "geometry = ? WHERE id = ?");
        s.bind(1, box.x);
        s.bind(2, box.y);
        s.bind(3, box.w);
        s.bind(4, box.h);
        s.bindBlob(5, geometry);
        s.bind(6, change.annotationId);
        s.run();
        return;
    }
    case Field::Annotation:
        if (isNullValue(value)) {
            saveSource(change.annotationId);
            store::Statement &s =
                statement(DeleteAnnotation, "DELETE FROM annotations WHERE id = ?");
            s.bind(1, change.annotationId);
            s.run();
        } else if (const auto *json = std::get_if<QString>(&value)) {
            writeAnnotationRow(change, *json);
        } else {
            throw Error(QStringLiteral("internal error: an object's value is not a row"));
        }
        return;
    case Field::CategoryName: {
        const auto *name = std::get_if<QString>(&value);
        if (!name || name->trimmed().isEmpty())
            throw Error(QStringLiteral("a class needs a name"));
        store::Statement &s =
            statement(WriteCategoryName, "UPDATE categories SET name = ? WHERE id = ?");
        s.bind(1, *name);
        s.bind(2, change.categoryId);
        try {
            s.run();
        } catch (const Error &) {
            s.reset();
            throw Error(QStringLiteral("cannot rename %1 to '%2': a class of that name exists "
                                       "(merge them instead)")
                            .arg(describe(change), *name));
        }
        return;
    }
    case Field::Category: writeCategoryRow(change, value); return;
    }
}

} // namespace assay::edit
