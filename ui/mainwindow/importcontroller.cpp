#include "importcontroller.h"

#include "backgroundjob.h"

#include "formats/importer.h"
#include "report/projectinfo.h"
#include "store/project.h"

#include <QFileInfo>

namespace assay::ui {

ImportController::ImportController(jobs::JobRegistry *registry, QObject *parent)
    : QObject(parent), m_job(new BackgroundJob(registry, this))
{
    connect(m_job, &BackgroundJob::done, this,
            [this](const QString &summary) { emit finished(m_projectPath, summary); });
    connect(m_job, &BackgroundJob::failed, this, &ImportController::failed);
    connect(m_job, &BackgroundJob::canceled, this, &ImportController::canceled);
}

bool ImportController::isRunning() const
{
    return m_job->isRunning();
}

void ImportController::start(const QString &source, const QString &projectPath,
                             const formats::ReadOptions &options)
{
    if (isRunning())
        return;
    m_projectPath = projectPath;
    m_job->start(tr("Importing %1").arg(QFileInfo(source).fileName()),
                 [=](jobs::Progress &progress) {
                     const auto result =
                         formats::importDataset(source, projectPath, options, progress);
                     auto project = store::Project::open(projectPath);
                     return report::importSummaryText(result.plan, result.result,
                                                      project->sampleSummary(), 10);
                 });
}

} // namespace assay::ui
