#pragma once

#include <vector>

// Small statistics toolkit for the analyses: distribution tails, confidence intervals,
// multiple-testing correction, contingency tables and entropy. Pure functions, no Qt.
namespace assay::stats {

// Upper regularized incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a), for a > 0 and x >= 0
// (series for x < a + 1, Lentz continued fraction otherwise). Q(a, 0) = 1, Q(a, +inf) = 0.
// Relative error about 1e-13 for a >= 0.5; for a much smaller than 1 and x < a + 1 the
// result is 1 - P and loses relative accuracy as Q approaches 0. NaN for a <= 0, x < 0, NaN.
double regularizedGammaQ(double a, double x);

// Survival function of the chi-square distribution with `df` > 0 degrees of freedom:
// P(X >= x2) = Q(df / 2, x2 / 2). 1 for x2 <= 0; NaN for df <= 0 or NaN input.
double chiSquareSf(double x2, double df);

// Survival function of the standard normal distribution: P(Z >= z).
double normalSf(double z);

struct Interval
{
    double lo = 0;
    double hi = 1;
};

// Wilson score interval for a binomial proportion `successes` / `n` (z = 1.96 gives 95 %).
// Bounds are clamped to [0, 1]; n <= 0 gives [0, 1].
Interval wilsonInterval(double successes, double n, double z = 1.959963984540054);

// Benjamini-Hochberg q-values (adjusted p-values) in input order: q_(i) = min over j >= i of
// p_(j) · m / j, capped at 1, where p_(1) <= … <= p_(m). NaN entries stay NaN and are not
// counted in m.
std::vector<double> benjaminiHochberg(const std::vector<double> &pValues);

struct ChiSquareResult
{
    double x2 = 0;       // Pearson's X²
    int df = 0;          // (r' - 1)(c' - 1) over the non-empty rows and columns
    double p = 1;        // P(chi2(df) >= x2)
    double cramersV = 0; // sqrt(X² / (N · (min(r', c') - 1)))
    double g = 0;        // likelihood-ratio statistic 2 Σ O ln(O / E)
};

// Pearson's chi-square test of independence on an r×c contingency table of counts (>= 0).
// Rows and columns whose totals are 0 are ignored; short rows count as zeros. When fewer than
// two non-empty rows or columns remain (df 0) the result is x2 0, p 1, V 0, g 0. No continuity
// correction.
ChiSquareResult chiSquareIndependence(const std::vector<std::vector<double>> &table);

// Shannon entropy of the distribution `counts` divided by ln(K), K = counts.size() including
// entries that are 0 (so a class without samples lowers it): 1 means perfectly even, 0 means one
// entry holds everything. 1 when K <= 1; 0 when every count is 0. Negative counts count as 0.
double normalizedEntropy(const std::vector<double> &counts);

} // namespace assay::stats
