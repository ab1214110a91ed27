#pragma once

#include "database.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <vector>

namespace assay::store {

// The sidecar NAME.assay-cache: thumbnails (JPEG) keyed by sample and content hash. Everything in
// it can be regenerated; a cache file that is damaged or not ours is replaced, never trusted.
class ThumbnailCache
{
public:
    enum class Mode { ReadWrite, ReadOnly };

    static QString pathFor(const QString &projectPath);
    // Opens (creating or replacing as needed in ReadWrite mode). In ReadOnly mode a missing or
    // unusable cache gives an empty cache that answers nothing.
    ThumbnailCache(const QString &path, Mode mode);
    ~ThumbnailCache();

    struct Entry
    {
        std::int64_t sampleId = 0;
        QByteArray contentHash;
        QByteArray jpeg;
    };
    // Writes entries in one transaction.
    void put(const std::vector<Entry> &entries);
    // The thumbnail of a sample, or an empty array.
    QByteArray get(std::int64_t sampleId);
    bool isUsable() const { return m_db != nullptr; }

private:
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Statement> m_select;
};

} // namespace assay::store
