// The edit commands: each builds the Changes of one edit.

#include "commands.h"

#include "fieldaccess.h"

#include "model/annotation.h"
#include "store/database.h"
#include "store/editjournal.h"
#include "util/error.h"

#include <algorithm>
#include <limits>

namespace assay::edit {

namespace {

QString count(size_t n, const char *one, const char *many)
{
    return QStringLiteral("%1 %2").arg(n).arg(QString::fromLatin1(n == 1 ? one : many));
}

QString categoryLabel(store::Database &db, std::int64_t id)
{
    if (id == 0)
        return QStringLiteral("(none)");
    store::Statement query(db, "SELECT name FROM categories WHERE id = ?");
    query.bind(1, id);
    if (!query.step())
        throw Error(QStringLiteral("there is no class #%1").arg(id));
    return QStringLiteral("'%1'").arg(query.text(0));
}

QString splitLabel(store::Database &db, std::int64_t id)
{
    if (id == 0)
        return QStringLiteral("no split");
    store::Statement query(db, "SELECT name FROM splits WHERE id = ?");
    query.bind(1, id);
    if (!query.step())
        throw Error(QStringLiteral("there is no split #%1").arg(id));
    return QStringLiteral("'%1'").arg(query.text(0));
}

// One change of the same field to the same value per sample.
EditBatch perSample(const std::vector<std::int64_t> &samples, Field field, const FieldValue &value,
                    const QString &key = {})
{
    EditBatch batch;
    batch.changes.reserve(samples.size());
    for (const std::int64_t id : samples) {
        Change change;
        change.field = field;
        change.sampleId = id;
        change.key = key;
        change.newValue = value;
        batch.changes.push_back(std::move(change));
    }
    return batch;
}

std::int64_t sampleOfAnnotation(store::Database &db, std::int64_t annotationId)
{
    store::Statement query(db, "SELECT sample_id FROM annotations WHERE id = ?");
    query.bind(1, annotationId);
    if (!query.step())
        throw Error(QStringLiteral("there is no object %1").arg(annotationId));
    return query.int64(0);
}

Box currentBox(store::Database &db, std::int64_t annotationId)
{
    store::Statement query(db, "SELECT x, y, w, h FROM annotations WHERE id = ?");
    query.bind(1, annotationId);
    if (!query.step())
        throw Error(QStringLiteral("there is no object %1").arg(annotationId));
    return {query.real(0), query.real(1), query.real(2), query.real(3)};
}

// A polygon object's rings, with the value they were read as (the change's expectation).
struct PolygonEdit
{
    std::int64_t sampleId = 0;
    std::vector<std::vector<float>> rings;
    FieldValue was;
};

PolygonEdit readPolygon(store::Database &db, std::int64_t annotationId, int ring)
{
    store::Statement query(db, "SELECT sample_id, kind, x, y, w, h, geometry FROM annotations "
                               "WHERE id = ?");
    query.bind(1, annotationId);
    if (!query.step())
        throw Error(QStringLiteral("there is no object %1").arg(annotationId));
    if (AnnotationKind(query.int64(1)) != AnnotationKind::Polygon)
        throw Error(QStringLiteral("object %1 is not a polygon").arg(annotationId));
    PolygonEdit edit;
    edit.sampleId = query.int64(0);
    const QByteArray geometry = query.blob(6);
    edit.was = encodeGeometry({query.real(2), query.real(3), query.real(4), query.real(5)},
                              geometry);
    edit.rings = decodePolygons(geometry);
    if (ring < 0 || size_t(ring) >= edit.rings.size())
        throw Error(QStringLiteral("object %1 has no ring %2").arg(annotationId).arg(ring));
    return edit;
}

// The change that stores `edit.rings`, with the box around them.
EditBatch polygonBatch(std::int64_t annotationId, PolygonEdit edit, const QString &text,
                       const QString &mergeKey)
{
    double minX = std::numeric_limits<double>::max(), minY = minX;
    double maxX = std::numeric_limits<double>::lowest(), maxY = maxX;
    for (const std::vector<float> &ring : edit.rings) {
        for (size_t i = 0; i + 1 < ring.size(); i += 2) {
            minX = std::min(minX, double(ring[i]));
            maxX = std::max(maxX, double(ring[i]));
            minY = std::min(minY, double(ring[i + 1]));
            maxY = std::max(maxY, double(ring[i + 1]));
        }
    }
    const Box box = minX <= maxX ? Box{minX, minY, maxX - minX, maxY - minY} : Box{};
    Change change;
    change.field = Field::AnnotationGeometry;
    change.sampleId = edit.sampleId;
    change.annotationId = annotationId;
    change.newValue = encodeGeometry(box, encodePolygons(edit.rings));
    change.expected = std::move(edit.was);
    EditBatch batch;
    batch.text = text;
    batch.mergeKey = mergeKey;
    batch.changes.push_back(std::move(change));
    return batch;
}

} // namespace

EditBatch setSampleClass(store::Database &db, const std::vector<std::int64_t> &samples,
                         std::int64_t categoryId)
{
    const QString name = categoryLabel(db, categoryId);
    EditBatch batch = perSample(samples, Field::SampleClass, idValue(categoryId));
    batch.text = categoryId ? QStringLiteral("Set the class of %1 to %2")
                                  .arg(count(samples.size(), "sample", "samples"), name)
                            : QStringLiteral("Clear the class of %1")
                                  .arg(count(samples.size(), "sample", "samples"));
    return batch;
}

EditBatch setAnnotationClass(store::Database &db, const std::vector<std::int64_t> &annotations,
                             std::int64_t categoryId)
{
    const QString name = categoryLabel(db, categoryId);
    EditBatch batch;
    for (const std::int64_t id : annotations) {
        Change change;
        change.field = Field::AnnotationClass;
        change.annotationId = id;
        change.sampleId = sampleOfAnnotation(db, id);
        change.newValue = idValue(categoryId);
        batch.changes.push_back(std::move(change));
    }
    batch.text = QStringLiteral("Set the class of %1 to %2")
                     .arg(count(annotations.size(), "object", "objects"), name);
    return batch;
}

EditBatch setBox(store::Database &db, std::int64_t annotationId, const Box &box)
{
    if (!(box.w >= 0 && box.h >= 0))
        throw Error(QStringLiteral("a box needs a width and height of 0 or more"));
    Change change;
    change.field = Field::AnnotationBox;
    change.annotationId = annotationId;
    change.sampleId = sampleOfAnnotation(db, annotationId);
    change.newValue = encodeBox(box);
    EditBatch batch;
    batch.text = QStringLiteral("Move or resize a box");
    batch.mergeKey = QStringLiteral("box:%1").arg(annotationId);
    batch.changes.push_back(std::move(change));
    return batch;
}

EditBatch nudgeBox(store::Database &db, std::int64_t annotationId, double dx, double dy)
{
    const Box was = currentBox(db, annotationId);
    EditBatch batch = setBox(db, annotationId, {was.x + dx, was.y + dy, was.w, was.h});
    batch.changes.front().expected = encodeBox(was);
    return batch;
}

EditBatch addBox(store::Database &db, std::int64_t sampleId, std::int64_t categoryId,
                 const Box &box)
{
    const QString name = categoryLabel(db, categoryId);
    if (!(box.w >= 0 && box.h >= 0))
        throw Error(QStringLiteral("a box needs a width and height of 0 or more"));
    Change change;
    change.field = Field::Annotation;
    change.sampleId = sampleId;
    change.newValue = newAnnotationValue(sampleId, categoryId, AnnotationKind::Box, box);
    EditBatch batch;
    batch.text = QStringLiteral("Add a box of class %1").arg(name);
    batch.changes.push_back(std::move(change));
    return batch;
}

EditBatch deleteAnnotations(store::Database &db, const std::vector<std::int64_t> &annotations)
{
    EditBatch batch;
    for (const std::int64_t id : annotations) {
        Change change;
        change.field = Field::Annotation;
        change.annotationId = id;
        change.sampleId = sampleOfAnnotation(db, id);
        change.newValue = std::monostate();
        batch.changes.push_back(std::move(change));
    }
    batch.text = QStringLiteral("Delete %1").arg(count(annotations.size(), "object", "objects"));
    return batch;
}

EditBatch moveVertex(store::Database &db, std::int64_t annotationId, int ring, int vertex,
                     double x, double y)
{
    PolygonEdit edit = readPolygon(db, annotationId, ring);
    std::vector<float> &points = edit.rings[size_t(ring)];
    if (vertex < 0 || size_t(vertex) * 2 + 1 >= points.size())
        throw Error(QStringLiteral("object %1 has no vertex %2").arg(annotationId).arg(vertex));
    points[size_t(vertex) * 2] = float(x);
    points[size_t(vertex) * 2 + 1] = float(y);
    return polygonBatch(annotationId, std::move(edit), QStringLiteral("Move a polygon vertex"),
                        QStringLiteral("vertex:%1:%2:%3").arg(annotationId).arg(ring).arg(vertex));
}

EditBatch insertVertex(store::Database &db, std::int64_t annotationId, int ring, int before,
                       double x, double y)
{
    PolygonEdit edit = readPolygon(db, annotationId, ring);
    std::vector<float> &points = edit.rings[size_t(ring)];
    if (before < 0 || size_t(before) * 2 > points.size())
        throw Error(QStringLiteral("object %1 has no vertex %2").arg(annotationId).arg(before));
    points.insert(points.begin() + before * 2, {float(x), float(y)});
    return polygonBatch(annotationId, std::move(edit), QStringLiteral("Add a polygon vertex"), {});
}

EditBatch deleteVertex(store::Database &db, std::int64_t annotationId, int ring, int vertex)
{
    PolygonEdit edit = readPolygon(db, annotationId, ring);
    std::vector<float> &points = edit.rings[size_t(ring)];
    if (vertex < 0 || size_t(vertex) * 2 + 1 >= points.size())
        throw Error(QStringLiteral("object %1 has no vertex %2").arg(annotationId).arg(vertex));
    points.erase(points.begin() + vertex * 2, points.begin() + vertex * 2 + 2);
    return polygonBatch(annotationId, std::move(edit), QStringLiteral("Delete a polygon vertex"),
                        {});
}

EditBatch setTag(store::Database &, const std::vector<std::int64_t> &samples, const QString &tag,
                 bool on)
{
    const QString name = tag.trimmed();
    if (name.isEmpty())
        throw Error(QStringLiteral("a tag needs a name"));
    EditBatch batch = perSample(samples, Field::SampleTag, flagValue(on), name);
    batch.text = (on ? QStringLiteral("Tag %1 '%2'") : QStringLiteral("Remove the tag '%2' "
                                                                      "from %1"))
                     .arg(count(samples.size(), "sample", "samples"), name);
    return batch;
}

EditBatch setReviewed(store::Database &, const std::vector<std::int64_t> &samples, bool on)
{
    EditBatch batch = perSample(samples, Field::SampleReviewed, flagValue(on));
    batch.text = (on ? QStringLiteral("Mark %1 reviewed") : QStringLiteral("Mark %1 not reviewed"))
                     .arg(count(samples.size(), "sample", "samples"));
    return batch;
}

EditBatch setExcluded(store::Database &, const std::vector<std::int64_t> &samples, bool on)
{
    EditBatch batch = perSample(samples, Field::SampleExcluded, flagValue(on));
    batch.text = (on ? QStringLiteral("Exclude %1") : QStringLiteral("Include %1 again"))
                     .arg(count(samples.size(), "sample", "samples"));
    return batch;
}

EditBatch moveToSplit(store::Database &db, const std::vector<std::int64_t> &samples,
                      std::int64_t splitId)
{
    const QString name = splitLabel(db, splitId);
    EditBatch batch = perSample(samples, Field::SampleSplit, idValue(splitId));
    batch.text = QStringLiteral("Move %1 to %2")
                     .arg(count(samples.size(), "sample", "samples"), name);
    return batch;
}

EditBatch renameCategory(store::Database &db, std::int64_t categoryId, const QString &name)
{
    const QString was = categoryLabel(db, categoryId);
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        throw Error(QStringLiteral("a class needs a name"));
    if (const std::int64_t other = findCategory(db, trimmed); other && other != categoryId)
        throw Error(QStringLiteral("cannot rename the class %1 to '%2': that class exists "
                                   "(merge them instead)")
                        .arg(was, trimmed));
    Change change;
    change.field = Field::CategoryName;
    change.categoryId = categoryId;
    change.newValue = trimmed;
    EditBatch batch;
    batch.text = QStringLiteral("Rename the class %1 to '%2'").arg(was, trimmed);
    batch.changes.push_back(std::move(change));
    return batch;
}

EditBatch addCategory(store::Database &db, const QString &name, const QString &supercategory)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        throw Error(QStringLiteral("a class needs a name"));
    if (findCategory(db, trimmed))
        throw Error(QStringLiteral("there is a class '%1' already").arg(trimmed));
    Change change;
    change.field = Field::Category;
    change.newValue = newCategoryValue(
        trimmed, supercategory, db.queryInt("SELECT ifnull(max(position), -1) + 1 FROM categories"));
    EditBatch batch;
    batch.text = QStringLiteral("Add the class '%1'").arg(trimmed);
    batch.changes.push_back(std::move(change));
    return batch;
}

EditBatch mergeCategories(store::Database &db, std::int64_t from, std::int64_t into)
{
    const QString fromName = categoryLabel(db, from);
    const QString intoName = categoryLabel(db, into);
    if (from == 0 || into == 0 || from == into)
        throw Error(QStringLiteral("merging needs two different classes"));
    EditBatch batch;
    {
        store::Statement samples(db, "SELECT id FROM samples WHERE category_id = ? ORDER BY id");
        samples.bind(1, from);
        while (samples.step()) {
            Change change;
            change.field = Field::SampleClass;
            change.sampleId = samples.int64(0);
            change.newValue = into;
            batch.changes.push_back(std::move(change));
        }
    }
    {
        store::Statement objects(db, "SELECT id, sample_id FROM annotations WHERE "
                                     "category_id = ? ORDER BY id");
        objects.bind(1, from);
        while (objects.step()) {
            Change change;
            change.field = Field::AnnotationClass;
            change.annotationId = objects.int64(0);
            change.sampleId = objects.int64(1);
            change.newValue = into;
            batch.changes.push_back(std::move(change));
        }
    }
    Change remove;
    remove.field = Field::Category;
    remove.categoryId = from;
    remove.newValue = std::monostate();
    batch.changes.push_back(std::move(remove));
    batch.text = QStringLiteral("Merge the class %1 into %2").arg(fromName, intoName);
    return batch;
}

namespace {

EditBatch revertOf(const std::vector<store::JournalRow> &rows, const QString &text)
{
    EditBatch batch;
    batch.text = text;
    // Later rows first: a value changed twice goes back to its first old value.
    for (auto row = rows.rbegin(); row != rows.rend(); ++row) {
        const std::optional<Field> field = parseField(row->field.toStdString());
        if (!field)
            throw Error(QStringLiteral("the journal row %1 names a field this version does not "
                                       "know ('%2')")
                            .arg(row->id)
                            .arg(row->field));
        Change change;
        change.field = *field;
        change.sampleId = row->sampleId;
        change.annotationId = row->annotationId;
        change.categoryId = row->categoryId;
        if (*field == Field::SampleTag) {
            const FieldValue &named = isNullValue(row->oldValue) ? row->newValue : row->oldValue;
            if (const auto *name = std::get_if<QString>(&named))
                change.key = *name;
            change.newValue = flagValue(!isNullValue(row->oldValue));
            change.expected = flagValue(!isNullValue(row->newValue));
        } else {
            change.newValue = row->oldValue;
            change.expected = row->newValue;
        }
        batch.changes.push_back(std::move(change));
    }
    return batch;
}

} // namespace

EditBatch revertBatch(store::Database &db, std::int64_t batchId)
{
    const std::optional<store::JournalBatch> batch = store::loadJournalBatch(db, batchId);
    if (!batch)
        throw Error(QStringLiteral("the edit journal has no batch %1").arg(batchId));
    return revertOf(store::loadJournalRows(db, *batch),
                    QStringLiteral("Revert \u201c%1\u201d").arg(batch->text));
}

EditBatch revertRows(store::Database &db, const std::vector<std::int64_t> &rowIds)
{
    std::vector<std::int64_t> ids = rowIds;
    std::sort(ids.begin(), ids.end());
    std::vector<store::JournalRow> rows;
    for (const std::int64_t id : ids) {
        store::Statement query(db, "SELECT batch FROM edits WHERE id = ?");
        query.bind(1, id);
        if (!query.step())
            throw Error(QStringLiteral("the edit journal has no row %1").arg(id));
        store::JournalBatch range;
        range.firstRow = id;
        range.rowCount = 1;
        std::vector<store::JournalRow> one = store::loadJournalRows(db, range);
        rows.insert(rows.end(), one.begin(), one.end());
    }
    return revertOf(rows, QStringLiteral("Revert %1").arg(count(rows.size(), "change", "changes")));
}

std::int64_t findCategory(store::Database &db, const QString &name)
{
    store::Statement query(db, "SELECT id FROM categories WHERE name = ?");
    query.bind(1, name);
    return query.step() ? query.int64(0) : 0;
}

std::int64_t findSplit(store::Database &db, const QString &name)
{
    store::Statement query(db, "SELECT id FROM splits WHERE name = ?");
    query.bind(1, name);
    return query.step() ? query.int64(0) : 0;
}

std::int64_t ensureSplit(store::Database &db, const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        throw Error(QStringLiteral("a split needs a name"));
    if (const std::int64_t id = findSplit(db, trimmed))
        return id;
    store::Statement add(db, "INSERT INTO splits(name) VALUES(?)");
    add.bind(1, trimmed);
    add.run();
    return db.lastInsertId();
}

} // namespace assay::edit
