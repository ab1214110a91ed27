#pragma once

#include "database.h"

#include "model/fieldvalue.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace assay::store {

// What a journal batch records (edit_batches.action).
enum class JournalAction : int {
    Do = 0,   // an edit
    Undo = 1, // the undo of the step headed by `target`: its rows put the old values back
    Redo = 2, // the redo of the step headed by `target`
    Kept = 3, // a re-import found the source changed values that were edited; the edits were kept
              // (old_value: what the source says now, new_value: the value kept)
};
QString journalActionName(JournalAction action); // "do", "undo", "redo", "kept"

// One row of edit_batches: a change made as one unit, in one transaction.
struct JournalBatch
{
    std::int64_t id = 0;
    QString time; // UTC, ISO 8601
    QString user;
    JournalAction action = JournalAction::Do;
    // Undo/redo: the step's first batch. Do: the batch this one merged into (repeated nudges of
    // one box are one undo step), or 0.
    std::int64_t target = 0;
    QString text;   // for people: "Set the class of 3 samples to cat"
    QString reason; // optional, given by the person
    QString mergeKey;
    std::int64_t firstRow = 0; // the batch's rows are edits.id firstRow .. firstRow + rowCount - 1
    std::int64_t rowCount = 0;
};

// One row of edits: one value of one object that changed.
struct JournalRow
{
    std::int64_t id = 0;
    std::int64_t batch = 0;
    std::int64_t sampleId = 0; // 0: none
    std::int64_t annotationId = 0;
    std::int64_t categoryId = 0;
    QString field; // "class", "split", "tag", "box", ... (edit::fieldName)
    FieldValue oldValue;
    FieldValue newValue;
};

void bindFieldValue(Statement &statement, int index, const FieldValue &value);
FieldValue readFieldValue(const Statement &row, int column);

// Appends one batch and its rows inside the caller's transaction: begin(), add() per changed
// value, finish(). The journal is only ever appended to; nothing here updates or deletes.
class JournalWriter
{
public:
    explicit JournalWriter(Database &db);

    // Returns the id the batch will have. `batch.id`, firstRow and rowCount are filled here.
    std::int64_t begin(const JournalBatch &batch);
    void add(std::int64_t sampleId, std::int64_t annotationId, std::int64_t categoryId,
             std::string_view field, const FieldValue &oldValue, const FieldValue &newValue);
    // Writes the batch row; returns it as stored.
    JournalBatch finish();

private:
    Database &m_db;
    Statement m_row;
    JournalBatch m_batch;
    bool m_open = false;
};

// Batches with an id above `afterId`, in id order.
std::vector<JournalBatch> loadJournalBatches(Database &db, std::int64_t afterId = 0);
std::optional<JournalBatch> loadJournalBatch(Database &db, std::int64_t id);
// The rows of a batch, in the order they were written.
std::vector<JournalRow> loadJournalRows(Database &db, const JournalBatch &batch);

// "2024-05-01T12:00:00.123Z": the journal's clock, UTC with milliseconds.
QString journalTimeNow();
// Who the journal says made a change: $ASSAY_USER, else $USER, else $USERNAME, else "unknown".
QString journalUserName();

// An object's row as the journal's "annotation" values hold it; unset members are NULL.
struct AnnotationValue
{
    std::int64_t sampleId = 0;
    std::optional<std::int64_t> categoryId;
    int kind = 1;
    double x = 0, y = 0, w = 0, h = 0;
    std::optional<QByteArray> geometry;
    int crowd = 0;
    std::optional<QString> sourceFile;
    std::optional<std::int64_t> sourceIndex;
    std::optional<QString> extra;
};
// Canonical JSON (sorted keys, shortest exact numbers, geometry in base64): the same row always
// gives the same text, so values read back compare equal to the ones written.
QString annotationValueJson(const AnnotationValue &value);
std::optional<AnnotationValue> parseAnnotationValue(const QString &json);

} // namespace assay::store
