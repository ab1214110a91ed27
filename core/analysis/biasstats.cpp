#include "biasstats.h"

#include "stats.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

namespace assay::analysis::bias {

namespace {

double expected(std::int64_t row, std::int64_t column, std::int64_t total)
{
    return double(row) * double(column) / double(total);
}

} // namespace

GuardedColumns guardColumns(const std::vector<std::int64_t> &rowTotals,
                            const std::vector<std::int64_t> &columnTotals, double maxShareBelow5)
{
    const int classes = int(columnTotals.size());
    const std::int64_t total = std::accumulate(columnTotals.begin(), columnTotals.end(),
                                               std::int64_t(0));
    // Smallest totals first: merging takes a prefix of this order, and the columns left are
    // still ascending, so the cells under 5 of a row are a prefix of them (binary search).
    std::vector<int> order(columnTotals.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return columnTotals[size_t(a)] < columnTotals[size_t(b)]; });
    std::vector<std::int64_t> sorted(columnTotals.size());
    for (int i = 0; i < classes; ++i)
        sorted[size_t(i)] = columnTotals[size_t(order[size_t(i)])];

    int merged = 0;
    for (int m = 0; m <= classes; m += m == 0 ? 2 : 1) {
        merged = std::min(m, classes);
        const int columns = classes - merged + (merged > 0 ? 1 : 0);
        if (columns < 2)
            break;
        const std::int64_t mergedTotal =
            std::accumulate(sorted.begin(), sorted.begin() + merged, std::int64_t(0));
        const std::int64_t smallestLeft = sorted[size_t(merged)];
        std::int64_t below5 = 0;
        bool below1 = false;
        for (std::int64_t row : rowTotals) {
            const auto firstAtLeast5 = std::partition_point(
                sorted.begin() + merged, sorted.end(),
                [&](std::int64_t c) { return expected(row, c, total) < 5.0; });
            below5 += firstAtLeast5 - (sorted.begin() + merged);
            below1 = below1 || expected(row, smallestLeft, total) < 1.0;
            if (merged > 0) {
                const double e = expected(row, mergedTotal, total);
                below5 += e < 5.0 ? 1 : 0;
                below1 = below1 || e < 1.0;
            }
        }
        const std::int64_t cells = std::int64_t(rowTotals.size()) * columns;
        if (!below1 && double(below5) <= maxShareBelow5 * double(cells))
            break;
    }

    GuardedColumns guarded;
    guarded.columnOf.assign(size_t(classes), 0);
    merged = std::min(merged, classes);
    guarded.merged = merged > 1 ? merged : 0;
    int next = 0;
    if (guarded.merged > 0) {
        // The merged column takes the place of its first (lowest-index) class.
        int first = classes;
        for (int i = 0; i < merged; ++i)
            first = std::min(first, order[size_t(i)]);
        std::vector<bool> isMerged(size_t(classes), false);
        for (int i = 0; i < merged; ++i)
            isMerged[size_t(order[size_t(i)])] = true;
        for (int c = 0; c < classes; ++c) {
            if (c == first)
                guarded.otherColumn = next++;
            if (isMerged[size_t(c)])
                continue;
            guarded.columnOf[size_t(c)] = next++;
        }
        for (int c = 0; c < classes; ++c) {
            if (isMerged[size_t(c)])
                guarded.columnOf[size_t(c)] = guarded.otherColumn;
        }
    } else {
        for (int c = 0; c < classes; ++c)
            guarded.columnOf[size_t(c)] = next++;
    }
    guarded.columns = next;
    return guarded;
}

TableTest testTable(const std::vector<std::int64_t> &counts, int rows, int classes,
                    double maxShareBelow5)
{
    TableTest result;
    std::vector<std::int64_t> rowTotals, columnTotals(size_t(classes), 0);
    std::vector<int> keptRows;
    for (int r = 0; r < rows; ++r) {
        std::int64_t sum = 0;
        for (int c = 0; c < classes; ++c) {
            sum += counts[size_t(r * classes + c)];
            columnTotals[size_t(c)] += counts[size_t(r * classes + c)];
        }
        if (sum > 0) {
            keptRows.push_back(r);
            rowTotals.push_back(sum);
        }
    }
    std::vector<std::int64_t> keptTotals;
    for (int c = 0; c < classes; ++c) {
        if (columnTotals[size_t(c)] > 0) {
            result.classes.push_back(c);
            keptTotals.push_back(columnTotals[size_t(c)]);
        }
    }
    result.total = std::accumulate(rowTotals.begin(), rowTotals.end(), std::int64_t(0));
    if (keptRows.size() < 2 || result.classes.size() < 2)
        return result;
    result.columns = guardColumns(rowTotals, keptTotals, maxShareBelow5);
    const int columns = result.columns.columns;
    if (columns < 2)
        return result;

    std::vector<std::int64_t> table(keptRows.size() * size_t(columns), 0);
    std::vector<std::int64_t> guardedTotals(size_t(columns), 0);
    for (size_t r = 0; r < keptRows.size(); ++r) {
        for (size_t k = 0; k < result.classes.size(); ++k) {
            const int column = result.columns.columnOf[k];
            const std::int64_t n =
                counts[size_t(keptRows[r] * classes + result.classes[k])];
            table[r * size_t(columns) + size_t(column)] += n;
        }
    }
    for (size_t k = 0; k < result.classes.size(); ++k)
        guardedTotals[size_t(result.columns.columnOf[k])] += keptTotals[k];

    const double total = double(result.total);
    for (size_t r = 0; r < keptRows.size(); ++r) {
        for (int c = 0; c < columns; ++c) {
            const double observed = double(table[r * size_t(columns) + size_t(c)]);
            const double e = double(rowTotals[r]) * double(guardedTotals[size_t(c)]) / total;
            const double difference = observed - e;
            result.x2 += difference * difference / e;
            if (observed > 0)
                result.g += 2.0 * observed * std::log(observed / e);
        }
    }
    result.testable = true;
    result.df = int(keptRows.size() - 1) * (columns - 1);
    result.p = stats::chiSquareSf(result.x2, double(result.df));
    const double smaller = double(std::min<size_t>(keptRows.size(), size_t(columns)));
    result.v = std::sqrt(result.x2 / (total * (smaller - 1.0)));
    result.miBits = result.g / (2.0 * total * std::numbers::ln2);
    return result;
}

double adjustedResidual(double observed, double rowTotal, double columnTotal, double total)
{
    if (!(total > 0))
        return 0;
    const double e = rowTotal * columnTotal / total;
    const double variance = e * (1.0 - rowTotal / total) * (1.0 - columnTotal / total);
    return variance > 0 ? (observed - e) / std::sqrt(variance) : 0.0;
}

SliceStatistics sliceStatistics(const std::vector<std::int64_t> &sliceCounts,
                                const std::vector<std::int64_t> &classTotals, double maxShareBelow5)
{
    const int classes = int(classTotals.size());
    std::vector<std::int64_t> table(size_t(2 * classes));
    for (int c = 0; c < classes; ++c) {
        table[size_t(c)] = sliceCounts[size_t(c)];
        table[size_t(classes + c)] = classTotals[size_t(c)] - sliceCounts[size_t(c)];
    }
    SliceStatistics result;
    result.test = testTable(table, 2, classes, maxShareBelow5);
    if (!result.test.testable)
        return result;

    const TableTest &test = result.test;
    const int columns = test.columns.columns;
    std::vector<double> inSlice(size_t(columns), 0.0), columnTotal(size_t(columns), 0.0);
    double n = 0;
    for (size_t k = 0; k < test.classes.size(); ++k) {
        const int c = test.classes[k];
        inSlice[size_t(test.columns.columnOf[k])] += double(sliceCounts[size_t(c)]);
        columnTotal[size_t(test.columns.columnOf[k])] += double(classTotals[size_t(c)]);
        n += double(sliceCounts[size_t(c)]);
    }
    const double total = double(test.total);
    int driver = 0;
    double best = -1;
    for (int c = 0; c < columns; ++c) {
        const double z = adjustedResidual(inSlice[size_t(c)], n, columnTotal[size_t(c)], total);
        // Equal |z| (two columns always tie): the over-represented class drives the slice.
        const bool tie = std::abs(z) >= best * (1.0 - 1e-12);
        if (std::abs(z) > best * (1.0 + 1e-12) || (tie && z > 0 && result.driverResidual < 0)) {
            best = std::abs(z);
            driver = c;
            result.driverResidual = z;
        }
    }
    result.driverClass = -1;
    if (driver != test.columns.otherColumn) {
        for (size_t k = 0; k < test.classes.size(); ++k) {
            if (test.columns.columnOf[k] == driver)
                result.driverClass = test.classes[k];
        }
    }
    const double overall = columnTotal[size_t(driver)] / total;
    const stats::Interval interval = stats::wilsonInterval(inSlice[size_t(driver)], n);
    result.ratio = inSlice[size_t(driver)] / n / overall;
    result.ratioLo = interval.lo / overall;
    result.ratioHi = interval.hi / overall;
    return result;
}

ProportionTest oneSidedTwoProportion(std::int64_t e1, std::int64_t n1, std::int64_t e2,
                                     std::int64_t n2)
{
    ProportionTest result;
    if (n1 <= 0 || n2 <= 0)
        return result;
    const double pooled = double(e1 + e2) / double(n1 + n2);
    const double variance = pooled * (1.0 - pooled) * (1.0 / double(n1) + 1.0 / double(n2));
    if (!(variance > 0))
        return result;
    result.z = (double(e1) / double(n1) - double(e2) / double(n2)) / std::sqrt(variance);
    result.p = stats::normalSf(result.z);
    return result;
}

double hypergeometricUpperTail(std::int64_t k, std::int64_t population, std::int64_t successes,
                               std::int64_t draws)
{
    const std::int64_t lo = std::max<std::int64_t>(0, draws - (population - successes));
    const std::int64_t hi = std::min(draws, successes);
    if (k <= lo)
        return 1.0;
    if (k > hi)
        return 0.0;
    const double mean = double(draws) * double(successes) / double(population);
    const double sd = std::sqrt(mean * (1.0 - double(successes) / double(population)) *
                                double(population - draws) / double(std::max<std::int64_t>(population - 1, 1)));
    // Far below the mean the tail is 1 to any precision that matters; summing up from there
    // would take as many terms as the slice has rows.
    if (double(k) < mean - 40.0 * sd - 1.0)
        return 1.0;
    auto logChoose = [](double n, double r) {
        return std::lgamma(n + 1.0) - std::lgamma(r + 1.0) - std::lgamma(n - r + 1.0);
    };
    const double n = double(population), e = double(successes), m = double(draws);
    double term = std::exp(logChoose(e, double(k)) + logChoose(n - e, m - double(k)) -
                           logChoose(n, m));
    double sum = 0.0;
    for (std::int64_t x = k; x <= hi; ++x) {
        sum += term;
        if (double(x) > mean && term <= sum * 1e-17)
            break;
        const double xd = double(x);
        term *= (e - xd) * (m - xd) / ((xd + 1.0) * (n - e - m + xd + 1.0));
    }
    return std::min(sum, 1.0);
}

double sliceLineScore(std::int64_t sliceErrors, std::int64_t sliceRows, std::int64_t errors,
                      std::int64_t rows, double alpha)
{
    if (sliceRows <= 0 || errors <= 0)
        return 0;
    const double sliceError = double(sliceErrors) / double(sliceRows);
    const double overall = double(errors) / double(rows);
    return alpha * (sliceError / overall - 1.0) -
           (1.0 - alpha) * (double(rows) / double(sliceRows) - 1.0);
}

} // namespace assay::analysis::bias
