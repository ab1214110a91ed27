#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

// The rows and attributes bias slices are searched over (../shared/spec/bias-slices.md §1), and
// the deterministic binning that maps each attribute to a finite domain.
namespace assay::analysis::bias {

// One attribute's value per row, before binning.
struct RawAttribute
{
    enum class Kind {
        Categorical, // codes into `values`
        Numeric,     // equal-frequency bins (or categorical with few distinct values)
        Aspect,      // fixed semantic bins of w/h
    };
    QString name;
    QString origin; // "split", "folder", "csv", "scan", "quality", "duplicates", ...
    Kind kind = Kind::Categorical;
    QStringList values;               // Categorical: the dictionary
    std::vector<std::int32_t> codes;  // Categorical: index into values, -1 missing
    std::vector<double> numbers;      // Numeric, Aspect: NaN missing
    // Read from the path component the labels come from: excluded outright (§1 label-proxy guard).
    bool labelSource = false;
};

// Predictions are class indices, or one of these.
inline constexpr std::int32_t noPrediction = -1;
inline constexpr std::int32_t unknownPrediction = -2; // a class the labels do not have: an error

// Everything the engine reads: one row per sample.
struct SliceData
{
    std::vector<std::int64_t> sampleIds;
    QStringList classes;
    std::vector<std::int32_t> labels;      // index into classes, -1 unlabeled
    std::vector<std::int32_t> predictions; // empty when there are none; else per row
    // Rows left out of the tests (not of the bin edges): exact duplicates other than the first
    // of their group, when de-duplication is on. Empty means none.
    std::vector<std::uint8_t> duplicateCopy;
    std::vector<RawAttribute> attributes;

    size_t rows() const { return labels.size(); }
};

// An attribute mapped to a finite domain: a code per row, a label per code.
struct BinnedAttribute
{
    QString name;
    QString origin;
    QString binning;   // "categorical", "quantile", "aspect"
    QStringList values; // labels of the codes, e.g. "web", "[0, 41)", "(other)", "(missing)"
    std::vector<double> edges; // quantile: the cut points (bin b holds edges[b-1] <= x < edges[b])
    std::vector<std::uint16_t> codes; // per row
    bool labelSource = false;
};

inline const QString otherValue = QStringLiteral("(other)");
inline const QString missingValue = QStringLiteral("(missing)");

// Numeric attributes: equal-frequency bins on all rows (edges at the b/B quantiles, ties to the
// lower bin: an edge lies strictly above the quantile value, at the shortest decimal up to the
// next distinct value); an attribute with at most `bins` distinct values is categorical.
// Categorical: the `topValues` most frequent values (ties by name), the rest "(other)".
// Missing values are "(missing)" in both.
BinnedAttribute binAttribute(const RawAttribute &attribute, int bins, int topValues);

// The shortest decimal x with a < x <= b (a < b): a readable cut point between two values.
double shortestDecimalAbove(double a, double b);

// How a number is written in a bin label.
QString formatBinNumber(double value);

// The canonical text of a predicate: "name=value" or "name∈[lo, hi)" for a numeric bin.
QString predicateText(const BinnedAttribute &attribute, int value);

// A predicate by names (what is stored and exported), and one resolved against binned attributes.
struct NamedPredicate
{
    QString attribute;
    QString value;
};
struct Predicate
{
    int attribute = 0; // index into the binned attributes
    int value = 0;     // code
};

// Resolves named predicates; false when an attribute or value does not exist (any more).
bool resolvePredicates(const std::vector<BinnedAttribute> &attributes,
                       const std::vector<NamedPredicate> &named, std::vector<Predicate> &resolved);

// Rows satisfying every predicate, ascending.
std::vector<std::uint32_t> rowsMatching(const std::vector<BinnedAttribute> &attributes,
                                        const std::vector<Predicate> &predicates, size_t rows);

} // namespace assay::analysis::bias
