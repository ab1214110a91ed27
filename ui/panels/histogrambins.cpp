#include "histogrambins.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <limits>

namespace assay::ui {

namespace {

constexpr double TargetBins = 40;

// The 1, 2, 2.5, 5 × 10^k step nearest to `raw` (ratio-wise), or the smallest one >= raw with
// `atLeast`; whole steps only with `whole`.
double niceStep(double raw, bool whole, bool atLeast = false)
{
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const auto distance = [raw](double step) { return std::abs(std::log(step / raw)); };
    double best = 10 * magnitude;
    for (double m : {1.0, 2.0, 2.5, 5.0}) {
        const double step = m * magnitude;
        if ((whole && step != std::floor(step)) || (atLeast && step < raw * (1 - 1e-9)))
            continue;
        if (atLeast ? step < best : distance(step) < distance(best))
            best = step;
    }
    return whole ? std::max(1.0, best) : best;
}

bool isWhole(double v)
{
    return std::abs(v) < 1e15 && v == std::floor(v);
}

} // namespace

QString compactNumber(double v)
{
    const QLocale locale;
    const double a = std::abs(v);
    if (a >= 1e4) {
        int power = 3;
        while (power < 12 && a / std::pow(10.0, power) >= 999.5)
            power += 3;
        const QString suffix = QStringLiteral("kMGT").mid(power / 3 - 1, 1);
        return compactNumber(v / std::pow(10.0, power)) + suffix;
    }
    if (a < 1e-12)
        return QStringLiteral("0");
    const int decimals = std::clamp(2 - int(std::floor(std::log10(a))), 0, 12);
    QString text = locale.toString(v, 'f', decimals);
    if (decimals > 0) {
        while (text.endsWith(QLatin1Char('0')))
            text.chop(1);
        if (text.endsWith(locale.decimalPoint()))
            text.chop(locale.decimalPoint().size());
    }
    return text;
}

QString rangeText(const HistogramBin &bin, bool whole)
{
    if (whole && bin.high - bin.low <= 1)
        return compactNumber(bin.low);
    return QStringLiteral("%1 – %2").arg(compactNumber(bin.low),
                                         compactNumber(whole ? bin.high - 1 : bin.high));
}

HistogramBins computeHistogramBins(const std::vector<double> &input, bool logScale)
{
    HistogramBins out;
    std::vector<double> values;
    values.reserve(input.size());
    for (const double v : input) {
        if (std::isfinite(v))
            values.push_back(v);
        else
            ++out.notMeasured;
    }
    if (values.empty())
        return out;
    std::sort(values.begin(), values.end());
    out.log = logScale && values.back() > 0;
    out.whole = !out.log && std::all_of(values.begin(), values.end(), isWhole);
    const auto positive = std::upper_bound(values.begin(), values.end(), 0.0);
    const double lo = out.log ? std::log10(*positive) : values.front();
    const double hi = out.log ? std::log10(values.back()) : values.back();
    double distinct = 1;
    for (std::size_t i = 1; i < values.size() && distinct < TargetBins; ++i)
        distinct += values[i] != values[i - 1] ? 1 : 0;

    double step = 0;
    if (out.whole)
        step = niceStep((hi - lo + 1) / distinct, true);
    else if (hi > lo)
        step = niceStep((hi - lo) / distinct, false);
    else
        step = out.log ? 0.1 : niceStep(lo == 0 ? 1.0 : std::abs(lo) / 10, false);
    const double first = std::floor(lo / step);
    int count = 1;
    while ((first + count) * step <= hi)
        ++count;

    // Bins are found by the edges in the metric's unit, so the counts agree with the bounds.
    std::vector<double> edges(std::size_t(count) + 1);
    out.drawEdges.resize(edges.size());
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const double edge = (first + double(i)) * step;
        out.drawEdges[i] = out.whole ? edge - 0.5 : edge; // whole numbers centred in their bar
        edges[i] = out.log ? std::pow(10.0, edge) : edge;
    }
    edges.front() = std::min(edges.front(), values.front());
    if (edges.back() <= values.back())
        edges.back() = std::nextafter(values.back(), std::numeric_limits<double>::infinity());
    out.bins.resize(std::size_t(count));
    for (std::size_t i = 0; i < out.bins.size(); ++i)
        out.bins[i] = {edges[i], edges[i + 1], 0};
    for (const double v : values) {
        const auto found = std::upper_bound(edges.begin(), edges.end(), v) - edges.begin() - 1;
        ++out.bins[std::size_t(std::clamp<std::ptrdiff_t>(found, 0, count - 1))].count;
    }
    return out;
}

std::vector<double> axisTicks(double low, double high, bool log, int budget)
{
    std::vector<double> ticks;
    if (log) {
        const std::vector<std::vector<double>> mantissas = {
            {1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 5}, {1}};
        for (const auto &set : mantissas) {
            for (int decade = int(std::floor(low)); decade <= int(std::ceil(high)); ++decade) {
                for (const double m : set) {
                    const double position = decade + std::log10(m);
                    if (position >= low - 1e-9 && position <= high + 1e-9)
                        ticks.push_back(m * std::pow(10.0, decade));
                }
            }
            if (ticks.size() <= std::size_t(budget) || set.size() == 1)
                break;
            ticks.clear();
        }
        const std::size_t stride = (ticks.size() + std::size_t(budget) - 1) / std::size_t(budget);
        if (stride > 1) { // too many decades: every stride-th one
            std::vector<double> thinned;
            for (std::size_t i = 0; i < ticks.size(); i += stride)
                thinned.push_back(ticks[i]);
            return thinned;
        }
        if (ticks.size() >= 2)
            return ticks;
        ticks.clear(); // less than a decade: plain ticks in the metric's unit
        low = std::pow(10.0, low);
        high = std::pow(10.0, high);
    }
    const double step =
        niceStep(std::max(high - low, 1e-12) / std::max(1, budget), false, true);
    double tick = std::ceil(low / step - 1e-9) * step;
    for (; tick <= high + step * 1e-9 && ticks.size() < 200; tick += step)
        ticks.push_back(std::abs(tick) < step * 1e-9 ? 0.0 : tick);
    return ticks;
}

} // namespace assay::ui
