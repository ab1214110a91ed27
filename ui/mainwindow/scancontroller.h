#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class QThread;

namespace assay::jobs {
class Job;
class JobRegistry;
}

namespace assay::ui {

// Runs a project's scan (and the quality issues after it) on a job thread whose workers are the
// worker pool; registered with the job registry so the status bar shows it and can cancel it.
class ScanController : public QObject
{
    Q_OBJECT
public:
    ScanController(jobs::JobRegistry *registry, QObject *parent = nullptr);
    ~ScanController() override;

    bool isRunning() const { return m_thread != nullptr; }
    void start(const QString &projectPath);
    // Cancels the running scan and waits for it to stop (finished work stays committed).
    void stop();

signals:
    void finished(const QString &projectPath, const QString &summary, bool canceled);
    void failed(const QString &message);

private:
    void cleanUp();

    jobs::JobRegistry *m_registry;
    std::function<void()> m_onFinished;
    QThread *m_thread = nullptr;
    std::shared_ptr<jobs::Job> m_job;
};

} // namespace assay::ui
