#include "samplequeries.h"

namespace assay::store {

QMap<QString, qint64> issueCounts(Database &db)
{
    QMap<QString, qint64> counts;
    Statement query(db, "SELECT kind, count(*) FROM issues GROUP BY kind");
    while (query.step())
        counts.insert(query.text(0), query.int64(1));
    return counts;
}

} // namespace assay::store
