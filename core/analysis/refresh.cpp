#include "refresh.h"

#include "annotationchecks.h"
#include "biasstore.h"
#include "quality.h"

#include "jobs/progress.h"

namespace assay::analysis {

void refreshAfterScan(store::Project &project, bool measuredSomething, jobs::Progress &progress)
{
    progress.setPhase(QStringLiteral("Checking quality"));
    refreshQualityIssues(project);
    if (measuredSomething)
        refreshAnnotationChecksAfterScan(project);
    bias::refreshSlicesAfterScan(project, progress); // last: it reads the issues and duplicates
}

} // namespace assay::analysis
