#pragma once

#include "exporter.h"
#include "projectstate.h"

#include <set>
#include <string>

// Images of a dataset written in a new layout: names that do not collide, sizes for formats that
// need them, and members of container files (MNIST) encoded as PNG files.
namespace assay::exporting {

// A file name for `sample` inside one folder: its own name, or (when taken) its path with '/'
// turned into '_'. Members of container files get "<file>_<member>.png".
std::string uniqueName(std::set<std::string> &taken, const StateSample &sample);

// Puts the sample's image at `relative` in the output (copied, linked, or encoded). Returns false
// (and counts it in the report) when the image is missing.
bool placeImage(OutputTree &out, const ProjectState &state, const StateSample &sample,
                const std::string &relative, ExportReport &report);

struct Size
{
    int width = 0;
    int height = 0;
};

// The sample's size: as the source declared it, else from the image header (0 x 0 unknown).
Size imageSize(const ProjectState &state, const StateSample &sample);

// "<stem>" of a file name ("a/b/c.jpg" -> "c").
std::string stemOf(std::string_view path);

} // namespace assay::exporting
