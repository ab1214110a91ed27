#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace assay::store {

class Database;
class NameIndex;

// A columnar snapshot of every present sample with what browsing filters and sorts on: class,
// split, issues, tags, path, scan features and attributes. Loaded once (by keyset pages of ids),
// then filtered and sorted in memory: a million samples take about 100 MB and a filter or sort
// takes tens of milliseconds. Immutable once loaded, so any thread may read it.
class SampleIndex
{
public:
    struct NumericColumn
    {
        QString key;   // "brightness", "attr:score", ...
        QString title; // for people
        bool logScale = false;
        std::vector<float> values; // NaN: not measured / missing
    };
    struct TextColumn
    {
        QString key;
        QString title;
        QStringList dictionary;     // distinct values
        std::vector<std::int32_t> codes; // index into dictionary, -1 missing
    };

    // Loads every present sample; with `limit`, only the first `limit` (a preview that lets the
    // window show its first page while the whole index loads).
    static std::shared_ptr<const SampleIndex> load(Database &db, size_t limit = 0);

    bool isPartial() const { return m_partial; }

    size_t size() const { return ids.size(); }
    std::string_view path(size_t row) const
    {
        return std::string_view(m_paths).substr(m_pathOffsets[row],
                                                m_pathOffsets[row + 1] - m_pathOffsets[row]);
    }
    // "path" or "path#member", as everywhere else.
    QString displayPath(size_t row) const;
    // Rows ordered by (path, member); computed on first use.
    const std::vector<std::uint32_t> &pathOrder() const;
    int numericColumn(const QString &key) const;
    int textColumn(const QString &key) const;

    // Objects of detection datasets: row r's object classes (distinct, -1 for objects without
    // a category) are objectClasses[objectOffsets[r] .. objectOffsets[r + 1]), with how many
    // objects of each in objectCounts. Empty when the dataset has no objects (or in a preview).
    bool hasObjects() const { return !objectOffsets.empty(); }
    // Calls f(class) for each class the row has: its label and its objects' classes, or -1 once
    // when it has neither.
    template<typename F>
    void forEachClass(size_t row, F &&f) const
    {
        const int label = classIndex[row];
        if (!hasObjects() || objectOffsets[row] == objectOffsets[row + 1]) {
            f(label);
            return;
        }
        if (label >= 0)
            f(label);
        for (std::uint32_t i = objectOffsets[row]; i < objectOffsets[row + 1]; ++i) {
            if (label < 0 || objectClasses[i] != label)
                f(objectClasses[i]);
        }
    }
    // The label, else the first object class, else -1.
    int primaryClass(size_t row) const
    {
        const int label = classIndex[row];
        if (label >= 0 || !hasObjects() || objectOffsets[row] == objectOffsets[row + 1])
            return label;
        return objectClasses[objectOffsets[row]];
    }

    std::vector<std::int64_t> ids;
    std::vector<std::int64_t> members;
    std::vector<std::int32_t> classIndex; // into classes, -1 unlabeled
    std::vector<std::int16_t> splitIndex; // into splits, -1 none
    std::vector<std::uint32_t> issueMask; // bit k: has an issue of issueKinds[k] (first 32)
    std::vector<std::uint64_t> tagMask;   // bit k: has tags[k] (first 64); empty: no tags
    enum ScanState : std::uint8_t { NotScanned = 0, Measured = 1, Unmeasurable = 2 };
    std::vector<std::uint8_t> scanState;
    std::vector<std::uint32_t> objectOffsets;
    std::vector<std::int32_t> objectClasses;
    std::vector<std::uint32_t> objectCounts;
    QStringList classes;
    QStringList splits;
    QStringList issueKinds;
    QStringList tags;
    std::vector<NumericColumn> numeric;
    std::vector<TextColumn> text;

private:
    static void loadAttributes(Database &db, SampleIndex &index);
    static void loadObjects(Database &db, SampleIndex &index, const NameIndex &classOf);

    bool m_partial = false;
    std::string m_paths;
    std::vector<std::uint64_t> m_pathOffsets{0};
    mutable std::shared_ptr<std::vector<std::uint32_t>> m_pathOrder;
};

struct ProjectSummary;

// The counts of a project summary (samples per split and class, unlabeled) from an index, in
// memory: the window's panels use it instead of GROUP BY queries over a million rows.
void summarizeIndex(const SampleIndex &index, ProjectSummary &summary);

// Issues of each kind, and how many samples were scanned, from an index.
struct IndexQualityCounts
{
    std::vector<std::int64_t> perKind; // parallel to index.issueKinds
    std::int64_t scanned = 0;
};
IndexQualityCounts qualityCounts(const SampleIndex &index);

} // namespace assay::store
