// diffWithSource: which records of the dataset's own files the project has changed.

#include "sourcediff.h"

#include "formats/text.h"
#include "util/error.h"

#include <algorithm>
#include <unordered_map>

namespace assay::exporting {

namespace {

std::string recordKey(const std::string &file, std::int64_t index)
{
    std::string key = file;
    key.push_back('\0');
    key += std::to_string(index);
    return key;
}

std::string sampleKey(const std::string &path, std::int64_t member)
{
    return recordKey(path, member);
}

QString nameOf(const QStringList &names, int index)
{
    return index >= 0 && index < names.size() ? names[index] : QString();
}

bool sameGeometry(const StateAnnotation &now, const ImportAnnotation &was)
{
    if (now.kind != was.kind || now.x != was.x || now.y != was.y || now.w != was.w
        || now.h != was.h)
        return false;
    if (now.kind == AnnotationKind::Polygon)
        return now.polygons == was.polygons;
    if (now.kind == AnnotationKind::Mask)
        return now.mask.width == was.mask.width && now.mask.height == was.mask.height
               && now.mask.counts == was.mask.counts;
    return true;
}

void checkSourceFiles(const ProjectState &state, const ImportPlan &original)
{
    std::unordered_map<std::string, const SourceFile *> fresh;
    for (const SourceFile &file : original.sourceFiles)
        fresh.emplace(file.path, &file);
    for (const SourceFile &file : state.sourceFiles) {
        const auto found = fresh.find(file.path);
        const bool same = found != fresh.end() && found->second->size == file.size
                          && found->second->mtime == file.mtime;
        if (!same)
            throw Error(QStringLiteral("%1 changed since it was imported; import the dataset "
                                       "again before exporting, so no change made outside "
                                       "Assay is overwritten")
                            .arg(formats::fromUtf8(file.path)));
    }
}

} // namespace

SourceDiff diffWithSource(const ProjectState &state, const ImportPlan &original)
{
    checkSourceFiles(state, original);
    SourceDiff diff;
    std::unordered_map<std::string, const ImportAnnotation *> records;
    records.reserve(original.annotations.size());
    for (const ImportAnnotation &a : original.annotations)
        records.emplace(recordKey(a.sourceFile, a.sourceIndex), &a);
    std::unordered_map<std::string, const ImportItem *> items;
    items.reserve(original.items.size());
    for (const ImportItem &item : original.items)
        items.emplace(sampleKey(item.path, item.member), &item);

    for (const StateSample &sample : state.samples) {
        if (const auto item = items.find(sampleKey(sample.path, sample.member));
            item != items.end()) {
            if (nameOf(state.categories, sample.label)
                != nameOf(original.categories, item->second->label))
                diff.relabeled.push_back(&sample);
            if (nameOf(state.splits, sample.split) != nameOf(original.splits, item->second->split))
                diff.moved.push_back(&sample);
        }
        for (const StateAnnotation &now : sample.annotations) {
            const auto found = now.sourceFile.empty()
                                   ? records.end()
                                   : records.find(recordKey(now.sourceFile, now.sourceIndex));
            if (found == records.end()) {
                diff.added.push_back({&sample, &now});
                continue;
            }
            const ImportAnnotation &was = *found->second;
            unsigned fields = 0;
            if (nameOf(state.categories, now.category) != nameOf(original.categories, was.category))
                fields |= CategoryField;
            if (!sameGeometry(now, was))
                fields |= GeometryField;
            if (now.crowd != was.crowd)
                fields |= CrowdField;
            if (now.extra != was.extra)
                fields |= ExtraField;
            if (fields != 0) {
                diff.files[now.sourceFile].push_back({now.sourceIndex, &sample, &now, &was, fields});
                ++diff.changedRecords;
            }
            records.erase(found);
        }
    }
    // Records of the source no object of the project stands for any more: deleted in Assay.
    for (const auto &[key, was] : records) {
        diff.files[was->sourceFile].push_back({was->sourceIndex, nullptr, nullptr, was, 0});
        ++diff.removedRecords;
    }
    for (auto &[file, edits] : diff.files) {
        std::sort(edits.begin(), edits.end(), [](const RecordEdit &a, const RecordEdit &b) {
            return a.sourceIndex < b.sourceIndex;
        });
    }
    return diff;
}

} // namespace assay::exporting
