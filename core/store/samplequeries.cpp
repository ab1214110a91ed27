#include "samplequeries.h"

#include "project.h"

#include <map>

namespace assay::store {

SampleListing listSamples(Database &db, const SampleFilter &filter)
{
    SampleListing listing;
    std::map<qint64, int> classIndex, splitIndex;
    {
        Statement query(db, "SELECT id, name FROM categories ORDER BY position, id");
        while (query.step()) {
            classIndex[query.int64(0)] = int(listing.classes.size());
            listing.classes << query.text(1);
        }
    }
    {
        Statement query(db, "SELECT id, name FROM splits ORDER BY id");
        while (query.step()) {
            splitIndex[query.int64(0)] = int(listing.splits.size());
            listing.splits << query.text(1);
        }
    }
    std::string sql = "SELECT s.id, ifnull(s.category_id, 0), ifnull(s.split_id, 0), "
                      "EXISTS(SELECT 1 FROM issues i WHERE i.sample_id = s.id) "
                      "FROM samples s WHERE s.status = 0";
    if (!filter.className.isEmpty())
        sql += " AND s.category_id = (SELECT id FROM categories WHERE name = :class)";
    if (filter.split == noSplitName)
        sql += " AND s.split_id IS NULL";
    else if (!filter.split.isEmpty())
        sql += " AND s.split_id = (SELECT id FROM splits WHERE name = :split)";
    if (!filter.issueKind.isEmpty())
        sql += " AND s.id IN (SELECT sample_id FROM issues WHERE kind = :issue)";
    sql += " ORDER BY s.id";
    Statement query(db, sql);
    int parameter = 1;
    if (!filter.className.isEmpty())
        query.bind(parameter++, filter.className);
    if (!filter.split.isEmpty() && filter.split != noSplitName)
        query.bind(parameter++, filter.split);
    if (!filter.issueKind.isEmpty())
        query.bind(parameter++, filter.issueKind);
    while (query.step()) {
        ListedSample row;
        row.id = query.int64(0);
        const auto c = classIndex.find(query.int64(1));
        row.classIndex = c == classIndex.end() ? -1 : c->second;
        const auto s = splitIndex.find(query.int64(2));
        row.splitIndex = s == splitIndex.end() ? -1 : s->second;
        row.hasIssue = query.int64(3) != 0;
        listing.rows.push_back(row);
    }
    return listing;
}

QMap<QString, qint64> issueCounts(Database &db)
{
    QMap<QString, qint64> counts;
    Statement query(db, "SELECT kind, count(*) FROM issues GROUP BY kind");
    while (query.step())
        counts.insert(query.text(0), query.int64(1));
    return counts;
}

} // namespace assay::store
