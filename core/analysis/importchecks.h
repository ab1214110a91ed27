#pragma once

#include "annotationchecks.h"

#include <memory>
#include <vector>

namespace assay {
struct ImportAnnotation;
struct ImportPlan;
} // namespace assay

namespace assay::analysis {

// The annotation checks of an import into a new project, run by the reader as it hands its
// items and objects over, beside the thread that writes them: the same findings as
// refreshAnnotationChecks gives once they are written, without reading a million objects back.
class ImportChecks
{
public:
    explicit ImportChecks(const AnnotationCheckOptions &options = {});
    ~ImportChecks();
    ImportChecks(const ImportChecks &) = delete;
    ImportChecks &operator=(const ImportChecks &) = delete;

    // The plan's items so far (those after the previous call are new).
    void items(const ImportPlan &plan);
    // Objects of items already handed over; plan.categories names every category they use.
    void annotations(const ImportPlan &plan, const std::vector<ImportAnnotation> &batch);
    // After the last: the issues, each sampleId the index of its item in the plan.
    std::vector<Issue> finish(const ImportPlan &plan);

private:
    class Checker;
    std::unique_ptr<Checker> m_checker;
    AnnotationCheckOptions m_options;
};

} // namespace assay::analysis
