#include "stalemarks.h"

#include "database.h"

namespace assay::store {

namespace {

void setMeta(Database &db, const char *key, const QString &value)
{
    Statement update(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    update.bind(1, std::string_view(key));
    update.bind(2, value);
    update.run();
}

QString meta(Database &db, const char *key)
{
    Statement query(db, "SELECT value FROM meta WHERE key = ?");
    query.bind(1, std::string_view(key));
    return query.step() ? query.text(0) : QString();
}

} // namespace

QStringList staleAnalyses(Database &db)
{
    return meta(db, "stale_analyses").split(u',', Qt::SkipEmptyParts);
}

void markStale(Database &db, const QStringList &names)
{
    if (names.isEmpty())
        return;
    QStringList stale = staleAnalyses(db);
    for (const QString &name : names) {
        if (!stale.contains(name))
            stale << name;
    }
    setMeta(db, "stale_analyses", stale.join(u','));
    setMeta(db, "labels_generation", QString::number(labelsGeneration(db) + 1));
}

void clearStale(Database &db, const QString &name)
{
    QStringList stale = staleAnalyses(db);
    if (stale.removeAll(name) > 0)
        setMeta(db, "stale_analyses", stale.join(u','));
}

std::int64_t labelsGeneration(Database &db)
{
    return meta(db, "labels_generation").toLongLong();
}

void clearStaleSince(Database &db, const QString &name, std::int64_t generation)
{
    if (labelsGeneration(db) == generation)
        clearStale(db, name);
}

} // namespace assay::store
