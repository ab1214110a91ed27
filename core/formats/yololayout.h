#pragma once

#include "datasetreader.h"
#include "model/importplan.h"

#include <QString>
#include <QStringList>

#include <vector>

// Where a YOLO dataset keeps its images and class names: Ultralytics (data.yaml, or a bare
// images/<split> + labels/<split> tree) or Darknet (obj.data, obj.names, image lists).
namespace assay::formats::yolo {

struct SplitSource
{
    QString split;     // as the description names it ("train", "val", "valid", ...); may be empty
    QString path;      // absolute folder or list file
    bool list = false; // a text file with one image path per line
    bool recursive = true; // folders: include subfolders
    QString origin;        // where it was named, for messages ("data.yaml:4")
};

struct Layout
{
    QString root;   // absolute dataset root
    QString config; // absolute data.yaml / obj.data, or empty for a bare tree
    bool darknet = false;
    QStringList names;
    bool namesKnown = false; // false: names are the class ids seen
    std::vector<SplitSource> sources;
    std::vector<SkippedEntry> skipped; // sources named but not found
};

// Reads the description `source` points at (a folder, data.yaml or obj.data). Throws Error naming
// the file and line on malformed descriptions.
Layout findLayout(const QString &source, const ReadOptions &options);

// `absolutePath` relative to `root` for messages, or as is when it lies outside.
QString shownPath(const QString &root, const QString &absolutePath);

} // namespace assay::formats::yolo
