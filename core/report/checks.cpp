#include "checks.h"

#include "analysis/annotationchecks.h"
#include "analysis/biasstore.h"
#include "analysis/duplicates.h"
#include "analysis/duplicatestore.h"
#include "analysis/quality.h"
#include "analysis/storedduplicates.h"
#include "store/project.h"
#include "util/datasetpath.h"

#include <QJsonArray>

#include <map>

namespace assay::report {

namespace {

struct NamedRule
{
    const char *name;
    CheckRule::Kind kind;
};

const NamedRule duplicateRules[] = {
    {"leakage", CheckRule::Kind::Leakage},
    {"label-conflicts", CheckRule::Kind::LabelConflicts},
    {"exact-duplicates", CheckRule::Kind::ExactDuplicates},
    {"near-duplicates", CheckRule::Kind::NearDuplicates},
    {"duplicates", CheckRule::Kind::Duplicates},
    {"slices", CheckRule::Kind::Slices},
    {"error-slices", CheckRule::Kind::ErrorSlices},
};

// Other spellings of the duplicate rules: singular, and the issue kinds they correspond to.
const std::map<QString, QString> &aliases()
{
    static const std::map<QString, QString> table = {
        {QStringLiteral("label-conflict"), QStringLiteral("label-conflicts")},
        {QStringLiteral("exact-duplicate"), QStringLiteral("exact-duplicates")},
        {QStringLiteral("near-duplicate"), QStringLiteral("near-duplicates")},
        {QStringLiteral("duplicate"), QStringLiteral("duplicates")},
        {QStringLiteral("slice"), QStringLiteral("slices")},
        {QStringLiteral("bias-slices"), QStringLiteral("slices")},
        {QStringLiteral("error-slice"), QStringLiteral("error-slices")},
    };
    return table;
}

struct StoredCluster
{
    int kind = 0, flags = 0;
    QStringList members; // representative first
};

std::vector<StoredCluster> storedClusters(store::Database &db)
{
    std::map<std::int64_t, StoredCluster> clusters;
    store::Statement rows(db, "SELECT d.cluster, d.kind, d.flags, s.path, s.member, sp.name "
                              "FROM duplicate_members d JOIN samples s ON s.id = d.sample_id "
                              "LEFT JOIN splits sp ON sp.id = s.split_id "
                              "ORDER BY d.cluster, d.flags & ? DESC, s.path, s.member");
    rows.bind(1, analysis::MemberRepresentative);
    while (rows.step()) {
        StoredCluster &cluster = clusters[rows.int64(0)];
        cluster.kind = int(rows.int64(1));
        cluster.flags |= int(rows.int64(2)) & ~analysis::MemberRepresentative;
        QString path = datasetpath::display(rows.text(3), rows.int64(4));
        if (!rows.isNull(5))
            path += QStringLiteral(" (%1)").arg(rows.text(5));
        cluster.members << path;
    }
    std::vector<StoredCluster> out;
    for (auto &[id, cluster] : clusters)
        out.push_back(std::move(cluster));
    return out;
}

bool matches(const StoredCluster &cluster, CheckRule::Kind kind)
{
    switch (kind) {
    case CheckRule::Kind::Leakage: return cluster.flags & analysis::MemberLeaks;
    case CheckRule::Kind::LabelConflicts: return cluster.flags & analysis::MemberConflict;
    case CheckRule::Kind::ExactDuplicates: return cluster.kind == int(analysis::DuplicateKind::Exact);
    case CheckRule::Kind::NearDuplicates: return cluster.kind == int(analysis::DuplicateKind::Near);
    case CheckRule::Kind::Duplicates: return true;
    case CheckRule::Kind::Slices:
    case CheckRule::Kind::ErrorSlices:
    case CheckRule::Kind::Issue: break;
    }
    return false;
}

QString clusterExample(const StoredCluster &cluster)
{
    constexpr qsizetype shown = 4;
    QString text = cluster.members.mid(0, shown).join(QStringLiteral(" = "));
    if (cluster.members.size() > shown)
        text += QStringLiteral(" (+%1 more)").arg(cluster.members.size() - shown);
    return text;
}

bool isSliceRule(CheckRule::Kind kind)
{
    return kind == CheckRule::Kind::Slices || kind == CheckRule::Kind::ErrorSlices;
}

// The reported slices of the stored search: "source=web ∧ brightness∈[0, 43): Shirt ×2.10
// (n = 340, q = 0.0012)", or for error slices "...: error 0.31 against 0.08 (n = ...)".
void countSlices(const analysis::bias::SliceResults &stored, CheckRule::Kind kind, int examples,
                 CheckResult &result)
{
    const auto add = [&](std::int64_t n, const QString &example) {
        ++result.count;
        result.samples += n;
        if (result.examples.size() < examples)
            result.examples << example;
    };
    const auto reported = analysis::bias::SliceStatus::Reported;
    if (kind == CheckRule::Kind::Slices) {
        for (const analysis::bias::SliceRecord &slice : stored.slices) {
            if (slice.status == reported)
                add(slice.n, QStringLiteral("%1: %2 \u00d7%3 (n = %4, q = %5)")
                                 .arg(slice.text, slice.driverName)
                                 .arg(slice.ratio, 0, 'f', 2)
                                 .arg(slice.n)
                                 .arg(slice.q, 0, 'g', 3));
        }
        return;
    }
    for (const analysis::bias::ErrorSliceRecord &slice : stored.errorSlices) {
        if (slice.status == reported)
            add(slice.n, QStringLiteral("%1: error %2 against %3 (n = %4, q = %5)")
                             .arg(slice.text)
                             .arg(slice.err, 0, 'f', 3)
                             .arg(slice.errRest, 0, 'f', 3)
                             .arg(slice.n)
                             .arg(slice.q, 0, 'g', 3));
    }
}

} // namespace

QStringList checkRuleNames()
{
    QStringList names;
    for (const NamedRule &rule : duplicateRules)
        names << QString::fromLatin1(rule.name);
    names << analysis::qualityIssueKinds() << analysis::annotationIssueKinds();
    return names;
}

std::optional<CheckRule> findCheckRule(const QString &name)
{
    QString normalised = name.trimmed().toLower();
    normalised.replace(u'_', u'-');
    if (const auto alias = aliases().find(normalised); alias != aliases().end())
        normalised = alias->second;
    for (const NamedRule &rule : duplicateRules) {
        if (normalised == QLatin1String(rule.name))
            return CheckRule{rule.kind, normalised, {}, true};
    }
    QString kind = normalised;
    kind.replace(u'-', u'_');
    if (analysis::qualityIssueKinds().contains(kind))
        return CheckRule{CheckRule::Kind::Issue, normalised, kind, true};
    if (analysis::annotationIssueKinds().contains(kind))
        return CheckRule{CheckRule::Kind::Issue, normalised, kind, false};
    return std::nullopt;
}

std::vector<CheckResult> runChecks(store::Project &project, const std::vector<CheckRule> &rules,
                                   int examples)
{
    store::Database &db = project.db();
    const std::int64_t notScanned = db.queryInt(
        "SELECT count(*) FROM samples s LEFT JOIN features f ON f.sample_id = s.id "
        "WHERE s.status = 0 AND (f.sample_id IS NULL OR f.extractor_version < 2)");
    const bool duplicatesKnown = analysis::duplicatesComputed(project);
    std::optional<std::vector<StoredCluster>> clusters;
    std::optional<analysis::bias::SliceResults> slices;
    std::vector<CheckResult> results;
    for (const CheckRule &rule : rules) {
        CheckResult result;
        result.rule = rule.name;
        if (rule.needsScan && notScanned > 0) {
            result.checked = false;
            result.note = QStringLiteral("%1 samples are not scanned (or were scanned by an older "
                                         "Assay); run assay-cli scan first")
                              .arg(notScanned);
        } else if (isSliceRule(rule.kind)) {
            if (!slices) {
                slices.emplace();
                if (!analysis::bias::loadStoredSlices(db, *slices))
                    slices.reset();
            }
            if (!slices) {
                result.checked = false;
                result.note = QStringLiteral("bias slices were never computed; run assay-cli scan "
                                             "(or assay-cli slices) first");
            } else if (rule.kind == CheckRule::Kind::ErrorSlices
                       && db.queryInt("SELECT count(*) FROM predictions") == 0) {
                result.checked = false;
                result.note = QStringLiteral("no predictions were imported; run assay-cli "
                                             "import-predictions first");
            } else {
                countSlices(*slices, rule.kind, examples, result);
            }
        } else if (rule.kind != CheckRule::Kind::Issue && !duplicatesKnown) {
            result.checked = false;
            result.note = QStringLiteral("duplicates were never computed; run assay-cli scan first");
        } else if (rule.kind == CheckRule::Kind::Issue) {
            store::Statement count(db, "SELECT count(DISTINCT sample_id) FROM issues WHERE kind = ?");
            count.bind(1, rule.issueKind);
            result.count = result.samples = count.step() ? count.int64(0) : 0;
            store::Statement rows(db, "SELECT s.path, s.member, i.detail FROM issues i JOIN "
                                      "samples s ON s.id = i.sample_id WHERE i.kind = ? "
                                      "ORDER BY s.path, s.member LIMIT ?");
            rows.bind(1, rule.issueKind);
            rows.bind(2, examples);
            while (rows.step()) {
                const QString path = datasetpath::display(rows.text(0), rows.int64(1));
                const QString detail = rows.text(2);
                result.examples << (detail.isEmpty() ? path : path + QStringLiteral(": ") + detail);
            }
        } else {
            if (!clusters)
                clusters = storedClusters(db);
            for (const StoredCluster &cluster : *clusters) {
                if (!matches(cluster, rule.kind))
                    continue;
                ++result.count;
                result.samples += cluster.members.size();
                if (result.examples.size() < examples)
                    result.examples << clusterExample(cluster);
            }
        }
        results.push_back(std::move(result));
    }
    return results;
}

QJsonObject checkResultsJson(const std::vector<CheckResult> &results)
{
    QJsonArray rules;
    bool passed = true;
    for (const CheckResult &result : results) {
        passed = passed && !result.failed();
        QJsonObject rule{{QStringLiteral("rule"), result.rule},
                         {QStringLiteral("failed"), result.failed()},
                         {QStringLiteral("checked"), result.checked},
                         {QStringLiteral("count"), qint64(result.count)},
                         {QStringLiteral("samples"), qint64(result.samples)},
                         {QStringLiteral("examples"), QJsonArray::fromStringList(result.examples)}};
        if (!result.note.isEmpty())
            rule.insert(QStringLiteral("note"), result.note);
        rules.append(rule);
    }
    return {{QStringLiteral("passed"), passed}, {QStringLiteral("rules"), rules}};
}

QString checkResultsText(const std::vector<CheckResult> &results)
{
    QString out;
    for (const CheckResult &result : results) {
        if (!result.checked) {
            out += QStringLiteral("FAIL %1: not checked: %2\n").arg(result.rule, result.note);
            continue;
        }
        const std::optional<CheckRule> rule = findCheckRule(result.rule);
        const bool slices = rule && isSliceRule(rule->kind);
        const bool clusters = !slices && (!rule || rule->kind != CheckRule::Kind::Issue);
        QString count = QString::number(result.count);
        if (slices && result.count > 0)
            count = QStringLiteral("%1 slices").arg(result.count);
        else if (clusters && result.count > 0)
            count = QStringLiteral("%1 clusters (%2 samples)").arg(result.count).arg(result.samples);
        else if (result.count > 0)
            count = QStringLiteral("%1 samples").arg(result.count);
        out += QStringLiteral("%1 %2: %3\n")
                   .arg(result.failed() ? QStringLiteral("FAIL") : QStringLiteral("ok  "),
                        result.rule, count);
        for (const QString &example : result.examples)
            out += QStringLiteral("       %1\n").arg(example);
        if (result.count > result.examples.size() && !result.examples.isEmpty())
            out += QStringLiteral("       ...\n");
    }
    return out;
}

} // namespace assay::report
