#include "exportcontroller.h"

#include "jobs/jobregistry.h"
#include "jobs/workerpool.h"
#include "store/project.h"
#include "util/error.h"

#include <QtConcurrent/QtConcurrentRun>

namespace assay::ui {

ExportController::ExportController(jobs::JobRegistry *registry, QObject *parent)
    : QObject(parent), m_registry(registry)
{
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, [this] {
        const Outcome outcome = m_watcher.result();
        switch (outcome.state) {
        case Outcome::Done: emit finished(m_projectPath, outcome.text, m_inPlace); break;
        case Outcome::Failed: emit failed(outcome.text); break;
        case Outcome::Canceled: emit canceled(); break;
        }
    });
}

void ExportController::start(const QString &projectPath, const exporting::ExportOptions &options)
{
    if (isRunning())
        return;
    m_projectPath = projectPath;
    m_inPlace = options.inPlace;
    auto job = m_registry->start(tr("Exporting as %1").arg(exporting::targetName(options.target)));
    jobs::JobRegistry *registry = m_registry;
    m_watcher.setFuture(QtConcurrent::run(&jobs::workerPool(), [=]() -> Outcome {
        Outcome outcome;
        try {
            store::OpenOptions open;
            open.readOnly = !options.inPlace;
            auto project = store::Project::open(projectPath, open);
            outcome.text = exporting::exportProject(*project, options, job->progress()).toText();
        } catch (const jobs::Canceled &) {
            outcome.state = Outcome::Canceled;
        } catch (const Error &error) {
            outcome.state = Outcome::Failed;
            outcome.text = error.message();
        }
        registry->finish(job);
        return outcome;
    }));
}

} // namespace assay::ui
