#include "backgroundjob.h"

#include "jobs/jobregistry.h"
#include "jobs/progress.h"
#include "jobs/workerpool.h"
#include "util/error.h"

#include <QtConcurrent/QtConcurrentRun>

namespace assay::ui {

BackgroundJob::BackgroundJob(jobs::JobRegistry *registry, QObject *parent)
    : QObject(parent), m_registry(registry)
{
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, [this] {
        const Outcome outcome = m_watcher.result();
        switch (outcome.state) {
        case Outcome::Done: emit done(outcome.text); break;
        case Outcome::Failed: emit failed(outcome.text); break;
        case Outcome::Canceled: emit canceled(); break;
        }
    });
}

void BackgroundJob::start(const QString &title, Work work)
{
    if (isRunning())
        return;
    auto job = m_registry->start(title);
    jobs::JobRegistry *registry = m_registry;
    m_watcher.setFuture(QtConcurrent::run(&jobs::workerPool(), [=]() -> Outcome {
        Outcome outcome;
        try {
            outcome.text = work(job->progress());
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
