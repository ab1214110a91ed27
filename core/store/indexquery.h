#pragma once

#include "sampleindex.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace assay::store {

// What the browser shows: facets combine with AND; the values inside one facet with OR. An empty
// list means "any".
struct IndexQuery
{
    std::vector<int> classes;    // class indices; -1 is "unlabeled"
    std::vector<int> splits;     // split indices; -1 is "no split"
    std::vector<int> issueKinds; // has an issue of any of these kinds
    std::vector<int> tags;       // has any of these tags
    struct Range
    {
        QString key;
        double low = 0;
        double high = 0; // inclusive bounds
    };
    std::vector<Range> ranges;
    struct Values
    {
        QString key;
        std::vector<int> codes; // dictionary codes; -1 is "(missing)"
    };
    std::vector<Values> values;
    QString pathContains; // case-insensitive substring of "path" / "path#member"
    // When not empty: only these samples (sorted ids), e.g. a duplicate cluster or a bias slice;
    // `sampleSet` says what they are, for the filter dock.
    std::vector<std::int64_t> sampleIds;
    QString sampleSet;

    enum class SortKind { Id, Path, Class, Numeric, Text };
    SortKind sort = SortKind::Id;
    QString sortKey; // the numeric or text column for Numeric / Text
    bool descending = false;

    bool hasFilters() const;
};

// Counts for the filter dock: for each facet, the samples that pass every OTHER facet, by value —
// so a checked class still shows the counts of the classes one could switch to.
struct FacetCounts
{
    std::vector<std::int64_t> classes; // one per class, then "unlabeled"
    std::vector<std::int64_t> splits;  // one per split, then "no split"
    std::vector<std::int64_t> issueKinds;
    std::vector<std::int64_t> tags;
    std::vector<std::vector<std::int64_t>> values; // per text column: per code, then "(missing)"
};

struct QueryResult
{
    std::vector<std::uint32_t> rows; // index rows, in display order
    FacetCounts counts;
};

QueryResult runQuery(const SampleIndex &index, const IndexQuery &query);

} // namespace assay::store
