#pragma once

#include "database.h"
#include "schema.h"

#include "model/importplan.h"
#include "model/sample.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace assay::jobs {
class Progress;
}

namespace assay::store {

struct OpenOptions
{
    bool create = false;   // create the file when it does not exist
    bool readOnly = false; // open without writing (no migration, no WAL switch)
    // For filling a brand-new file that is renamed into place only when complete: no journal,
    // no syncs, no foreign-key checks. finishBulkLoad() turns the safe settings back on.
    bool bulkLoad = false;
    std::vector<Migration> migrations = builtinMigrations();
};

// Counts of present samples per split and class; the split key "(none)" holds samples without a
// split. Classes are listed in category order.
struct ProjectSummary
{
    std::int64_t samples = 0; // present samples
    std::int64_t missing = 0;
    std::int64_t unlabeled = 0;
    QStringList classes;
    QStringList splits; // in id order, "(none)" last when present
    QMap<QString, QMap<QString, std::int64_t>> perSplitClass;
    QMap<QString, std::int64_t> perSplit;
    QStringList attributes;
    QString format;
    QString root;
    // Objects (annotations) per split and class; "(unknown)" for objects without a category.
    QMap<QString, QMap<QString, std::int64_t>> objectsPerSplitClass;
    // "box", "polygon", "mask" objects and "label" (samples with an image-level class).
    QMap<QString, std::int64_t> annotationKinds;
};

inline const QString noSplitName = QStringLiteral("(none)");

// A sample's row with its split and class names: the columns readSampleRecord reads, from
// sampleRecordTables.
inline constexpr char sampleRecordColumns[] =
    "s.id, s.path, s.member, sp.name, c.name, s.size, s.mtime, s.status";
inline constexpr char sampleRecordTables[] =
    "samples s LEFT JOIN splits sp ON sp.id = s.split_id "
    "LEFT JOIN categories c ON c.id = s.category_id";
SampleRecord readSampleRecord(const Statement &row, int first = 0);

// The project file: one SQLite database holding everything a project knows.
class Project
{
public:
    // Opens (or creates) a project file. Throws assay::Error with a message for a person when the
    // file is missing, is not an Assay project, needs a newer Assay, or cannot be written.
    static std::unique_ptr<Project> open(const QString &path, const OpenOptions &options = {});
    ~Project();

    Database &db() { return *m_db; }
    const QString &path() const { return m_path; }
    bool isReadOnly() const { return m_db->isReadOnly(); }
    const QString &backupPath() const { return m_backupPath; }
    bool wasCreated() const { return m_created; }

    QString meta(const QString &key) const;
    void setMeta(const QString &key, const QString &value);
    int schemaVersion() const;
    QString datasetRoot() const { return meta(QStringLiteral("dataset_root")); }

    // Checks the foreign keys a bulk load skipped, switches to WAL and syncs the file.
    void finishBulkLoad();

    ProjectSummary summary() const;
    // summary() without the objects per split, class and kind, which read every annotation
    // (half a second at a million objects).
    ProjectSummary sampleSummary() const;
    // Samples in id order after `afterId` (keyset paging), at most `limit`.
    std::vector<SampleRecord> samplesAfter(std::int64_t afterId, int limit) const;

    // Applies a reader's plan in one transaction: new samples added, changed ones updated,
    // unchanged ones untouched, vanished ones marked missing. Throws jobs::Canceled or Error; on
    // either nothing of the plan is written.
    ImportResult applyImport(const ImportPlan &plan, jobs::Progress &progress);

private:
    Project(QString path, std::unique_ptr<Database> db);
    void countObjects(ProjectSummary &summary) const;
    bool referencesHold() const;

    QString m_path;
    std::unique_ptr<Database> m_db;
    QString m_backupPath;
    bool m_created = false;
};

} // namespace assay::store
