// refreshAfterEdit: the label-derived parts of stored analyses, recomputed after an edit.

#include "editrefresh.h"

#include "annotationchecks.h"
#include "duplicatestore.h"
#include "storedduplicates.h"

#include "store/project.h"
#include "store/stalemarks.h"
#include "biasstore.h"
#include "jobs/progress.h"
#include "store/transaction.h"
#include "util/datasetpath.h"

#include <QObject>

#include <map>
#include <set>
#include <unordered_map>

namespace assay::analysis {

namespace {

struct Member
{
    std::int64_t sampleId = 0;
    int distance = 0;
    int flags = 0;
    std::int64_t split = 0;
    std::int64_t category = 0;
    QString path;
};

} // namespace

void refreshDuplicateLabels(store::Database &db)
{
    store::Transaction transaction(db);
    std::unordered_map<std::int64_t, QString> classNames, splitNames;
    {
        store::Statement rows(db, "SELECT id, name FROM categories");
        while (rows.step())
            classNames.emplace(rows.int64(0), rows.text(1));
        store::Statement splits(db, "SELECT id, name FROM splits");
        while (splits.step())
            splitNames.emplace(splits.int64(0), splits.text(1));
    }
    // Detection datasets: the members' object classes, as sorted name lists.
    std::unordered_map<std::int64_t, QString> objects;
    {
        store::Statement rows(db, "SELECT sample_id, group_concat(c) FROM (SELECT a.sample_id, "
                                  "ifnull(a.category_id, -1) AS c FROM annotations a JOIN "
                                  "duplicate_members d ON d.sample_id = a.sample_id ORDER BY "
                                  "a.sample_id, c) GROUP BY sample_id");
        while (rows.step()) {
            QStringList names;
            for (const QString &id : rows.text(1).split(u',')) {
                const auto found = classNames.find(id.toLongLong());
                names << (found != classNames.end() ? found->second : QStringLiteral("?"));
            }
            objects.emplace(rows.int64(0), names.join(u','));
        }
    }
    std::map<std::int64_t, std::vector<Member>> clusters;
    {
        store::Statement rows(db, "SELECT d.cluster, d.sample_id, d.distance, d.flags, "
                                  "ifnull(s.split_id, 0), ifnull(s.category_id, 0), s.path, "
                                  "s.member FROM duplicate_members d JOIN samples s ON "
                                  "s.id = d.sample_id ORDER BY d.cluster, d.flags & 8 DESC, "
                                  "d.sample_id");
        while (rows.step())
            clusters[rows.int64(0)].push_back(
                {rows.int64(1), int(rows.int64(2)), int(rows.int64(3)), rows.int64(4),
                 rows.int64(5), datasetpath::display(rows.text(6), rows.int64(7))});
    }
    db.exec("DELETE FROM issues WHERE kind IN ('label_conflict', 'leakage')");
    store::Statement setFlags(db, "UPDATE duplicate_members SET flags = ? WHERE sample_id = ?");
    store::Statement addIssue(db, "INSERT INTO issues(sample_id, kind, severity, detail, value) "
                                  "VALUES(?, ?, ?, ?, ?)");
    auto issue = [&](const Member &m, const QString &kind, const QString &detail) {
        addIssue.bind(1, m.sampleId);
        addIssue.bind(2, kind);
        addIssue.bind(3, int(Severity::Error));
        addIssue.bind(4, detail);
        addIssue.bind(5, double(m.distance));
        addIssue.run();
    };
    for (const auto &[id, members] : clusters) {
        // The rule of clusterDuplicates: classes disagree, or (no classes) the objects do.
        std::set<std::int64_t> splits, labels;
        std::set<QString> objectSets;
        QStringList shown;
        for (const Member &m : members) {
            if (m.split)
                splits.insert(m.split);
            if (m.category)
                labels.insert(m.category);
            const QString objectList = objects.count(m.sampleId) ? objects[m.sampleId] : QString();
            objectSets.insert(objectList);
            const QString label = m.category ? classNames[m.category] : objectList;
            if (!label.isEmpty() && !shown.contains(label))
                shown << label;
        }
        const bool conflict = labels.size() > 1 || (labels.empty() && objectSets.size() > 1);
        const bool leaks = splits.size() > 1;
        // The twin a leaked copy is reported against, as refreshDuplicates does: the
        // representative when it is in the earliest split (lowest id), else the first there.
        const Member *twin = &members.front();
        for (const Member &m : members) {
            if (m.split && (!twin->split || m.split < twin->split))
                twin = &m;
        }
        for (const Member &m : members) {
            const int flags = (m.flags & ~(MemberLeaks | MemberConflict))
                              | (leaks ? MemberLeaks : 0) | (conflict ? MemberConflict : 0);
            if (flags != m.flags) {
                setFlags.bind(1, flags);
                setFlags.bind(2, m.sampleId);
                setFlags.run();
            }
            if (leaks && m.split && m.split > twin->split)
                issue(m, issuekind::leakage,
                      QObject::tr("in %1, a copy of %2 in %3")
                          .arg(splitNames[m.split], twin->path, splitNames[twin->split]));
            if (conflict)
                issue(m, issuekind::labelConflict,
                      QObject::tr("its copies are labelled %1").arg(shown.join(QStringLiteral(", "))));
        }
    }
    store::clearStale(db, store::analysisname::duplicates);
    transaction.commit();
}

bool refreshAfterEdit(store::Project &project)
{
    store::Database &db = project.db();
    const QStringList stale = store::staleAnalyses(db);
    bool refreshed = false;
    if (stale.contains(store::analysisname::duplicates)) {
        refreshDuplicateLabels(db);
        refreshed = true;
    }
    if (stale.contains(store::analysisname::annotationChecks)) {
        const std::int64_t generation = store::labelsGeneration(db);
        refreshAnnotationChecks(project);
        store::Transaction transaction(db);
        // An edit made while the checks ran leaves them marked.
        store::clearStaleSince(db, store::analysisname::annotationChecks, generation);
        transaction.commit();
        refreshed = true;
    }
    if (stale.contains(store::analysisname::slices)) {
        if (bias::hasStoredSlices(db)) {
            jobs::Progress progress;
            bias::refreshSlicesAfterScan(project, progress); // clears the mark
        } else {
            store::Transaction transaction(db);
            store::clearStale(db, store::analysisname::slices); // nothing stored to be stale
            transaction.commit();
        }
        refreshed = true;
    }
    return refreshed;
}

} // namespace assay::analysis
