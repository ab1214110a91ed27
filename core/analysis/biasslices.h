#pragma once

#include "biasattributes.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

// Bias slices (../shared/spec/bias-slices.md): conjunctions of up to L attribute predicates
// whose class mix differs from the whole, found with a false-discovery guarantee. The family of
// candidate slices is fixed by support alone (level by level, Apriori), each is tested with a
// chi-square test on its 2 × K table, and Benjamini-Hochberg runs over the whole family. With
// predictions, error slices are tested the same way with a one-sided two-proportion test.
namespace assay::analysis::bias {

// All user-visible; persisted in the project and written into every export (§5).
struct SliceParameters
{
    int maxLevel = 2;        // L: predicates per slice (1-3)
    int bins = 5;            // B: equal-frequency bins of numeric attributes
    int minSupport = 30;     // minSup: minSup <= n_S <= N - minSup
    double fdr = 0.05;       // q: Benjamini-Hochberg level of both families
    double minV = 0.10;      // V_min
    double minRatio = 1.5;   // the driver's representation ratio >= this or <= 1 / this
    double errorRatio = 1.25; // error slices: err_S / err_all >= this ...
    double errorDrop = 0.02;  // ... and err_S - err_rest >= this
    int topValues = 20;      // categorical values kept; the rest are "(other)"
    bool dedupe = true;      // one row per exact-duplicate group in the tests
    int folderDepth = 0;     // the path component the "folder" attribute reads (0: top level)
    double proxyV = 0.99;    // an attribute with Cramér's V >= this is a label proxy
};

enum class SliceStatus {
    Reported,
    NotSignificant,
    SmallEffect,
    Redundant, // reported, but a reported parent says the same (B4): shown under it
    Untestable,
};
QString sliceStatusName(SliceStatus status);

struct SliceRecord
{
    int id = 0; // rank in the family (1 = first), the ranking of §3
    std::vector<Predicate> predicates; // by attribute index
    QString text;                      // canonical: "source=web ∧ brightness∈[0, 43)"
    int level = 1;
    std::int64_t n = 0;
    double share = 0;                      // n / N_L
    std::vector<std::int64_t> classCounts; // per class
    double x2 = 0;
    int df = 0;
    double p = 1;
    double q = 1;
    double v = 0;
    double miBits = 0;
    int driverClass = -1; // index into classes; -1 the merged "(other)" column
    QString driverName;
    double ratio = 1, ratioLo = 0, ratioHi = 0;
    SliceStatus status = SliceStatus::NotSignificant;
    int redundantOf = 0; // the parent's id when Redundant
};

struct ErrorSliceRecord
{
    int id = 0;
    std::vector<Predicate> predicates;
    QString text;
    int level = 1;
    std::int64_t n = 0;      // rows with a label and a prediction in the slice
    std::int64_t errors = 0;
    double err = 0, errLo = 0, errHi = 0; // Wilson 95%
    double errRest = 0;                   // error of the complement
    double z = 0, p = 1, q = 1;
    double sliceLineScore = 0;    // α = 0.5
    double aequitasRatio = 0;     // err_rest / err_S (NaN when err_S = 0)
    bool aequitasFlag = false;    // outside [0.8, 1.25]
    SliceStatus status = SliceStatus::NotSignificant;
};

// One attribute against the label (the second family), with the heat map's cells.
struct AttributeSummary
{
    int attribute = 0; // index into SliceResults::attributes
    // "tested", "untestable" (guard), "constant" (one value), "label_proxy" (excluded from
    // slices), "no_labels".
    QString status;
    QString reason;
    double x2 = 0;
    int df = 0;
    double p = 1;
    double q = 1; // NaN unless tested
    double v = 0; // Cramér's V (of the guarded table; the raw table's for a label proxy)
    double miBits = 0;
    std::vector<std::int64_t> valueCounts;         // per value, over the tested rows
    std::vector<std::vector<std::int64_t>> counts; // [value][class]
    std::vector<std::vector<double>> residuals;    // [value][class] adjusted residuals
};

struct SliceResults
{
    SliceParameters parameters;
    QStringList classes;
    std::vector<BinnedAttribute> attributes; // codes cleared unless keepCodes
    std::int64_t rows = 0;        // N, all rows (bin edges)
    std::int64_t labeled = 0;     // N_L, the tested rows
    std::int64_t duplicatesRemoved = 0;
    std::int64_t predicted = 0;   // rows with a label and a prediction
    std::int64_t errors = 0;
    std::vector<std::int64_t> classTotals; // per class, over the tested rows
    std::vector<AttributeSummary> attributeSummary; // ranked by V (descending)
    std::vector<SliceRecord> slices;                // every tested slice, ranked
    std::vector<ErrorSliceRecord> errorSlices;      // empty without predictions
    std::int64_t reported() const;       // Reported slices (not counting Redundant ones)
    std::int64_t errorReported() const;
};

struct ComputeOptions
{
    int threads = 0;       // 0: one per core. The result does not depend on it.
    bool keepCodes = false; // keep the binned codes in the result (for slice membership)
};

SliceResults computeSlices(const SliceData &data, const SliceParameters &parameters,
                           const ComputeOptions &options = {});

// The rows of `data` in a slice (ascending); `results` must have been computed with keepCodes.
std::vector<std::uint32_t> sliceRows(const SliceResults &results,
                                     const std::vector<Predicate> &predicates);

} // namespace assay::analysis::bias
