#pragma once

#include "formats/datasetreader.h"

#include <QObject>

namespace assay::jobs {
class JobRegistry;
}

namespace assay::ui {

class BackgroundJob;

// Runs an import as a BackgroundJob (status bar, cancel) and reports the outcome on the UI
// thread.
class ImportController : public QObject
{
    Q_OBJECT
public:
    ImportController(jobs::JobRegistry *registry, QObject *parent = nullptr);

    bool isRunning() const;
    void start(const QString &source, const QString &projectPath,
               const formats::ReadOptions &options = {});

signals:
    void finished(const QString &projectPath, const QString &summary);
    void failed(const QString &message);
    void canceled();

private:
    BackgroundJob *m_job;
    QString m_projectPath;
};

} // namespace assay::ui
