#pragma once

#include "exporter.h"
#include "projectstate.h"
#include "sourcediff.h"

#include <map>
#include <set>
#include <string>

namespace assay::jobs {
class Progress;
}

// The writers behind exportProject. The patchers rewrite the dataset's own files, changing only
// the records `diff` names; the others write a whole dataset in a new format.
namespace assay::exporting {

struct PatchContext
{
    const ProjectState &state;
    const ImportPlan &original; // the source as read now
    const SourceDiff &diff;
    OutputTree &out;
    ExportReport &report;
    jobs::Progress &progress;
    std::set<std::string> written; // dataset files the patcher wrote (not to be copied as they are)
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
};

void writeCoco(WriteContext &context);
void writeVoc(WriteContext &context);
void writeYolo(WriteContext &context);
void writeImageFolder(WriteContext &context);
void writeCsv(WriteContext &context);

} // namespace assay::exporting
