// exportProject: chooses between writing back into the dataset's own files and writing a new
// dataset in another format, and reports what it did.

#include "exporter.h"

#include "writers.h"

#include "formats/imagetypes.h"
#include "formats/text.h"
#include "jobs/progress.h"
#include "store/project.h"
#include "store/transaction.h"
#include "util/error.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>

namespace assay::exporting {

namespace {

constexpr const char *targetNames[] = {"coco", "voc", "yolo", "imagefolder", "csv"};

// Every regular file of the dataset an export to its own format carries over, except Assay's own
// files (projects, caches, backups).
std::vector<std::string> datasetFiles(const QString &root, const QString &projectPath)
{
    const QString project = QFileInfo(projectPath).absoluteFilePath();
    std::vector<std::string> files;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    const QDir base(root);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = base.relativeFilePath(path);
        if (relative.startsWith(QStringLiteral(".assay-backup/")) || path.startsWith(project)
            || relative.endsWith(QStringLiteral(".assay"))
            || relative.contains(QStringLiteral(".assay-")) || relative.contains(QStringLiteral(".importing")))
            continue;
        files.push_back(relative.toStdString());
    }
    std::sort(files.begin(), files.end());
    return files;
}

// After writing back in place the project must describe the files as they now are. Records that
// moved keep their ids under their new index, added objects get their source and moved images
// their new path; then the source is read again and synchronised like an import, which matches
// every record by (sample, file, index), so ids stay, and takes in what the files now say
// exactly (the added objects' new COCO ids, VOC tags, YOLO rounding) and their sizes and mtimes.
void recordInPlace(store::Project &project, const ProjectState &state, const PatchContext &context,
                   const std::map<std::string, std::string> &moves, jobs::Progress &progress)
{
    store::Database &db = project.db();
    {
        store::Transaction transaction(db);
        store::Statement place(db, "UPDATE annotations SET source_file = ?, source_index = ? "
                                   "WHERE id = ?");
        for (const Placement &p : context.placements) {
            place.bind(1, std::string_view(p.file));
            place.bind(2, p.index);
            place.bind(3, p.annotationId);
            place.run();
        }
        store::Statement move(db, "UPDATE samples SET path = ? WHERE path = ? AND member = -1");
        for (const auto &[from, to] : moves) {
            move.bind(1, std::string_view(to));
            move.bind(2, std::string_view(from));
            move.run();
        }
        // The files now hold every edit: no saved source version of an edited object applies
        // any more (their records may have moved). Samples' edit marks clear in the re-import.
        db.exec("DELETE FROM annotation_sources");
        transaction.commit();
    }
    progress.setPhase(QStringLiteral("Updating the project"));
    project.applyImport(formats::readDataset(state.source, state.readOptions, progress), progress);
}

void writeBack(store::Project &project, const ProjectState &state, const ExportOptions &options,
               OutputTree &out, ExportReport &report, jobs::Progress &progress)
{
    progress.setPhase(QStringLiteral("Reading the source again"));
    const ImportPlan original = formats::readDataset(state.source, state.readOptions, progress);
    const SourceDiff diff = diffWithSource(state, original);
    report.recordsChanged = diff.changedRecords;
    report.recordsRemoved = diff.removedRecords;
    report.recordsAdded = std::int64_t(diff.added.size());
    report.samplesRelabeled = std::int64_t(diff.relabeled.size());
    PatchContext context(state, original, diff, out, report, progress);
    std::map<std::string, std::string> moves;
    progress.setPhase(QStringLiteral("Writing changed records"));
    switch (options.target) {
    case Target::Coco: patchCoco(context); break;
    case Target::Voc: patchVoc(context); break;
    case Target::Yolo: patchYolo(context); break;
    case Target::Csv: patchCsv(context); break;
    case Target::ImageFolder: moves = imageFolderMoves(context); break;
    }
    if (options.inPlace) {
        for (const auto &[from, to] : moves)
            out.move(from, to);
        recordInPlace(project, state, context, moves, progress);
        return;
    }
    progress.setPhase(QStringLiteral("Copying the dataset"));
    const std::vector<std::string> files = datasetFiles(state.root, project.path());
    progress.setTotal(std::int64_t(files.size()));
    progress.setDone(0);
    for (size_t i = 0; i < files.size(); ++i) {
        const std::string &file = files[i];
        if (!context.written.contains(file)) {
            const auto moved = moves.find(file);
            const std::string &to = moved == moves.end() ? file : moved->second;
            if (formats::hasImageExtension(std::string_view(file)))
                out.copyImage(file, to);
            else
                out.copyFile(file, to);
        }
        if ((i & 255) == 0) {
            progress.setDone(std::int64_t(i));
            jobs::throwIfCanceled(progress);
        }
    }
}

} // namespace

void PatchContext::kept(const std::string &file, std::int64_t oldIndex, std::int64_t newIndex)
{
    if (oldIndex == newIndex || !out.inPlace())
        return;
    if (m_idOfRecord.empty()) {
        for (const StateSample &sample : state.samples)
            for (const StateAnnotation &a : sample.annotations)
                if (!a.sourceFile.empty())
                    m_idOfRecord.emplace(a.sourceFile + '\0' + std::to_string(a.sourceIndex), a.id);
    }
    const auto found = m_idOfRecord.find(file + '\0' + std::to_string(oldIndex));
    if (found != m_idOfRecord.end())
        placements.push_back({found->second, file, newIndex});
}

void WriteContext::tick()
{
    if ((++done & 255) == 0) {
        progress.setDone(done);
        jobs::throwIfCanceled(progress);
    }
}

QString targetName(Target target)
{
    return QString::fromLatin1(targetNames[int(target)]);
}

std::optional<Target> parseTarget(const QString &name)
{
    for (int i = 0; i < int(std::size(targetNames)); ++i) {
        if (name.compare(QLatin1String(targetNames[i]), Qt::CaseInsensitive) == 0)
            return Target(i);
    }
    return std::nullopt;
}

QString targetChoices()
{
    QStringList names;
    for (const char *name : targetNames)
        names << QString::fromLatin1(name);
    return names.join(u'|');
}

QJsonObject ExportReport::toJson() const
{
    QJsonObject lost;
    for (const auto &[what, count] : notHeld)
        lost.insert(what, qint64(count));
    return {{QStringLiteral("target"), target},
            {QStringLiteral("source_format"), sourceFormat},
            {QStringLiteral("out"), outDir},
            {QStringLiteral("backup"), backupDir},
            {QStringLiteral("same_format"), sameFormat},
            {QStringLiteral("samples"), qint64(samples)},
            {QStringLiteral("objects"), qint64(objects)},
            {QStringLiteral("files_written"), qint64(filesWritten)},
            {QStringLiteral("files_copied"), qint64(filesCopied)},
            {QStringLiteral("records_changed"), qint64(recordsChanged)},
            {QStringLiteral("records_added"), qint64(recordsAdded)},
            {QStringLiteral("records_removed"), qint64(recordsRemoved)},
            {QStringLiteral("samples_relabeled"), qint64(samplesRelabeled)},
            {QStringLiteral("samples_excluded"), qint64(samplesExcluded)},
            {QStringLiteral("excluded_left_out"), excludedLeftOut},
            {QStringLiteral("changes"), changesFile},
            {QStringLiteral("not_held"), lost}};
}

QString ExportReport::toText() const
{
    QString text = QStringLiteral("Exported %1 samples and %2 objects as %3 to %4\n")
                       .arg(samples)
                       .arg(objects)
                       .arg(target, outDir);
    if (sameFormat)
        text += QStringLiteral("Written back into the dataset's own files: %1 records changed, "
                               "%2 added, %3 removed, %4 samples relabeled\n")
                    .arg(recordsChanged)
                    .arg(recordsAdded)
                    .arg(recordsRemoved)
                    .arg(samplesRelabeled);
    text += QStringLiteral("%1 files written, %2 copied unchanged\n")
                .arg(filesWritten)
                .arg(filesCopied);
    if (!backupDir.isEmpty())
        text += QStringLiteral("The files replaced are backed up in %1\n").arg(backupDir);
    if (samplesExcluded > 0 && excludedLeftOut)
        text += QStringLiteral("%1 excluded samples left out\n").arg(samplesExcluded);
    else if (samplesExcluded > 0)
        text += QStringLiteral("%1 excluded samples are still in the dataset's own files "
                               "(write-back changes records, it drops no sample); export to "
                               "another format to leave them out\n")
                    .arg(samplesExcluded);
    if (!changesFile.isEmpty())
        text += QStringLiteral("The changes made in Assay are listed in %1\n").arg(changesFile);
    if (notHeld.empty()) {
        text += QStringLiteral("Nothing was left out.\n");
    } else {
        text += QStringLiteral("Not held by %1:\n").arg(target);
        for (const auto &[what, count] : notHeld)
            text += QStringLiteral("  %1 × %2\n").arg(count).arg(what);
    }
    return text;
}

ExportReport exportProject(store::Project &project, const ExportOptions &options,
                           jobs::Progress &progress)
{
    ProjectState state = loadProjectState(project, progress);
    if (state.root.isEmpty() || state.samples.empty())
        throw Error(QStringLiteral("%1 holds no dataset to export").arg(project.path()));
    ExportReport report;
    report.target = targetName(options.target);
    report.sourceFormat = state.format;
    report.sameFormat = report.target == state.format;
    report.excludedLeftOut = !report.sameFormat;
    for (StateSample &sample : state.samples) {
        if (!sample.excluded || !sample.present)
            continue;
        ++report.samplesExcluded;
        if (report.excludedLeftOut)
            sample.present = false; // the writers leave out what is not present
    }
    if (options.inPlace && project.isReadOnly())
        throw Error(QStringLiteral("%1 is open read-only; writing back in place updates it")
                        .arg(project.path()));
    if (options.inPlace && !report.sameFormat)
        throw Error(QStringLiteral("--in-place writes the dataset's own format only (%1); export "
                                   "%2 into a new folder with --out")
                        .arg(state.format, report.target));
    if (!options.inPlace) {
        if (options.outDir.isEmpty())
            throw Error(QStringLiteral("name the folder to export into (--out DIR)"));
        checkOutputFolder(options.outDir, state.root);
    }
    if (report.sameFormat && !QFileInfo::exists(state.source))
        throw Error(QStringLiteral("the dataset's source %1 is gone; it is needed to write the "
                                   "dataset back in its own format")
                        .arg(state.source));
    OutputTree out(options.inPlace ? state.root : options.outDir, state.root, options.images,
                   options.inPlace);
    report.outDir = out.root();
    if (report.sameFormat) {
        writeBack(project, state, options, out, report, progress);
    } else {
        WriteContext context{state, out, report, progress};
        progress.setPhase(QStringLiteral("Writing %1").arg(report.target));
        switch (options.target) {
        case Target::Coco: writeCoco(context); break;
        case Target::Voc: writeVoc(context); break;
        case Target::Yolo: writeYolo(context); break;
        case Target::ImageFolder: writeImageFolder(context); break;
        case Target::Csv: writeCsv(context); break;
        }
    }
    if (report.sameFormat) {
        for (const StateSample &sample : state.samples) {
            if (!sample.present)
                continue;
            ++report.samples;
            report.objects += std::int64_t(sample.annotations.size());
        }
    }
    report.backupDir = out.backupDir();
    if (!QFileInfo::exists(report.backupDir))
        report.backupDir.clear();
    report.filesWritten = out.filesWritten();
    report.filesCopied = out.filesCopied();
    return report;
}

} // namespace assay::exporting
