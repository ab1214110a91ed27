#include "classcounts.h"

#include "store/database.h"
#include "store/project.h"
#include "store/sampleindex.h"

#include <map>

namespace assay::analysis {

ClassCounts loadClassCounts(store::Database &db)
{
    ClassCounts counts;
    std::map<std::int64_t, int> classIndex;
    {
        store::Statement query(db, "SELECT id, name FROM categories ORDER BY position, id");
        while (query.step()) {
            classIndex[query.int64(0)] = int(counts.classes.size());
            counts.classes << query.text(1);
        }
    }
    std::map<std::int64_t, int> splitIndex; // split id (0 = none) -> row
    auto splitRow = [&](std::int64_t splitId, const QString &name) {
        auto [it, inserted] = splitIndex.try_emplace(splitId, int(counts.splits.size()));
        if (inserted) {
            counts.splits << name;
            counts.samples.emplace_back(size_t(counts.classes.size()), 0);
            counts.annotations.emplace_back(size_t(counts.classes.size()), 0);
        }
        return size_t(it->second);
    };
    {
        store::Statement splits(db, "SELECT id, name FROM splits ORDER BY id");
        while (splits.step())
            splitRow(splits.int64(0), splits.text(1));
    }
    auto tally = [&](const char *sql, std::vector<std::vector<std::int64_t>> &into) {
        store::Statement query(db, sql);
        while (query.step()) {
            const auto found = classIndex.find(query.int64(1));
            if (found == classIndex.end())
                continue;
            const size_t row = splitRow(query.int64(0), store::noSplitName);
            into[row][size_t(found->second)] += query.int64(2);
        }
    };
    tally("SELECT ifnull(split_id, 0), category_id, count(*) FROM samples "
          "WHERE status = 0 AND category_id IS NOT NULL GROUP BY 1, 2",
          counts.samples);
    tally("SELECT ifnull(s.split_id, 0), a.category_id, count(*) FROM annotations a "
          "JOIN samples s ON s.id = a.sample_id WHERE s.status = 0 AND a.category_id IS NOT NULL "
          "GROUP BY 1, 2",
          counts.annotations);
    // Drop splits that hold nothing (a split table row no sample uses any more).
    for (size_t s = counts.splits.size(); s-- > 0;) {
        std::int64_t any = 0;
        for (size_t c = 0; c < size_t(counts.classes.size()); ++c)
            any += counts.samples[s][c] + counts.annotations[s][c];
        if (any == 0) {
            counts.splits.removeAt(qsizetype(s));
            counts.samples.erase(counts.samples.begin() + std::ptrdiff_t(s));
            counts.annotations.erase(counts.annotations.begin() + std::ptrdiff_t(s));
        }
    }
    bool anyAnnotation = false;
    for (const auto &row : counts.annotations)
        for (std::int64_t n : row)
            anyAnnotation = anyAnnotation || n > 0;
    if (!anyAnnotation)
        counts.annotations.clear();
    return counts;
}

ClassCounts classCountsFromIndex(const store::SampleIndex &index, store::Database &db)
{
    ClassCounts counts;
    counts.classes = index.classes;
    const size_t classes = size_t(index.classes.size());
    const size_t splits = size_t(index.splits.size());
    std::vector<std::vector<std::int64_t>> samples(splits + 1,
                                                   std::vector<std::int64_t>(classes, 0));
    for (size_t row = 0; row < index.size(); ++row) {
        if (index.classIndex[row] < 0)
            continue;
        const size_t split = index.splitIndex[row] >= 0 ? size_t(index.splitIndex[row]) : splits;
        ++samples[split][size_t(index.classIndex[row])];
    }
    // Objects per split and class; the annotations table is small next to the samples.
    std::vector<std::vector<std::int64_t>> objects(splits + 1,
                                                   std::vector<std::int64_t>(classes, 0));
    bool anyObject = false;
    {
        std::map<std::int64_t, int> classOf, splitOf;
        store::Statement categories(db, "SELECT id FROM categories ORDER BY position, id");
        for (int i = 0; categories.step(); ++i)
            classOf[categories.int64(0)] = i;
        store::Statement splitIds(db, "SELECT id FROM splits ORDER BY id");
        for (int i = 0; splitIds.step(); ++i)
            splitOf[splitIds.int64(0)] = i;
        store::Statement query(db, "SELECT ifnull(s.split_id, 0), a.category_id, count(*) "
                                   "FROM annotations a JOIN samples s ON s.id = a.sample_id "
                                   "WHERE s.status = 0 AND a.category_id IS NOT NULL "
                                   "GROUP BY 1, 2");
        while (query.step()) {
            const auto c = classOf.find(query.int64(1));
            if (c == classOf.end() || size_t(c->second) >= classes)
                continue;
            const auto s = splitOf.find(query.int64(0));
            const size_t split = s == splitOf.end() ? splits : size_t(s->second);
            objects[split][size_t(c->second)] += query.int64(2);
            anyObject = true;
        }
    }
    for (size_t s = 0; s <= splits; ++s) {
        std::int64_t any = 0;
        for (size_t c = 0; c < classes; ++c)
            any += samples[s][c] + objects[s][c];
        if (any == 0)
            continue;
        counts.splits << (s < splits ? index.splits[qsizetype(s)] : store::noSplitName);
        counts.samples.push_back(samples[s]);
        counts.annotations.push_back(objects[s]);
    }
    if (!anyObject)
        counts.annotations.clear();
    return counts;
}

} // namespace assay::analysis
