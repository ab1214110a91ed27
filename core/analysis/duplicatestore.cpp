// The duplicate analysis on a project: inputs and signatures from the stored features, confirmed
// edges (duplicateedges), clusters stored with their issues, re-clustering from the stored
// pairs, and the report's JSON.

#include "duplicatestore.h"
#include "storedduplicates.h"

#include "jobs/progress.h"
#include "store/featurestore.h"
#include "store/names.h"
#include "store/project.h"
#include "store/stalemarks.h"
#include "store/transaction.h"
#include "util/datasetpath.h"
#include "util/error.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <map>
#include <unordered_map>

namespace assay::analysis {

namespace {


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
        // The twin a leaked copy is reported against: the representative when it is in the
        // cluster's earliest split (train before val/test), else the first member there.
        const DuplicateInput *twin = &first;
        for (const size_t m : cluster.members) {
            const DuplicateInput &s = inputs.samples[m];
            if (s.split >= 0 && (twin->split < 0 || s.split < twin->split))
                twin = &s;
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
            if (cluster.leaks && s.split > twin->split) {
                Issue leak = issue;
                leak.kind = issuekind::leakage;
                leak.severity = Severity::Error;
                leak.detail = QObject::tr("in %1, a copy of %2 in %3")
                                  .arg(inputs.splits.value(s.split), twin->path,
                                       inputs.splits.value(twin->split));
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

// Bumped when the stored analysis changes meaning: 2 is the calibrated one (signatures,
// representative-bound clusters, sample pairs in duplicate_pairs).
constexpr int analysisVersion = 2;

void writeMembers(store::Database &db, const DuplicateInputs &inputs,
                  const DuplicateFindings &findings)
{
    db.exec("DELETE FROM duplicate_members");
    store::Statement member(db, "INSERT INTO duplicate_members(sample_id, cluster, kind, "
                                "distance, flags) VALUES(?, ?, ?, ?, ?)");
    for (size_t c = 0; c < findings.clusters.size(); ++c) {
        const DuplicateCluster &cluster = findings.clusters[c];
        const int flags = (cluster.leaks ? MemberLeaks : 0) | (cluster.conflict ? MemberConflict : 0)
                          | (cluster.sameBytes ? MemberSameBytes : 0);
        for (size_t i = 0; i < cluster.members.size(); ++i) {
            member.bind(1, inputs.samples[cluster.members[i]].sampleId);
            member.bind(2, std::int64_t(c));
            member.bind(3, int(cluster.kind));
            member.bind(4, cluster.distances[i]);
            member.bind(5, flags | (i == 0 ? MemberRepresentative : 0));
            member.run();
        }
    }
}

void writePairs(store::Database &db, const DuplicateInputs &inputs,
                const std::vector<SampleEdge> &edges)
{
    db.exec("DELETE FROM duplicate_pairs");
    store::Statement pair(db, "INSERT OR IGNORE INTO duplicate_pairs(sample_a, sample_b, "
                              "distance) VALUES(?, ?, ?)");
    for (const SampleEdge &edge : edges) {
        const std::int64_t a = inputs.samples[edge.a].sampleId;
        const std::int64_t b = inputs.samples[edge.b].sampleId;
        pair.bind(1, std::min(a, b));
        pair.bind(2, std::max(a, b));
        pair.bind(3, edge.distance);
        pair.run();
    }
}

QJsonObject optionsJson(const DuplicateOptions &options, qint64 samples)
{
    return {{QStringLiteral("version"), analysisVersion},
            {QStringLiteral("threshold"), options.threshold},
            {QStringLiteral("max_distance"), options.maxDistance},
            {QStringLiteral("small_max_distance"), options.smallMaxDistance},
            {QStringLiteral("small_side"), options.confirm.smallSide},
            {QStringLiteral("small_difference"), options.confirm.smallDifference},
            {QStringLiteral("decorrelation"), options.confirm.decorrelation},
            {QStringLiteral("flat_spread"), options.confirm.flatSpread},
            {QStringLiteral("samples"), samples},
            {QStringLiteral("computed_at"),
             QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
}

void setMetaJson(store::Project &project, const QJsonObject &json)
{
    project.setMeta(QStringLiteral("duplicates"),
                    QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact)));
}

QJsonObject metaJson(store::Project &project)
{
    return QJsonDocument::fromJson(project.meta(QStringLiteral("duplicates")).toUtf8()).object();
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
                              "f.ahash, ifnull(f.width, 0), ifnull(f.height, 0) FROM samples s JOIN features f ON f.sample_id = s.id "
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
        s.width = int(rows.int64(9));
        s.height = int(rows.int64(10));
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

namespace {

// Walks the signature rows that `sql` selects (sample id, blob; in sample id order, as the
// inputs are) and calls `use(input, blob)` for those of inputs marked in `needed` (all when it
// is empty).
template<typename Use>
void forEachSignatureRow(store::Database &db, const char *sql, const DuplicateInputs &inputs,
                         const std::vector<bool> &needed, Use use)
{
    store::Statement rows(db, sql);
    size_t input = 0;
    while (rows.step()) {
        const std::int64_t id = rows.int64(0);
        while (input < inputs.samples.size() && inputs.samples[input].sampleId < id)
            ++input;
        if (input == inputs.samples.size())
            break;
        if (inputs.samples[input].sampleId == id && (needed.empty() || needed[input]))
            use(input, rows.blob(1));
    }
}

} // namespace

SignatureSet loadSignatures(store::Database &db, const DuplicateInputs &inputs,
                            const std::vector<bool> &needed)
{
    SignatureSet set;
    set.slotOf.assign(inputs.samples.size(), -1);
    forEachSignatureRow(db,
                        "SELECT g.sample_id, g.thumb FROM signatures g JOIN features f ON "
                        "f.sample_id = g.sample_id WHERE f.extractor_version >= 2 "
                        "ORDER BY g.sample_id",
                        inputs, needed, [&](size_t input, const QByteArray &thumb) {
                            if (thumb.size() != signatureBytes)
                                return;
                            set.slotOf[input] = std::int32_t(set.prepared.size());
                            set.prepared.push_back(prepareSignature(
                                reinterpret_cast<const std::uint8_t *>(thumb.constData())));
                        });
    return set;
}

void visitSmallImages(store::Database &db, const DuplicateInputs &inputs,
                      const std::vector<bool> &needed, const SmallImageVisitor &visit)
{
    forEachSignatureRow(db,
                        "SELECT g.sample_id, g.small FROM signatures g JOIN features f ON "
                        "f.sample_id = g.sample_id WHERE f.extractor_version >= 3 AND "
                        "g.small IS NOT NULL ORDER BY g.sample_id",
                        inputs, needed, [&](size_t input, const QByteArray &bytes) {
                            SmallImage image;
                            if (parseSmallImage(
                                    std::string_view(bytes.constData(), size_t(bytes.size())),
                                    image))
                                visit(std::uint32_t(input), image);
                        });
}

DuplicateFindings refreshDuplicates(store::Project &project, const DuplicateOptions &options,
                                    jobs::Progress &progress, EdgeSearchStats *stats)
{
    store::Database &db = project.db();
    progress.setPhase(QStringLiteral("Looking for duplicates"));
    const std::int64_t generation = store::labelsGeneration(db);
    const DuplicateInputs inputs = loadDuplicateInputs(db);
    EdgeSearchStats local;
    EdgeSearchStats &searched = stats ? *stats : local;
    const std::vector<SampleEdge> edges = findDuplicateEdges(
        inputs, options,
        [&](const std::vector<bool> &needed) { return loadSignatures(db, inputs, needed); },
        &progress, &searched,
        [&](const std::vector<bool> &needed, const SmallImageVisitor &visit) {
            visitSmallImages(db, inputs, needed, visit);
        });
    // The threshold cannot exceed what was searched.
    DuplicateOptions used = options;
    used.maxDistance = searched.maxDistance;
    used.smallMaxDistance = searched.smallMaxDistance;
    used.threshold = std::min(options.threshold, used.maxDistance);
    const DuplicateFindings findings = clusterDuplicates(inputs, edges, used);
    jobs::throwIfCanceled(progress);

    QJsonObject meta = optionsJson(used, qint64(inputs.samples.size()));
    meta.insert(QStringLiteral("value_pairs"), qint64(searched.valuePairs));
    meta.insert(QStringLiteral("compared_pairs"), qint64(searched.compared));
    meta.insert(QStringLiteral("confirmed_pairs"), qint64(searched.confirmed));
    meta.insert(QStringLiteral("limited"), searched.limited);
    // The searches of small images beside the pHash search (pairs each added).
    meta.insert(QStringLiteral("registered_pairs"), qint64(searched.alignedConfirmed));
    meta.insert(QStringLiteral("shifted_pairs"), qint64(searched.shifted.confirmed));
    meta.insert(QStringLiteral("resized_pairs"), qint64(searched.resized.confirmed));
    meta.insert(QStringLiteral("resize_search"),
                QJsonObject{{QStringLiteral("on"), used.resizeSearch},
                            {QStringLiteral("max_difference"), used.resize.maxDifference},
                            {QStringLiteral("blur_sigma"), used.resize.blurSigma},
                            {QStringLiteral("max_hash_distance"), used.resize.maxHashDistance},
                            {QStringLiteral("limited"), searched.resized.limited}});
    store::Transaction transaction(db);
    writeMembers(db, inputs, findings);
    writePairs(db, inputs, edges);
    store::writeIssues(db, duplicateIssueKinds(), issuesOf(inputs, findings));
    setMetaJson(project, meta);
    store::clearStaleSince(db, store::analysisname::duplicates, generation);
    transaction.commit();
    return findings;
}

bool duplicatesComputed(store::Project &project)
{
    return metaJson(project).value(QStringLiteral("version")).toInt() >= analysisVersion;
}

DuplicateOptions storedDuplicateOptions(store::Project &project)
{
    DuplicateOptions options;
    const QJsonObject used = metaJson(project);
    if (used.value(QStringLiteral("version")).toInt() < analysisVersion)
        return options;
    options.threshold = used.value(QStringLiteral("threshold")).toInt(options.threshold);
    options.maxDistance = used.value(QStringLiteral("max_distance")).toInt(options.maxDistance);
    options.smallMaxDistance =
        used.value(QStringLiteral("small_max_distance")).toInt(options.smallMaxDistance);
    ConfirmRule &rule = options.confirm;
    rule.smallSide = used.value(QStringLiteral("small_side")).toInt(rule.smallSide);
    rule.smallDifference =
        used.value(QStringLiteral("small_difference")).toDouble(rule.smallDifference);
    rule.decorrelation = used.value(QStringLiteral("decorrelation")).toDouble(rule.decorrelation);
    rule.flatSpread = used.value(QStringLiteral("flat_spread")).toDouble(rule.flatSpread);
    return options;
}

DuplicateGraph loadDuplicateGraph(store::Project &project)
{
    if (!duplicatesComputed(project))
        throw Error(QStringLiteral("Duplicates have not been computed for %1 yet: scan it first")
                        .arg(project.path()));
    store::Database &db = project.db();
    DuplicateGraph graph;
    graph.options = storedDuplicateOptions(project);
    graph.labelsGeneration = store::labelsGeneration(db);
    graph.inputs = loadDuplicateInputs(db);
    std::unordered_map<std::int64_t, size_t> inputOf;
    inputOf.reserve(graph.inputs.samples.size());
    for (size_t i = 0; i < graph.inputs.samples.size(); ++i)
        inputOf.emplace(graph.inputs.samples[i].sampleId, i);
    store::Statement rows(db, "SELECT sample_a, sample_b, distance FROM duplicate_pairs");
    while (rows.step()) {
        const auto a = inputOf.find(rows.int64(0)), b = inputOf.find(rows.int64(1));
        if (a != inputOf.end() && b != inputOf.end()) // both still present and measured
            graph.edges.push_back({a->second, b->second, int(rows.int64(2))});
    }
    return graph;
}

void storeDuplicateClusters(store::Project &project, const DuplicateGraph &graph,
                            const DuplicateFindings &findings, int threshold)
{
    store::Database &db = project.db();
    QJsonObject meta = metaJson(project);
    meta.insert(QStringLiteral("threshold"), threshold);
    meta.insert(QStringLiteral("computed_at"),
                QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    store::Transaction transaction(db);
    writeMembers(db, graph.inputs, findings);
    store::writeIssues(db, duplicateIssueKinds(), issuesOf(graph.inputs, findings));
    setMetaJson(project, meta);
    store::clearStaleSince(db, store::analysisname::duplicates, graph.labelsGeneration);
    transaction.commit();
}

DuplicateFindings reclusterDuplicates(store::Project &project, int threshold)
{
    const DuplicateGraph graph = loadDuplicateGraph(project);
    if (threshold < 0 || threshold > graph.options.maxDistance)
        throw Error(QStringLiteral("Threshold %1 is outside the distances searched (0 to %2)")
                        .arg(threshold)
                        .arg(graph.options.maxDistance));
    DuplicateOptions options = graph.options;
    options.threshold = threshold;
    const DuplicateFindings findings = clusterDuplicates(graph.inputs, graph.edges, options);
    storeDuplicateClusters(project, graph, findings, threshold);
    return findings;
}

std::vector<std::int64_t> duplicateSampleIds(store::Database &db, DuplicateMembership which)
{
    const char *sql = "SELECT sample_id FROM duplicate_members ORDER BY sample_id";
    if (which == DuplicateMembership::Leaks)
        sql = "SELECT sample_id FROM duplicate_members WHERE flags & 1 ORDER BY sample_id";
    else if (which == DuplicateMembership::LabelConflict)
        sql = "SELECT sample_id FROM duplicate_members WHERE flags & 2 ORDER BY sample_id";
    store::Statement rows(db, sql);
    std::vector<std::int64_t> ids;
    while (rows.step())
        ids.push_back(rows.int64(0));
    return ids;
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
        cluster.flags = int(rows.int64(3)) & ~MemberRepresentative;
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
        if (cluster.flags & MemberLeaks) {
            ++leaking;
            leakage.append(QJsonObject{{QStringLiteral("splits"),
                                        QJsonArray::fromStringList(cluster.splits)},
                                       {QStringLiteral("members"), cluster.members}});
        }
        if (cluster.flags & MemberConflict) {
            ++conflicting;
            conflicts.append(QJsonObject{{QStringLiteral("members"), cluster.members},
                                         {QStringLiteral("labels"),
                                          QJsonArray::fromStringList(cluster.labels)}});
        }
    }
    QJsonObject summary{{QStringLiteral("clusters"), qint64(clusters.size())},
                              {QStringLiteral("exact_clusters"), exact.size()},
                              {QStringLiteral("near_clusters"), near.size()},
                              {QStringLiteral("samples_in_clusters"), qint64(members)},
                              {QStringLiteral("leaking_clusters"), leaking},
                              {QStringLiteral("conflicting_clusters"), conflicting}};
    // The parameters the clusters were made with.
    const QJsonObject used = QJsonDocument::fromJson(
        db.queryText("SELECT value FROM meta WHERE key = 'duplicates'").toUtf8()).object();
    for (const char *key : {"threshold", "max_distance", "small_max_distance"})
        if (used.contains(QLatin1String(key)))
            summary.insert(QLatin1String(key), used.value(QLatin1String(key)));
    return {{QStringLiteral("duplicates"),
             QJsonObject{{QStringLiteral("exact"), exact}, {QStringLiteral("near"), near}}},
            {QStringLiteral("leakage"), leakage},
            {QStringLiteral("label_conflicts"), conflicts},
            {QStringLiteral("duplicate_summary"), summary}};
}

} // namespace assay::analysis
