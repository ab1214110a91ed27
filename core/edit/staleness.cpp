#include "staleness.h"

#include "store/database.h"

namespace assay::edit {

namespace {

void setMeta(store::Database &db, const char *key, const QString &value)
{
    store::Statement update(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    update.bind(1, std::string_view(key));
    update.bind(2, value);
    update.run();
}

QString meta(store::Database &db, const char *key)
{
    store::Statement query(db, "SELECT value FROM meta WHERE key = ?");
    query.bind(1, std::string_view(key));
    return query.step() ? query.text(0) : QString();
}

} // namespace

QStringList analysesStaleAfter(FieldSet fields)
{
    QStringList names;
    if (!fields.touchesLabels())
        return names;
    names << analysisname::duplicates << analysisname::slices;
    if (fields.touchesAnnotations() || fields.touchesCategories())
        names << analysisname::annotationChecks;
    return names;
}

QStringList staleAnalyses(store::Database &db)
{
    return meta(db, "stale_analyses").split(u',', Qt::SkipEmptyParts);
}

void markStale(store::Database &db, const QStringList &names)
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

void clearStale(store::Database &db, const QString &name)
{
    QStringList stale = staleAnalyses(db);
    if (stale.removeAll(name) > 0)
        setMeta(db, "stale_analyses", stale.join(u','));
}

std::int64_t labelsGeneration(store::Database &db)
{
    return meta(db, "labels_generation").toLongLong();
}

} // namespace assay::edit
