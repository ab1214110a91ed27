#include "biasattributes.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace assay::analysis::bias {

namespace {

// Exact powers of ten (every one up to 1e22 is a double).
double exactPowerOfTen(int exponent)
{
    double value = 1.0;
    for (int i = 0; i < exponent; ++i)
        value *= 10.0;
    return value;
}

double roundToSignificant(double value, int digits)
{
    return QString::number(value, 'g', digits).toDouble();
}

BinnedAttribute categorical(const RawAttribute &raw, const QStringList &values,
                            const std::vector<std::int32_t> &codes, int topValues, bool keepOrder)
{
    BinnedAttribute binned;
    binned.name = raw.name;
    binned.origin = raw.origin;
    binned.binning = QStringLiteral("categorical");
    binned.labelSource = raw.labelSource;
    std::vector<std::int64_t> counts(size_t(values.size()), 0);
    bool anyMissing = false;
    for (std::int32_t code : codes) {
        if (code >= 0 && code < values.size())
            ++counts[size_t(code)];
        else
            anyMissing = true;
    }
    std::vector<int> order;
    for (int v = 0; v < int(values.size()); ++v) {
        if (counts[size_t(v)] > 0)
            order.push_back(v);
    }
    if (!keepOrder) {
        std::sort(order.begin(), order.end(), [&](int a, int b) {
            if (counts[size_t(a)] != counts[size_t(b)])
                return counts[size_t(a)] > counts[size_t(b)];
            return values[a] < values[b];
        });
    }
    const size_t kept = std::min(order.size(), size_t(std::max(topValues, 1)));
    std::vector<std::uint16_t> recode(size_t(values.size()), std::uint16_t(kept));
    for (size_t i = 0; i < kept; ++i) {
        recode[size_t(order[i])] = std::uint16_t(i);
        binned.values << values[order[i]];
    }
    if (order.size() > kept)
        binned.values << otherValue;
    const std::uint16_t missingCode = std::uint16_t(binned.values.size());
    if (anyMissing)
        binned.values << missingValue;
    binned.codes.resize(codes.size());
    for (size_t row = 0; row < codes.size(); ++row) {
        const std::int32_t code = codes[row];
        binned.codes[row] = code >= 0 && code < values.size() ? recode[size_t(code)] : missingCode;
    }
    return binned;
}

BinnedAttribute numericBins(const RawAttribute &raw, int bins, int topValues)
{
    std::vector<double> present;
    present.reserve(raw.numbers.size());
    for (double x : raw.numbers) {
        if (!std::isnan(x))
            present.push_back(x);
    }
    std::sort(present.begin(), present.end());
    std::vector<double> distinct = present;
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());

    if (distinct.size() <= size_t(std::max(bins, 1))) {
        // Few distinct values (4:3 and 1:1, a handful of widths): they are the categories.
        QStringList values;
        for (double x : distinct)
            values << formatBinNumber(x);
        std::vector<std::int32_t> codes(raw.numbers.size(), -1);
        for (size_t row = 0; row < raw.numbers.size(); ++row) {
            const double x = raw.numbers[row];
            if (!std::isnan(x))
                codes[row] = std::int32_t(std::lower_bound(distinct.begin(), distinct.end(), x) -
                                          distinct.begin());
        }
        BinnedAttribute binned = categorical(raw, values, codes, topValues, true);
        return binned;
    }

    BinnedAttribute binned;
    binned.name = raw.name;
    binned.origin = raw.origin;
    binned.binning = QStringLiteral("quantile");
    binned.labelSource = raw.labelSource;
    const size_t n = present.size();
    for (int b = 1; b < bins; ++b) {
        const size_t rank = (size_t(b) * n + size_t(bins) - 1) / size_t(bins) - 1;
        const double at = present[rank];
        const auto next = std::upper_bound(present.begin(), present.end(), at);
        if (next == present.end())
            break;
        const double edge = shortestDecimalAbove(at, *next);
        if (binned.edges.empty() || edge > binned.edges.back())
            binned.edges.push_back(edge);
    }
    const double low = roundToSignificant(present.front(), 6);
    const double high = roundToSignificant(present.back(), 6);
    for (size_t b = 0; b <= binned.edges.size(); ++b) {
        const QString lo = formatBinNumber(b == 0 ? low : binned.edges[b - 1]);
        if (b == binned.edges.size())
            binned.values << QStringLiteral("[%1, %2]").arg(lo, formatBinNumber(high));
        else
            binned.values << QStringLiteral("[%1, %2)").arg(lo, formatBinNumber(binned.edges[b]));
    }
    const std::uint16_t missingCode = std::uint16_t(binned.values.size());
    if (present.size() < raw.numbers.size())
        binned.values << missingValue;
    binned.codes.resize(raw.numbers.size());
    for (size_t row = 0; row < raw.numbers.size(); ++row) {
        const double x = raw.numbers[row];
        binned.codes[row] =
            std::isnan(x) ? missingCode
                          : std::uint16_t(std::upper_bound(binned.edges.begin(),
                                                           binned.edges.end(), x) -
                                          binned.edges.begin());
    }
    return binned;
}

BinnedAttribute aspectBins(const RawAttribute &raw)
{
    // Aspect ratios are a few discrete shapes (4:3, 1:1, 16:9): fixed bins around them.
    static const double edges[] = {0.75, 0.95, 1.05, 1.4, 1.9};
    BinnedAttribute binned;
    binned.name = raw.name;
    binned.origin = raw.origin;
    binned.binning = QStringLiteral("aspect");
    binned.labelSource = raw.labelSource;
    binned.edges.assign(std::begin(edges), std::end(edges));
    binned.values << QStringLiteral("< 0.75") << QStringLiteral("[0.75, 0.95)")
                  << QStringLiteral("[0.95, 1.05)") << QStringLiteral("[1.05, 1.4)")
                  << QStringLiteral("[1.4, 1.9)") << QStringLiteral("≥ 1.9");
    bool anyMissing = false;
    binned.codes.resize(raw.numbers.size());
    for (size_t row = 0; row < raw.numbers.size(); ++row) {
        const double x = raw.numbers[row];
        anyMissing = anyMissing || std::isnan(x);
        binned.codes[row] =
            std::isnan(x) ? std::uint16_t(6)
                          : std::uint16_t(std::upper_bound(std::begin(edges), std::end(edges), x) -
                                          std::begin(edges));
    }
    if (anyMissing)
        binned.values << missingValue;
    return binned;
}

} // namespace

double shortestDecimalAbove(double a, double b)
{
    if (!(a < b))
        return b;
    const double scale = std::max(std::abs(a), std::abs(b));
    const int top = scale > 0 ? int(std::floor(std::log10(scale))) + 2 : 1;
    for (int k = top; k > top - 24; --k) {
        // Multiples of 10^k (by an exact power, so 0.3 is the double nearest 0.3).
        double candidate;
        if (k >= 0) {
            const double step = exactPowerOfTen(std::min(k, 22));
            candidate = (std::floor(a / step) + 1.0) * step;
        } else {
            const double scaleUp = exactPowerOfTen(std::min(-k, 22));
            candidate = (std::floor(a * scaleUp) + 1.0) / scaleUp;
        }
        if (candidate > a && candidate <= b)
            return candidate;
    }
    return b;
}

QString formatBinNumber(double value)
{
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("∞") : QStringLiteral("-∞");
    if (value == std::floor(value) && std::abs(value) < 1e15)
        return QString::number(qint64(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

BinnedAttribute binAttribute(const RawAttribute &attribute, int bins, int topValues)
{
    switch (attribute.kind) {
    case RawAttribute::Kind::Categorical:
        return categorical(attribute, attribute.values, attribute.codes, topValues, false);
    case RawAttribute::Kind::Numeric:
        return numericBins(attribute, bins, topValues);
    case RawAttribute::Kind::Aspect:
        break;
    }
    return aspectBins(attribute);
}

QString predicateText(const BinnedAttribute &attribute, int value)
{
    const QString &label = attribute.values[value];
    if (attribute.binning != QStringLiteral("categorical") && label != missingValue) {
        if (label.startsWith(u'['))
            return attribute.name + QStringLiteral("∈") + label;
        return attribute.name + u' ' + label; // "aspect < 0.75", "aspect ≥ 1.9"
    }
    return attribute.name + u'=' + label;
}

bool resolvePredicates(const std::vector<BinnedAttribute> &attributes,
                       const std::vector<NamedPredicate> &named, std::vector<Predicate> &resolved)
{
    resolved.clear();
    for (const NamedPredicate &predicate : named) {
        const auto attribute =
            std::find_if(attributes.begin(), attributes.end(),
                         [&](const BinnedAttribute &a) { return a.name == predicate.attribute; });
        if (attribute == attributes.end())
            return false;
        const qsizetype value = attribute->values.indexOf(predicate.value);
        if (value < 0)
            return false;
        resolved.push_back({int(attribute - attributes.begin()), int(value)});
    }
    return true;
}

std::vector<std::uint32_t> rowsMatching(const std::vector<BinnedAttribute> &attributes,
                                        const std::vector<Predicate> &predicates, size_t rows)
{
    std::vector<std::uint32_t> matching;
    for (size_t row = 0; row < rows; ++row) {
        bool all = true;
        for (const Predicate &predicate : predicates) {
            if (attributes[size_t(predicate.attribute)].codes[row] != predicate.value) {
                all = false;
                break;
            }
        }
        if (all)
            matching.push_back(std::uint32_t(row));
    }
    return matching;
}

} // namespace assay::analysis::bias
