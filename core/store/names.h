#pragma once

#include <QStringList>

#include <cstdint>
#include <unordered_map>

namespace assay::store {

class Database;

// The rows of a name table (categories, splits) as positions in the list of names loaded with
// them: what in-memory views use instead of row ids.
class NameIndex
{
public:
    // The position of row `id`, or -1 (no such row; ids of 0 or NULL stand for "none").
    int of(std::int64_t id) const
    {
        const auto found = m_positions.find(id);
        return found == m_positions.end() ? -1 : found->second;
    }

private:
    friend NameIndex loadNames(Database &db, const char *sql, QStringList &names);
    std::unordered_map<std::int64_t, int> m_positions;
};

// Categories in the project's order, splits in id order; their names are appended to `names`.
NameIndex loadCategoryNames(Database &db, QStringList &names);
NameIndex loadSplitNames(Database &db, QStringList &names);

} // namespace assay::store
