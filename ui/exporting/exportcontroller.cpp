#include "exportcontroller.h"

#include "mainwindow/backgroundjob.h"

#include "store/project.h"

namespace assay::ui {

ExportController::ExportController(jobs::JobRegistry *registry, QObject *parent)
    : QObject(parent), m_job(new BackgroundJob(registry, this))
{
    connect(m_job, &BackgroundJob::done, this,
            [this](const QString &report) { emit finished(m_projectPath, report, m_inPlace); });
    connect(m_job, &BackgroundJob::failed, this, &ExportController::failed);
    connect(m_job, &BackgroundJob::canceled, this, &ExportController::canceled);
}

bool ExportController::isRunning() const
{
    return m_job->isRunning();
}

void ExportController::start(const QString &projectPath, const exporting::ExportOptions &options)
{
    if (isRunning())
        return;
    m_projectPath = projectPath;
    m_inPlace = options.inPlace;
    m_job->start(tr("Exporting as %1").arg(exporting::targetName(options.target)),
                 [=](jobs::Progress &progress) {
                     store::OpenOptions open;
                     open.readOnly = !options.inPlace;
                     auto project = store::Project::open(projectPath, open);
                     return exporting::exportProject(*project, options, progress).toText();
                 });
}

} // namespace assay::ui
