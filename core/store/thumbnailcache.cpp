#include "thumbnailcache.h"

#include "transaction.h"
#include "util/error.h"

#include <QFile>
#include <QFileInfo>

namespace assay::store {

namespace {
constexpr std::int64_t cacheApplicationId = 0x41535943; // "ASYC"

void removeFiles(const QString &path)
{
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(path + QString::fromLatin1(suffix));
}

std::unique_ptr<Database> openCache(const QString &path, ThumbnailCache::Mode mode)
{
    const bool readOnly = mode == ThumbnailCache::Mode::ReadOnly;
    if (readOnly && !QFileInfo::exists(path))
        return nullptr;
    auto db = std::make_unique<Database>(path, readOnly ? Database::Mode::ReadOnly
                                                        : Database::Mode::ReadWriteCreate);
    if (!readOnly) {
        db->exec("PRAGMA journal_mode = WAL");
        db->exec("PRAGMA synchronous = NORMAL");
    }
    const std::int64_t appId = db->queryInt("PRAGMA application_id");
    const std::int64_t tables = db->queryInt("SELECT count(*) FROM sqlite_master");
    if (appId == 0 && tables == 0 && !readOnly) {
        // One transaction: a reader never sees the id without the table.
        Transaction transaction(*db);
        db->exec("PRAGMA application_id = 1095981379"); // "ASYC"
        db->exec("CREATE TABLE thumbnails(sample_id INTEGER PRIMARY KEY, content_hash BLOB, "
                 "jpeg BLOB NOT NULL)");
        transaction.commit();
    } else if (appId != cacheApplicationId) {
        throw Error(QStringLiteral("%1 is not an Assay thumbnail cache").arg(path));
    }
    return db;
}
} // namespace

QString ThumbnailCache::pathFor(const QString &projectPath)
{
    return projectPath + QStringLiteral("-cache");
}

ThumbnailCache::ThumbnailCache(const QString &path, Mode mode)
{
    auto open = [&] {
        m_db = openCache(path, mode);
        if (m_db)
            m_select = std::make_unique<Statement>(
                *m_db, "SELECT jpeg FROM thumbnails WHERE sample_id = ?");
    };
    try {
        open();
    } catch (const Error &) {
        m_select.reset();
        m_db.reset();
        if (mode == Mode::ReadWrite) {
            // Damaged or foreign: the cache holds nothing that cannot be made again.
            removeFiles(path);
            open();
        }
        // Read-only: an unusable cache answers nothing (a scan may be creating it right now).
    }
}

ThumbnailCache::~ThumbnailCache() = default;

void ThumbnailCache::put(const std::vector<Entry> &entries)
{
    if (!m_db || entries.empty())
        return;
    Transaction transaction(*m_db);
    Statement insert(*m_db, "INSERT OR REPLACE INTO thumbnails(sample_id, content_hash, jpeg) "
                            "VALUES(?, ?, ?)");
    for (const Entry &entry : entries) {
        insert.bind(1, entry.sampleId);
        insert.bindBlob(2, entry.contentHash);
        insert.bindBlob(3, entry.jpeg);
        insert.run();
    }
    transaction.commit();
}

QByteArray ThumbnailCache::get(std::int64_t sampleId)
{
    if (!m_select)
        return {};
    QByteArray jpeg;
    try {
        m_select->bind(1, sampleId);
        if (m_select->step())
            jpeg = m_select->blob(0);
        m_select->reset();
    } catch (const Error &) {
        m_select->reset(); // busy or damaged: no thumbnail this time
    }
    return jpeg;
}

} // namespace assay::store
