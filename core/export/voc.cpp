// Pascal VOC: patchVoc rewrites only the <object> elements that changed (their <name>, the
// <bndbox> numbers, changed tags), cuts out deleted ones and appends added ones; writeVoc writes
// a new VOC tree (Annotations/, JPEGImages/, ImageSets/Main/).

#include "exportimages.h"
#include "jsonspans.h"
#include "textout.h"
#include "writers.h"
#include "xmlspans.h"

#include "formats/text.h"
#include "jobs/progress.h"
#include "util/error.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>
#include <unordered_map>
#include <unordered_set>

namespace assay::exporting {

namespace {

// VOC boxes are 1-based and inclusive: x = xmin - 1, w = xmax - xmin + 1 (see vocxml.h).
struct VocBox
{
    double xmin, ymin, xmax, ymax;
};

VocBox vocBox(const StateAnnotation &a)
{
    return {a.x + 1, a.y + 1, a.x + a.w, a.y + a.h};
}

std::string coordinate(double value, std::string_view original)
{
    if (original.find('.') == std::string_view::npos && value == std::round(value))
        return text::number(std::round(value));
    return text::number(value);
}

std::string scalarText(const QJsonValue &value)
{
    if (value.isString())
        return text::xmlEscaped(value.toString().toStdString());
    if (value.isDouble())
        return text::number(value.toDouble());
    if (value.isBool())
        return value.toBool() ? "1" : "0";
    return {};
}

// A new <object> element, indented by `indent` with children one `step` further in.
std::string objectXml(const StateAnnotation &a, const QStringList &names, const std::string &indent,
                      const std::string &step, ExportReport &report)
{
    const std::string in = indent + step;
    std::string out = indent + "<object>\n";
    out += in + "<name>"
           + text::xmlEscaped(a.category >= 0 ? names[a.category].toStdString() : std::string())
           + "</name>\n";
    const QJsonObject extra = a.extra.empty()
                                  ? QJsonObject()
                                  : QJsonDocument::fromJson(QByteArray::fromStdString(a.extra))
                                        .object();
    for (const char *key : {"pose", "truncated", "difficult"}) {
        const QJsonValue value = extra.value(QLatin1String(key));
        const std::string spelled = value.isUndefined()
                                        ? std::string(key == std::string_view("pose")
                                                          ? "Unspecified"
                                                          : "0")
                                        : scalarText(value);
        out += in + '<' + key + '>' + spelled + "</" + key + ">\n";
    }
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        const std::string key = it.key().toStdString();
        if (key == "pose" || key == "truncated" || key == "difficult" || key == "id"
            || key == "area")
            continue; // the first three written above; COCO's bookkeeping is not an object tag
        if (it.value().isObject() || it.value().isArray() || it.value().isNull()) {
            report.lose(QStringLiteral("nested object fields (VOC tags hold text)"));
            continue;
        }
        out += in + '<' + key + '>' + scalarText(it.value()) + "</" + key + ">\n";
    }
    const VocBox box = vocBox(a);
    out += in + "<bndbox>\n";
    out += in + step + "<xmin>" + coordinate(box.xmin, {}) + "</xmin>\n";
    out += in + step + "<ymin>" + coordinate(box.ymin, {}) + "</ymin>\n";
    out += in + step + "<xmax>" + coordinate(box.xmax, {}) + "</xmax>\n";
    out += in + step + "<ymax>" + coordinate(box.ymax, {}) + "</ymax>\n";
    out += in + "</bndbox>\n";
    out += indent + "</object>\n";
    if (a.kind == AnnotationKind::Polygon)
        report.lose(QStringLiteral("polygons (written as their bounding boxes)"));
    else if (a.kind == AnnotationKind::Mask)
        report.lose(QStringLiteral("RLE masks (written as their bounding boxes)"));
    if (a.crowd)
        report.lose(QStringLiteral("crowd flags"));
    return out;
}

std::string documentXml(const std::string &imageName, Size size,
                        const std::vector<const StateAnnotation *> &objects,
                        const QStringList &names, ExportReport &report)
{
    std::string out = "<annotation>\n\t<folder>JPEGImages</folder>\n\t<filename>"
                      + text::xmlEscaped(imageName) + "</filename>\n";
    if (size.width > 0 && size.height > 0)
        out += "\t<size>\n\t\t<width>" + std::to_string(size.width) + "</width>\n\t\t<height>"
               + std::to_string(size.height) + "</height>\n\t\t<depth>3</depth>\n\t</size>\n";
    out += "\t<segmented>0</segmented>\n";
    for (const StateAnnotation *object : objects)
        out += objectXml(*object, names, "\t", "\t", report);
    return out + "</annotation>\n";
}

// Start of the line `at` is on, when only blanks precede it on that line; else `at`.
size_t lineStart(std::string_view text, size_t at)
{
    size_t p = at;
    while (p > 0 && (text[p - 1] == ' ' || text[p - 1] == '\t'))
        --p;
    return (p == 0 || text[p - 1] == '\n') ? p : at;
}

struct Replacement
{
    size_t begin, end;
    std::string text;
};

// Replacements for one changed object.
void patchObject(const std::string &text, const std::vector<xml::Element> &all, int object,
                 const RecordEdit &edit, const QStringList &names, std::vector<Replacement> &out,
                 ExportReport &report)
{
    const StateAnnotation &now = *edit.now;
    auto content = [&](int element) {
        const xml::Element &e = all[size_t(element)];
        return std::string_view(text).substr(e.contentBegin, e.contentEnd - e.contentBegin);
    };
    auto replaceContent = [&](int element, std::string value) {
        const xml::Element &e = all[size_t(element)];
        out.push_back({e.contentBegin, e.contentEnd, std::move(value)});
    };
    if (edit.fields & CategoryField) {
        const std::vector<int> name = xml::children(all, object, "name");
        const std::string spelled =
            text::xmlEscaped(now.category >= 0 ? names[now.category].toStdString() : "");
        if (!name.empty())
            replaceContent(name.front(), spelled);
    }
    if (edit.fields & GeometryField) {
        const std::vector<int> box = xml::children(all, object, "bndbox");
        const VocBox values = vocBox(now);
        const std::pair<const char *, double> sides[] = {
            {"xmin", values.xmin}, {"ymin", values.ymin}, {"xmax", values.xmax}, {"ymax", values.ymax}};
        for (const auto &[side, value] : sides) {
            const std::vector<int> found = box.empty() ? std::vector<int>{}
                                                       : xml::children(all, box.front(), side);
            if (!found.empty())
                replaceContent(found.front(), coordinate(value, content(found.front())));
        }
        if (now.kind != AnnotationKind::Box)
            report.lose(QStringLiteral("polygons or masks (written as their bounding boxes)"));
    }
    if (edit.fields & CrowdField)
        report.lose(QStringLiteral("crowd flags"));
    if (edit.fields & ExtraField) {
        const QJsonObject nowExtra =
            QJsonDocument::fromJson(QByteArray::fromStdString(now.extra)).object();
        const QJsonObject wasExtra =
            QJsonDocument::fromJson(QByteArray::fromStdString(edit.was->extra)).object();
        const xml::Element &e = all[size_t(object)];
        for (auto it = nowExtra.begin(); it != nowExtra.end(); ++it) {
            if (wasExtra.value(it.key()) == it.value())
                continue;
            const std::string key = it.key().toStdString();
            const std::vector<int> found = xml::children(all, object, key);
            if (it.value().isObject() || it.value().isArray()) {
                report.lose(QStringLiteral("nested object fields (VOC tags hold text)"));
            } else if (!found.empty()) {
                replaceContent(found.front(), scalarText(it.value()));
            } else {
                const size_t at = lineStart(text, e.contentEnd);
                out.push_back({at, at, "\t\t<" + key + '>' + scalarText(it.value()) + "</" + key + ">\n"});
            }
        }
        for (auto it = wasExtra.begin(); it != wasExtra.end(); ++it) {
            if (nowExtra.contains(it.key()))
                continue;
            for (const int child : xml::children(all, object, it.key().toStdString())) {
                const xml::Element &c = all[size_t(child)];
                out.push_back({lineStart(text, c.begin), c.end + (text[c.end] == '\n' ? 1 : 0), {}});
            }
        }
    }
}

void writePatched(PatchContext &c, const std::string &path, const std::vector<RecordEdit> &edits,
                  const std::vector<const StateAnnotation *> &added)
{
    QFile in(c.state.root + u'/' + formats::fromUtf8(path));
    if (!in.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("cannot read %1: %2").arg(in.fileName(), in.errorString()));
    const QByteArray bytes = in.readAll();
    const std::string text(bytes.constData(), size_t(bytes.size()));
    const std::vector<xml::Element> all = xml::elements(text);
    if (all.empty())
        throw Error(QStringLiteral("%1 holds no XML element").arg(formats::fromUtf8(path)));
    const std::vector<int> objects = xml::children(all, 0, "object");
    std::vector<Replacement> replacements;
    std::set<std::int64_t> deleted;
    for (const RecordEdit &edit : edits) {
        if (!edit.now)
            deleted.insert(edit.sourceIndex);
    }
    std::int64_t position = 0; // of the next object written
    for (size_t o = 0; o < objects.size(); ++o) {
        if (!deleted.contains(std::int64_t(o)))
            c.kept(path, std::int64_t(o), position++);
    }
    for (const RecordEdit &edit : edits) {
        if (edit.sourceIndex < 0 || size_t(edit.sourceIndex) >= objects.size())
            throw Error(QStringLiteral("%1 has no object %2 any more; import it again")
                            .arg(formats::fromUtf8(path))
                            .arg(edit.sourceIndex));
        const int object = objects[size_t(edit.sourceIndex)];
        const xml::Element &e = all[size_t(object)];
        if (!edit.now) { // deleted: the element and the blanks and newline around it
            size_t end = e.end;
            const size_t start = lineStart(text, e.begin);
            if (start != e.begin && end < text.size() && text[end] == '\r')
                ++end;
            if (start != e.begin && end < text.size() && text[end] == '\n')
                ++end;
            replacements.push_back({start, end, {}});
        } else {
            patchObject(text, all, object, edit, c.state.categories, replacements, c.report);
        }
    }
    if (!added.empty()) {
        // Indented like the file's first object (or one tab), before </annotation>.
        std::string indent = "\t", step = "\t";
        if (!objects.empty()) {
            const size_t start = lineStart(text, all[size_t(objects[0])].begin);
            indent = text.substr(start, all[size_t(objects[0])].begin - start);
            const std::vector<int> name = xml::children(all, objects[0], "name");
            if (!name.empty()) {
                const size_t nameStart = lineStart(text, all[size_t(name[0])].begin);
                const size_t width = all[size_t(name[0])].begin - nameStart;
                if (width > indent.size())
                    step = text.substr(nameStart + indent.size(), width - indent.size());
            }
        }
        std::string block;
        for (const StateAnnotation *object : added) {
            block += objectXml(*object, c.state.categories, indent, step, c.report);
            c.placed(*object, path, position++);
        }
        const size_t at = lineStart(text, all[0].contentEnd);
        const bool freshLine = at == 0 || text[at - 1] == '\n';
        replacements.push_back({at, at, freshLine ? block : '\n' + block});
    }
    std::sort(replacements.begin(), replacements.end(),
              [](const Replacement &a, const Replacement &b) { return a.begin < b.begin; });
    c.out.write(path, [&](Sink &sink) {
        size_t at = 0;
        for (const Replacement &r : replacements) {
            if (r.begin < at)
                continue; // inside a deleted object
            sink.write(std::string_view(text).substr(at, r.begin - at));
            sink.write(r.text);
            at = r.end;
        }
        sink.write(std::string_view(text).substr(at));
    });
    c.written.insert(path);
}

} // namespace

void patchVoc(PatchContext &c)
{
    std::unordered_set<std::string> sources;
    for (const SourceFile &file : c.state.sourceFiles)
        sources.insert(file.path);
    std::map<std::string, std::vector<const StateAnnotation *>> addedTo;
    std::map<const StateSample *, std::vector<const StateAnnotation *>> newFiles;
    for (const AddedObject &object : c.diff.added) {
        std::string home;
        for (const StateAnnotation &sibling : object.sample->annotations) {
            if (!sibling.sourceFile.empty()) {
                home = sibling.sourceFile;
                break;
            }
        }
        if (home.empty() && sources.contains("Annotations/" + stemOf(object.sample->path) + ".xml"))
            home = "Annotations/" + stemOf(object.sample->path) + ".xml";
        if (home.empty())
            newFiles[object.sample].push_back(object.object);
        else
            addedTo[home].push_back(object.object);
    }
    std::set<std::string> files;
    for (const auto &[path, edits] : c.diff.files)
        files.insert(path);
    for (const auto &[path, objects] : addedTo)
        files.insert(path);
    static const std::vector<RecordEdit> noEdits;
    static const std::vector<const StateAnnotation *> noneAdded;
    for (const std::string &path : files) {
        const auto edits = c.diff.files.find(path);
        const auto added = addedTo.find(path);
        writePatched(c, path, edits == c.diff.files.end() ? noEdits : edits->second,
                     added == addedTo.end() ? noneAdded : added->second);
        jobs::throwIfCanceled(c.progress);
    }
    for (const auto &[sample, objects] : newFiles) {
        const size_t slash = sample->path.rfind('/');
        const std::string name = slash == std::string::npos ? sample->path
                                                            : sample->path.substr(slash + 1);
        const std::string path = "Annotations/" + stemOf(sample->path) + ".xml";
        for (size_t o = 0; o < objects.size(); ++o)
            c.placed(*objects[o], path, std::int64_t(o));
        c.out.write(path, documentXml(name, imageSize(c.state, *sample), objects,
                                      c.state.categories, c.report));
        c.written.insert(path);
    }
    c.loseSampleChanges(
        QStringLiteral("image-level class changes (VOC holds objects only)"),
        QStringLiteral("split changes (ImageSets/Main lists are kept as they were)"));
}

void writeVoc(WriteContext &c)
{
    std::set<std::string> taken;
    std::map<std::string, std::vector<std::string>> splitLists;
    c.progress.setTotal(std::int64_t(c.state.samples.size()));
    for (const StateSample &sample : c.state.samples) {
        if (!sample.present)
            continue;
        std::string name = uniqueName(taken, sample);
        while (!taken.insert(stemOf(name) + ".stem").second)
            name = "1_" + name; // two images with one stem would share an annotation file
        if (!placeImage(c.out, c.state, sample, "JPEGImages/" + name, c.report))
            continue;
        std::vector<const StateAnnotation *> objects;
        for (const StateAnnotation &a : sample.annotations)
            objects.push_back(&a);
        c.report.objects += std::int64_t(objects.size());
        if (sample.label >= 0)
            c.report.lose(QStringLiteral("image-level classes (VOC holds objects only)"));
        c.out.write("Annotations/" + stemOf(name) + ".xml",
                    documentXml(name, imageSize(c.state, sample), objects, c.state.categories,
                                c.report));
        const std::string split = sample.split >= 0 ? c.state.splits[sample.split].toStdString()
                                                    : "trainval";
        splitLists[split].push_back(stemOf(name));
        c.tick();
    }
    for (const auto &[split, stems] : splitLists) {
        std::string list;
        for (const std::string &stem : stems)
            list += stem + '\n';
        c.out.write("ImageSets/Main/" + split + ".txt", list);
    }
}

} // namespace assay::exporting
