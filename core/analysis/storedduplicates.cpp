#include "storedduplicates.h"

#include "store/database.h"
#include "util/datasetpath.h"

#include <algorithm>
#include <map>

namespace assay::analysis {

namespace {

// "cat, dog ×2" from the sorted class names of a sample's objects.
QString objectClasses(const QString &sortedNames)
{
    if (sortedNames.isEmpty())
        return {};
    const QStringList names = sortedNames.split(u'\x1f');
    QStringList parts;
    for (qsizetype i = 0; i < names.size();) {
        qsizetype j = i + 1;
        while (j < names.size() && names[j] == names[i])
            ++j;
        parts << (j - i > 1 ? QStringLiteral("%1 ×%2").arg(names[i]).arg(j - i) : names[i]);
        i = j;
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

std::vector<StoredDuplicateCluster> loadStoredDuplicateClusters(store::Database &db)
{
    store::Statement rows(db, R"sql(
        SELECT d.cluster, d.kind, d.distance, d.flags, s.id, s.path, s.member, sp.name, c.name,
               (SELECT group_concat(name, char(31)) FROM
                   (SELECT ifnull(c2.name, '?') AS name FROM annotations a
                    LEFT JOIN categories c2 ON c2.id = a.category_id
                    WHERE a.sample_id = s.id ORDER BY name)),
               ifnull(f.width, 0), ifnull(f.height, 0), ifnull(f.real_type, ''),
               ifnull(f.file_size, s.size)
        FROM duplicate_members d JOIN samples s ON s.id = d.sample_id
        LEFT JOIN splits sp ON sp.id = s.split_id
        LEFT JOIN categories c ON c.id = s.category_id
        LEFT JOIN features f ON f.sample_id = s.id
        ORDER BY d.cluster, d.flags & 8 DESC, d.distance, s.path, s.member)sql");
    std::map<std::int64_t, StoredDuplicateCluster> byId;
    while (rows.step()) {
        StoredDuplicateCluster &cluster = byId[rows.int64(0)];
        const int flags = int(rows.int64(3));
        cluster.id = rows.int64(0);
        cluster.kind = static_cast<DuplicateKind>(rows.int64(1));
        cluster.leaks = flags & MemberLeaks;
        cluster.conflict = flags & MemberConflict;
        cluster.sameBytes = flags & MemberSameBytes;
        StoredDuplicateMember member;
        member.distance = int(rows.int64(2));
        member.representative = flags & MemberRepresentative;
        member.sampleId = rows.int64(4);
        member.relativePath = rows.text(5);
        member.member = rows.int64(6);
        member.path = datasetpath::display(member.relativePath, member.member);
        member.split = rows.text(7);
        member.label = rows.isNull(8) ? objectClasses(rows.text(9)) : rows.text(8);
        member.width = int(rows.int64(10));
        member.height = int(rows.int64(11));
        member.format = rows.text(12);
        member.fileSize = rows.int64(13);
        cluster.maxDistance = std::max(cluster.maxDistance, member.distance);
        if (!member.split.isEmpty() && !cluster.splits.contains(member.split))
            cluster.splits << member.split;
        if (!member.label.isEmpty() && !cluster.labels.contains(member.label))
            cluster.labels << member.label;
        cluster.members.push_back(std::move(member));
    }
    std::vector<StoredDuplicateCluster> clusters;
    clusters.reserve(byId.size());
    for (auto &[id, cluster] : byId)
        clusters.push_back(std::move(cluster));
    std::stable_sort(clusters.begin(), clusters.end(),
                     [](const StoredDuplicateCluster &a, const StoredDuplicateCluster &b) {
                         return a.members.size() > b.members.size();
                     });
    return clusters;
}

} // namespace assay::analysis
