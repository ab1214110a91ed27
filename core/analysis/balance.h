#pragma once

#include "analysis/stats.h"

#include <QJsonObject>
#include <QStringList>

#include <cstdint>
#include <vector>

// Class balance of a labelled dataset: how evenly the classes are represented overall and in
// each split, and whether the splits share one class distribution. Pure computation on counts
// (the caller queries the project).
namespace assay::analysis {

struct ClassCounts
{
    QStringList classes;
    QStringList splits;
    // samples[s][c]: samples of class c in split s (counts >= 0). Missing rows or entries count
    // as 0; entries beyond splits × classes are ignored.
    std::vector<std::vector<std::int64_t>> samples;
    // Annotations (objects) of class c in split s, same shape; empty when there are none.
    std::vector<std::vector<std::int64_t>> annotations;
};

struct SplitBalance
{
    double imbalanceRatio = 1;    // largest / smallest non-empty class of the split
    double normalizedEntropy = 0; // over every class of the list, see stats::normalizedEntropy
};

struct BalanceReport
{
    QStringList classes;
    QStringList splits;
    // Both exactly splits × classes (annotations empty when the input had none).
    std::vector<std::vector<std::int64_t>> samples;
    std::vector<std::vector<std::int64_t>> annotations;
    bool ofObjects = false; // the statistics below count objects (no sample has a label)
    std::vector<std::int64_t> classTotals; // per class, over all splits
    std::vector<std::int64_t> splitTotals; // per split, over all classes
    std::int64_t total = 0;

    // Largest class total / smallest non-empty class total; 1 with fewer than two non-empty
    // classes.
    double imbalanceRatio = 1;
    QStringList emptyClasses; // classes with no sample in any split, in list order
    // Entropy of the class totals over all listed classes (empty ones included) / ln(K).
    double normalizedEntropy = 0;
    std::vector<SplitBalance> perSplit; // one per split

    // shareDifference[s][c] = share of class c within split s minus its share over all splits,
    // as a fraction (0.05 = five percentage points). All 0 for a split without samples.
    std::vector<std::vector<double>> shareDifference;

    // Chi-square test of independence of split and class (do the splits draw from one class
    // distribution?) on the sample counts; only with two or more non-empty splits, otherwise
    // x2 0, df 0, p 1.
    stats::ChiSquareResult splitTest;
};

BalanceReport computeBalance(const ClassCounts &counts);

// {"splits": {split: {class: n}}, "imbalance_ratio", "entropy", "empty_classes": [...],
//  "class_totals": {class: n}, "split_totals": {split: n}, "samples": n,
//  "split_test": {"chi2", "df", "p", "cramers_v", "g"},
//  "per_split": {split: {"imbalance_ratio", "entropy"}},
//  "share_difference": {split: {class: fraction}},
//  "annotations": {split: {class: n}} (only when there is at least one annotation)}
QJsonObject balanceJson(const BalanceReport &report);

} // namespace assay::analysis
