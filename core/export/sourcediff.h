#pragma once

#include "projectstate.h"

#include <map>
#include <string>
#include <vector>

namespace assay::exporting {

// Which parts of an imported object differ from its source record.
enum ChangedField : unsigned {
    CategoryField = 1,
    GeometryField = 2,
    CrowdField = 4,
    ExtraField = 8,
};

// One source record that is no longer what the file says: changed, or removed (`now` null).
struct RecordEdit
{
    std::int64_t sourceIndex = -1;
    const StateSample *sample = nullptr;
    const StateAnnotation *now = nullptr; // null: the object was deleted in Assay
    const ImportAnnotation *was = nullptr;
    unsigned fields = 0;
};

// An object added in Assay: it has no source record yet.
struct AddedObject
{
    const StateSample *sample = nullptr;
    const StateAnnotation *object = nullptr;
};

struct SourceDiff
{
    std::map<std::string, std::vector<RecordEdit>> files; // by source file, in record order
    std::vector<AddedObject> added;
    std::vector<const StateSample *> relabeled; // image-level class differs from the source
    std::vector<const StateSample *> moved;     // split differs from the source
    std::int64_t changedRecords = 0;
    std::int64_t removedRecords = 0;

    bool isEmpty() const
    {
        return files.empty() && added.empty() && relabeled.empty() && moved.empty();
    }
};

// Compares the project with `original`, a fresh read of its source. Throws Error when a source
// file changed since the import (its edits would be overwritten by ones Assay never saw).
SourceDiff diffWithSource(const ProjectState &state, const ImportPlan &original);

} // namespace assay::exporting
