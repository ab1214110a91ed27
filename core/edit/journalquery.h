#pragma once

#include <QJsonArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace assay::store {
class Database;
}

// The edit journal as people read it: one entry per changed value, with names instead of row
// ids (the history panel, assay-cli history, the changes report beside an export).
namespace assay::edit {

struct JournalEntry
{
    std::int64_t row = 0;   // edits.id
    std::int64_t batch = 0; // edit_batches.id
    QString time;           // UTC, ISO 8601 with milliseconds
    QString user;
    QString action;         // "do", "undo", "redo", "kept"
    std::int64_t target = 0; // undo/redo: the batch that heads the step undone or redone
    QString text;           // the batch's text
    QString reason;
    std::int64_t sampleId = 0;
    QString sample;         // its path ("path" or "path#member"); empty for class edits
    std::int64_t annotationId = 0;
    std::int64_t categoryId = 0;
    QString field;          // edit::fieldName
    // For people: class and split names, "true"/"false", tag names, "x,y,w,h", a summary of an
    // object or class; a null QString when there was no value (unlabeled, untagged, absent).
    QString oldValue;
    QString newValue;
};

struct JournalFilter
{
    std::int64_t sampleId = 0; // only this sample's rows
    QString user;              // only this user's
    QString since;             // only rows at or after this ISO time ("2024-05-01")
    // Only rows whose sample's path (shown as "path#member" for container members) contains
    // this text, in any case.
    QString sampleText;
    // Only rows before (after) this edits.id: pages of a long journal, newest first, and the
    // rows appended since a page was read.
    std::int64_t beforeRow = 0;
    std::int64_t afterRow = 0;
    std::int64_t limit = 0;    // at most this many, the latest ones (0: all)
};

// Entries in journal order (oldest first).
std::vector<JournalEntry> loadJournal(store::Database &db, const JournalFilter &filter = {});
// How many rows loadJournal(db, filter) would return without its limit.
std::int64_t countJournal(store::Database &db, const JournalFilter &filter = {});
// Everyone who has edited the project, by name.
QStringList journalUsers(store::Database &db);
// [{"time", "user", "action", "batch", "target", "text", "reason", "sample", "sample_id",
//   "annotation_id", "category_id", "field", "old", "new"}, ...]
QJsonArray journalJson(const std::vector<JournalEntry> &entries);
// The same columns as CSV with a header line (RFC 4180 quoting).
QString journalCsv(const std::vector<JournalEntry> &entries);

// Writes the whole journal to `path`: CSV when the name ends in ".csv", otherwise JSON
// {"project", "written_at", "changes": journalJson}. The "changes" report beside an export.
// Throws Error naming the file when it cannot be written (nothing half-written is left).
void writeJournalFile(store::Database &db, const QString &path, const QString &projectPath);

// Samples with a journal row at or after `since` (sorted ids): the grid's "edited since" filter.
std::vector<std::int64_t> samplesEditedSince(store::Database &db, const QString &since = {});

} // namespace assay::edit
