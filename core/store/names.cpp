#include "names.h"

#include "database.h"

namespace assay::store {

NameIndex loadNames(Database &db, const char *sql, QStringList &names)
{
    NameIndex index;
    Statement rows(db, sql);
    while (rows.step()) {
        index.m_positions.emplace(rows.int64(0), int(names.size()));
        names << rows.text(1);
    }
    return index;
}

NameIndex loadCategoryNames(Database &db, QStringList &names)
{
    return loadNames(db, "SELECT id, name FROM categories ORDER BY position, id", names);
}

NameIndex loadSplitNames(Database &db, QStringList &names)
{
    return loadNames(db, "SELECT id, name FROM splits ORDER BY id", names);
}

} // namespace assay::store
