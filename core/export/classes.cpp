// Classification layouts: a CSV manifest (patchCsv rewrites the label and split fields of the
// rows whose sample changed; writeCsv writes a new manifest) and ImageFolder (a relabeled image
// moves to its new class folder; writeImageFolder writes <split>/<class>/<image>).

#include "exportimages.h"
#include "writers.h"

#include "formats/csvparser.h"
#include "formats/text.h"
#include "jobs/progress.h"
#include "util/datasetpath.h"
#include "util/error.h"

#include <QFile>
#include <QFileInfo>

#include <map>
#include <unordered_map>

namespace assay::exporting {

namespace {

std::string csvField(std::string_view value, char delimiter)
{
    if (value.find_first_of(std::string{delimiter, '"', '\n', '\r'}) == std::string_view::npos)
        return std::string(value);
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    return out + '"';
}

std::string nameOr(const QStringList &names, int index)
{
    return index >= 0 ? names[index].toStdString() : std::string();
}

void loseObjects(const ProjectState &state, ExportReport &report, const QString &format)
{
    std::int64_t objects = 0;
    for (const StateSample &sample : state.samples)
        objects += sample.present ? std::int64_t(sample.annotations.size()) : 0;
    report.lose(QStringLiteral("objects (boxes, polygons, masks: %1 holds image-level classes "
                               "only)")
                    .arg(format),
                objects);
}

} // namespace

void patchCsv(PatchContext &c)
{
    if (c.diff.relabeled.empty() && c.diff.moved.empty())
        return;
    const std::string manifest = c.state.sourceFiles.empty() ? std::string()
                                                              : c.state.sourceFiles.front().path;
    QFile in(c.state.source);
    if (!in.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("cannot read %1: %2").arg(in.fileName(), in.errorString()));
    const QByteArray bytes = in.readAll();
    const std::string_view data(bytes.constData(), size_t(bytes.size()));
    std::unordered_map<std::string, const StateSample *> changed;
    for (const StateSample *sample : c.diff.relabeled)
        changed.emplace(sample->path, sample);
    for (const StateSample *sample : c.diff.moved)
        changed.emplace(sample->path, sample);

    formats::CsvParser parser(data, QString::fromStdString(manifest));
    std::vector<std::string_view> fields;
    int line = 0;
    if (!parser.next(fields, line))
        throw Error(QStringLiteral("%1 is empty").arg(c.state.source));
    QStringList header;
    for (std::string_view field : fields)
        header << formats::fromUtf8(field);
    const int pathColumn = int(header.indexOf(c.state.readOptions.pathColumn));
    const int labelColumn = c.state.readOptions.labelColumn.isEmpty()
                                ? -1
                                : int(header.indexOf(c.state.readOptions.labelColumn));
    const int splitColumn = c.state.readOptions.splitColumn.isEmpty()
                                ? -1
                                : int(header.indexOf(c.state.readOptions.splitColumn));
    if (pathColumn < 0)
        throw Error(QStringLiteral("%1 no longer has the column '%2'")
                        .arg(c.state.source, c.state.readOptions.pathColumn));
    std::string out;
    size_t copied = 0; // bytes of `data` already in `out`
    std::int64_t lostLabels = 0, lostSplits = 0;
    while (true) {
        const size_t start = parser.offset();
        if (!parser.next(fields, line))
            break;
        const size_t end = parser.offset();
        std::string path(fields[size_t(pathColumn)]);
        if (!formats::isPlainRelative(path)) {
            const auto relative = datasetpath::relativeInsideRoot(c.state.root, formats::fromUtf8(path));
            path = relative ? relative->toStdString() : std::string();
        }
        const auto found = changed.find(path);
        if (found == changed.end())
            continue;
        const StateSample &sample = *found->second;
        std::vector<std::string> values(fields.begin(), fields.end());
        if (labelColumn >= 0)
            values[size_t(labelColumn)] = nameOr(c.state.categories, sample.label);
        else if (sample.label >= 0)
            ++lostLabels;
        if (splitColumn >= 0)
            values[size_t(splitColumn)] = nameOr(c.state.splits, sample.split);
        else if (sample.split >= 0)
            ++lostSplits;
        // Keep the blank lines before the row and its line ending.
        std::string_view raw = data.substr(start, end - start);
        size_t lead = 0;
        while (lead < raw.size() && (raw[lead] == '\n' || raw[lead] == '\r'))
            ++lead;
        std::string_view ending = raw.ends_with("\r\n") ? "\r\n" : raw.ends_with('\n') ? "\n" : "";
        out.append(data.substr(copied, start + lead - copied));
        for (size_t f = 0; f < values.size(); ++f) {
            if (f)
                out.push_back(parser.delimiter());
            out += csvField(values[f], parser.delimiter());
        }
        out.append(ending);
        copied = end;
    }
    out.append(data.substr(copied));
    c.report.lose(QStringLiteral("labels (the manifest has no label column)"), lostLabels);
    c.report.lose(QStringLiteral("splits (the manifest has no split column)"), lostSplits);
    const std::string target = manifest.empty() || manifest.starts_with("../")
                                   ? QFileInfo(c.state.source).fileName().toStdString()
                                   : manifest;
    c.out.write(target, out);
    c.written.insert(target);
}

std::map<std::string, std::string> imageFolderMoves(PatchContext &c)
{
    std::map<std::string, std::string> moves;
    std::set<std::string> taken;
    for (const StateSample &sample : c.state.samples)
        taken.insert(sample.path);
    std::map<const StateSample *, bool> touched;
    for (const StateSample *sample : c.diff.relabeled)
        touched[sample] = true;
    for (const StateSample *sample : c.diff.moved)
        touched[sample] = true;
    for (const auto &[sample, yes] : touched) {
        // <class>/<name> or <split>/<class>/<name> (deeper folders above are kept).
        std::vector<std::string> parts;
        size_t from = 0;
        for (size_t slash; (slash = sample->path.find('/', from)) != std::string::npos;
             from = slash + 1)
            parts.push_back(sample->path.substr(from, slash - from));
        parts.push_back(sample->path.substr(from));
        if (parts.size() < 2)
            continue;
        if (sample->label < 0) {
            c.report.lose(QStringLiteral("images whose class was removed (left in their old "
                                         "class folder)"));
            continue;
        }
        parts[parts.size() - 2] = c.state.categories[sample->label].toStdString();
        const bool hasSplitFolder = !c.state.splits.isEmpty() && parts.size() >= 3;
        if (hasSplitFolder && sample->split >= 0)
            parts[parts.size() - 3] = c.state.splits[sample->split].toStdString();
        else if (!hasSplitFolder && sample->split >= 0 && !c.state.splits.isEmpty())
            c.report.lose(QStringLiteral("split changes (the layout has no split folders)"));
        std::string to;
        for (size_t i = 0; i < parts.size(); ++i)
            to += (i ? "/" : "") + parts[i];
        if (to == sample->path)
            continue;
        if (!taken.insert(to).second) {
            c.report.lose(QStringLiteral("relabeled images whose name is taken in the new "
                                         "class folder (left where they were)"));
            continue;
        }
        moves.emplace(sample->path, to);
    }
    c.report.samplesRelabeled = std::int64_t(moves.size());
    return moves;
}

void writeImageFolder(WriteContext &c)
{
    const bool splits = std::any_of(c.state.samples.begin(), c.state.samples.end(),
                                    [](const StateSample &s) { return s.present && s.split >= 0; });
    std::map<std::string, std::set<std::string>> taken; // per folder
    std::int64_t unlabeled = 0;
    c.progress.setTotal(std::int64_t(c.state.samples.size()));
    for (const StateSample &sample : c.state.samples) {
        if (!sample.present)
            continue;
        if (sample.label < 0) {
            ++unlabeled;
            continue;
        }
        std::string folder = c.state.categories[sample.label].toStdString();
        if (splits)
            folder = (sample.split >= 0 ? c.state.splits[sample.split].toStdString()
                                        : std::string("unsplit"))
                     + '/' + folder;
        const std::string name = uniqueName(taken[folder], sample);
        placeImage(c.out, c.state, sample, folder + '/' + name, c.report);
        c.tick();
    }
    c.report.lose(QStringLiteral("images without a class (not written)"), unlabeled);
    loseObjects(c.state, c.report, QStringLiteral("ImageFolder"));
}

void writeCsv(WriteContext &c)
{
    std::string manifest = "path,label,split\n";
    std::set<std::string> taken;
    c.progress.setTotal(std::int64_t(c.state.samples.size()));
    for (const StateSample &sample : c.state.samples) {
        if (!sample.present)
            continue;
        // Files keep their dataset path; members of container files become PNG files.
        const std::string path = sample.member < 0 ? sample.path
                                                   : "images/" + uniqueName(taken, sample);
        if (!placeImage(c.out, c.state, sample, path, c.report))
            continue;
        manifest += csvField(path, ',') + ',' + csvField(nameOr(c.state.categories, sample.label), ',')
                    + ',' + csvField(nameOr(c.state.splits, sample.split), ',') + '\n';
        c.tick();
    }
    c.out.write("labels.csv", manifest);
    loseObjects(c.state, c.report, QStringLiteral("CSV"));
}

} // namespace assay::exporting
