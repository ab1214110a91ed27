#pragma once

#include <QJsonObject>
#include <QString>

namespace assay::store {
class Project;
}

namespace assay::report {

// `assay-cli report --json`: {"samples": N, "balance": {...}, "issues": [{"sample", "kind",
// "detail", "group" ("quality" or "annotations"), "severity"}...], "issue_counts": {kind: n},
// "scan": {...}}. Sample paths are root-relative and '/'-separated; container members are
// "file#index".
QJsonObject projectReportJson(store::Project &project);

// The same for people.
QString projectReportText(store::Project &project, int issuesPerKind = 10);

} // namespace assay::report
