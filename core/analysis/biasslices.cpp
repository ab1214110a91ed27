#include "biasslices.h"

#include "biasfamily.h"
#include "biasstats.h"
#include "stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace assay::analysis::bias {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Grouped
{
    std::vector<std::uint32_t> rows;
    std::vector<size_t> starts;
};

// `rows` (ascending) ordered by group with a stable counting sort: group g is one run.
template<typename GroupOf>
Grouped groupRows(const std::vector<std::uint32_t> &rows, int groups, GroupOf groupOf)
{
    Grouped grouped;
    grouped.starts.assign(size_t(groups) + 1, 0);
    for (std::uint32_t row : rows)
        ++grouped.starts[size_t(groupOf(row)) + 1];
    std::partial_sum(grouped.starts.begin(), grouped.starts.end(), grouped.starts.begin());
    std::vector<size_t> next(grouped.starts.begin(), grouped.starts.end() - 1);
    grouped.rows.resize(rows.size());
    for (std::uint32_t row : rows)
        grouped.rows[next[size_t(groupOf(row))]++] = row;
    return grouped;
}

QString canonicalText(const std::vector<BinnedAttribute> &attributes,
                      const std::vector<Predicate> &predicates)
{
    QStringList parts;
    for (const Predicate &predicate : predicates)
        parts << predicateText(attributes[size_t(predicate.attribute)], predicate.value);
    return parts.join(QStringLiteral(" ∧ "));
}

std::vector<Predicate> predicatesOf(const Family &family, size_t member)
{
    std::vector<Predicate> predicates;
    for (int index : family.members[member]) {
        if (index >= 0)
            predicates.push_back(family.predicates[size_t(index)]);
    }
    return predicates; // predicate indices ascend with the attribute, so these do too
}

// Cramér's V of the raw table (no guard): what the label-proxy rule reads.
double rawCramersV(const std::vector<std::int64_t> &counts, int rows, int classes)
{
    std::vector<std::vector<double>> table(static_cast<size_t>(rows),
                                           std::vector<double>(static_cast<size_t>(classes)));
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < classes; ++c)
            table[size_t(r)][size_t(c)] = double(counts[size_t(r * classes + c)]);
    return stats::chiSquareIndependence(table).cramersV;
}

// The attribute's table for its test: values with fewer than minSup rows are pooled into one
// row (and that row, if still small, into the smallest other), so a rare value cannot make
// every class fail the expected-count guard.
std::vector<std::int64_t> pooledTable(const std::vector<std::int64_t> &counts,
                                      const std::vector<std::int64_t> &valueCounts, int classes,
                                      std::int64_t minSupport, int &rows)
{
    std::vector<std::int64_t> table;
    std::vector<std::int64_t> pooled(size_t(classes), 0), totals;
    std::int64_t pooledTotal = 0;
    for (size_t v = 0; v < valueCounts.size(); ++v) {
        if (valueCounts[v] == 0)
            continue;
        const std::int64_t *row = counts.data() + v * size_t(classes);
        if (valueCounts[v] < minSupport) {
            for (int c = 0; c < classes; ++c)
                pooled[size_t(c)] += row[c];
            pooledTotal += valueCounts[v];
        } else {
            table.insert(table.end(), row, row + classes);
            totals.push_back(valueCounts[v]);
        }
    }
    if (pooledTotal > 0) {
        if (pooledTotal >= minSupport || totals.empty()) {
            table.insert(table.end(), pooled.begin(), pooled.end());
            totals.push_back(pooledTotal);
        } else {
            const size_t smallest = size_t(std::min_element(totals.begin(), totals.end()) -
                                           totals.begin());
            for (int c = 0; c < classes; ++c)
                table[smallest * size_t(classes) + size_t(c)] += pooled[size_t(c)];
        }
    }
    rows = int(totals.size());
    return table;
}

AttributeSummary summarizeAttribute(const BinnedAttribute &attribute, int index,
                                    const Grouped &grouped,
                                    const std::vector<std::int64_t> &classTotals,
                                    const SliceParameters &parameters)
{
    const int classes = int(classTotals.size());
    const int values = int(attribute.values.size());
    AttributeSummary summary;
    summary.attribute = index;
    summary.q = nan;
    const std::vector<std::int64_t> counts = valueGroupCounts(attribute, grouped.rows,
                                                              grouped.starts);
    const double total = double(grouped.rows.size());
    int present = 0;
    summary.valueCounts.assign(size_t(values), 0);
    summary.counts.assign(size_t(values), std::vector<std::int64_t>(size_t(classes), 0));
    summary.residuals.assign(size_t(values), std::vector<double>(size_t(classes), 0.0));
    for (int v = 0; v < values; ++v) {
        for (int c = 0; c < classes; ++c)
            summary.valueCounts[size_t(v)] += counts[size_t(v * classes + c)];
        present += summary.valueCounts[size_t(v)] > 0 ? 1 : 0;
        for (int c = 0; c < classes; ++c) {
            summary.counts[size_t(v)][size_t(c)] = counts[size_t(v * classes + c)];
            summary.residuals[size_t(v)][size_t(c)] = adjustedResidual(
                double(counts[size_t(v * classes + c)]), double(summary.valueCounts[size_t(v)]),
                double(classTotals[size_t(c)]), total);
        }
    }
    if (present < 2) {
        summary.status = QStringLiteral("constant");
        summary.reason = QStringLiteral("one value on every labelled sample");
        return summary;
    }
    const double rawV = rawCramersV(counts, values, classes);
    if (attribute.labelSource) {
        summary.status = QStringLiteral("label_proxy");
        summary.reason = QStringLiteral("the labels are read from this path component");
        summary.v = rawV;
        return summary;
    }
    if (rawV >= parameters.proxyV) {
        summary.status = QStringLiteral("label_proxy");
        summary.reason = QStringLiteral("Cramér's V with the label is %1 (≥ %2)")
                             .arg(rawV, 0, 'f', 3)
                             .arg(parameters.proxyV);
        summary.v = rawV;
        return summary;
    }
    int rows = 0;
    const std::vector<std::int64_t> table =
        pooledTable(counts, summary.valueCounts, classes, parameters.minSupport, rows);
    const TableTest test = testTable(table, rows, classes);
    if (!test.testable) {
        summary.status = QStringLiteral("untestable");
        summary.reason = QStringLiteral("too few samples per class for a chi-square test");
        summary.p = 1;
        return summary;
    }
    summary.status = QStringLiteral("tested");
    summary.x2 = test.x2;
    summary.df = test.df;
    summary.p = test.p;
    summary.v = test.v;
    summary.miBits = test.miBits;
    return summary;
}

int statusOrder(const QString &status)
{
    if (status == u"tested" || status == u"untestable")
        return 0;
    return status == u"label_proxy" ? 1 : 2;
}

// The ranking of §3: the key (V, or the error's lower bound) descending, then n descending, then
// the canonical text. Returns the records' positions in rank order and sets their ids (1 first).
template<typename Record, typename Key>
std::vector<size_t> rank(std::vector<Record> &records, Key key)
{
    std::vector<size_t> order(records.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::sort(order.begin(), order.end(), [&](size_t l, size_t r) {
        const Record &a = records[l], &b = records[r];
        const double ka = key(a), kb = key(b);
        if (ka != kb)
            return ka > kb;
        if (a.n != b.n)
            return a.n > b.n;
        return a.text < b.text;
    });
    for (size_t i = 0; i < order.size(); ++i)
        records[order[i]].id = int(i) + 1;
    return order;
}

template<typename Record>
std::vector<Record> inOrder(std::vector<Record> &records, const std::vector<size_t> &order)
{
    std::vector<Record> ranked;
    ranked.reserve(records.size());
    for (size_t index : order)
        ranked.push_back(std::move(records[index]));
    return ranked;
}

std::vector<SliceRecord> labelSlices(const Family &family, const SliceResults &results,
                                     int threads)
{
    const SliceParameters &parameters = results.parameters;
    const size_t classes = size_t(results.classes.size());
    std::vector<SliceRecord> records(family.members.size());
    parallelChunks(records.size(), threads, 64, [&](size_t begin, size_t end) {
        for (size_t m = begin; m < end; ++m) {
            SliceRecord &record = records[m];
            record.predicates = predicatesOf(family, m);
            record.text = canonicalText(results.attributes, record.predicates);
            record.level = family.levels[m];
            record.classCounts.assign(family.counts.begin() + std::ptrdiff_t(m * classes),
                                      family.counts.begin() + std::ptrdiff_t((m + 1) * classes));
            record.n = family.size(m);
            record.share = double(record.n) / double(results.labeled);
            const SliceStatistics statistics =
                sliceStatistics(record.classCounts, results.classTotals);
            if (!statistics.test.testable) {
                record.status = SliceStatus::Untestable;
                continue; // p = 1: counted in the family, for conservatism
            }
            record.x2 = statistics.test.x2;
            record.df = statistics.test.df;
            record.p = statistics.test.p;
            record.v = statistics.test.v;
            record.miBits = statistics.test.miBits;
            record.driverClass = statistics.driverClass;
            record.driverName = statistics.driverClass >= 0
                                    ? results.classes[statistics.driverClass]
                                    : otherValue;
            record.ratio = statistics.ratio;
            record.ratioLo = statistics.ratioLo;
            record.ratioHi = statistics.ratioHi;
        }
    });
    std::vector<double> p;
    for (const SliceRecord &record : records)
        p.push_back(record.p);
    const std::vector<double> q = stats::benjaminiHochberg(p);
    for (size_t m = 0; m < records.size(); ++m) {
        SliceRecord &record = records[m];
        record.q = q[m];
        if (record.status == SliceStatus::Untestable)
            continue;
        const bool strong = record.ratio >= parameters.minRatio ||
                            record.ratio <= 1.0 / parameters.minRatio;
        if (!(record.q <= parameters.fdr))
            record.status = SliceStatus::NotSignificant;
        else if (record.v < parameters.minV || !strong)
            record.status = SliceStatus::SmallEffect;
        else
            record.status = SliceStatus::Reported;
    }

    const std::vector<size_t> order = rank(records, [](const SliceRecord &r) { return r.v; });

    // B4: a reported slice with a reported parent (a proper subset of its predicates) of the
    // same driver and a ratio within [0.8, 1.25] of its own is shown under the best-ranked such
    // parent. The family lists level 1, then 2, then 3, so parents are decided first.
    std::map<std::array<int, 3>, size_t> byMembers;
    for (size_t m = 0; m < records.size(); ++m)
        byMembers[family.members[m]] = m;
    for (size_t m = 0; m < records.size(); ++m) {
        SliceRecord &record = records[m];
        if (record.status != SliceStatus::Reported || record.level < 2)
            continue;
        const std::array<int, 3> &members = family.members[m];
        const unsigned all = (1u << record.level) - 1;
        int best = 0;
        for (unsigned subset = 1; subset < all; ++subset) {
            std::array<int, 3> key{-1, -1, -1};
            for (int i = 0, k = 0; i < record.level; ++i) {
                if (subset & (1u << i))
                    key[size_t(k++)] = members[size_t(i)];
            }
            const auto found = byMembers.find(key);
            if (found == byMembers.end())
                continue;
            const SliceRecord &parent = records[found->second];
            const bool shown = parent.status == SliceStatus::Reported ||
                               parent.status == SliceStatus::Redundant;
            const double ratio = record.ratio / parent.ratio;
            if (shown && parent.driverClass == record.driverClass && ratio >= 0.8 &&
                ratio <= 1.25 && (best == 0 || parent.id < best))
                best = parent.id;
        }
        if (best > 0) {
            record.status = SliceStatus::Redundant;
            record.redundantOf = best;
        }
    }
    return inOrder(records, order);
}

std::vector<ErrorSliceRecord> errorSlices(const Family &family, const SliceResults &results)
{
    const SliceParameters &parameters = results.parameters;
    const std::int64_t rows = results.predicted, errors = results.errors;
    const double overall = rows > 0 ? double(errors) / double(rows) : 0.0;
    std::vector<ErrorSliceRecord> records(family.members.size());
    std::vector<double> p(records.size());
    for (size_t m = 0; m < records.size(); ++m) {
        ErrorSliceRecord &record = records[m];
        record.predicates = predicatesOf(family, m);
        record.text = canonicalText(results.attributes, record.predicates);
        record.level = family.levels[m];
        record.errors = family.counts[m * 2]; // group 0: errors
        record.n = record.errors + family.counts[m * 2 + 1];
        record.err = double(record.errors) / double(record.n);
        const stats::Interval interval = stats::wilsonInterval(double(record.errors),
                                                               double(record.n));
        record.errLo = interval.lo;
        record.errHi = interval.hi;
        record.errRest = double(errors - record.errors) / double(rows - record.n);
        const ProportionTest test =
            oneSidedTwoProportion(record.errors, record.n, errors - record.errors, rows - record.n);
        record.z = test.z;
        record.p = hypergeometricUpperTail(record.errors, rows, errors, record.n);
        record.sliceLineScore = sliceLineScore(record.errors, record.n, errors, rows);
        record.aequitasRatio = record.err > 0 ? record.errRest / record.err : nan;
        record.aequitasFlag = record.err > 0 &&
                              (record.aequitasRatio < 0.8 || record.aequitasRatio > 1.25);
        if (errors == 0 || errors == rows)
            record.status = SliceStatus::Untestable;
        p[m] = record.p;
    }
    const std::vector<double> q = stats::benjaminiHochberg(p);
    for (size_t m = 0; m < records.size(); ++m) {
        ErrorSliceRecord &record = records[m];
        record.q = q[m];
        if (record.status == SliceStatus::Untestable)
            continue;
        const bool large = overall > 0 && record.err / overall >= parameters.errorRatio &&
                           record.err - record.errRest >= parameters.errorDrop;
        record.status = !(record.q <= parameters.fdr) ? SliceStatus::NotSignificant
                        : large                       ? SliceStatus::Reported
                                                      : SliceStatus::SmallEffect;
    }
    // REVISE's ranking: the Wilson lower bound of the slice's error above the overall error.
    const std::vector<size_t> order =
        rank(records, [&](const ErrorSliceRecord &r) { return r.errLo - overall; });
    return inOrder(records, order);
}

} // namespace

QString sliceStatusName(SliceStatus status)
{
    switch (status) {
    case SliceStatus::Reported: return QStringLiteral("reported");
    case SliceStatus::NotSignificant: return QStringLiteral("not_significant");
    case SliceStatus::SmallEffect: return QStringLiteral("small_effect");
    case SliceStatus::Redundant: return QStringLiteral("redundant");
    case SliceStatus::Untestable: break;
    }
    return QStringLiteral("untestable");
}

std::int64_t SliceResults::reported() const
{
    return std::count_if(slices.begin(), slices.end(),
                         [](const SliceRecord &r) { return r.status == SliceStatus::Reported; });
}

std::int64_t SliceResults::errorReported() const
{
    return std::count_if(errorSlices.begin(), errorSlices.end(), [](const ErrorSliceRecord &r) {
        return r.status == SliceStatus::Reported;
    });
}

SliceResults computeSlices(const SliceData &data, const SliceParameters &parameters,
                           const ComputeOptions &options)
{
    SliceResults results;
    results.parameters = parameters;
    results.classes = data.classes;
    results.rows = std::int64_t(data.rows());
    const int classes = int(data.classes.size());

    results.attributes.resize(data.attributes.size());
    parallelChunks(data.attributes.size(), options.threads, 1, [&](size_t begin, size_t end) {
        for (size_t a = begin; a < end; ++a)
            results.attributes[a] =
                binAttribute(data.attributes[a], parameters.bins, parameters.topValues);
    });

    std::vector<std::uint32_t> tested;
    for (size_t row = 0; row < data.rows(); ++row) {
        if (data.labels[row] < 0 || data.labels[row] >= classes)
            continue;
        if (parameters.dedupe && !data.duplicateCopy.empty() && data.duplicateCopy[row]) {
            ++results.duplicatesRemoved;
            continue;
        }
        tested.push_back(std::uint32_t(row));
    }
    const Grouped byClass = groupRows(tested, classes, [&](std::uint32_t row) {
        return data.labels[row];
    });
    results.labeled = std::int64_t(tested.size());
    results.classTotals.resize(size_t(classes));
    int present = 0;
    for (int c = 0; c < classes; ++c) {
        results.classTotals[size_t(c)] =
            std::int64_t(byClass.starts[size_t(c) + 1] - byClass.starts[size_t(c)]);
        present += results.classTotals[size_t(c)] > 0 ? 1 : 0;
    }

    if (present < 2) {
        // No labels (or one class): only the composition of each attribute (§6).
        std::vector<std::uint32_t> all(data.rows());
        std::iota(all.begin(), all.end(), 0u);
        const Grouped one{all, {0, all.size()}};
        for (size_t a = 0; a < results.attributes.size(); ++a) {
            AttributeSummary summary;
            summary.attribute = int(a);
            summary.status = QStringLiteral("no_labels");
            summary.q = nan;
            summary.valueCounts = valueGroupCounts(results.attributes[a], one.rows, one.starts);
            results.attributeSummary.push_back(std::move(summary));
        }
    } else {
        std::vector<AttributeSummary> summaries(results.attributes.size());
        parallelChunks(summaries.size(), options.threads, 1, [&](size_t begin, size_t end) {
            for (size_t a = begin; a < end; ++a)
                summaries[a] = summarizeAttribute(results.attributes[a], int(a), byClass,
                                                  results.classTotals, parameters);
        });
        std::vector<double> p(summaries.size(), nan);
        FamilyInput input;
        input.attributes = &results.attributes;
        for (size_t a = 0; a < summaries.size(); ++a) {
            const QString &status = summaries[a].status;
            if (status == u"tested" || status == u"untestable") {
                p[a] = summaries[a].p;
                input.active.push_back(int(a));
            }
        }
        const std::vector<double> q = stats::benjaminiHochberg(p);
        for (size_t a = 0; a < summaries.size(); ++a)
            summaries[a].q = q[a];
        std::stable_sort(summaries.begin(), summaries.end(),
                         [](const AttributeSummary &l, const AttributeSummary &r) {
                             const int ol = statusOrder(l.status), orr = statusOrder(r.status);
                             return ol != orr ? ol < orr : l.v > r.v;
                         });
        results.attributeSummary = std::move(summaries);

        input.rows = byClass.rows;
        input.groupStarts = byClass.starts;
        input.maxLevel = std::clamp(parameters.maxLevel, 1, 3);
        input.minSupport = parameters.minSupport;
        input.threads = options.threads;
        results.slices = labelSlices(enumerateFamily(input), results, options.threads);

        if (!data.predictions.empty()) {
            std::vector<std::uint32_t> predicted;
            for (std::uint32_t row : tested) {
                if (data.predictions[row] != noPrediction)
                    predicted.push_back(row);
            }
            const Grouped byError = groupRows(predicted, 2, [&](std::uint32_t row) {
                return data.predictions[row] == data.labels[row] ? 1 : 0;
            });
            results.predicted = std::int64_t(predicted.size());
            results.errors = std::int64_t(byError.starts[1]);
            if (!predicted.empty()) {
                input.rows = byError.rows;
                input.groupStarts = byError.starts;
                results.errorSlices = errorSlices(enumerateFamily(input), results);
            }
        }
    }
    if (!options.keepCodes) {
        for (BinnedAttribute &attribute : results.attributes)
            attribute.codes = {};
    }
    return results;
}

std::vector<std::uint32_t> sliceRows(const SliceResults &results,
                                     const std::vector<Predicate> &predicates)
{
    return rowsMatching(results.attributes, predicates, size_t(results.rows));
}

} // namespace assay::analysis::bias
