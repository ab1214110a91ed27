#pragma once

#include <QString>

#include <vector>

// The arithmetic behind MetricHistogram: bins, axis ticks and number labels (no widgets).
namespace assay::ui {

// The values v with low <= v < high, in the metric's own unit.
struct HistogramBin
{
    double low = 0;
    double high = 0;
    qint64 count = 0;
};

struct HistogramBins
{
    std::vector<HistogramBin> bins;
    std::vector<double> drawEdges; // chart x of the bin edges: log10 edges for a log scale,
                                   // whole-number bins shifted by -0.5 to centre their values
    bool whole = false;            // every value is a whole number: bins are whole numbers too
    bool log = false;              // binned by log10(value)
    qint64 notMeasured = 0;        // NaN or infinite values, left out
};

// About 40 bins of 1, 2, 2.5 or 5 × 10^k (fewer for few distinct values), aligned to multiples
// of their width. With `logScale` the width is in decades; values <= 0 go to the first bin, and
// when no value is positive the scale is linear.
HistogramBins computeHistogramBins(const std::vector<double> &values, bool logScale);

// At most about `budget` tick values, in the metric's unit, for chart x in [low, high]
// (log10 of the values for a log scale: decades, then 1-2-5, then 1..9 as room allows).
std::vector<double> axisTicks(double low, double high, bool log, int budget);

// "80 – 85"; for whole-number bins the inclusive "80 – 84", or "80" for a one-number bin.
QString rangeText(const HistogramBin &bin, bool whole);

// Up to 3 significant digits, locale-formatted; 10,000 and more as 10k, 1.5M, 2G.
QString compactNumber(double value);

} // namespace assay::ui
