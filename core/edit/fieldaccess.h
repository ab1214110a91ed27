#pragma once

#include "change.h"

#include "model/annotation.h"
#include "store/database.h"

#include <QHash>

#include <array>
#include <optional>

namespace assay::edit {

// The value of an Annotation change adding an object made in Assay (no source record).
QString newAnnotationValue(std::int64_t sampleId, std::int64_t categoryId, AnnotationKind kind,
                           const Box &box, const QByteArray &geometry = {});
// The value of a Category change adding a class.
QString newCategoryValue(const QString &name, const QString &supercategory, std::int64_t position);

// Reads and writes the value of a Change's field in the project's tables, inside the caller's
// transaction. The one place that knows where each Field is stored. Writing also keeps what a
// re-import needs to tell an edit from a change of the source: the edited bits and source
// values of a sample (samples.edited, source_category_id, source_split_id), and the source's
// version of an imported object (annotation_sources), saved before its first change.
class FieldAccess
{
public:
    explicit FieldAccess(store::Database &db);
    ~FieldAccess();
    FieldAccess(const FieldAccess &) = delete;
    FieldAccess &operator=(const FieldAccess &) = delete;

    // The value the field holds now. Throws Error when the object (sample, annotation or
    // category) does not exist, except for Annotation and Category, whose value is then NULL.
    FieldValue read(const Change &change);
    // Stores `value`. Adding an Annotation or Category with id 0 gives it an id, written back
    // into `change`. Throws Error (naming the object) when the value cannot be stored.
    void write(Change &change, const FieldValue &value);

    // "sample train/cat/1.png", "object 12 of sample …", "class 'cat'": for messages.
    QString describe(const Change &change);
    // The category's name, or "#id" when there is none.
    QString categoryName(std::int64_t id);
    // Drops what is remembered between calls (tag ids): after a rollback they may be gone.
    void forgetCaches() { m_tagIds.clear(); }

private:
    enum Slot : size_t {
        ReadSampleClass, ReadSampleSplit, ReadReviewed, ReadExcluded, ReadTag,
        ReadAnnotationClass, ReadBox, ReadGeometry, ReadAnnotation, ReadCategoryName,
        ReadCategory, WriteSampleClass, WriteSampleSplit, WriteReviewed, WriteExcluded,
        FindTag, AddTag, Tag, Untag, SaveSource, WriteAnnotationClass, WriteBox,
        WriteGeometry, DeleteAnnotation, InsertAnnotation, WriteCategoryName, DeleteCategory,
        InsertCategory, SlotCount
    };
    store::Statement &statement(Slot slot, const char *sql);
    // A row exists: the statement (bound) has a row; otherwise throws naming the object.
    void requireRow(store::Statement &query, const Change &change);
    void saveSource(std::int64_t annotationId);
    std::int64_t tagId(const QString &name);
    void writeAnnotationRow(Change &change, const QString &json);
    void writeCategoryRow(Change &change, const FieldValue &value);

    store::Database &m_db;
    std::array<std::optional<store::Statement>, SlotCount> m_statements;
    QHash<QString, std::int64_t> m_tagIds;
};

} // namespace assay::edit
