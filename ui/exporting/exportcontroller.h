#pragma once

#include "export/exporter.h"

#include <QObject>

namespace assay::jobs {
class JobRegistry;
}

namespace assay::ui {

class BackgroundJob;

// Runs an export as a BackgroundJob (status bar, cancel) with its own connection to the project,
// and reports on the UI thread.
class ExportController : public QObject
{
    Q_OBJECT
public:
    ExportController(jobs::JobRegistry *registry, QObject *parent = nullptr);

    bool isRunning() const;
    void start(const QString &projectPath, const exporting::ExportOptions &options);

signals:
    void finished(const QString &projectPath, const QString &report, bool inPlace);
    void failed(const QString &message);
    void canceled();

private:
    BackgroundJob *m_job;
    QString m_projectPath;
    bool m_inPlace = false;
};

} // namespace assay::ui
