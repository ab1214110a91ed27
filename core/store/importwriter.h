#pragma once

#include "database.h"

#include "model/importplan.h"

#include <QStringList>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace assay::jobs {
class Progress;
}

namespace assay::store {

class AnnotationSync;
class Project;
class Transaction;

// Synchronises a project with a reader's plan in one transaction, in parts: the samples of items
// as they become final, then objects in batches, then finish(). Project::applyImport writes a
// whole plan with it; formats::importDataset feeds it from a second thread while a reader streams.
// Nothing is kept unless finish() returns: destroying the writer before rolls everything back.
class ImportWriter
{
public:
    // Begins the transaction. With `reportProgress` it sets the phases and counts of `progress`
    // (else the reader does); it stops with jobs::Canceled either way.
    ImportWriter(Project &project, jobs::Progress &progress, bool reportProgress = true);
    ~ImportWriter();
    ImportWriter(const ImportWriter &) = delete;
    ImportWriter &operator=(const ImportWriter &) = delete;

    // The samples of items [begin, end) of `plan`, with their splits, labels and attribute
    // values; `begin` is where the previous call ended. Attribute columns must be complete at
    // the first call.
    void writeItems(const ImportPlan &plan, size_t begin, size_t end);
    // Objects of items already written; plan.categories names every category they use.
    void writeAnnotations(const ImportPlan &plan, const std::vector<ImportAnnotation> &annotations);
    // Marks the samples the plan no longer has as missing, removes the objects its sources no
    // longer have, records the source files, the dataset's meta and the import log, and commits.
    ImportResult finish(const ImportPlan &plan);
    // The samples of the plan's items, in order.
    const std::vector<std::int64_t> &sampleIds() const { return m_sampleIds; }

private:
    struct ExistingSample
    {
        std::int64_t id = 0;
        std::int64_t splitId = 0; // 0 = none
        std::int64_t categoryId = 0;
        std::int64_t size = 0;
        std::int64_t mtime = 0;
        int status = 0;
        int width = 0, height = 0;
        int edited = 0; // samples.edited: 1 class, 2 split edited in Assay
        std::int64_t sourceSplitId = 0, sourceCategoryId = 0; // the source's, when edited
        bool seen = false;
    };
    // A value a re-import found edited in Assay and changed in the source: the edit is kept.
    struct KeptEdit
    {
        std::int64_t sampleId = 0;
        const char *field = nullptr; // "class" or "split"
        std::int64_t source = 0;     // what the source says now (0: none)
        std::int64_t kept = 0;       // the edited value kept
    };

    void ensureNames(const ImportPlan &plan);
    void startAnnotations();
    std::int64_t keepEdit(ExistingSample &sample, int bit, const char *field,
                          std::int64_t current, std::int64_t &source, std::int64_t incoming);
    void journalKeptEdits();

    Project &m_project;
    Database &m_db;
    jobs::Progress &m_progress;
    bool m_report;
    std::unique_ptr<Transaction> m_transaction;
    ImportResult m_result;
    std::vector<std::int64_t> m_splitIds;
    std::vector<std::int64_t> m_categoryIds;
    std::optional<std::vector<std::string>> m_attributeColumns;
    std::unordered_map<std::string, ExistingSample> m_existing;
    std::optional<Statement> m_insert, m_update, m_attributes, m_newAttributes;
    std::vector<std::int64_t> m_sampleIds; // of the plan's items, in order
    std::vector<KeptEdit> m_kept;
    std::unique_ptr<AnnotationSync> m_annotations;
    std::string m_rebuildIndex; // an index dropped while the objects are written
};

} // namespace assay::store
