#pragma once

// The rules of `assay-cli check FILE --fail-on RULE,...`: a gate for training pipelines. A rule
// fails when it finds anything.
//
// - leakage: duplicate clusters that span more than one split;
// - label-conflicts: duplicate clusters whose members disagree on their class (or objects);
// - exact-duplicates: clusters of identical pixels; near-duplicates: the other clusters;
//   duplicates: any cluster;
// - slices: reported bias slices (the class mix shifts inside them, issue #7); error-slices:
//   reported error slices of imported predictions;
// - any quality or annotation issue kind (analysis/quality.h, analysis/annotationchecks.h), e.g.
//   corrupt, blurry, box_outside_image: samples with that issue. Names may use '-' for '_'.
//
// The duplicate rules and the quality kinds need a scan; on a project with samples not scanned
// yet (or duplicates never computed) they fail as "not checked", so an unscanned dataset never
// passes the gate.

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace assay::store {
class Project;
}

namespace assay::report {

struct CheckRule
{
    enum class Kind {
        Leakage,
        LabelConflicts,
        ExactDuplicates,
        NearDuplicates,
        Duplicates,
        Slices,
        ErrorSlices,
        Issue
    };
    Kind kind = Kind::Issue;
    QString name;      // as the user wrote it, normalised ("label-conflicts", "corrupt")
    QString issueKind; // Kind::Issue: the stored kind ("box_outside_image")
    bool needsScan = false;
};

// Every valid rule name: the duplicate rules, then the issue kinds (with '_').
QStringList checkRuleNames();
// The rule a name stands for, or nothing. "label-conflict", "label_conflicts" and
// "box-outside-image" are accepted spellings.
std::optional<CheckRule> findCheckRule(const QString &name);

struct CheckResult
{
    QString rule;
    bool checked = true;   // false: could not be evaluated (see `note`); counts as failed
    std::int64_t count = 0;   // clusters (duplicate rules), slices, or samples (issue kinds)
    std::int64_t samples = 0; // samples involved (slices: the sum of their sizes)
    QStringList examples;     // the first few: paths, or a cluster's paths joined by " = "
    QString note;             // why it was not checked

    bool failed() const { return !checked || count > 0; }
};

// Evaluates the rules on the stored results (nothing is recomputed). `examples` caps the
// examples per rule.
std::vector<CheckResult> runChecks(store::Project &project, const std::vector<CheckRule> &rules,
                                   int examples = 5);

// {"passed": bool, "rules": [{"rule", "failed", "checked", "count", "samples", "examples",
// "note"}...]}
QJsonObject checkResultsJson(const std::vector<CheckResult> &results);
// One line per rule: "FAIL leakage: 3 clusters (7 samples), e.g. ..." or "ok   corrupt: 0".
QString checkResultsText(const std::vector<CheckResult> &results);

} // namespace assay::report
