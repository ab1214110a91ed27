#pragma once

#include "database.h"

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

    Database &m_db;
    std::unordered_map<std::string, Existing> m_existing;
    Statement m_insert;
    Statement m_update;
    std::string m_key;
};

} // namespace assay::store
