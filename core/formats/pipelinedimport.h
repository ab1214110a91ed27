#pragma once

#include "plansink.h"

#include <QString>

#include <memory>

namespace assay::jobs {
class Progress;
}

namespace assay::store {
class Project;
}

namespace assay::analysis {
class ImportChecks;
}

namespace assay::formats {

// Removes an SQLite file with its journal, WAL and shared-memory files.
void removeProjectFiles(const QString &path);
// Throws when `project` already holds another dataset (another root and format) than `plan`.
void checkSameDataset(store::Project &project, const ImportPlan &plan, const QString &source,
                      const QString &projectPath);

// The PlanSink formats::importDataset gives a reader: what the reader hands over is written on a
// second thread (store::ImportWriter) while the reader goes on. The project is opened at the
// first items — a new one filled under a temporary name, as importDataset does — and written in
// one transaction: destroying this before finish() returned rolls it back (and removes the
// temporary file), whatever the reader or the writer threw. The annotation checks run as part of
// it: into a new project, on the reader's thread as objects are handed over (beside the writer);
// into an existing one, on the writer's connection once everything is written.
class PipelinedImport final : public PlanSink
{
public:
    // `source` as the user named it (for messages).
    PipelinedImport(QString source, QString projectPath, jobs::Progress &progress);
    ~PipelinedImport() override;
    PipelinedImport(const PipelinedImport &) = delete;
    PipelinedImport &operator=(const PipelinedImport &) = delete;

    // Throw what the writer threw, if it failed; they wait while the writer is far behind.
    void items(const ImportPlan &plan) override;
    void annotations(const ImportPlan &plan, std::vector<ImportAnnotation> &&batch) override;
    std::vector<ImportAnnotation> spentBatch() override;

    // Whether the reader handed anything over (else nothing was opened or written).
    bool started() const;
    // Waits for the writer to catch up, finishes the import with the reader's final plan, stores
    // the annotation checks' findings and puts a new project in place. Throws the writer's error (naming the project, not its
    // temporary file).
    ImportResult finish(const ImportPlan &plan);
    bool createdProject() const;

private:
    class Writer;
    std::unique_ptr<Writer> m_writer;
    std::unique_ptr<analysis::ImportChecks> m_checks; // when the project is new
    QString m_source;
    QString m_projectPath;
    jobs::Progress &m_progress;
    size_t m_itemsSent = 0;
};

} // namespace assay::formats
