#pragma once

#include "model/importplan.h"

#include <QString>

#include <optional>

namespace assay::jobs {
class Progress;
}

namespace assay::formats {

class PlanSink;

enum class Format { Auto, ImageFolder, Csv, Mnist, Coco, Voc, Yolo };

QString formatName(Format format);
std::optional<Format> parseFormat(const QString &name);
// "auto|imagefolder|csv|mnist", for messages and --help.
QString formatChoices();

struct ReadOptions
{
    Format format = Format::Auto;
    QString root;        // dataset root; defaults to the folder (or the manifest's folder)
    QString pathColumn;  // CSV: column holding the image path (default: detected)
    QString labelColumn; // CSV: column holding the class (default: detected, optional)
    QString splitColumn; // CSV: column holding the split (default: detected, optional)
    QString namesFile;   // MNIST: one class name per line
    QString imagesDir;   // COCO: the folder file_name values are relative to (default: detected)
};

// The options as compact JSON ({"format": "coco", "images_dir": ...}), kept in the project so
// an export can read the source again exactly as the import did; and back.
QString encodeReadOptions(const ReadOptions &options);
ReadOptions decodeReadOptions(const QString &json);

// Which format `source` (a folder or a file) holds. Throws Error naming the options when it
// cannot tell.
Format detectFormat(const QString &source);

// Reads a dataset into a plan without touching any project. Throws Error (file and line where
// there is one) or jobs::Canceled. A reader that can hands items and annotations to `sink` while
// it reads (see PlanSink); the others ignore it.
ImportPlan readDataset(const QString &source, const ReadOptions &options, jobs::Progress &progress,
                       PlanSink *sink = nullptr);

// The readers behind readDataset.
ImportPlan readImageFolder(const QString &root, jobs::Progress &progress);
ImportPlan readCsvManifest(const QString &csvPath, const ReadOptions &options,
                           jobs::Progress &progress);
ImportPlan readMnist(const QString &folder, const ReadOptions &options, jobs::Progress &progress);

// Annotation formats (objects in ImportPlan::annotations, in pixels of the full image; each keeps
// its source file and index). Each refuses and lists entries escaping the dataset root and fails
// with the file (and line where there is one) on malformed input, before any project is touched.
ImportPlan readCoco(const QString &source, const ReadOptions &options, jobs::Progress &progress,
                    PlanSink *sink = nullptr);
ImportPlan readVoc(const QString &root, const ReadOptions &options, jobs::Progress &progress);
ImportPlan readYolo(const QString &source, const ReadOptions &options, jobs::Progress &progress);

// Whether a folder holds MNIST-style "*-images-idx3-ubyte[.gz]" files.
bool folderHasIdxImages(const QString &folder);
// The IDX labels file the MNIST reader pairs with `imagesFile` (a name in `folder`), or "".
QString idxLabelsFileFor(const QString &folder, const QString &imagesFile);

} // namespace assay::formats
