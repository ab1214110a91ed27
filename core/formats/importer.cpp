#include "importer.h"

#include "jobs/progress.h"
#include "store/project.h"
#include "util/error.h"

#include <QFile>
#include <QFileInfo>

namespace assay::formats {

ImportOutcome importDataset(const QString &source, const QString &projectPath,
                            const ReadOptions &options, jobs::Progress &progress)
{
    ImportOutcome outcome;
    outcome.plan = readDataset(source, options, progress);
    if (outcome.plan.items.empty())
        throw Error(QStringLiteral("%1: nothing to import (%2 entries refused, %3 skipped)")
                        .arg(source)
                        .arg(outcome.plan.refused.size())
                        .arg(outcome.plan.skipped.size()));

    store::OpenOptions openOptions;
    openOptions.create = true;
    const bool existed = QFileInfo::exists(projectPath);
    auto project = store::Project::open(projectPath, openOptions);
    outcome.projectCreated = !existed;
    try {
        const QString oldRoot = project->datasetRoot();
        if (!oldRoot.isEmpty() && oldRoot != outcome.plan.root
            && project->meta(QStringLiteral("dataset_format")) != outcome.plan.format)
            throw Error(QStringLiteral("%1 already holds a %2 dataset from %3; import %4 into a "
                                       "new project")
                            .arg(projectPath, project->meta(QStringLiteral("dataset_format")),
                                 oldRoot, source));
        outcome.result = project->applyImport(outcome.plan, progress);
    } catch (...) {
        if (outcome.projectCreated) {
            project.reset();
            for (const char *suffix : {"", "-wal", "-shm"})
                QFile::remove(projectPath + QString::fromLatin1(suffix));
        }
        throw;
    }
    return outcome;
}

} // namespace assay::formats
