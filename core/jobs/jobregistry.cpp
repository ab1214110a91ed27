#include "jobregistry.h"

#include <algorithm>

namespace assay::jobs {

JobRegistry::JobRegistry(QObject *parent) : QObject(parent) {}

std::shared_ptr<Job> JobRegistry::start(const QString &title)
{
    auto job = std::make_shared<Job>(title);
    {
        QMutexLocker lock(&m_mutex);
        m_jobs.push_back(job);
    }
    emit jobStarted(title);
    return job;
}

void JobRegistry::finish(const std::shared_ptr<Job> &job)
{
    {
        QMutexLocker lock(&m_mutex);
        std::erase(m_jobs, job);
    }
    emit jobFinished(job->title());
}

std::vector<std::shared_ptr<Job>> JobRegistry::running() const
{
    QMutexLocker lock(&m_mutex);
    return m_jobs;
}

void JobRegistry::cancelAll()
{
    QMutexLocker lock(&m_mutex);
    for (const auto &job : m_jobs)
        job->progress().cancel();
}

} // namespace assay::jobs
