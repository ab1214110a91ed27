#pragma once

#include "formats/datasetreader.h"

#include <QFutureWatcher>
#include <QObject>

namespace assay::jobs {
class JobRegistry;
}

namespace assay::ui {

// Runs an import on the worker pool, registered with the job registry (so the status bar shows
// it and can cancel it), and reports the outcome on the UI thread.
class ImportController : public QObject
{
    Q_OBJECT
public:
    ImportController(jobs::JobRegistry *registry, QObject *parent = nullptr);

    bool isRunning() const { return m_watcher.isRunning(); }
    void start(const QString &source, const QString &projectPath,
               const formats::ReadOptions &options = {});

signals:
    void finished(const QString &projectPath, const QString &summary);
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
};

} // namespace assay::ui
