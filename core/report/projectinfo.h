#pragma once

#include "model/importplan.h"
#include "store/project.h"

#include <QJsonObject>
#include <QString>

namespace assay::report {

// `assay-cli info --json`: {"samples", "classes", "splits": {split: {class: n}}, "unlabeled", ...}
QJsonObject summaryJson(const store::ProjectSummary &summary);

// A table of classes (rows) by splits (columns) with totals, for people.
QString summaryTable(const store::ProjectSummary &summary);

// The import summary printed by `assay-cli import`: what changed, the table, and what was
// skipped or refused and why (at most `listLimit` entries of each, then a count). It shows the
// sample counts of `summary` only: Project::sampleSummary() is enough.
QString importSummaryText(const ImportPlan &plan, const ImportResult &result,
                          const store::ProjectSummary &summary, int listLimit = 20);

} // namespace assay::report
