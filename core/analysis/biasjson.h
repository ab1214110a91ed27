#pragma once

#include "biasslices.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

// Bias slices as JSON and CSV: the records the project stores (read back whole), the keys
// `report --json` gains, and the CSV of every tested slice (spec §7).
namespace assay::analysis::bias {

QJsonObject parametersJson(const SliceParameters &parameters);
SliceParameters parametersFromJson(const QJsonObject &json); // defaults for missing keys

// Without codes: name, origin, binning, values, edges, label_source.
QJsonObject attributeJson(const BinnedAttribute &attribute);
BinnedAttribute attributeFromJson(const QJsonObject &json);

// The attribute's test with its heat-map cells ("values": [{"value", "n", "counts",
// "residuals"}]).
QJsonObject attributeSummaryJson(const AttributeSummary &summary, const SliceResults &results);
AttributeSummary attributeSummaryFromJson(const QJsonObject &json, int attribute);

QJsonObject sliceJson(const SliceRecord &record, const SliceResults &results);
SliceRecord sliceFromJson(const QJsonObject &json, const std::vector<BinnedAttribute> &attributes);
QJsonObject errorSliceJson(const ErrorSliceRecord &record, const SliceResults &results);
ErrorSliceRecord errorSliceFromJson(const QJsonObject &json,
                                    const std::vector<BinnedAttribute> &attributes);

// The run's header: parameters, classes, counts (what is not a record).
QJsonObject runJson(const SliceResults &results);
void runFromJson(const QJsonObject &json, SliceResults &results);

// `report --json`'s keys: "slices" (reported and redundant slices, ranked), "attributes" (every
// attribute, ranked), "slice_parameters", "slice_summary", and "error_slices" (reported) with
// predictions.
QJsonObject reportJson(const SliceResults &results);

// Every tested slice, one row each, in rank order (§7); byte-identical for identical inputs.
QString slicesCsv(const SliceResults &results);
QString errorSlicesCsv(const SliceResults &results);

// For people: the attributes most associated with the label and the reported slices.
QString slicesText(const SliceResults &results, int maxSlices = 20);

// "source=web ∧ brightness∈[0, 43)" as [{"attribute", "bin"}].
QJsonArray predicatesJson(const std::vector<Predicate> &predicates,
                          const std::vector<BinnedAttribute> &attributes);

} // namespace assay::analysis::bias
