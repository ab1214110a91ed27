#pragma once

#include "database.h"

#include "model/fieldvalue.h"
#include "model/importplan.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace assay::store {

// Brings the annotations of a plan's samples in line with the plan, inside the caller's
// transaction, batch by batch. Annotations are matched by (sample, source file, source index):
// unchanged ones are left alone (their ids stay), changed ones updated, new ones added, and ones
// that vanished from the source removed (removeUnseen). `sampleIds[i]` is the id of plan item
// i; `categoryIds[c]` of category c.
//
// Objects edited in Assay (annotation_sources holds the source's version from before the first
// edit) keep the edit: when the source changed the record too, the project's version stays, the
// source's new version replaces the saved one and the pair is listed in kept(). The saved version
// goes when the edit was undone (the object is the source's version again) or the source now says
// what the project does. An object deleted in Assay is not added back.
class AnnotationSync
{
public:
    // Loads the annotations the project has from source files.
    explicit AnnotationSync(Database &db);
    ~AnnotationSync();
    AnnotationSync(const AnnotationSync &) = delete;
    AnnotationSync &operator=(const AnnotationSync &) = delete;

    void add(const std::vector<ImportAnnotation> &annotations,
             const std::vector<std::int64_t> &sampleIds,
             const std::vector<std::int64_t> &categoryIds, ImportResult &result);
    // Removes the annotations of the given samples that no add() call matched.
    void removeUnseen(const std::vector<std::int64_t> &sampleIds, ImportResult &result);

    // An edited object whose source record changed: the journal's "annotation" values of what
    // the source says now and of what the project keeps (NULL: deleted in Assay).
    struct KeptEdit
    {
        std::int64_t sampleId = 0;
        std::int64_t annotationId = 0;
        FieldValue source;
        FieldValue kept;
    };
    const std::vector<KeptEdit> &kept() const { return m_kept; }

private:
    struct Existing
    {
        std::int64_t id = 0;
        std::int64_t categoryId = 0;
        int kind = 0;
        double x = 0, y = 0, w = 0, h = 0;
        QByteArray geometry;
        bool crowd = false;
        std::string extra;
        bool seen = false;
    };

    // Whether an edited object must keep its edit against record `a`; updates the saved source
    // version when the source changed. False when the record is to be synchronised as usual.
    bool keepsEdit(const ImportAnnotation &a, std::int64_t sampleId, std::int64_t categoryId,
                   const QByteArray &geometry, Existing *current);

    Database &m_db;
    std::unordered_map<std::string, Existing> m_existing;
    std::unordered_map<std::string, Existing> m_sources; // annotation_sources by key; id = object
    std::vector<KeptEdit> m_kept;
    Statement m_insert;
    Statement m_update;
    std::string m_key;
};

} // namespace assay::store
