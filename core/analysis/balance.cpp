#include "balance.h"

#include <QJsonArray>

#include <algorithm>
#include <cstddef>

namespace assay::analysis {

namespace {

using Matrix = std::vector<std::vector<std::int64_t>>;

// `input` reshaped to exactly rows × columns: missing entries 0, extra ones dropped.
Matrix reshaped(const Matrix &input, std::size_t rows, std::size_t columns)
{
    Matrix out(rows, std::vector<std::int64_t>(columns, 0));
    for (std::size_t r = 0; r < std::min(rows, input.size()); ++r) {
        for (std::size_t c = 0; c < std::min(columns, input[r].size()); ++c)
            out[r][c] = input[r][c];
    }
    return out;
}

// Largest / smallest non-zero count; 1 with fewer than two non-zero counts.
double imbalanceRatio(const std::vector<std::int64_t> &counts)
{
    std::int64_t largest = 0;
    std::int64_t smallest = 0;
    int nonEmpty = 0;
    for (std::int64_t n : counts) {
        if (n <= 0)
            continue;
        largest = nonEmpty == 0 ? n : std::max(largest, n);
        smallest = nonEmpty == 0 ? n : std::min(smallest, n);
        ++nonEmpty;
    }
    return nonEmpty < 2 ? 1.0 : double(largest) / double(smallest);
}

double entropyOf(const std::vector<std::int64_t> &counts)
{
    return stats::normalizedEntropy(std::vector<double>(counts.begin(), counts.end()));
}

QJsonObject matrixJson(const QStringList &rows, const QStringList &columns, const Matrix &values)
{
    QJsonObject out;
    for (qsizetype r = 0; r < rows.size(); ++r) {
        QJsonObject row;
        for (qsizetype c = 0; c < columns.size(); ++c)
            row.insert(columns[c], qint64(values[std::size_t(r)][std::size_t(c)]));
        out.insert(rows[r], row);
    }
    return out;
}

std::int64_t sumOf(const std::vector<std::vector<std::int64_t>> &matrix)
{
    std::int64_t total = 0;
    for (const auto &row : matrix)
        for (const std::int64_t n : row)
            total += n;
    return total;
}

} // namespace

BalanceReport computeBalance(const ClassCounts &counts)
{
    BalanceReport report;
    report.classes = counts.classes;
    report.splits = counts.splits;
    const auto classCount = std::size_t(counts.classes.size());
    const auto splitCount = std::size_t(counts.splits.size());
    report.samples = reshaped(counts.samples, splitCount, classCount);
    if (!counts.annotations.empty())
        report.annotations = reshaped(counts.annotations, splitCount, classCount);

    // Statistics are of samples per class; for a detection dataset (objects, no image-level
    // labels) of objects per class.
    report.ofObjects = sumOf(report.samples) == 0 && sumOf(report.annotations) > 0;
    const auto &measured = report.ofObjects ? report.annotations : report.samples;

    report.classTotals.assign(classCount, 0);
    report.splitTotals.assign(splitCount, 0);
    for (std::size_t s = 0; s < splitCount; ++s) {
        for (std::size_t c = 0; c < classCount; ++c) {
            report.classTotals[c] += measured[s][c];
            report.splitTotals[s] += measured[s][c];
        }
        report.total += report.splitTotals[s];
    }

    report.imbalanceRatio = imbalanceRatio(report.classTotals);
    report.normalizedEntropy = entropyOf(report.classTotals);
    for (std::size_t c = 0; c < classCount; ++c) {
        if (report.classTotals[c] <= 0)
            report.emptyClasses << counts.classes[qsizetype(c)];
    }

    report.perSplit.resize(splitCount);
    report.shareDifference.assign(splitCount, std::vector<double>(classCount, 0.0));
    int nonEmptySplits = 0;
    for (std::size_t s = 0; s < splitCount; ++s) {
        report.perSplit[s].imbalanceRatio = imbalanceRatio(measured[s]);
        report.perSplit[s].normalizedEntropy = entropyOf(measured[s]);
        if (report.splitTotals[s] <= 0)
            continue;
        ++nonEmptySplits;
        for (std::size_t c = 0; c < classCount; ++c) {
            const double within = double(measured[s][c]) / double(report.splitTotals[s]);
            const double overall = double(report.classTotals[c]) / double(report.total);
            report.shareDifference[s][c] = within - overall;
        }
    }

    if (nonEmptySplits >= 2) {
        std::vector<std::vector<double>> table;
        table.reserve(splitCount);
        for (const auto &row : measured)
            table.emplace_back(row.begin(), row.end());
        report.splitTest = stats::chiSquareIndependence(table);
    }
    return report;
}

QJsonObject balanceJson(const BalanceReport &report)
{
    QJsonObject classTotals;
    for (qsizetype c = 0; c < report.classes.size(); ++c)
        classTotals.insert(report.classes[c], qint64(report.classTotals[std::size_t(c)]));
    QJsonObject splitTotals;
    QJsonObject perSplit;
    QJsonObject shareDifference;
    for (qsizetype s = 0; s < report.splits.size(); ++s) {
        const auto index = std::size_t(s);
        splitTotals.insert(report.splits[s], qint64(report.splitTotals[index]));
        perSplit.insert(
            report.splits[s],
            QJsonObject{
                {QStringLiteral("imbalance_ratio"), report.perSplit[index].imbalanceRatio},
                {QStringLiteral("entropy"), report.perSplit[index].normalizedEntropy},
            });
        QJsonObject differences;
        for (qsizetype c = 0; c < report.classes.size(); ++c)
            differences.insert(report.classes[c], report.shareDifference[index][std::size_t(c)]);
        shareDifference.insert(report.splits[s], differences);
    }
    const stats::ChiSquareResult &test = report.splitTest;
    QJsonObject json{
        {QStringLiteral("splits"), matrixJson(report.splits, report.classes, report.samples)},
        {QStringLiteral("samples"), qint64(sumOf(report.samples))},
        // What the totals and statistics count: "objects" for a detection dataset.
        {QStringLiteral("counted"),
         report.ofObjects ? QStringLiteral("objects") : QStringLiteral("samples")},
        {QStringLiteral("class_totals"), classTotals},
        {QStringLiteral("split_totals"), splitTotals},
        {QStringLiteral("imbalance_ratio"), report.imbalanceRatio},
        {QStringLiteral("entropy"), report.normalizedEntropy},
        {QStringLiteral("empty_classes"), QJsonArray::fromStringList(report.emptyClasses)},
        {QStringLiteral("split_test"),
         QJsonObject{
             {QStringLiteral("chi2"), test.x2},
             {QStringLiteral("df"), test.df},
             {QStringLiteral("p"), test.p},
             {QStringLiteral("cramers_v"), test.cramersV},
             {QStringLiteral("g"), test.g},
         }},
        {QStringLiteral("per_split"), perSplit},
        {QStringLiteral("share_difference"), shareDifference},
    };
    const bool anyAnnotations =
        std::any_of(report.annotations.begin(), report.annotations.end(), [](const auto &row) {
            return std::any_of(row.begin(), row.end(), [](std::int64_t n) { return n > 0; });
        });
    if (anyAnnotations)
        json.insert(QStringLiteral("annotations"),
                    matrixJson(report.splits, report.classes, report.annotations));
    return json;
}

} // namespace assay::analysis
