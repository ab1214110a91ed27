// The duplicate analysis on a project: inputs from the stored features, near pairs from the
// pHash index, confirmed edges, clusters stored with their issues, and the report's JSON.

#include "duplicatestore.h"

#include "hammingpairs.h"
#include "nearclusters.h"

#include "jobs/progress.h"
#include "store/featurestore.h"
#include "store/names.h"
#include "store/project.h"
#include "store/transaction.h"
#include "util/datasetpath.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <map>
#include <unordered_map>

namespace assay::analysis {

namespace {

// Member-by-member confirmation stops at this many sample pairs per value pair.
constexpr size_t maxMemberPairs = 256;

enum MemberFlag { Leaks = 1, Conflict = 2, SameBytes = 4, Representative = 8 };

std::vector<Issue> issuesOf(const DuplicateInputs &inputs, const DuplicateFindings &findings)
{
    std::vector<Issue> issues;
    for (const DuplicateCluster &cluster : findings.clusters) {
        const DuplicateInput &first = inputs.samples[cluster.members.front()];
        QStringList labels;
        for (const size_t m : cluster.members) {
            const DuplicateInput &s = inputs.samples[m];
            const QString label = s.label >= 0 ? inputs.classes.value(s.label)
                                               : QString::fromStdString(s.objects);
            if (!label.isEmpty() && !labels.contains(label))
                labels << label;
        }
        for (size_t i = 0; i < cluster.members.size(); ++i) {
            const DuplicateInput &s = inputs.samples[cluster.members[i]];
            Issue issue;
            issue.sampleId = s.sampleId;
            issue.kind = issuekind::duplicate;
            issue.value = cluster.distances[i];
            issue.severity = Severity::Warning;
            const qsizetype copies = qsizetype(cluster.members.size()) - 1;
            if (i == 0)
                issue.detail = QObject::tr("has %1 %2 copies, e.g. %3")
                                   .arg(copies)
                                   .arg(cluster.kind == DuplicateKind::Exact ? QObject::tr("exact")
                                                                             : QObject::tr("near"))
                                   .arg(inputs.samples[cluster.members[1]].path);
            else if (cluster.kind == DuplicateKind::Exact)
                issue.detail = QObject::tr("exact copy of %1").arg(first.path);
            else
                issue.detail = QObject::tr("near copy of %1 (pHash %2 bits apart)")
                                   .arg(first.path)
                                   .arg(cluster.distances[i]);
            issues.push_back(issue);
            if (cluster.leaks && s.split != first.split && s.split >= 0 && first.split >= 0) {
                Issue leak = issue;
                leak.kind = issuekind::leakage;
                leak.severity = Severity::Error;
                leak.detail = QObject::tr("in %1, a copy of %2 in %3")
                                  .arg(inputs.splits.value(s.split), first.path,
                                       inputs.splits.value(first.split));
                issues.push_back(leak);
            }
            if (cluster.conflict) {
                Issue conflict = issue;
                conflict.kind = issuekind::labelConflict;
                conflict.severity = Severity::Error;
                conflict.detail = QObject::tr("its copies are labelled %1")
                                      .arg(labels.join(QStringLiteral(", ")));
                issues.push_back(conflict);
            }
        }
    }
    return issues;
}

void storeFindings(store::Database &db, const DuplicateInputs &inputs,
                   const DuplicateFindings &findings, const NearPairs &pairs)
{
    store::Transaction transaction(db);
    db.exec("DELETE FROM duplicate_members");
    db.exec("DELETE FROM near_pairs");
    store::Statement member(db, "INSERT INTO duplicate_members(sample_id, cluster, kind, "
                                "distance, flags) VALUES(?, ?, ?, ?, ?)");
    for (size_t c = 0; c < findings.clusters.size(); ++c) {
        const DuplicateCluster &cluster = findings.clusters[c];
        const int flags = (cluster.leaks ? Leaks : 0) | (cluster.conflict ? Conflict : 0)
                          | (cluster.sameBytes ? SameBytes : 0);
        for (size_t i = 0; i < cluster.members.size(); ++i) {
            member.bind(1, inputs.samples[cluster.members[i]].sampleId);
            member.bind(2, std::int64_t(c));
            member.bind(3, int(cluster.kind));
            member.bind(4, cluster.distances[i]);
            member.bind(5, flags | (i == 0 ? Representative : 0));
            member.run();
        }
    }
    store::Statement pair(db, "INSERT OR IGNORE INTO near_pairs(hash_a, hash_b, distance) "
                              "VALUES(?, ?, ?)");
    for (const HashPair &p : pairs.pairs) {
        pair.bind(1, std::int64_t(pairs.values[p.a]));
        pair.bind(2, std::int64_t(pairs.values[p.b]));
        pair.bind(3, int(p.distance));
        pair.run();
    }
    transaction.commit();
}

} // namespace

QStringList duplicateIssueKinds()
{
    return {issuekind::duplicate, issuekind::leakage, issuekind::labelConflict};
}

DuplicateInputs loadDuplicateInputs(store::Database &db)
{
    DuplicateInputs inputs;
    const store::NameIndex classOf = store::loadCategoryNames(db, inputs.classes);
    const store::NameIndex splitOf = store::loadSplitNames(db, inputs.splits);
    std::unordered_map<std::int64_t, std::string> objects;
    {
        store::Statement rows(db, "SELECT sample_id, group_concat(c) FROM (SELECT sample_id, "
                                  "ifnull(category_id, -1) AS c FROM annotations ORDER BY "
                                  "sample_id, c) GROUP BY sample_id");
        while (rows.step())
            objects.emplace(rows.int64(0), std::string(rows.utf8(1)));
    }
    store::Statement rows(db, "SELECT s.id, s.path, s.member, ifnull(s.split_id, 0), "
                              "ifnull(s.category_id, 0), f.content_hash, f.pixel_hash, f.phash, "
                              "f.ahash FROM samples s JOIN features f ON f.sample_id = s.id "
                              "WHERE s.status = 0 AND f.status = 0 AND f.phash IS NOT NULL "
                              "ORDER BY s.id");
    while (rows.step()) {
        DuplicateInput s;
        s.sampleId = rows.int64(0);
        s.path = datasetpath::display(rows.text(1), rows.int64(2));
        s.split = splitOf.of(rows.int64(3));
        s.label = classOf.of(rows.int64(4));
        const QByteArray content = rows.blob(5);
        s.contentHash.assign(content.constData(), size_t(content.size()));
        s.pixelHash = std::uint64_t(rows.int64(6));
        s.phash = std::uint64_t(rows.int64(7));
        s.ahash = std::uint64_t(rows.int64(8));
        if (const auto found = objects.find(s.sampleId); found != objects.end()) {
            // Class names, not ids: "cat,cat,dog".
            QStringList names;
            for (const QString &id : QString::fromStdString(found->second).split(u',')) {
                const int c = classOf.of(id.toLongLong());
                names << (c >= 0 ? inputs.classes[c] : QStringLiteral("?"));
            }
            s.objects = names.join(u',').toStdString();
        }
        inputs.samples.push_back(std::move(s));
    }
    return inputs;
}

std::vector<SampleEdge> nearEdges(const DuplicateInputs &inputs, const NearPairs &pairs,
                                  const DuplicateOptions &options)
{
    const ValueInputs byValue = inputsByValue(pairs);
    auto confirmed = [&](size_t a, size_t b) {
        return hammingDistance(inputs.samples[a].ahash, inputs.samples[b].ahash)
               <= options.confirmDistance;
    };
    std::vector<SampleEdge> edges;
    // Identical pHashes: each member against the group's first.
    for (std::uint32_t v = 0; v < pairs.values.size(); ++v) {
        const auto group = byValue.of(v);
        for (size_t k = 1; k < group.size(); ++k) {
            if (confirmed(group[0], group[k]))
                edges.push_back({group[0], group[k], 0});
        }
    }
    for (const HashPair &pair : pairs.pairs) {
        const auto a = byValue.of(pair.a), b = byValue.of(pair.b);
        if (a.size() * b.size() > maxMemberPairs) {
            if (confirmed(a[0], b[0]))
                edges.push_back({a[0], b[0], pair.distance});
            continue;
        }
        for (const std::uint32_t i : a)
            for (const std::uint32_t j : b)
                if (confirmed(i, j))
                    edges.push_back({i, j, pair.distance});
    }
    return edges;
}

DuplicateFindings refreshDuplicates(store::Project &project, const DuplicateOptions &options,
                                    jobs::Progress &progress)
{
    store::Database &db = project.db();
    progress.setPhase(QStringLiteral("Looking for duplicates"));
    const DuplicateInputs inputs = loadDuplicateInputs(db);
    std::vector<std::uint64_t> hashes;
    hashes.reserve(inputs.samples.size());
    for (const DuplicateInput &s : inputs.samples)
        hashes.push_back(s.phash);
    NearPairOptions pairOptions;
    pairOptions.lowerPriority = true;
    const NearPairs pairs = findNearPairs(hashes, std::max(options.maxDistance, options.threshold),
                                          pairOptions, &progress);
    const DuplicateFindings findings =
        clusterDuplicates(inputs, nearEdges(inputs, pairs, options), options);
    storeFindings(db, inputs, findings, pairs);
    store::replaceIssues(db, duplicateIssueKinds(), issuesOf(inputs, findings));
    const QJsonObject used{{QStringLiteral("threshold"), options.threshold},
                           {QStringLiteral("max_distance"), options.maxDistance},
                           {QStringLiteral("confirm_distance"), options.confirmDistance},
                           {QStringLiteral("samples"), qint64(inputs.samples.size())},
                           {QStringLiteral("truncated"), pairs.truncated},
                           {QStringLiteral("computed_at"),
                            QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
    project.setMeta(QStringLiteral("duplicates"),
                    QString::fromUtf8(QJsonDocument(used).toJson(QJsonDocument::Compact)));
    return findings;
}

DuplicateOptions storedDuplicateOptions(store::Project &project)
{
    DuplicateOptions options;
    const QJsonObject used =
        QJsonDocument::fromJson(project.meta(QStringLiteral("duplicates")).toUtf8()).object();
    options.threshold = used.value(QStringLiteral("threshold")).toInt(options.threshold);
    options.maxDistance = used.value(QStringLiteral("max_distance")).toInt(options.maxDistance);
    options.confirmDistance =
        used.value(QStringLiteral("confirm_distance")).toInt(options.confirmDistance);
    return options;
}

QJsonObject duplicatesJson(store::Database &db)
{
    struct Cluster
    {
        int kind = 0, flags = 0, maxDistance = 0;
        QJsonArray members;
        QStringList splits, labels;
    };
    std::map<std::int64_t, Cluster> clusters;
    store::Statement rows(db, "SELECT d.cluster, d.kind, d.distance, d.flags, s.path, s.member, "
                              "sp.name, c.name, (SELECT group_concat(name) FROM (SELECT "
                              "ifnull(c2.name, '?') AS name FROM annotations a LEFT JOIN "
                              "categories c2 ON c2.id = a.category_id WHERE a.sample_id = s.id "
                              "ORDER BY name)) FROM duplicate_members d JOIN samples s ON "
                              "s.id = d.sample_id LEFT JOIN splits sp ON sp.id = s.split_id "
                              "LEFT JOIN categories c ON c.id = s.category_id "
                              "ORDER BY d.cluster, d.flags & 8 DESC, s.path, s.member");
    while (rows.step()) {
        Cluster &cluster = clusters[rows.int64(0)];
        cluster.kind = int(rows.int64(1));
        cluster.maxDistance = std::max(cluster.maxDistance, int(rows.int64(2)));
        cluster.flags = int(rows.int64(3)) & ~Representative;
        cluster.members.append(datasetpath::display(rows.text(4), rows.int64(5)));
        const QString split = rows.text(6);
        if (!split.isEmpty() && !cluster.splits.contains(split))
            cluster.splits << split;
        const QString label = rows.isNull(7) ? rows.text(8) : rows.text(7);
        if (!label.isEmpty() && !cluster.labels.contains(label))
            cluster.labels << label;
    }
    QJsonArray exact, near, leakage, conflicts;
    int leaking = 0, conflicting = 0;
    std::int64_t members = 0;
    for (const auto &[id, cluster] : clusters) {
        members += cluster.members.size();
        if (cluster.kind == int(DuplicateKind::Exact))
            exact.append(cluster.members);
        else
            near.append(QJsonObject{{QStringLiteral("members"), cluster.members},
                                    {QStringLiteral("max_distance"), cluster.maxDistance}});
        if (cluster.flags & Leaks) {
            ++leaking;
            leakage.append(QJsonObject{{QStringLiteral("splits"),
                                        QJsonArray::fromStringList(cluster.splits)},
                                       {QStringLiteral("members"), cluster.members}});
        }
        if (cluster.flags & Conflict) {
            ++conflicting;
            conflicts.append(QJsonObject{{QStringLiteral("members"), cluster.members},
                                         {QStringLiteral("labels"),
                                          QJsonArray::fromStringList(cluster.labels)}});
        }
    }
    const QJsonObject summary{{QStringLiteral("clusters"), qint64(clusters.size())},
                              {QStringLiteral("exact_clusters"), exact.size()},
                              {QStringLiteral("near_clusters"), near.size()},
                              {QStringLiteral("samples_in_clusters"), qint64(members)},
                              {QStringLiteral("leaking_clusters"), leaking},
                              {QStringLiteral("conflicting_clusters"), conflicting}};
    return {{QStringLiteral("duplicates"),
             QJsonObject{{QStringLiteral("exact"), exact}, {QStringLiteral("near"), near}}},
            {QStringLiteral("leakage"), leakage},
            {QStringLiteral("label_conflicts"), conflicts},
            {QStringLiteral("duplicate_summary"), summary}};
}

} // namespace assay::analysis
