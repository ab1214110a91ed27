#pragma once

#include "formats/datasetreader.h"
#include "model/annotation.h"
#include "model/importplan.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <string>
#include <vector>

namespace assay::store {
class Project;
}
namespace assay::jobs {
class Progress;
}

namespace assay::exporting {

// What the project holds now, in the shape the writers need: every sample with its current
// label, split and objects. Compared with a fresh read of the source it tells what was edited.
struct StateAnnotation
{
    std::int64_t id = 0;
    int category = -1; // index into ProjectState::categories, or -1
    AnnotationKind kind = AnnotationKind::Box;
    double x = 0, y = 0, w = 0, h = 0;
    std::vector<std::vector<float>> polygons;
    RleMask mask;
    bool crowd = false;
    std::string sourceFile; // empty for an object added in Assay
    std::int64_t sourceIndex = -1;
    std::string extra;
};

struct StateSample
{
    std::int64_t id = 0;
    std::string path;
    std::int64_t member = -1;
    int split = -1; // index into ProjectState::splits, or -1
    int label = -1; // index into ProjectState::categories, or -1
    int width = 0, height = 0;
    bool present = true;
    bool excluded = false; // excluded in Assay: left out of an export to another format
    std::vector<StateAnnotation> annotations;
};

struct ProjectState
{
    QString root;
    QString format; // as imported: "coco", "voc", "yolo", "imagefolder", "csv", "mnist"
    QString source; // what the import read
    formats::ReadOptions readOptions;
    QStringList categories; // in the project's order
    QStringList splits;
    std::vector<StateSample> samples; // ordered by path, then member
    std::vector<SourceFile> sourceFiles;

    // The categories annotations or labels of present samples use, in category order.
    std::vector<int> usedCategories() const;
};

ProjectState loadProjectState(store::Project &project, jobs::Progress &progress);

} // namespace assay::exporting
