#include "refresh.h"

#include "annotationchecks.h"
#include "quality.h"

#include "jobs/progress.h"

namespace assay::analysis {

void refreshAfterScan(store::Project &project, bool measuredSomething, jobs::Progress &progress)
{
    progress.setPhase(QStringLiteral("Checking quality"));
    refreshQualityIssues(project);
    if (measuredSomething)
        refreshAnnotationChecksAfterScan(project);
}

} // namespace assay::analysis
