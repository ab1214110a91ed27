#include "importer.h"
#include "pipelinedimport.h"

#include "analysis/annotationchecks.h"
#include "jobs/progress.h"
#include "store/project.h"
#include "util/error.h"

#include <QFile>
#include <QFileInfo>

namespace assay::formats {

namespace {

// The annotation checks follow every import: the plan tells which listed images are missing.
void checkAnnotations(store::Project &project, const ImportPlan &plan, jobs::Progress &progress)
{
    progress.setPhase(QStringLiteral("Checking annotations"));
    analysis::refreshAnnotationChecks(project, &plan);
}

// A new project is filled under a temporary name without a journal and renamed into place only
// when complete: a crash or an error leaves no project behind, and the bulk insert runs at full
// speed.
ImportOutcome importIntoNewProject(const QString &projectPath,
                                   jobs::Progress &progress, ImportOutcome outcome)
{
    const QString partial = projectPath + QStringLiteral(".importing");
    removeProjectFiles(partial);
    store::OpenOptions options;
    options.create = true;
    options.bulkLoad = true;
    try {
        auto project = store::Project::open(partial, options);
        outcome.result = project->applyImport(outcome.plan, progress);
        checkAnnotations(*project, outcome.plan, progress);
        project->finishBulkLoad();
    } catch (const Error &error) {
        removeProjectFiles(partial);
        // Name the project the user asked for, not the temporary file.
        QString message = error.message();
        message.replace(partial, projectPath);
        throw Error(message);
    } catch (...) {
        removeProjectFiles(partial);
        throw;
    }
    if (!QFile::rename(partial, projectPath)) {
        removeProjectFiles(partial);
        throw Error(QStringLiteral("cannot create %1: renaming the finished import failed")
                        .arg(projectPath));
    }
    outcome.projectCreated = true;
    return outcome;
}

} // namespace

ImportOutcome importDataset(const QString &source, const QString &projectPath,
                            const ReadOptions &options, jobs::Progress &progress)
{
    ImportOutcome outcome;
    // A reader that streams (COCO) has its items and objects written while it reads; the
    // pipeline rolls back when anything below throws.
    PipelinedImport pipeline(source, projectPath, progress);
    outcome.plan = readDataset(source, options, progress, &pipeline);
    if (outcome.plan.items.empty())
        throw Error(QStringLiteral("%1: nothing to import (%2 entries refused, %3 skipped)")
                        .arg(source)
                        .arg(outcome.plan.refused.size())
                        .arg(outcome.plan.skipped.size()));
    if (pipeline.started()) {
        progress.setPhase(QStringLiteral("Writing the project"));
        outcome.result = pipeline.finish(outcome.plan); // with the annotation checks
        outcome.projectCreated = pipeline.createdProject();
        return outcome;
    }

    const bool existed = QFileInfo::exists(projectPath);
    if (!existed)
        return importIntoNewProject(projectPath, progress, std::move(outcome));
    auto project = store::Project::open(projectPath);
    checkSameDataset(*project, outcome.plan, source, projectPath);
    // applyImport writes in one transaction: on an error the project stays as it was.
    outcome.result = project->applyImport(outcome.plan, progress);
    checkAnnotations(*project, outcome.plan, progress);
    return outcome;
}

} // namespace assay::formats
