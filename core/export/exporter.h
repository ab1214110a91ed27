#pragma once

#include "outputtree.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <map>
#include <optional>

namespace assay::store {
class Project;
}
namespace assay::jobs {
class Progress;
}

namespace assay::exporting {

enum class Target { Coco, Voc, Yolo, ImageFolder, Csv };

QString targetName(Target target);
std::optional<Target> parseTarget(const QString &name);
QString targetChoices(); // "coco|voc|yolo|imagefolder|csv"

struct ExportOptions
{
    Target target = Target::Coco;
    QString outDir;       // a new or empty folder outside the dataset
    bool inPlace = false; // write back into the dataset (same format only), after a backup
    ImageCopy images = ImageCopy::Copy;
};

// What an export did, and what the target format could not hold (never dropped silently).
struct ExportReport
{
    QString target;
    QString sourceFormat;
    QString outDir;
    QString backupDir;     // in place: where the replaced files were saved
    bool sameFormat = false; // written back into the dataset's own files
    std::int64_t samples = 0;
    std::int64_t objects = 0;
    std::int64_t filesWritten = 0; // annotation files written or patched
    std::int64_t filesCopied = 0;  // files copied (or linked) unchanged
    std::int64_t recordsChanged = 0;
    std::int64_t recordsAdded = 0;
    std::int64_t recordsRemoved = 0;
    std::int64_t samplesRelabeled = 0;
    // Samples excluded in Assay: left out of an export to another format; written back into
    // the dataset's own files as they are (write-back changes records, it drops no sample).
    std::int64_t samplesExcluded = 0;
    bool excludedLeftOut = false;
    QString changesFile; // the journal written beside the export, when asked for
    std::map<QString, std::int64_t> notHeld; // what the target cannot hold -> how many

    void lose(const QString &what, std::int64_t count = 1)
    {
        if (count > 0)
            notHeld[what] += count;
    }
    QJsonObject toJson() const;
    QString toText() const;
};

// Writes the project's dataset, with every edit made in Assay, as `options.target`. To the
// dataset's own format the files are its own with only the edited records changed; to another
// format what cannot be held is listed in the report. Throws Error or jobs::Canceled; an output
// file is never left half-written.
ExportReport exportProject(store::Project &project, const ExportOptions &options,
                           jobs::Progress &progress);

} // namespace assay::exporting
