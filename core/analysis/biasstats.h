#pragma once

#include <cstdint>
#include <vector>

// The statistics of bias slices (../shared/spec/bias-slices.md §3, §4): contingency tables of
// rows (a slice and its complement, or an attribute's values) × classes under the expected-count
// guard, adjusted residuals, the driver class of a slice with its representation ratio, and the
// one-sided two-proportion test of error slices. Pure functions on counts; stats.h holds the
// distributions, Wilson intervals and Benjamini-Hochberg.
namespace assay::analysis::bias {

// A table's classes after the expected-count guard: the classes with the smallest totals may
// share one "(other)" column.
struct GuardedColumns
{
    std::vector<int> columnOf; // per class: its column (0 .. columns - 1)
    int columns = 0;           // K'
    int otherColumn = -1;      // the merged column, -1 when no class was merged
    int merged = 0;            // classes in the merged column
};

// The expected-count guard: no expected count below 1 and at most `maxShareBelow5` of the cells
// below 5. While it does not hold, the two, then three, ... classes with the smallest totals
// (ties: lower index first) are merged into one column. `rowTotals` and `columnTotals` must be
// > 0. Fewer than two columns left means the table cannot be tested.
//
// Cochran's textbook rule allows 20% of the cells below 5, which keeps the chi-square tail right
// near p = 0.05; Benjamini-Hochberg over a thousand slices decides near p = q / m ~ 1e-5, where
// a sparse cell inflates X² (K = 20 Zipf null datasets: 10.5% reported a slice under Cochran's
// rule, 5% with no cell below 5). So the engine uses 0: every expected count at least 5.
inline constexpr double cochranShareBelow5 = 0.2;
inline constexpr double strictShareBelow5 = 0.0;
GuardedColumns guardColumns(const std::vector<std::int64_t> &rowTotals,
                            const std::vector<std::int64_t> &columnTotals,
                            double maxShareBelow5 = strictShareBelow5);

// Pearson's test of a rows × classes table of counts (row-major) after the guard. Rows and
// classes whose totals are 0 are ignored.
struct TableTest
{
    bool testable = false; // at least two rows and two columns after the guard
    double x2 = 0;
    int df = 0;
    double p = 1;
    double v = 0;      // Cramér's V = sqrt(X² / (N · (min(r, K') - 1)))
    double g = 0;      // likelihood-ratio statistic 2 Σ O ln(O / E)
    double miBits = 0; // mutual information of row and class: G / (2 N ln 2)
    std::int64_t total = 0;
    GuardedColumns columns; // over the classes with a non-zero total, in class order
    std::vector<int> classes; // the classes those columns index (non-zero totals)
};
TableTest testTable(const std::vector<std::int64_t> &counts, int rows, int classes,
                    double maxShareBelow5 = strictShareBelow5);

// Adjusted (standardized) residual of a cell: (O - E) / sqrt(E (1 - R/N) (1 - C/N)).
// 0 when the expectation or a margin leaves nothing to compare.
double adjustedResidual(double observed, double rowTotal, double columnTotal, double total);

// One slice against the rest of the labelled rows (a 2 × K table).
struct SliceStatistics
{
    TableTest test;
    // The column with the largest |adjusted residual| of the slice's row (ties, as the two
    // columns of a two-class table always are: the positive residual, then the lower column);
    // a class index, or -1 when it is the merged "(other)" column.
    int driverClass = -1;
    double driverResidual = 0;
    // P(driver | slice) / P(driver), with the slice share's Wilson 95% interval divided likewise.
    double ratio = 1;
    double ratioLo = 0;
    double ratioHi = 0;
};
// `sliceCounts` and `classTotals` per class (classes with a total of 0 are left out of the
// table); `total` = Σ classTotals.
SliceStatistics sliceStatistics(const std::vector<std::int64_t> &sliceCounts,
                                const std::vector<std::int64_t> &classTotals,
                                double maxShareBelow5 = strictShareBelow5);

// One-sided two-proportion z-test of H1: e1/n1 > e2/n2, with the pooled proportion. p = 1 when
// the pooled proportion is 0 or 1 or a group is empty (nothing to test).
struct ProportionTest
{
    double z = 0;
    double p = 1;
};
ProportionTest oneSidedTwoProportion(std::int64_t e1, std::int64_t n1, std::int64_t e2,
                                     std::int64_t n2);

// P(X >= k) for X ~ Hypergeometric(population, successes, draws): the one-sided Fisher exact
// test of "the slice's errors exceed the rest's" (draws = slice rows, successes = all errors).
// The z-test's normal tail is too light for small slices with error rates far from 1/2 (null
// datasets of T7: 13.5% reported an error slice with z, within the bound with this test).
double hypergeometricUpperTail(std::int64_t k, std::int64_t population, std::int64_t successes,
                               std::int64_t draws);

// SliceLine's score of a slice (Sagadeeva & Boehm 2021): α (ē_S / ē - 1) - (1 - α) (n / n_S - 1).
double sliceLineScore(std::int64_t sliceErrors, std::int64_t sliceRows, std::int64_t errors,
                      std::int64_t rows, double alpha = 0.5);

} // namespace assay::analysis::bias
