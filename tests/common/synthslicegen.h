#pragma once

#include <QByteArray>

#include "analysis/biasattributes.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

// SynthSliceGen (../shared/spec/bias-slices.md, "Synthetic data and tests"): seeded datasets
// with independent attributes and planted slices whose class mix (or error rate) is shifted.
// Our own PRNG and sampling routines: std::*_distribution differ between standard libraries.
namespace assay::test {

class SplitMix64
{
public:
    explicit SplitMix64(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next();
    double uniform(); // [0, 1), 53 bits
    // Uniform integer in [0, n) by rejection (no modulo bias).
    std::uint64_t below(std::uint64_t n);
    // Index drawn from `cumulative` (ascending, last = 1) by the inverse CDF.
    int categorical(const std::vector<double> &cumulative);

private:
    std::uint64_t m_state;
};

struct SynthAttribute
{
    enum class Kind { Categorical, Uniform, Choice };
    QString name;
    Kind kind = Kind::Categorical;
    QStringList levels;              // Categorical
    std::vector<double> probabilities; // Categorical (sum 1); empty: uniform over levels
    double lo = 0, hi = 255;         // Uniform
    std::vector<double> choices;     // Choice: one of these, uniformly
};

// A slice planted by conditions on attributes: level names for categorical ones, [lo, hi) for
// numeric ones.
struct SynthCondition
{
    QString attribute;
    QString level;
    double lo = 0, hi = 0;
};

struct SynthSpec
{
    int n = 1000;
    int classes = 4;
    double zipf = 0; // class prior ∝ 1 / k^zipf (0: uniform)
    std::vector<SynthAttribute> attributes;
    // Label shift: rows in the slice draw y from π' with π'_k* = min(0.95, lift · π_k*), the
    // other classes rescaled; lift 1 plants nothing.
    std::vector<SynthCondition> planted;
    int targetClass = 0;
    double lift = 1;
    bool exact = false; // exact mode: counts round(n · π) per class, assigned by a permutation
    // Predictions: ŷ = y with probability 1 - ε, else uniform over the other classes; ε is
    // errorIn inside `errorSlice` and errorOut elsewhere. No predictions when errorOut < 0.
    std::vector<SynthCondition> errorSlice;
    double errorIn = 0, errorOut = -1;
    std::uint64_t seed = 1;
};

analysis::bias::SliceData generateSlices(const SynthSpec &spec);

// A 32×32 grey PNG of mean `level` with ±3 of noise (so no two are byte or pixel copies): the
// end-to-end bias tests plant a brightness-linked class with these.
QByteArray greyNoisePng(double level, SplitMix64 &random);

// Whether row `row` of `data` satisfies every condition (as planted).
bool inPlanted(const analysis::bias::SliceData &data, const std::vector<SynthCondition> &where,
               size_t row);

// The spec's common attribute set: `categorical` categorical attributes (3, 4, 5 ... levels)
// and `numeric` uniform ones on [0, 255).
std::vector<SynthAttribute> nullAttributes(int categorical, int numeric);

} // namespace assay::test
