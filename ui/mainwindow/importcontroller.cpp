#include "importcontroller.h"

#include "formats/importer.h"
#include "jobs/jobregistry.h"
#include "jobs/workerpool.h"
#include "report/projectinfo.h"
#include "store/project.h"
#include "util/error.h"

#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

namespace assay::ui {

ImportController::ImportController(jobs::JobRegistry *registry, QObject *parent)
    : QObject(parent), m_registry(registry)
{
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, [this] {
        const Outcome outcome = m_watcher.result();
        switch (outcome.state) {
        case Outcome::Done: emit finished(m_projectPath, outcome.text); break;
        case Outcome::Failed: emit failed(outcome.text); break;
        case Outcome::Canceled: emit canceled(); break;
        }
    });
}

void ImportController::start(const QString &source, const QString &projectPath,
                             const formats::ReadOptions &options)
{
    if (isRunning())
        return;
    m_projectPath = projectPath;
    auto job = m_registry->start(tr("Importing %1").arg(QFileInfo(source).fileName()));
    jobs::JobRegistry *registry = m_registry;
    m_watcher.setFuture(QtConcurrent::run(&jobs::workerPool(), [=]() -> Outcome {
        Outcome outcome;
        try {
            const auto result = formats::importDataset(source, projectPath, options,
                                                       job->progress());
            auto project = store::Project::open(projectPath);
            outcome.text = report::importSummaryText(result.plan, result.result,
                                                     project->sampleSummary(), 10);
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
