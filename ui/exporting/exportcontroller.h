#pragma once

#include "export/exporter.h"

#include <QFutureWatcher>
#include <QObject>

namespace assay::jobs {
class JobRegistry;
}

namespace assay::ui {

// Runs an export on the worker pool with its own connection to the project, registered with the
// job registry (status bar, cancel), and reports on the UI thread.
class ExportController : public QObject
{
    Q_OBJECT
public:
    ExportController(jobs::JobRegistry *registry, QObject *parent = nullptr);

    bool isRunning() const { return m_watcher.isRunning(); }
    void start(const QString &projectPath, const exporting::ExportOptions &options);

signals:
    void finished(const QString &projectPath, const QString &report, bool inPlace);
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
    QString m_projectPath;
    bool m_inPlace = false;
};

} // namespace assay::ui
