#include "refresh.h"

#include "annotationchecks.h"
#include "biasstore.h"
#include "duplicatestore.h"
#include "quality.h"

#include "jobs/progress.h"
#include "store/project.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace assay::analysis {

namespace {

// Whether the stored duplicates may be out of date: a scan measured something, they were never
// computed (or by the uncalibrated analysis), or the measured samples changed in number (an
// import marked some missing or added ones that the scan found unchanged).
bool duplicatesStale(store::Project &project, bool measuredSomething)
{
    if (measuredSomething || !duplicatesComputed(project))
        return true;
    const std::int64_t measured = project.db().queryInt(
        "SELECT count(*) FROM samples s JOIN features f ON f.sample_id = s.id "
        "WHERE s.status = 0 AND f.status = 0 AND f.phash IS NOT NULL");
    const QJsonObject stored =
        QJsonDocument::fromJson(project.meta(QStringLiteral("duplicates")).toUtf8()).object();
    return stored.value(QStringLiteral("samples")).toInteger(-1) != measured;
}

} // namespace

void refreshAfterScan(store::Project &project, bool measuredSomething, jobs::Progress &progress)
{
    progress.setPhase(QStringLiteral("Checking quality"));
    refreshQualityIssues(project);
    if (measuredSomething)
        refreshAnnotationChecksAfterScan(project);
    // A canceled scan keeps what it measured; duplicates wait for the scan that completes.
    if (!progress.isCanceled() && duplicatesStale(project, measuredSomething)) {
        try {
            // The searched distances are the defaults again (a dense dataset may have lowered
            // the stored ones); the threshold the user chose stays.
            DuplicateOptions options;
            if (duplicatesComputed(project))
                options.threshold = storedDuplicateOptions(project).threshold;
            refreshDuplicates(project, options, progress);
        } catch (const jobs::Canceled &) {
            // Canceled while looking: nothing was written; the previous results stay.
        }
    }
    bias::refreshSlicesAfterScan(project, progress); // last: it reads the issues and duplicates
}

} // namespace assay::analysis
