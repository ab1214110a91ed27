#pragma once

namespace assay::store {
class Project;
}
namespace assay::jobs {
class Progress;
}

namespace assay::analysis {

// Brings the analyses that read the stored features up to date after a scan: quality issues,
// annotation checks when the scan measured something (sizes may be new), and duplicates
// (refreshDuplicates, with the options of the last refresh) when the measured samples changed.
// The scan's callers (CLI and window) share it. After a canceled scan the duplicates are left as
// they were (a cancel during their search, too).
void refreshAfterScan(store::Project &project, bool measuredSomething, jobs::Progress &progress);

} // namespace assay::analysis
