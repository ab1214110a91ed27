#include "stats.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <numeric>

namespace assay::stats {

namespace {

constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
constexpr double kTiny = std::numeric_limits<double>::min() / kEpsilon;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// log(1 + t) - t without cancellation for small |t|: with v = t / (2 + t),
// log(1 + t) = 2 atanh(v) = 2 (v + v³/3 + v⁵/5 + …) and t - 2v = t·v.
double log1pmx(double t)
{
    if (std::abs(t) >= 0.5)
        return std::log1p(t) - t;
    const double v = t / (2.0 + t);
    const double v2 = v * v;
    double sum = -t * v;
    double power = 2.0 * v * v2;
    for (int k = 1; k < 200; ++k) {
        const double term = power / double(2 * k + 1);
        sum += term;
        if (std::abs(term) <= kEpsilon * std::abs(sum))
            break;
        power *= v2;
    }
    return sum;
}

// lgamma(a) - [(a - 1/2) ln a - a + ln(2π) / 2], the error of Stirling's formula.
double stirlingError(double a)
{
    if (a < 10.0)
        return std::lgamma(a) -
               ((a - 0.5) * std::log(a) - a + 0.5 * std::log(2.0 * std::numbers::pi));
    const double inv2 = 1.0 / (a * a);
    constexpr double s0 = 1.0 / 12.0, s1 = 1.0 / 360.0, s2 = 1.0 / 1260.0, s3 = 1.0 / 1680.0,
                     s4 = 1.0 / 1188.0;
    return (s0 - (s1 - (s2 - (s3 - s4 * inv2) * inv2) * inv2) * inv2) / a;
}

// x^a e^-x / Γ(a), computed as sqrt(a / 2π) · exp(a · log1pmx((x - a) / a) - stirlingError(a))
// so that large a and x near a keep their precision (the naive a ln x - x - lgamma(a) cancels).
double gammaPrefactor(double a, double x)
{
    if (a < 1.0)
        return std::exp(a * std::log(x) - x - std::lgamma(a));
    const double exponent = a * log1pmx((x - a) / a) - stirlingError(a);
    return std::sqrt(a / (2.0 * std::numbers::pi)) * std::exp(exponent);
}

long iterationLimit(double a)
{
    return 1000 + long(50.0 * std::sqrt(a));
}

// P(a, x) by its series (x < a + 1).
double gammaPSeries(double a, double x)
{
    double term = 1.0 / a;
    double sum = term;
    double denominator = a;
    const long limit = iterationLimit(a);
    for (long n = 1; n < limit; ++n) {
        denominator += 1.0;
        term *= x / denominator;
        sum += term;
        if (std::abs(term) < std::abs(sum) * kEpsilon)
            break;
    }
    return sum * gammaPrefactor(a, x);
}

// Q(a, x) by its continued fraction, evaluated with the modified Lentz method (x >= a + 1).
double gammaQContinuedFraction(double a, double x)
{
    double b = x + 1.0 - a;
    double c = 1.0 / kTiny;
    double d = 1.0 / b;
    double h = d;
    const long limit = iterationLimit(a);
    for (long i = 1; i < limit; ++i) {
        const double an = -double(i) * (double(i) - a);
        b += 2.0;
        d = an * d + b;
        if (std::abs(d) < kTiny)
            d = kTiny;
        c = b + an / c;
        if (std::abs(c) < kTiny)
            c = kTiny;
        d = 1.0 / d;
        const double delta = d * c;
        h *= delta;
        if (std::abs(delta - 1.0) < kEpsilon)
            break;
    }
    return h * gammaPrefactor(a, x);
}

} // namespace

double regularizedGammaQ(double a, double x)
{
    if (!(a > 0.0) || !(x >= 0.0) || std::isinf(a))
        return kNaN;
    if (x == 0.0)
        return 1.0;
    if (std::isinf(x))
        return 0.0;
    if (x < a + 1.0)
        return std::clamp(1.0 - gammaPSeries(a, x), 0.0, 1.0);
    return std::clamp(gammaQContinuedFraction(a, x), 0.0, 1.0);
}

double chiSquareSf(double x2, double df)
{
    if (std::isnan(x2) || !(df > 0.0))
        return kNaN;
    if (x2 <= 0.0)
        return 1.0;
    return regularizedGammaQ(0.5 * df, 0.5 * x2);
}

double normalSf(double z)
{
    return 0.5 * std::erfc(z * std::numbers::sqrt2 / 2.0);
}

Interval wilsonInterval(double successes, double n, double z)
{
    if (!(n > 0.0))
        return {0.0, 1.0};
    const double p = std::clamp(successes / n, 0.0, 1.0);
    const double z2 = z * z;
    const double denominator = 1.0 + z2 / n;
    const double center = (p + z2 / (2.0 * n)) / denominator;
    const double half = z * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denominator;
    return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

std::vector<double> benjaminiHochberg(const std::vector<double> &pValues)
{
    std::vector<double> q(pValues.size(), kNaN);
    std::vector<std::size_t> order;
    order.reserve(pValues.size());
    for (std::size_t i = 0; i < pValues.size(); ++i) {
        if (!std::isnan(pValues[i]))
            order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t l, std::size_t r) { return pValues[l] < pValues[r]; });
    const double m = double(order.size());
    double running = 1.0;
    for (std::size_t rank = order.size(); rank > 0; --rank) {
        const std::size_t index = order[rank - 1];
        running = std::min(running, pValues[index] * m / double(rank));
        q[index] = running;
    }
    return q;
}

ChiSquareResult chiSquareIndependence(const std::vector<std::vector<double>> &table)
{
    std::size_t columns = 0;
    for (const auto &row : table)
        columns = std::max(columns, row.size());
    std::vector<double> rowTotals(table.size(), 0.0);
    std::vector<double> columnTotals(columns, 0.0);
    for (std::size_t r = 0; r < table.size(); ++r) {
        for (std::size_t c = 0; c < table[r].size(); ++c) {
            rowTotals[r] += table[r][c];
            columnTotals[c] += table[r][c];
        }
    }
    std::vector<std::size_t> rows;
    std::vector<std::size_t> cols;
    for (std::size_t r = 0; r < rowTotals.size(); ++r) {
        if (rowTotals[r] > 0.0)
            rows.push_back(r);
    }
    for (std::size_t c = 0; c < columnTotals.size(); ++c) {
        if (columnTotals[c] > 0.0)
            cols.push_back(c);
    }
    ChiSquareResult result;
    if (rows.size() < 2 || cols.size() < 2)
        return result;

    const double total = std::accumulate(rowTotals.begin(), rowTotals.end(), 0.0);
    for (std::size_t r : rows) {
        for (std::size_t c : cols) {
            const double observed = c < table[r].size() ? table[r][c] : 0.0;
            const double expected = rowTotals[r] * columnTotals[c] / total;
            const double difference = observed - expected;
            result.x2 += difference * difference / expected;
            if (observed > 0.0)
                result.g += 2.0 * observed * std::log(observed / expected);
        }
    }
    result.df = int((rows.size() - 1) * (cols.size() - 1));
    result.p = chiSquareSf(result.x2, double(result.df));
    const double smaller = double(std::min(rows.size(), cols.size()));
    result.cramersV = std::sqrt(result.x2 / (total * (smaller - 1.0)));
    return result;
}

double normalizedEntropy(const std::vector<double> &counts)
{
    if (counts.size() <= 1)
        return 1.0;
    double total = 0.0;
    for (double count : counts)
        total += std::max(count, 0.0);
    if (!(total > 0.0))
        return 0.0;
    double entropy = 0.0;
    for (double count : counts) {
        if (count > 0.0) {
            const double share = count / total;
            entropy -= share * std::log(share);
        }
    }
    return std::clamp(entropy / std::log(double(counts.size())), 0.0, 1.0);
}

} // namespace assay::stats
