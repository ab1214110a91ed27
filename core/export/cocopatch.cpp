// patchCoco: rewrites the COCO files that hold edited records, copying every other byte as it
// was: only the changed values of a changed annotation are spelled anew, deleted annotations are
// cut out of the array, and added ones are appended to the file that holds their image.

#include "jsonspans.h"
#include "textout.h"
#include "writers.h"

#include "formats/text.h"
#include "jobs/progress.h"
#include "util/error.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>
#include <unordered_map>

namespace assay::exporting {

namespace {

struct CocoFileText
{
    std::string path;
    std::string text;
    json::Span categories;
    json::Span images;
    json::Span annotations;
    std::vector<json::Span> elements; // of "annotations"
};

CocoFileText loadFile(const QString &root, const std::string &path)
{
    CocoFileText file;
    file.path = path;
    QFile in(root + u'/' + formats::fromUtf8(path));
    if (!in.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("cannot read %1: %2").arg(in.fileName(), in.errorString()));
    const QByteArray bytes = in.readAll();
    file.text.assign(bytes.constData(), size_t(bytes.size()));
    file.categories = json::topLevelValue(file.text, "categories");
    file.images = json::topLevelValue(file.text, "images");
    file.annotations = json::topLevelValue(file.text, "annotations");
    if (file.annotations.end > file.annotations.begin)
        file.elements = json::elements(file.text, file.annotations);
    return file;
}

QJsonObject parsedObject(std::string_view text)
{
    return QJsonDocument::fromJson(QByteArray(text.data(), qsizetype(text.size()))).object();
}

// A value of `members` by key, or an empty view.
std::string_view valueOf(std::string_view text, const std::vector<json::Member> &members,
                         std::string_view key)
{
    for (const json::Member &m : members) {
        if (m.key == key)
            return m.value.of(text);
    }
    return {};
}

// Rewrites one object: `set` values replace (or are appended after) the members of the same key,
// keys in `drop` are removed; every other byte is kept.
std::string patchedObject(std::string_view text, json::Span object,
                          const std::vector<std::pair<std::string, std::string>> &set,
                          const std::vector<std::string> &drop)
{
    const std::vector<json::Member> members = json::members(text, object);
    std::string out;
    size_t at = object.begin;
    std::vector<bool> used(set.size(), false);
    for (size_t m = 0; m < members.size(); ++m) {
        const json::Member &member = members[m];
        if (std::find(drop.begin(), drop.end(), member.key) != drop.end()) {
            // From the end of the previous member (or the '{') to the end of this one.
            const size_t from = m > 0 ? members[m - 1].value.end : object.begin + 1;
            out.append(text.substr(at, from - at));
            at = member.value.end;
            if (m == 0) { // skip the comma that followed
                while (at < object.end && text[at] != ',' && text[at] != '}')
                    ++at;
                if (at < object.end && text[at] == ',')
                    ++at;
            }
            continue;
        }
        for (size_t s = 0; s < set.size(); ++s) {
            if (set[s].first == member.key) {
                out.append(text.substr(at, member.value.begin - at));
                out.append(set[s].second);
                at = member.value.end;
                used[s] = true;
            }
        }
    }
    const size_t close = object.end - 1; // the '}'
    size_t insertAt = close;
    while (insertAt > at && (text[insertAt - 1] == ' ' || text[insertAt - 1] == '\n'
                             || text[insertAt - 1] == '\t' || text[insertAt - 1] == '\r'))
        --insertAt;
    out.append(text.substr(at, insertAt - at));
    bool empty = members.empty() || (drop.size() >= members.size());
    for (size_t s = 0; s < set.size(); ++s) {
        if (used[s])
            continue;
        out += empty ? "" : ", ";
        out += text::jsonString(set[s].first) + ": " + set[s].second;
        empty = false;
    }
    out.append(text.substr(insertAt, object.end - insertAt));
    return out;
}

struct Ids
{
    std::unordered_map<std::string, std::int64_t> categoryOfName;
    std::int64_t nextCategory = 1;
    std::vector<std::string> newCategories; // elements to append to "categories"
};

Ids categoryIds(const CocoFileText &file)
{
    Ids ids;
    if (file.categories.end <= file.categories.begin)
        return ids;
    for (const json::Span element : json::elements(file.text, file.categories)) {
        const QJsonObject category = parsedObject(element.of(file.text));
        const std::int64_t id = category.value(QStringLiteral("id")).toInteger(-1);
        ids.categoryOfName.emplace(category.value(QStringLiteral("name")).toString().toStdString(),
                                   id);
        ids.nextCategory = std::max(ids.nextCategory, id + 1);
    }
    return ids;
}

std::int64_t categoryId(Ids &ids, const QString &name)
{
    const std::string key = name.toStdString();
    const auto found = ids.categoryOfName.find(key);
    if (found != ids.categoryOfName.end())
        return found->second;
    const std::int64_t id = ids.nextCategory++;
    ids.categoryOfName.emplace(key, id);
    ids.newCategories.push_back("{\"id\": " + std::to_string(id) + ", \"name\": "
                                + text::jsonString(key) + ", \"supercategory\": \"\"}");
    return id;
}

std::string shapeText(const StateAnnotation &a, std::string_view originalSegmentation)
{
    if (a.kind == AnnotationKind::Polygon)
        return text::cocoPolygons(a.polygons);
    if (a.kind == AnnotationKind::Mask) {
        const bool compressed = originalSegmentation.find("\"counts\"") == std::string_view::npos
                                || originalSegmentation.find("\"counts\": \"") != std::string_view::npos
                                || originalSegmentation.find("\"counts\":\"") != std::string_view::npos;
        return text::cocoMask(a.mask, compressed);
    }
    return "[]";
}

double areaOf(const StateAnnotation &a)
{
    return text::area(a.kind, a.w, a.h, a.polygons, a.mask);
}

// The members that changed, spelled anew.
std::vector<std::pair<std::string, std::string>> changedMembers(const RecordEdit &edit,
                                                                const std::string_view record,
                                                                const std::vector<json::Member> &members,
                                                                Ids &ids, const QStringList &names,
                                                                std::vector<std::string> &drop,
                                                                ExportReport &report)
{
    const StateAnnotation &now = *edit.now;
    const ImportAnnotation &was = *edit.was;
    std::vector<std::pair<std::string, std::string>> set;
    if (edit.fields & ExtraField) {
        const std::vector<json::Member> nowExtra =
            now.extra.empty() ? std::vector<json::Member>{}
                              : json::members(now.extra, {0, now.extra.size()});
        const std::vector<json::Member> wasExtra =
            was.extra.empty() ? std::vector<json::Member>{}
                              : json::members(was.extra, {0, was.extra.size()});
        for (const json::Member &m : nowExtra) {
            if (valueOf(was.extra, wasExtra, m.key) != m.value.of(now.extra))
                set.emplace_back(std::string(m.key), std::string(m.value.of(now.extra)));
        }
        for (const json::Member &m : wasExtra) {
            if (valueOf(now.extra, nowExtra, m.key).empty())
                drop.emplace_back(m.key);
        }
    }
    if (edit.fields & CategoryField) {
        if (now.category < 0)
            report.lose(QStringLiteral("objects without a category (kept their old category_id)"));
        else
            set.emplace_back("category_id", std::to_string(categoryId(ids, names[now.category])));
    }
    if (edit.fields & GeometryField) {
        if (now.x != was.x || now.y != was.y || now.w != was.w || now.h != was.h)
            set.emplace_back("bbox", text::cocoBox(now.x, now.y, now.w, now.h));
        const bool shapeChanged = now.kind != was.kind || now.polygons != was.polygons
                                  || now.mask.counts != was.mask.counts;
        if (shapeChanged)
            set.emplace_back("segmentation",
                             shapeText(now, valueOf(record, members, "segmentation")));
        set.emplace_back("area", text::number(areaOf(now)));
    }
    if (edit.fields & CrowdField)
        set.emplace_back("iscrowd", now.crowd ? "1" : "0");
    return set;
}

std::string newRecord(const StateAnnotation &a, std::int64_t id, std::int64_t imageId,
                      Ids &ids, const QStringList &names)
{
    std::string out = "{\"id\": " + std::to_string(id) + ", \"image_id\": "
                      + std::to_string(imageId);
    if (a.category >= 0)
        out += ", \"category_id\": " + std::to_string(categoryId(ids, names[a.category]));
    out += ", \"bbox\": " + text::cocoBox(a.x, a.y, a.w, a.h);
    out += ", \"area\": " + text::number(areaOf(a));
    out += ", \"segmentation\": " + shapeText(a, {});
    out += std::string(", \"iscrowd\": ") + (a.crowd ? "1" : "0") + '}';
    return out;
}

// The separator between two elements of the array as the file spells it (",\n    " or ", ").
std::string separatorOf(const CocoFileText &file)
{
    if (file.elements.size() >= 2)
        return file.text.substr(file.elements[0].end,
                                file.elements[1].begin - file.elements[0].end);
    return ", ";
}

// Writes `file` with its annotations array rebuilt: kept elements (patched where changed) and
// the added ones, and new categories appended to "categories".
void writeFile(PatchContext &c, const CocoFileText &file, const std::vector<RecordEdit> &edits,
               const std::vector<std::pair<std::string, const StateAnnotation *>> &added, Ids &ids)
{
    std::map<std::int64_t, const RecordEdit *> editAt;
    for (const RecordEdit &edit : edits)
        editAt.emplace(edit.sourceIndex, &edit);
    const std::string_view text = file.text;
    c.out.write(file.path, [&](Sink &sink) {
        size_t at = 0;
        // New categories go at the end of the categories array, which precedes or follows the
        // annotations array; both are handled by position.
        auto emitCategories = [&] {
            if (ids.newCategories.empty() || file.categories.end <= file.categories.begin)
                return;
            const size_t close = file.categories.end - 1;
            sink.write(text.substr(at, close - at));
            const bool empty = json::elements(text, file.categories).empty();
            for (size_t i = 0; i < ids.newCategories.size(); ++i) {
                sink.write((empty && i == 0) ? "" : ", ");
                sink.write(ids.newCategories[i]);
            }
            at = close;
        };
        const bool categoriesFirst = file.categories.begin < file.annotations.begin;
        if (categoriesFirst)
            emitCategories();
        sink.write(text.substr(at, file.annotations.begin + 1 - at));
        const std::string separator = separatorOf(file);
        bool first = true;
        std::int64_t position = 0; // of the next element written
        size_t previousEnd = file.annotations.begin + 1;
        for (size_t i = 0; i < file.elements.size(); ++i) {
            const json::Span element = file.elements[i];
            const auto found = editAt.find(std::int64_t(i));
            const RecordEdit *edit = found == editAt.end() ? nullptr : found->second;
            if (edit && !edit->now) {
                previousEnd = element.end;
                continue; // deleted
            }
            // The bytes before the element: its separator, or the array's leading space.
            std::string_view before = text.substr(previousEnd, element.begin - previousEnd);
            if (first && i > 0) // the first kept element follows deleted ones
                before = text.substr(file.annotations.begin + 1,
                                     file.elements[0].begin - file.annotations.begin - 1);
            sink.write(before);
            if (edit) {
                std::vector<std::string> drop;
                const auto members = json::members(text, element);
                const auto set = changedMembers(*edit, text, members, ids, c.state.categories,
                                                drop, c.report);
                sink.write(patchedObject(text, element, set, drop));
            } else {
                sink.write(element.of(text));
            }
            first = false;
            previousEnd = element.end;
            c.kept(file.path, std::int64_t(i), position++);
        }
        for (const auto &[record, object] : added) {
            sink.write(first ? std::string_view() : std::string_view(separator));
            sink.write(record);
            first = false;
            c.placed(*object, file.path, position++);
        }
        at = file.elements.empty() ? file.annotations.begin + 1 : file.elements.back().end;
        if (!categoriesFirst && file.categories.end > file.categories.begin) {
            sink.write(text.substr(at, file.categories.begin - at));
            at = file.categories.begin;
            emitCategories();
        }
        sink.write(text.substr(at));
    });
    c.written.insert(file.path);
}

} // namespace

void patchCoco(PatchContext &c)
{
    // Which file holds each added object's image, the highest annotation id, and the category
    // ids: read only when something was added.
    std::map<std::string, std::vector<const AddedObject *>> addedTo;
    std::int64_t nextId = 1;
    std::unordered_map<const StateSample *, std::pair<std::string, std::int64_t>> homeOf;
    if (!c.diff.added.empty()) {
        // Samples by every tail of their path ("images/train/a.jpg", "train/a.jpg", "a.jpg"):
        // a file_name is relative to an images folder somewhere above the image.
        std::unordered_map<std::string, const StateSample *> byTail;
        for (const StateSample &sample : c.state.samples) {
            std::string_view tail = sample.path;
            while (true) {
                byTail.try_emplace(std::string(tail), &sample);
                const size_t slash = tail.find('/');
                if (slash == std::string_view::npos)
                    break;
                tail.remove_prefix(slash + 1);
            }
        }
        for (const SourceFile &source : c.state.sourceFiles) {
            const CocoFileText file = loadFile(c.state.root, source.path);
            for (const json::Span element : file.elements) {
                const auto members = json::members(file.text, element);
                const std::string_view id = valueOf(file.text, members, "id");
                nextId = std::max<std::int64_t>(nextId, std::atoll(std::string(id).c_str()) + 1);
            }
            if (file.images.end <= file.images.begin)
                continue;
            for (const json::Span element : json::elements(file.text, file.images)) {
                const QJsonObject image = parsedObject(element.of(file.text));
                const std::string name =
                    image.value(QStringLiteral("file_name")).toString().toStdString();
                const auto sample = byTail.find(name);
                if (sample != byTail.end())
                    homeOf.try_emplace(sample->second, source.path,
                                       image.value(QStringLiteral("id")).toInteger(-1));
            }
        }
        for (const AddedObject &object : c.diff.added) {
            const auto home = homeOf.find(object.sample);
            if (home == homeOf.end()) {
                c.report.lose(QStringLiteral("added objects on images no COCO file lists"));
                continue;
            }
            addedTo[home->second.first].push_back(&object);
        }
    }

    for (const SourceFile &source : c.state.sourceFiles) {
        const auto edits = c.diff.files.find(source.path);
        const auto adds = addedTo.find(source.path);
        if (edits == c.diff.files.end() && adds == addedTo.end())
            continue;
        const CocoFileText file = loadFile(c.state.root, source.path);
        if (file.annotations.end <= file.annotations.begin)
            throw Error(QStringLiteral("%1 has no \"annotations\" array to write edits into")
                            .arg(formats::fromUtf8(source.path)));
        Ids ids = categoryIds(file);
        std::vector<std::pair<std::string, const StateAnnotation *>> added;
        if (adds != addedTo.end()) {
            for (const AddedObject *object : adds->second)
                added.emplace_back(newRecord(*object->object, nextId++,
                                             homeOf[object->sample].second, ids,
                                             c.state.categories),
                                   object->object);
        }
        static const std::vector<RecordEdit> none;
        writeFile(c, file, edits == c.diff.files.end() ? none : edits->second, added, ids);
        jobs::throwIfCanceled(c.progress);
    }
    c.loseSampleChanges(
        QStringLiteral("image-level class changes (COCO instances hold objects only)"),
        QStringLiteral("split changes (images stay in their annotation file)"));
}

} // namespace assay::exporting
