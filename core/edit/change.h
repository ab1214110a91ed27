#pragma once

#include "model/fieldvalue.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

// Label edits as data: every edit is a list of "this field of this object goes from its value to
// that value" (a Change), applied, journalled and reverted by one piece of code (EditSession),
// whatever the command was. Commands (commands.h) only build lists of Changes.
namespace assay::edit {

// The fields an edit can change, each with one storage and one value type (README "Edits").
enum class Field : int {
    SampleClass,        // samples.category_id: a category id, or NULL (unlabeled)
    SampleSplit,        // samples.split_id: a split id, or NULL
    SampleReviewed,     // samples.reviewed: 0 or 1
    SampleExcluded,     // samples.excluded: 0 or 1
    SampleTag,          // sample_tags: 1 tagged, 0 not; the tag's name is Change::key
    AnnotationClass,    // annotations.category_id: a category id, or NULL
    AnnotationBox,      // annotations.x, y, w, h: text "x,y,w,h" (encodeBox)
    AnnotationGeometry, // annotations.geometry with its box: bytes (encodeGeometry)
    Annotation,         // the whole object: its row as JSON text, or NULL (absent)
    CategoryName,       // categories.name: text
    Category,           // the whole category: its row as JSON text, or NULL (absent)
};
inline constexpr int fieldCount = int(Field::Category) + 1;

// The journal's name of a field: "class", "split", "reviewed", "excluded", "tag",
// "annotation_class", "box", "geometry", "annotation", "category_name", "category".
std::string_view fieldName(Field field);
std::optional<Field> parseField(std::string_view name);

// A set of fields, for change notifications.
class FieldSet
{
public:
    void add(Field field) { m_bits |= 1u << unsigned(field); }
    bool has(Field field) const { return m_bits & (1u << unsigned(field)); }
    bool isEmpty() const { return m_bits == 0; }
    void unite(FieldSet other) { m_bits |= other.m_bits; }
    // Fields that labels and the analyses reading them depend on (not tags, reviewed, excluded).
    bool touchesLabels() const;
    bool touchesSamples() const;     // any Sample* field
    bool touchesAnnotations() const; // any Annotation* field
    bool touchesCategories() const;  // CategoryName, Category

private:
    unsigned m_bits = 0;
};

// One value of one object changing. Commands fill the object, the new value and (optionally) the
// value they expect to find; EditSession fills the old value as it finds it while applying.
struct Change
{
    Field field = Field::SampleClass;
    std::int64_t sampleId = 0;     // Sample* fields; annotation fields: the object's sample
    std::int64_t annotationId = 0; // Annotation* fields; 0 for an object not added yet
    std::int64_t categoryId = 0;   // CategoryName and Category; 0 for one not added yet
    QString key;                   // SampleTag: the tag's name
    FieldValue oldValue;           // filled when applied
    FieldValue newValue;
    // When set, the edit is refused unless the field holds this value when applied: for changes
    // computed from what was read before (a polygon with one vertex moved), so a change made
    // meanwhile elsewhere is not overwritten.
    std::optional<FieldValue> expected;
};

// A list of Changes that is one undo step, written in one transaction.
struct EditBatch
{
    QString text;   // for the undo menu and the history: "Set the class of 3 samples to cat"
    QString reason; // optional
    // Not empty: a batch applied right after one with the same key joins its undo step (repeated
    // nudges of one box: "box:<annotation id>").
    QString mergeKey;
    std::vector<Change> changes;
};

// An axis-aligned box in image pixels.
struct Box
{
    double x = 0, y = 0, w = 0, h = 0;
    bool operator==(const Box &) const = default;
};

// "x,y,w,h" with every double written so that it reads back exactly.
QString encodeBox(const Box &box);
std::optional<Box> decodeBox(const QString &text);
// A polygon's value: its box (4 little-endian doubles) then the annotations.geometry blob.
QByteArray encodeGeometry(const Box &box, const QByteArray &geometry);
bool decodeGeometry(const QByteArray &value, Box &box, QByteArray &geometry);

// The value of a flag (reviewed, excluded, tagged).
inline FieldValue flagValue(bool on)
{
    return std::int64_t(on ? 1 : 0);
}
// The value of a row reference (category, split): NULL for 0.
inline FieldValue idValue(std::int64_t id)
{
    return id > 0 ? FieldValue(id) : FieldValue(std::monostate());
}
std::int64_t idOf(const FieldValue &value); // 0 for NULL

} // namespace assay::edit
