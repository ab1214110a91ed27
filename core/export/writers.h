#pragma once

#include "exporter.h"
#include "projectstate.h"
#include "sourcediff.h"

#include <map>
#include <set>
#include <string>
#include <unordered_map>

namespace assay::jobs {
class Progress;
}

// The writers behind exportProject. The patchers rewrite the dataset's own files, changing only
// the records `diff` names; the others write a whole dataset in a new format.
namespace assay::exporting {

// Where a record is after a patch: deletions before it shift its index, an added object gets
// its first one. An in-place export stores these so the project matches the files it wrote.
struct Placement
{
    std::int64_t annotationId = 0;
    std::string file;
    std::int64_t index = -1;
};

struct PatchContext
{
    PatchContext(const ProjectState &state_, const ImportPlan &original_, const SourceDiff &diff_,
                 OutputTree &out_, ExportReport &report_, jobs::Progress &progress_)
        : state(state_), original(original_), diff(diff_), out(out_), report(report_),
          progress(progress_)
    {
    }

    const ProjectState &state;
    const ImportPlan &original; // the source as read now
    const SourceDiff &diff;
    OutputTree &out;
    ExportReport &report;
    jobs::Progress &progress;
    std::set<std::string> written; // dataset files the patcher wrote (not to be copied as they are)
    std::vector<Placement> placements;

    // The record at `oldIndex` of `file` is now at `newIndex` (noted when it moved). Placements
    // are kept only in place: only then does the project learn them.
    void kept(const std::string &file, std::int64_t oldIndex, std::int64_t newIndex);
    // An object added in Assay was written as record `index` of `file`.
    void placed(const StateAnnotation &object, const std::string &file, std::int64_t index)
    {
        if (out.inPlace())
            placements.push_back({object.id, file, index});
    }
    // Image-level changes the dataset's object format cannot hold, with the reason for each.
    void loseSampleChanges(const QString &relabeled, const QString &moved)
    {
        report.lose(relabeled, std::int64_t(diff.relabeled.size()));
        report.lose(moved, std::int64_t(diff.moved.size()));
    }

private:
    std::unordered_map<std::string, std::int64_t> m_idOfRecord; // built on first use
};

void patchCoco(PatchContext &context);
void patchVoc(PatchContext &context);
void patchYolo(PatchContext &context);
void patchCsv(PatchContext &context);
// ImageFolder: relabeled samples change folders; returns dataset path -> new path.
std::map<std::string, std::string> imageFolderMoves(PatchContext &context);

struct WriteContext
{
    const ProjectState &state;
    OutputTree &out;
    ExportReport &report;
    jobs::Progress &progress;
    std::int64_t done = 0; // samples handled, for progress

    // One more sample handled: progress every 256, and a chance to cancel.
    void tick();
};

void writeCoco(WriteContext &context);
void writeVoc(WriteContext &context);
void writeYolo(WriteContext &context);
void writeImageFolder(WriteContext &context);
void writeCsv(WriteContext &context);

} // namespace assay::exporting
