#include "scanreport.h"

#include "analysis/annotationchecks.h"
#include "analysis/balance.h"
#include "analysis/biasjson.h"
#include "analysis/biasstore.h"
#include "analysis/classcounts.h"
#include "analysis/duplicatestore.h"
#include "projectinfo.h"
#include "store/featurestore.h"
#include "store/project.h"
#include "util/datasetpath.h"

#include <QJsonArray>
#include <QMap>

namespace assay::report {

namespace {

QJsonObject scanState(store::Project &project)
{
    store::Database &db = project.db();
    const std::int64_t present = db.queryInt("SELECT count(*) FROM samples WHERE status = 0");
    const std::int64_t scanned = db.queryInt(
        "SELECT count(*) FROM features f JOIN samples s ON s.id = f.sample_id WHERE s.status = 0");
    return QJsonObject{{QStringLiteral("scanned"), qint64(scanned)},
                       {QStringLiteral("not_scanned"), qint64(present - scanned)}};
}

bool isAnnotationKind(const QString &kind)
{
    static const QStringList kinds = analysis::annotationIssueKinds();
    return kinds.contains(kind);
}

bool isDuplicateKind(const QString &kind)
{
    static const QStringList kinds = analysis::duplicateIssueKinds();
    return kinds.contains(kind);
}

QString groupOf(const QString &kind)
{
    if (isAnnotationKind(kind))
        return QStringLiteral("annotations");
    if (isDuplicateKind(kind))
        return QStringLiteral("duplicates");
    return QStringLiteral("quality");
}

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info: return QStringLiteral("info");
    case Severity::Warning: return QStringLiteral("warning");
    case Severity::Error: break;
    }
    return QStringLiteral("error");
}

// One section of the text report: counts per kind, then up to `perKind` samples of each.
QString issueSection(const std::vector<const store::IssueRecord *> &records, int perKind)
{
    QMap<QString, int> counts;
    for (const store::IssueRecord *record : records)
        ++counts[record->issue.kind];
    QString out;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        out += QStringLiteral("  %1 %2\n").arg(it.key().leftJustified(26)).arg(it.value());
    QMap<QString, int> shown;
    QString current;
    for (const store::IssueRecord *record : records) {
        if (shown[record->issue.kind]++ >= perKind)
            continue;
        if (record->issue.kind != current) {
            current = record->issue.kind;
            out += QStringLiteral("\n%1:\n").arg(current);
        }
        out += QStringLiteral("  %1: %2\n")
                   .arg(datasetpath::display(record->path, record->member), record->issue.detail);
    }
    return out;
}

} // namespace

QJsonObject projectReportJson(store::Project &project)
{
    const store::ProjectSummary summary = project.summary();
    const analysis::BalanceReport balance =
        analysis::computeBalance(analysis::loadClassCounts(project.db()));
    QJsonArray issues;
    QJsonObject counts;
    for (const store::IssueRecord &record : store::loadIssues(project.db())) {
        issues.append(QJsonObject{
            {QStringLiteral("sample"), datasetpath::display(record.path, record.member)},
            {QStringLiteral("kind"), record.issue.kind},
            {QStringLiteral("detail"), record.issue.detail},
            {QStringLiteral("group"), groupOf(record.issue.kind)},
            {QStringLiteral("severity"), severityName(record.issue.severity)},
        });
        counts[record.issue.kind] = counts[record.issue.kind].toInt() + 1;
    }
    QJsonObject json = summaryJson(summary);
    json.insert(QStringLiteral("balance"), analysis::balanceJson(balance));
    json.insert(QStringLiteral("issues"), issues);
    json.insert(QStringLiteral("issue_counts"), counts);
    json.insert(QStringLiteral("scan"), scanState(project));
    if (analysis::duplicatesComputed(project)) { // only once they were looked for
        const QJsonObject duplicates = analysis::duplicatesJson(project.db());
        for (auto it = duplicates.begin(); it != duplicates.end(); ++it)
            json.insert(it.key(), it.value());
    }
    // Bias slices once they were searched: "slices", "attributes" (which then lists each
    // attribute with its association to the label instead of the imported attributes' names),
    // "slice_parameters", "slice_summary", "error_slices".
    analysis::bias::SliceResults slices;
    if (analysis::bias::loadStoredSlices(project.db(), slices)) {
        const QJsonObject keys = analysis::bias::reportJson(slices);
        for (auto it = keys.begin(); it != keys.end(); ++it)
            json.insert(it.key(), it.value());
    }
    return json;
}

QString projectReportText(store::Project &project, int issuesPerKind)
{
    const store::ProjectSummary summary = project.summary();
    const analysis::BalanceReport balance =
        analysis::computeBalance(analysis::loadClassCounts(project.db()));
    QString out = QStringLiteral("%1\n  %2 samples in %3 classes (%4 dataset at %5)\n\n")
                      .arg(project.path())
                      .arg(summary.samples)
                      .arg(summary.classes.size())
                      .arg(summary.format, summary.root);
    out += summaryTable(summary);
    out += QStringLiteral("\nClass balance: imbalance ratio %1 (largest/smallest class), "
                          "normalised entropy %2\n")
               .arg(balance.imbalanceRatio, 0, 'f', 2)
               .arg(balance.normalizedEntropy, 0, 'f', 3);
    if (!balance.emptyClasses.isEmpty())
        out += QStringLiteral("  classes without samples: %1\n")
                   .arg(balance.emptyClasses.join(QStringLiteral(", ")));
    if (balance.splitTest.df > 0)
        out += QStringLiteral("  split x class: chi2 = %1, df = %2, p = %3, Cramer's V = %4\n")
                   .arg(balance.splitTest.x2, 0, 'g', 5)
                   .arg(balance.splitTest.df)
                   .arg(balance.splitTest.p, 0, 'g', 3)
                   .arg(balance.splitTest.cramersV, 0, 'f', 3);

    const std::vector<store::IssueRecord> records = store::loadIssues(project.db());
    std::vector<const store::IssueRecord *> quality, annotations, duplicates;
    for (const store::IssueRecord &record : records) {
        if (isAnnotationKind(record.issue.kind))
            annotations.push_back(&record);
        else if (isDuplicateKind(record.issue.kind))
            duplicates.push_back(&record);
        else
            quality.push_back(&record);
    }
    const QJsonObject scan = scanState(project);
    out += QStringLiteral("\nQuality (%1 scanned, %2 not scanned yet): %3 issues\n")
               .arg(scan[QStringLiteral("scanned")].toInteger())
               .arg(scan[QStringLiteral("not_scanned")].toInteger())
               .arg(quality.size());
    out += issueSection(quality, issuesPerKind);
    if (!annotations.empty()) {
        out += QStringLiteral("\nAnnotations: %1 issues\n").arg(annotations.size());
        out += issueSection(annotations, issuesPerKind);
    }
    if (analysis::duplicatesComputed(project)) {
        const QJsonObject found =
            analysis::duplicatesJson(project.db())[QStringLiteral("duplicate_summary")].toObject();
        out += QStringLiteral("\nDuplicates (pHash within %1 bits, confirmed): %2 clusters of %3 "
                              "samples (%4 exact, %5 near); %6 span splits, %7 disagree on the "
                              "label\n")
                   .arg(analysis::storedDuplicateOptions(project).threshold)
                   .arg(found[QStringLiteral("clusters")].toInteger())
                   .arg(found[QStringLiteral("samples_in_clusters")].toInteger())
                   .arg(found[QStringLiteral("exact_clusters")].toInteger())
                   .arg(found[QStringLiteral("near_clusters")].toInteger())
                   .arg(found[QStringLiteral("leaking_clusters")].toInteger())
                   .arg(found[QStringLiteral("conflicting_clusters")].toInteger());
        out += issueSection(duplicates, issuesPerKind);
    }
    analysis::bias::SliceResults slices;
    if (analysis::bias::loadStoredSlices(project.db(), slices))
        out += u'\n' + analysis::bias::slicesText(slices, issuesPerKind);
    return out;
}

} // namespace assay::report
