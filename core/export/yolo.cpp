// YOLO: patchYolo rewrites only the changed lines of a label file (the class id, or the
// coordinates in the file's own precision), drops deleted lines and appends added objects;
// writeYolo writes a new Ultralytics tree (images/<split>, labels/<split>, data.yaml).

#include "exportimages.h"
#include "jsonspans.h"
#include "textout.h"
#include "writers.h"

#include "formats/text.h"
#include "formats/yololabels.h"
#include "jobs/progress.h"
#include "util/error.h"

#include <QFile>

#include <cmath>
#include <cstdlib>
#include <map>

namespace assay::exporting {

namespace {

// The object as YOLO numbers, normalised by the image size: "cx cy w h" for a box, the points of
// its largest ring for a polygon.
std::string coordinates(const StateAnnotation &a, Size size, int decimals, ExportReport &report)
{
    const double W = size.width, H = size.height;
    std::string out;
    auto put = [&](double value) {
        out += ' ';
        out += text::fixed(std::clamp(value, 0.0, 1.0), decimals);
    };
    if (a.kind == AnnotationKind::Polygon && !a.polygons.empty()) {
        size_t largest = 0;
        for (size_t r = 1; r < a.polygons.size(); ++r) {
            if (a.polygons[r].size() > a.polygons[largest].size())
                largest = r;
        }
        if (a.polygons.size() > 1)
            report.lose(QStringLiteral("polygons with several parts (only the largest written)"));
        const auto &ring = a.polygons[largest];
        for (size_t i = 0; i + 1 < ring.size(); i += 2) {
            put(ring[i] / W);
            put(ring[i + 1] / H);
        }
        return out;
    }
    if (a.kind == AnnotationKind::Mask)
        report.lose(QStringLiteral("RLE masks (written as their bounding boxes)"));
    put((a.x + a.w / 2) / W);
    put((a.y + a.h / 2) / H);
    put(a.w / W);
    put(a.h / H);
    return out;
}

// The class id of the object's category in `names`, or -1.
int classId(const StateAnnotation &a, const QStringList &categories, const QStringList &names)
{
    return a.category < 0 ? -1 : int(names.indexOf(categories[a.category]));
}

std::string newLine(const StateAnnotation &a, int id, Size size, int decimals,
                    ExportReport &report)
{
    if (a.crowd)
        report.lose(QStringLiteral("crowd flags"));
    if (json::hasOwnFields(a.extra))
        report.lose(QStringLiteral("objects' extra fields (YOLO lines hold class and "
                                   "coordinates)"));
    return std::to_string(id) + coordinates(a, size, decimals, report) + '\n';
}

// The new coordinates, except that a value equal to the one the line spelled keeps its old
// spelling ("0.5" stays "0.5" when only the box's x changed).
std::string keepUnchanged(std::string_view old, const std::string &fresh)
{
    auto tokens = [](std::string_view text) {
        std::vector<std::string_view> out;
        while (!(text = formats::trimmed(text)).empty()) {
            const size_t cut = std::min(text.find_first_of(" \t"), text.size());
            out.push_back(text.substr(0, cut));
            text.remove_prefix(cut);
        }
        return out;
    };
    const std::vector<std::string_view> before = tokens(old);
    const std::vector<std::string_view> after = tokens(fresh);
    std::string out;
    for (size_t i = 0; i < after.size(); ++i) {
        std::string_view token = after[i];
        if (before.size() == after.size()) {
            const double a = std::strtod(std::string(before[i]).c_str(), nullptr);
            const double b = std::strtod(std::string(after[i]).c_str(), nullptr);
            if (std::fabs(a - b) <= 0.5e-6)
                token = before[i];
        }
        out += ' ';
        out.append(token);
    }
    return out;
}

struct Line
{
    std::string_view text; // without its terminator
    std::string_view end;  // "\n", "\r\n" or "" (the last line)
};

std::vector<Line> splitLines(std::string_view data)
{
    std::vector<Line> lines;
    while (!data.empty()) {
        const size_t cut = data.find('\n');
        if (cut == std::string_view::npos) {
            lines.push_back({data, {}});
            break;
        }
        const bool cr = cut > 0 && data[cut - 1] == '\r';
        lines.push_back({data.substr(0, cut - (cr ? 1 : 0)), data.substr(cut - (cr ? 1 : 0), cr ? 2 : 1)});
        data.remove_prefix(cut + 1);
    }
    return lines;
}

std::string labelFileOf(const StateSample &sample)
{
    const std::string twin = formats::yolo::labelsTwin(sample.path);
    return twin.empty() ? formats::yolo::besideLabel(sample.path) : twin;
}

} // namespace

void patchYolo(PatchContext &c)
{
    const QStringList &names = c.original.categories; // data.yaml's names, in id order
    std::map<std::string, std::vector<AddedObject>> addedTo;
    for (const AddedObject &object : c.diff.added) {
        std::string home;
        for (const StateAnnotation &sibling : object.sample->annotations) {
            if (!sibling.sourceFile.empty()) {
                home = sibling.sourceFile;
                break;
            }
        }
        addedTo[home.empty() ? labelFileOf(*object.sample) : home].push_back(object);
    }
    std::set<std::string> files;
    for (const auto &[path, edits] : c.diff.files)
        files.insert(path);
    for (const auto &[path, objects] : addedTo)
        files.insert(path);

    for (const std::string &path : files) {
        QFile in(c.state.root + u'/' + formats::fromUtf8(path));
        QByteArray bytes;
        if (in.exists()) {
            if (!in.open(QIODevice::ReadOnly))
                throw Error(QStringLiteral("cannot read %1: %2").arg(in.fileName(), in.errorString()));
            bytes = in.readAll();
        }
        const std::string data(bytes.constData(), size_t(bytes.size()));
        const std::vector<Line> lines = splitLines(data);
        std::map<std::int64_t, const RecordEdit *> editAt;
        if (const auto edits = c.diff.files.find(path); edits != c.diff.files.end()) {
            for (const RecordEdit &edit : edits->second)
                editAt.emplace(edit.sourceIndex, &edit);
        }
        int decimals = 0;
        for (const Line &line : lines)
            decimals = std::max(decimals, text::decimalsOf(line.text));
        if (decimals == 0)
            decimals = 6;
        std::string out;
        std::int64_t written = 0; // lines in `out`
        for (size_t i = 0; i < lines.size(); ++i) {
            const auto found = editAt.find(std::int64_t(i + 1));
            if (found == editAt.end()) {
                out.append(lines[i].text).append(lines[i].end);
                c.kept(path, std::int64_t(i + 1), ++written);
                continue;
            }
            const RecordEdit &edit = *found->second;
            if (!edit.now)
                continue; // deleted
            c.kept(path, std::int64_t(i + 1), ++written);
            const StateAnnotation &now = *edit.now;
            std::string_view rest = formats::trimmed(lines[i].text);
            const size_t cut = rest.find_first_of(" \t");
            std::string classText(rest.substr(0, cut));
            std::string coords(cut == std::string_view::npos ? std::string_view() : rest.substr(cut));
            if (edit.fields & CategoryField) {
                const int id = classId(now, c.state.categories, names);
                if (id < 0)
                    c.report.lose(QStringLiteral("classes not in data.yaml's names (the object "
                                                 "kept its old class id)"));
                else
                    classText = std::to_string(id);
            }
            if (edit.fields & GeometryField)
                coords = keepUnchanged(coords, coordinates(now, imageSize(c.state, *edit.sample),
                                                           std::max(decimals, 6), c.report));
            if (edit.fields & CrowdField)
                c.report.lose(QStringLiteral("crowd flags"));
            out.append(classText).append(coords).append(lines[i].end);
        }
        if (const auto added = addedTo.find(path); added != addedTo.end()) {
            if (!out.empty() && out.back() != '\n')
                out.push_back('\n');
            for (const AddedObject &object : added->second) {
                const int id = classId(*object.object, c.state.categories, names);
                if (id < 0) {
                    c.report.lose(QStringLiteral("added objects of classes not in data.yaml's "
                                                 "names (not written)"));
                    continue;
                }
                out += newLine(*object.object, id, imageSize(c.state, *object.sample), decimals,
                               c.report);
                c.placed(*object.object, path, ++written);
            }
        }
        c.out.write(path, out);
        c.written.insert(path);
        jobs::throwIfCanceled(c.progress);
    }
    c.loseSampleChanges(
        QStringLiteral("image-level class changes (YOLO holds objects only)"),
        QStringLiteral("split changes (images stay in their split's folder)"));
}

void writeYolo(WriteContext &c)
{
    std::map<std::string, std::set<std::string>> taken; // per split
    std::set<std::string> splits;
    c.progress.setTotal(std::int64_t(c.state.samples.size()));
    for (const StateSample &sample : c.state.samples) {
        if (!sample.present)
            continue;
        const std::string split = sample.split >= 0 ? c.state.splits[sample.split].toStdString()
                                                    : "train";
        splits.insert(split);
        std::set<std::string> &names = taken[split];
        std::string name = uniqueName(names, sample);
        while (!names.insert(stemOf(name) + ".stem").second)
            name = "1_" + name; // two images with one stem would share a label file
        if (!placeImage(c.out, c.state, sample, "images/" + split + '/' + name, c.report))
            continue;
        if (sample.label >= 0)
            c.report.lose(QStringLiteral("image-level classes (YOLO holds objects only)"));
        if (sample.annotations.empty())
            continue; // a background image: no label file
        const Size size = imageSize(c.state, sample);
        if (size.width <= 0 || size.height <= 0) {
            c.report.lose(QStringLiteral("objects on images of unknown size (not written)"),
                          std::int64_t(sample.annotations.size()));
            continue;
        }
        std::string lines;
        for (const StateAnnotation &a : sample.annotations) {
            if (a.category < 0) {
                c.report.lose(QStringLiteral("objects without a class (not written)"));
                continue;
            }
            lines += newLine(a, a.category, size, 6, c.report);
            ++c.report.objects;
        }
        c.out.write("labels/" + split + '/' + stemOf(name) + ".txt", lines);
        c.tick();
    }
    std::string yaml = "path: .\n";
    for (const std::string &split : splits)
        yaml += split + ": images/" + split + '\n';
    yaml += "names:\n";
    for (qsizetype i = 0; i < c.state.categories.size(); ++i)
        yaml += "  " + std::to_string(i) + ": " + text::jsonString(c.state.categories[i].toStdString())
                + '\n';
    c.out.write("data.yaml", yaml);
}

} // namespace assay::exporting
