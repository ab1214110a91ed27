// loadProjectState: the project's samples, labels and objects as the writers need them.

#include "projectstate.h"

#include "jobs/progress.h"
#include "store/names.h"
#include "store/project.h"

#include <algorithm>
#include <unordered_map>

namespace assay::exporting {

namespace {

// The position of the name a nullable id column points at, or -1.
int lookup(const store::NameIndex &names, const store::Statement &row, int column)
{
    return row.isNull(column) ? -1 : names.of(row.int64(column));
}

} // namespace

std::vector<int> ProjectState::usedCategories() const
{
    std::vector<char> used(size_t(categories.size()), 0);
    for (const StateSample &sample : samples) {
        if (!sample.present)
            continue;
        if (sample.label >= 0)
            used[size_t(sample.label)] = 1;
        for (const StateAnnotation &a : sample.annotations) {
            if (a.category >= 0)
                used[size_t(a.category)] = 1;
        }
    }
    std::vector<int> out;
    for (size_t c = 0; c < used.size(); ++c) {
        if (used[c])
            out.push_back(int(c));
    }
    return out;
}

ProjectState loadProjectState(store::Project &project, jobs::Progress &progress)
{
    progress.setPhase(QStringLiteral("Reading the project"));
    store::Database &db = project.db();
    ProjectState state;
    state.root = project.datasetRoot();
    state.format = project.meta(QStringLiteral("dataset_format"));
    state.source = project.meta(QStringLiteral("dataset_source"));
    state.readOptions = formats::decodeReadOptions(project.meta(QStringLiteral("read_options")));
    const store::NameIndex categoryOf = store::loadCategoryNames(db, state.categories);
    const store::NameIndex splitOf = store::loadSplitNames(db, state.splits);

    std::unordered_map<std::int64_t, size_t> sampleAt;
    store::Statement samples(db, "SELECT id, path, member, split_id, category_id, "
                                 "ifnull(width, 0), ifnull(height, 0), status, excluded FROM samples "
                                 "ORDER BY path, member");
    while (samples.step()) {
        StateSample sample;
        sample.id = samples.int64(0);
        sample.path = std::string(samples.utf8(1));
        sample.member = samples.int64(2);
        sample.split = lookup(splitOf, samples, 3);
        sample.label = lookup(categoryOf, samples, 4);
        sample.width = int(samples.int64(5));
        sample.height = int(samples.int64(6));
        sample.present = samples.int64(7) == int(SampleStatus::Present);
        sample.excluded = samples.int64(8) != 0;
        sampleAt.emplace(sample.id, state.samples.size());
        state.samples.push_back(std::move(sample));
    }
    jobs::throwIfCanceled(progress);

    store::Statement annotations(db, "SELECT id, sample_id, category_id, kind, x, y, w, h, "
                                     "geometry, iscrowd, source_file, source_index, extra "
                                     "FROM annotations ORDER BY sample_id, id");
    std::int64_t count = 0;
    while (annotations.step()) {
        const auto owner = sampleAt.find(annotations.int64(1));
        if (owner == sampleAt.end())
            continue;
        StateAnnotation a;
        a.id = annotations.int64(0);
        a.category = lookup(categoryOf, annotations, 2);
        a.kind = AnnotationKind(annotations.int64(3));
        a.x = annotations.real(4);
        a.y = annotations.real(5);
        a.w = annotations.real(6);
        a.h = annotations.real(7);
        if (a.kind == AnnotationKind::Polygon)
            a.polygons = decodePolygons(annotations.blob(8));
        else if (a.kind == AnnotationKind::Mask)
            a.mask = decodeMask(annotations.blob(8));
        a.crowd = annotations.int64(9) != 0;
        if (!annotations.isNull(10)) {
            a.sourceFile = std::string(annotations.utf8(10));
            a.sourceIndex = annotations.int64(11);
        }
        a.extra = std::string(annotations.utf8(12));
        state.samples[owner->second].annotations.push_back(std::move(a));
        if ((++count & 65535) == 0)
            jobs::throwIfCanceled(progress);
    }

    store::Statement files(db, "SELECT path, size, mtime FROM source_files ORDER BY position");
    while (files.step())
        state.sourceFiles.push_back({std::string(files.utf8(0)), files.int64(1), files.int64(2)});
    return state;
}

} // namespace assay::exporting
