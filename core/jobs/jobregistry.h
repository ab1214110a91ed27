#pragma once

#include "progress.h"

#include <QObject>
#include <QString>

#include <memory>
#include <vector>

namespace assay::jobs {

// A running job as the registry sees it: a title and its progress.
class Job
{
public:
    explicit Job(QString title) : m_title(std::move(title)) {}
    const QString &title() const { return m_title; }
    Progress &progress() { return m_progress; }
    const Progress &progress() const { return m_progress; }

private:
    QString m_title;
    Progress m_progress;
};

// The one place that knows which jobs run: the status bar and the CLI read it. Lives on the
// thread that created it (the UI thread); start()/finish() may be called from any thread.
class JobRegistry : public QObject
{
    Q_OBJECT
public:
    explicit JobRegistry(QObject *parent = nullptr);

    std::shared_ptr<Job> start(const QString &title);
    void finish(const std::shared_ptr<Job> &job);
    std::vector<std::shared_ptr<Job>> running() const;
    void cancelAll();

signals:
    void jobStarted(const QString &title);
    void jobFinished(const QString &title);

private:
    mutable QMutex m_mutex;
    std::vector<std::shared_ptr<Job>> m_jobs;
};

} // namespace assay::jobs
