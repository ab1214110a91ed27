#include "scancontroller.h"

#include "analysis/refresh.h"
#include "jobs/jobregistry.h"
#include "scan/scanner.h"
#include "store/project.h"
#include "util/error.h"

#include <QFileInfo>
#include <QThread>

namespace assay::ui {

ScanController::ScanController(jobs::JobRegistry *registry, QObject *parent)
    : QObject(parent), m_registry(registry)
{
}

ScanController::~ScanController()
{
    blockSignals(true); // whoever listened may be half destroyed by now
    stop();
}

void ScanController::start(const QString &projectPath)
{
    if (isRunning())
        return;
    m_job = m_registry->start(tr("Scanning %1").arg(QFileInfo(projectPath).fileName()));
    auto job = m_job;
    auto summary = std::make_shared<QString>();
    auto error = std::make_shared<QString>();
    auto canceled = std::make_shared<bool>(false);
    m_thread = QThread::create([=] {
        try {
            const scan::ScanSummary result = scan::scanProject(projectPath, {}, job->progress());
            auto project = store::Project::open(projectPath);
            analysis::refreshAfterScan(*project, result.computed > 0, job->progress());
            *canceled = result.canceled;
            *summary = tr("Scanned %1 samples: %2 measured (%3 could not be decoded), %4 up to "
                          "date, in %5 s")
                           .arg(result.samples)
                           .arg(result.computed)
                           .arg(result.problems)
                           .arg(result.upToDate)
                           .arg(result.seconds, 0, 'f', 1);
        } catch (const Error &e) {
            *error = e.message();
        }
    });
    m_thread->setObjectName(QStringLiteral("scan"));
    m_onFinished = [=, this] {
        if (!error->isEmpty())
            emit failed(*error);
        else
            emit finished(projectPath, *summary, *canceled);
    };
    connect(m_thread, &QThread::finished, this, &ScanController::cleanUp);
    m_thread->start();
}

void ScanController::cleanUp()
{
    // Late queued calls find nothing to do (stop() cleaned up, or a newer scan is running).
    if (!m_thread || !m_thread->isFinished())
        return;
    m_registry->finish(m_job);
    delete m_thread;
    m_thread = nullptr;
    m_job.reset();
    const auto notify = std::move(m_onFinished);
    m_onFinished = nullptr;
    if (notify)
        notify();
}

void ScanController::stop()
{
    if (!m_thread)
        return;
    m_job->progress().cancel();
    m_thread->wait();
    cleanUp();
}

} // namespace assay::ui
