#include "project.h"

#include "util/error.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <map>
#include <tuple>

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

// Whether every reference holds, as PRAGMA foreign_key_check tells. The annotations' references
// (sample and category) are checked once per distinct value, through their indexes: checked row
// by row, a million objects with their geometry are read once more for nothing.
bool Project::referencesHold() const
{
    Database &db = *m_db;
    Statement annotationKeys(db, "SELECT \"from\" || ' ' || \"table\" || ' ' || ifnull(\"to\", '') "
                                 "FROM pragma_foreign_key_list('annotations') ORDER BY 1");
    QStringList keys;
    while (annotationKeys.step())
        keys << annotationKeys.text(0);
    const bool knownKeys =
        keys == QStringList{QStringLiteral("category_id categories id"),
                            QStringLiteral("sample_id samples id")};
    Statement tables(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                         "'sqlite_%'");
    while (tables.step()) {
        const std::string table(tables.utf8(0));
        if (table == "annotations" && knownKeys)
            continue;
        if (db.queryInt("SELECT count(*) FROM pragma_foreign_key_check('" + table + "')") != 0)
            return false;
    }
    if (!knownKeys)
        return true;
    return db.queryInt("SELECT count(*) FROM (SELECT DISTINCT sample_id FROM annotations) "
                       "WHERE sample_id IS NOT NULL AND sample_id NOT IN (SELECT id FROM samples)")
               == 0
           && db.queryInt("SELECT count(*) FROM (SELECT DISTINCT category_id FROM annotations) "
                          "WHERE category_id IS NOT NULL AND category_id NOT IN "
                          "(SELECT id FROM categories)")
                  == 0;
}

void Project::finishBulkLoad()
{
    if (!referencesHold())
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
    ProjectSummary summary = sampleSummary();
    countObjects(summary);
    summary.annotationKinds[QStringLiteral("label")] = summary.samples - summary.unlabeled;
    return summary;
}

ProjectSummary Project::sampleSummary() const
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
    return summary;
}

// Objects per split and class, and per kind, of present samples: one pass over the annotations
// in table order. (Joined in SQL, the planner walks an index and reads the table at random:
// seconds for a million objects.)
void Project::countObjects(ProjectSummary &summary) const
{
    std::vector<std::pair<std::int64_t, std::int64_t>> present; // sample id, split id (0: none)
    {
        Statement samples(*m_db, "SELECT id, ifnull(split_id, 0) FROM samples WHERE status = 0 "
                                 "ORDER BY id");
        while (samples.step())
            present.emplace_back(samples.int64(0), samples.int64(1));
    }
    std::map<std::tuple<std::int64_t, std::int64_t, int>, std::int64_t> counts;
    Statement objects(*m_db, "SELECT sample_id, ifnull(category_id, 0), kind FROM annotations");
    std::int64_t lastSample = -1;
    std::int64_t lastSplit = -1; // -1: not present
    while (objects.step()) {
        const std::int64_t sample = objects.int64(0);
        if (sample != lastSample) {
            const auto found = std::lower_bound(
                present.begin(), present.end(), sample,
                [](const auto &entry, std::int64_t id) { return entry.first < id; });
            lastSample = sample;
            lastSplit = found != present.end() && found->first == sample ? found->second : -1;
        }
        if (lastSplit >= 0)
            ++counts[{lastSplit, objects.int64(1), int(objects.int64(2))}];
    }
    auto names = [this](const char *sql) {
        std::map<std::int64_t, QString> byId;
        Statement query(*m_db, sql);
        while (query.step())
            byId.emplace(query.int64(0), query.text(1));
        return byId;
    };
    const std::map<std::int64_t, QString> splitNames = names("SELECT id, name FROM splits");
    const std::map<std::int64_t, QString> categoryNames = names("SELECT id, name FROM categories");
    for (const auto &[key, count] : counts) {
        const auto &[split, category, kind] = key;
        const auto splitName = splitNames.find(split);
        const auto categoryName = categoryNames.find(category);
        summary.objectsPerSplitClass[splitName == splitNames.end() ? noSplitName
                                                                   : splitName->second]
                                    [categoryName == categoryNames.end()
                                         ? QStringLiteral("(unknown)")
                                         : categoryName->second] += count;
        const QString kindName = kind == int(AnnotationKind::Box)       ? QStringLiteral("box")
                                 : kind == int(AnnotationKind::Polygon) ? QStringLiteral("polygon")
                                                                        : QStringLiteral("mask");
        summary.annotationKinds[kindName] += count;
    }
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
