#pragma once

#include "annotation.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <string>
#include <vector>

namespace assay {

// What a reader found: every sample with its split, label and attributes, plus what it skipped
// and why. The store applies a plan in one transaction (store::applyImport).
struct ImportItem
{
    std::string path;         // UTF-8, root-relative, '/'-separated
    std::int64_t member = -1; // index inside a container file, or -1
    int split = -1;           // index into ImportPlan::splits, or -1
    int label = -1;           // index into ImportPlan::categories, or -1 (unlabeled)
    std::int64_t size = 0;
    std::int64_t mtime = 0;   // seconds since the epoch
    bool exists = true;       // the file was found on disk
    int width = 0, height = 0; // image size the source declares (or its header gave); 0 = unknown
};

// One attribute column, values stored per item (columnar: cheap at millions of rows).
struct AttributeColumn
{
    QString name;
    AttributeType type = AttributeType::Text;
    QString origin;                 // e.g. "csv"
    std::vector<double> numbers;    // when type == Number; NaN means missing
    std::vector<std::string> texts; // when type == Text; empty means missing
};

// One object of an annotation format, attached to an item of the plan. It keeps where it came
// from, so a re-import matches it again and an export can write it back in place.
struct ImportAnnotation
{
    size_t item = 0;   // index into ImportPlan::items
    int category = -1; // index into ImportPlan::categories, or -1
    AnnotationKind kind = AnnotationKind::Box;
    double x = 0, y = 0, w = 0, h = 0; // pixels of the full image; for every kind its bounding box
    std::vector<std::vector<float>> polygons;
    RleMask mask;
    bool crowd = false;
    std::string sourceFile;        // root-relative annotation file
    std::int64_t sourceIndex = -1; // position in that file (array index, object number, line)
    std::string extra;             // keys Assay does not interpret, kept verbatim (JSON)
};

struct SkippedEntry
{
    QString path;   // as the source spelled it
    QString reason; // e.g. "not an image", "escapes the dataset root"
};

// An annotation or manifest file a plan was read from, as it was then: export checks that it
// is unchanged before writing edits back into a copy of it.
struct SourceFile
{
    std::string path; // root-relative
    std::int64_t size = 0;
    std::int64_t mtime = 0;
};

struct ImportPlan
{
    QString format; // "imagefolder", "csv", "mnist"
    QString root;   // absolute dataset root
    QString source; // what the user pointed at (folder or file)
    QStringList splits;
    QStringList categories;
    std::vector<ImportItem> items;
    std::vector<AttributeColumn> attributes;
    std::vector<ImportAnnotation> annotations;
    // Objects a reader handed to a formats::PlanSink while reading instead of keeping them in
    // `annotations` (formats::importDataset writes COCO's that way).
    std::int64_t annotationsStreamed = 0;
    std::vector<SourceFile> sourceFiles; // annotation/manifest files read, in reading order
    std::vector<SkippedEntry> skipped; // files passed over (not images, unreadable...)
    std::vector<SkippedEntry> refused; // entries refused (paths escaping the root...)
    QString labelSource;               // e.g. "folder name", "CSV column 'label'"
    QString readOptions; // how to read the source again (formats::encodeReadOptions)
};

// What applying a plan changed.
struct ImportResult
{
    std::int64_t added = 0;
    std::int64_t updated = 0;
    std::int64_t unchanged = 0;
    std::int64_t markedMissing = 0;
    std::int64_t restored = 0; // samples that were missing and are back
    std::int64_t annotationsAdded = 0;
    std::int64_t annotationsUpdated = 0;
    std::int64_t annotationsRemoved = 0;
};

} // namespace assay
