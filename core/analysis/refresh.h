#pragma once

namespace assay::store {
class Project;
}
namespace assay::jobs {
class Progress;
}

namespace assay::analysis {

// Brings the analyses that read the stored features up to date after a scan: quality issues, and
// annotation checks when the scan measured something (sizes may be new). The scan's callers (CLI
// and window) share it. Duplicates join once their thresholds are calibrated (issue #6).
void refreshAfterScan(store::Project &project, bool measuredSomething, jobs::Progress &progress);

} // namespace assay::analysis
