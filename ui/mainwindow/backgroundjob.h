#pragma once

#include <QFutureWatcher>
#include <QObject>

#include <functional>

namespace assay::jobs {
class JobRegistry;
class Progress;
}

namespace assay::ui {

// One long task on the worker pool, registered with the job registry (so the status bar shows it
// and can cancel it), whose outcome arrives on the UI thread. Import and export run through it.
class BackgroundJob : public QObject
{
    Q_OBJECT
public:
    // Returns the text to report; throws assay::Error (failed) or jobs::Canceled (canceled).
    using Work = std::function<QString(jobs::Progress &)>;

    BackgroundJob(jobs::JobRegistry *registry, QObject *parent = nullptr);

    bool isRunning() const { return m_watcher.isRunning(); }
    // Does nothing while a task runs.
    void start(const QString &title, Work work);

signals:
    void done(const QString &text);
    void failed(const QString &message);
    void canceled();

private:
    struct Outcome
    {
        enum { Done, Failed, Canceled } state = Done;
        QString text;
    };

    jobs::JobRegistry *m_registry;
    QFutureWatcher<Outcome> m_watcher;
};

} // namespace assay::ui
