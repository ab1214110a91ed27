#include "project.h"

#include "util/error.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace assay::store {

namespace {

bool looksLikeSqlite(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    if (file.size() == 0)
        return true; // an empty file is a new database
    const QByteArray header = file.read(16);
    return header == QByteArray("SQLite format 3\0", 16);
}

void removeDatabaseFiles(const QString &path)
{
    QFile::remove(path);
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
}

} // namespace

Project::Project(QString path, std::unique_ptr<Database> db)
    : m_path(std::move(path)), m_db(std::move(db))
{
}

Project::~Project() = default;

std::unique_ptr<Project> Project::open(const QString &path, const OpenOptions &options)
{
    const QFileInfo info(path);
    const bool exists = info.exists();
    if (!exists && !options.create)
        throw Error(QStringLiteral("%1 does not exist").arg(path));
    if (exists && info.isDir())
        throw Error(QStringLiteral("%1 is a folder, not an Assay project file").arg(path));
    if (exists && !looksLikeSqlite(path))
        throw Error(
            QStringLiteral("%1 is not an Assay project (it is not an SQLite database)").arg(path));
    if (!exists) {
        const QFileInfo folder(info.absolutePath());
        if (!folder.isDir())
            throw Error(QStringLiteral("cannot create %1: the folder %2 does not exist")
                            .arg(path, info.absolutePath()));
    }

    const Database::Mode mode = options.readOnly ? Database::Mode::ReadOnly
                                : exists         ? Database::Mode::ReadWrite
                                                 : Database::Mode::ReadWriteCreate;
    std::unique_ptr<Database> db;
    try {
        db = std::make_unique<Database>(path, mode);
        if (options.bulkLoad) {
            db->exec("PRAGMA journal_mode = OFF");
            db->exec("PRAGMA synchronous = OFF");
            db->exec("PRAGMA cache_size = -524288");
        } else {
            if (!options.readOnly) {
                // Creating the file happens lazily on the first write: this is where a
                // read-only folder shows up.
                db->exec("PRAGMA journal_mode = WAL");
                db->exec("PRAGMA synchronous = NORMAL");
            }
            db->exec("PRAGMA foreign_keys = ON");
            // 16 MB: readers of a million-row project stay small; bulk writers raise it.
            db->exec("PRAGMA cache_size = -16384");
        }
        db->exec("PRAGMA temp_store = MEMORY");
    } catch (const Error &error) {
        db.reset();
        if (!exists) {
            removeDatabaseFiles(path);
            throw Error(QStringLiteral("cannot create project %1: the folder %2 is not "
                                       "writable (%3)")
                            .arg(path, info.absolutePath(), error.message()));
        }
        throw;
    }

    std::unique_ptr<Project> project(new Project(QFileInfo(path).absoluteFilePath(),
                                                 std::move(db)));
    try {
        SchemaMigrator migrator(options.migrations);
        project->m_created = SchemaMigrator::fileSchemaVersion(*project->m_db) == 0;
        project->m_backupPath = migrator.prepare(*project->m_db);
        if (project->m_created) {
            const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
            project->setMeta(QStringLiteral("created_at"), now);
            project->setMeta(QStringLiteral("modified_at"), now);
        }
    } catch (...) {
        project.reset();
        if (!exists)
            removeDatabaseFiles(path);
        throw;
    }
    return project;
}

void Project::finishBulkLoad()
{
    if (m_db->queryInt("SELECT count(*) FROM pragma_foreign_key_check") != 0)
        throw Error(QStringLiteral("%1: the import left inconsistent references").arg(m_path));
    m_db->exec("PRAGMA journal_mode = WAL");
    m_db->exec("PRAGMA synchronous = NORMAL");
    m_db->exec("PRAGMA foreign_keys = ON");
    m_db->exec("PRAGMA cache_size = -16384");
    m_db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

QString Project::meta(const QString &key) const
{
    Statement query(*m_db, "SELECT value FROM meta WHERE key = ?");
    query.bind(1, key);
    return query.step() ? query.text(0) : QString();
}

void Project::setMeta(const QString &key, const QString &value)
{
    Statement update(*m_db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    update.bind(1, key);
    update.bind(2, value);
    update.run();
}

int Project::schemaVersion() const
{
    return meta(QStringLiteral("schema_version")).toInt();
}

ProjectSummary Project::summary() const
{
    ProjectSummary summary;
    summary.format = meta(QStringLiteral("dataset_format"));
    summary.root = datasetRoot();
    {
        Statement query(*m_db, "SELECT name FROM categories ORDER BY position, id");
        while (query.step())
            summary.classes << query.text(0);
    }
    {
        Statement query(*m_db, "SELECT name FROM attributes ORDER BY id");
        while (query.step())
            summary.attributes << query.text(0);
    }
    {
        Statement query(*m_db, "SELECT name FROM splits ORDER BY id");
        while (query.step())
            summary.splits << query.text(0);
    }
    Statement counts(*m_db, R"sql(
        SELECT sp.name, c.name, count(*) FROM samples s
        LEFT JOIN splits sp ON sp.id = s.split_id
        LEFT JOIN categories c ON c.id = s.category_id
        WHERE s.status = 0 GROUP BY s.split_id, s.category_id)sql");
    bool anyWithoutSplit = false;
    while (counts.step()) {
        const QString split = counts.isNull(0) ? noSplitName : counts.text(0);
        const std::int64_t n = counts.int64(2);
        anyWithoutSplit = anyWithoutSplit || counts.isNull(0);
        summary.samples += n;
        summary.perSplit[split] += n;
        if (counts.isNull(1))
            summary.unlabeled += n;
        else
            summary.perSplitClass[split][counts.text(1)] += n;
    }
    if (anyWithoutSplit)
        summary.splits << noSplitName;
    summary.missing = m_db->queryInt("SELECT count(*) FROM samples WHERE status = 1");
    Statement objects(*m_db, R"sql(
        SELECT sp.name, c.name, count(*) FROM annotations a
        JOIN samples s ON s.id = a.sample_id
        LEFT JOIN splits sp ON sp.id = s.split_id
        LEFT JOIN categories c ON c.id = a.category_id
        WHERE s.status = 0 GROUP BY s.split_id, a.category_id)sql");
    while (objects.step()) {
        const QString split = objects.isNull(0) ? noSplitName : objects.text(0);
        const QString name = objects.isNull(1) ? QStringLiteral("(unknown)") : objects.text(1);
        summary.objectsPerSplitClass[split][name] += objects.int64(2);
    }
    Statement kinds(*m_db, "SELECT a.kind, count(*) FROM annotations a JOIN samples s ON "
                           "s.id = a.sample_id WHERE s.status = 0 GROUP BY a.kind");
    while (kinds.step()) {
        const auto kind = static_cast<AnnotationKind>(kinds.int64(0));
        const QString name = kind == AnnotationKind::Box       ? QStringLiteral("box")
                             : kind == AnnotationKind::Polygon ? QStringLiteral("polygon")
                                                               : QStringLiteral("mask");
        summary.annotationKinds[name] += kinds.int64(1);
    }
    summary.annotationKinds[QStringLiteral("label")] = summary.samples - summary.unlabeled;
    return summary;
}

std::vector<SampleRecord> Project::samplesAfter(std::int64_t afterId, int limit) const
{
    Statement query(*m_db, std::string("SELECT ") + sampleRecordColumns + " FROM "
                               + sampleRecordTables + " WHERE s.id > ? ORDER BY s.id LIMIT ?");
    query.bind(1, afterId);
    query.bind(2, limit);
    std::vector<SampleRecord> records;
    records.reserve(static_cast<size_t>(std::max(limit, 0)));
    while (query.step())
        records.push_back(readSampleRecord(query));
    return records;
}

SampleRecord readSampleRecord(const Statement &row, int first)
{
    SampleRecord record;
    record.id = row.int64(first);
    record.path = row.text(first + 1);
    record.member = row.int64(first + 2);
    record.split = row.text(first + 3);
    record.label = row.text(first + 4);
    record.size = row.int64(first + 5);
    record.mtime = row.int64(first + 6);
    record.status = static_cast<SampleStatus>(row.int64(first + 7));
    return record;
}

} // namespace assay::store
