#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace assay::store {

class Database;

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

    static std::shared_ptr<const SampleIndex> load(Database &db);

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

    std::vector<std::int64_t> ids;
    std::vector<std::int64_t> members;
    std::vector<std::int32_t> classIndex; // into classes, -1 unlabeled
    std::vector<std::int16_t> splitIndex; // into splits, -1 none
    std::vector<std::uint32_t> issueMask; // bit k: has an issue of issueKinds[k] (first 32)
    std::vector<std::uint64_t> tagMask;   // bit k: has tags[k] (first 64)
    QStringList classes;
    QStringList splits;
    QStringList issueKinds;
    QStringList tags;
    std::vector<NumericColumn> numeric;
    std::vector<TextColumn> text;

private:
    std::string m_paths;
    std::vector<std::uint64_t> m_pathOffsets{0};
    mutable std::shared_ptr<std::vector<std::uint32_t>> m_pathOrder;
};

} // namespace assay::store
