#include "biasjson.h"

#include <QJsonArray>

#include <cmath>
#include <limits>

namespace assay::analysis::bias {

namespace {

// JSON has no NaN or infinity: those are null, and null reads back as NaN.
QJsonValue number(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

double numberOf(const QJsonValue &value)
{
    return value.isDouble() ? value.toDouble() : std::numeric_limits<double>::quiet_NaN();
}

QString csvNumber(double value)
{
    return std::isfinite(value) ? QString::number(value, 'g', 17) : QString();
}

QString csvField(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n'))
        return text;
    QString quoted = text;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

QJsonArray pair(double lo, double hi)
{
    return QJsonArray{number(lo), number(hi)};
}

SliceStatus statusFromName(const QString &name)
{
    for (SliceStatus status : {SliceStatus::Reported, SliceStatus::NotSignificant,
                               SliceStatus::SmallEffect, SliceStatus::Redundant}) {
        if (sliceStatusName(status) == name)
            return status;
    }
    return SliceStatus::Untestable;
}

std::vector<Predicate> predicatesFromJson(const QJsonArray &array,
                                          const std::vector<BinnedAttribute> &attributes)
{
    std::vector<NamedPredicate> named;
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        named.push_back({object[QStringLiteral("attribute")].toString(),
                         object[QStringLiteral("bin")].toString()});
    }
    std::vector<Predicate> resolved;
    resolvePredicates(attributes, named, resolved);
    return resolved;
}

QString statusText(const SliceRecord &record)
{
    return record.status == SliceStatus::Redundant
               ? QStringLiteral("redundant_of:%1").arg(record.redundantOf)
               : sliceStatusName(record.status);
}

} // namespace

QJsonArray predicatesJson(const std::vector<Predicate> &predicates,
                          const std::vector<BinnedAttribute> &attributes)
{
    QJsonArray array;
    for (const Predicate &predicate : predicates) {
        const BinnedAttribute &attribute = attributes[size_t(predicate.attribute)];
        array.append(QJsonObject{{QStringLiteral("attribute"), attribute.name},
                                 {QStringLiteral("bin"), attribute.values[predicate.value]}});
    }
    return array;
}

QJsonObject parametersJson(const SliceParameters &p)
{
    return QJsonObject{
        {QStringLiteral("max_level"), p.maxLevel},
        {QStringLiteral("bins"), p.bins},
        {QStringLiteral("min_support"), p.minSupport},
        {QStringLiteral("fdr"), p.fdr},
        {QStringLiteral("min_v"), p.minV},
        {QStringLiteral("min_ratio"), p.minRatio},
        {QStringLiteral("error_ratio"), p.errorRatio},
        {QStringLiteral("error_drop"), p.errorDrop},
        {QStringLiteral("top_values"), p.topValues},
        {QStringLiteral("dedupe"), p.dedupe},
        {QStringLiteral("folder_depth"), p.folderDepth},
        {QStringLiteral("proxy_v"), p.proxyV},
    };
}

SliceParameters parametersFromJson(const QJsonObject &json)
{
    SliceParameters p;
    p.maxLevel = json[QStringLiteral("max_level")].toInt(p.maxLevel);
    p.bins = json[QStringLiteral("bins")].toInt(p.bins);
    p.minSupport = json[QStringLiteral("min_support")].toInt(p.minSupport);
    p.fdr = json[QStringLiteral("fdr")].toDouble(p.fdr);
    p.minV = json[QStringLiteral("min_v")].toDouble(p.minV);
    p.minRatio = json[QStringLiteral("min_ratio")].toDouble(p.minRatio);
    p.errorRatio = json[QStringLiteral("error_ratio")].toDouble(p.errorRatio);
    p.errorDrop = json[QStringLiteral("error_drop")].toDouble(p.errorDrop);
    p.topValues = json[QStringLiteral("top_values")].toInt(p.topValues);
    p.dedupe = json[QStringLiteral("dedupe")].toBool(p.dedupe);
    p.folderDepth = json[QStringLiteral("folder_depth")].toInt(p.folderDepth);
    p.proxyV = json[QStringLiteral("proxy_v")].toDouble(p.proxyV);
    return p;
}

QJsonObject attributeJson(const BinnedAttribute &attribute)
{
    QJsonArray edges;
    for (double edge : attribute.edges)
        edges.append(edge);
    return QJsonObject{{QStringLiteral("name"), attribute.name},
                       {QStringLiteral("origin"), attribute.origin},
                       {QStringLiteral("binning"), attribute.binning},
                       {QStringLiteral("values"), QJsonArray::fromStringList(attribute.values)},
                       {QStringLiteral("edges"), edges},
                       {QStringLiteral("label_source"), attribute.labelSource}};
}

BinnedAttribute attributeFromJson(const QJsonObject &json)
{
    BinnedAttribute attribute;
    attribute.name = json[QStringLiteral("name")].toString();
    attribute.origin = json[QStringLiteral("origin")].toString();
    attribute.binning = json[QStringLiteral("binning")].toString();
    for (const QJsonValue &value : json[QStringLiteral("values")].toArray())
        attribute.values << value.toString();
    for (const QJsonValue &edge : json[QStringLiteral("edges")].toArray())
        attribute.edges.push_back(edge.toDouble());
    attribute.labelSource = json[QStringLiteral("label_source")].toBool();
    return attribute;
}

QJsonObject attributeSummaryJson(const AttributeSummary &s, const SliceResults &results)
{
    const BinnedAttribute &attribute = results.attributes[size_t(s.attribute)];
    QJsonArray values;
    for (size_t v = 0; v < s.valueCounts.size(); ++v) {
        QJsonObject cell{{QStringLiteral("value"), attribute.values[qsizetype(v)]},
                         {QStringLiteral("n"), qint64(s.valueCounts[v])}};
        if (v < s.counts.size()) {
            QJsonArray counts, residuals;
            for (std::int64_t n : s.counts[v])
                counts.append(qint64(n));
            for (double z : s.residuals[v])
                residuals.append(number(z));
            cell.insert(QStringLiteral("counts"), counts);
            cell.insert(QStringLiteral("residuals"), residuals);
        }
        values.append(cell);
    }
    QJsonObject json{{QStringLiteral("attribute"), attribute.name},
                     {QStringLiteral("origin"), attribute.origin},
                     {QStringLiteral("binning"), attribute.binning},
                     {QStringLiteral("status"), s.status},
                     {QStringLiteral("x2"), number(s.x2)},
                     {QStringLiteral("df"), s.df},
                     {QStringLiteral("p"), number(s.p)},
                     {QStringLiteral("q"), number(s.q)},
                     {QStringLiteral("v"), number(s.v)},
                     {QStringLiteral("mi_bits"), number(s.miBits)},
                     {QStringLiteral("values"), values}};
    if (!s.reason.isEmpty())
        json.insert(QStringLiteral("reason"), s.reason);
    return json;
}

AttributeSummary attributeSummaryFromJson(const QJsonObject &json, int attribute)
{
    AttributeSummary s;
    s.attribute = attribute;
    s.status = json[QStringLiteral("status")].toString();
    s.reason = json[QStringLiteral("reason")].toString();
    s.x2 = numberOf(json[QStringLiteral("x2")]);
    s.df = json[QStringLiteral("df")].toInt();
    s.p = numberOf(json[QStringLiteral("p")]);
    s.q = numberOf(json[QStringLiteral("q")]);
    s.v = numberOf(json[QStringLiteral("v")]);
    s.miBits = numberOf(json[QStringLiteral("mi_bits")]);
    for (const QJsonValue &value : json[QStringLiteral("values")].toArray()) {
        const QJsonObject cell = value.toObject();
        s.valueCounts.push_back(cell[QStringLiteral("n")].toInteger());
        if (!cell.contains(QStringLiteral("counts")))
            continue;
        std::vector<std::int64_t> counts;
        std::vector<double> residuals;
        for (const QJsonValue &n : cell[QStringLiteral("counts")].toArray())
            counts.push_back(n.toInteger());
        for (const QJsonValue &z : cell[QStringLiteral("residuals")].toArray())
            residuals.push_back(numberOf(z));
        s.counts.push_back(std::move(counts));
        s.residuals.push_back(std::move(residuals));
    }
    return s;
}

QJsonObject sliceJson(const SliceRecord &r, const SliceResults &results)
{
    QJsonArray counts;
    for (std::int64_t n : r.classCounts)
        counts.append(qint64(n));
    QJsonObject json{{QStringLiteral("id"), r.id},
                     {QStringLiteral("predicates"), predicatesJson(r.predicates, results.attributes)},
                     {QStringLiteral("text"), r.text},
                     {QStringLiteral("level"), r.level},
                     {QStringLiteral("n"), qint64(r.n)},
                     {QStringLiteral("share"), number(r.share)},
                     {QStringLiteral("class_counts"), counts},
                     {QStringLiteral("x2"), number(r.x2)},
                     {QStringLiteral("df"), r.df},
                     {QStringLiteral("p"), number(r.p)},
                     {QStringLiteral("q"), number(r.q)},
                     {QStringLiteral("v"), number(r.v)},
                     {QStringLiteral("mi_bits"), number(r.miBits)},
                     {QStringLiteral("class"), r.driverName},
                     {QStringLiteral("class_index"), r.driverClass},
                     {QStringLiteral("ratio"), number(r.ratio)},
                     {QStringLiteral("ratio_ci"), pair(r.ratioLo, r.ratioHi)},
                     {QStringLiteral("status"), sliceStatusName(r.status)}};
    if (r.status == SliceStatus::Redundant)
        json.insert(QStringLiteral("redundant_of"), r.redundantOf);
    return json;
}

SliceRecord sliceFromJson(const QJsonObject &json, const std::vector<BinnedAttribute> &attributes)
{
    SliceRecord r;
    r.id = json[QStringLiteral("id")].toInt();
    r.predicates = predicatesFromJson(json[QStringLiteral("predicates")].toArray(), attributes);
    r.text = json[QStringLiteral("text")].toString();
    r.level = json[QStringLiteral("level")].toInt();
    r.n = json[QStringLiteral("n")].toInteger();
    r.share = numberOf(json[QStringLiteral("share")]);
    for (const QJsonValue &n : json[QStringLiteral("class_counts")].toArray())
        r.classCounts.push_back(n.toInteger());
    r.x2 = numberOf(json[QStringLiteral("x2")]);
    r.df = json[QStringLiteral("df")].toInt();
    r.p = numberOf(json[QStringLiteral("p")]);
    r.q = numberOf(json[QStringLiteral("q")]);
    r.v = numberOf(json[QStringLiteral("v")]);
    r.miBits = numberOf(json[QStringLiteral("mi_bits")]);
    r.driverName = json[QStringLiteral("class")].toString();
    r.driverClass = json[QStringLiteral("class_index")].toInt(-1);
    r.ratio = numberOf(json[QStringLiteral("ratio")]);
    const QJsonArray ci = json[QStringLiteral("ratio_ci")].toArray();
    r.ratioLo = numberOf(ci.at(0));
    r.ratioHi = numberOf(ci.at(1));
    r.status = statusFromName(json[QStringLiteral("status")].toString());
    r.redundantOf = json[QStringLiteral("redundant_of")].toInt();
    return r;
}

QJsonObject errorSliceJson(const ErrorSliceRecord &r, const SliceResults &results)
{
    return QJsonObject{
        {QStringLiteral("id"), r.id},
        {QStringLiteral("predicates"), predicatesJson(r.predicates, results.attributes)},
        {QStringLiteral("text"), r.text},
        {QStringLiteral("level"), r.level},
        {QStringLiteral("n"), qint64(r.n)},
        {QStringLiteral("errors"), qint64(r.errors)},
        {QStringLiteral("err"), number(r.err)},
        {QStringLiteral("err_ci"), pair(r.errLo, r.errHi)},
        {QStringLiteral("err_rest"), number(r.errRest)},
        {QStringLiteral("z"), number(r.z)},
        {QStringLiteral("p"), number(r.p)},
        {QStringLiteral("q"), number(r.q)},
        {QStringLiteral("sliceline_score"), number(r.sliceLineScore)},
        {QStringLiteral("aequitas_ratio"), number(r.aequitasRatio)},
        {QStringLiteral("aequitas_flag"), r.aequitasFlag},
        {QStringLiteral("status"), sliceStatusName(r.status)},
    };
}

ErrorSliceRecord errorSliceFromJson(const QJsonObject &json,
                                    const std::vector<BinnedAttribute> &attributes)
{
    ErrorSliceRecord r;
    r.id = json[QStringLiteral("id")].toInt();
    r.predicates = predicatesFromJson(json[QStringLiteral("predicates")].toArray(), attributes);
    r.text = json[QStringLiteral("text")].toString();
    r.level = json[QStringLiteral("level")].toInt();
    r.n = json[QStringLiteral("n")].toInteger();
    r.errors = json[QStringLiteral("errors")].toInteger();
    r.err = numberOf(json[QStringLiteral("err")]);
    const QJsonArray ci = json[QStringLiteral("err_ci")].toArray();
    r.errLo = numberOf(ci.at(0));
    r.errHi = numberOf(ci.at(1));
    r.errRest = numberOf(json[QStringLiteral("err_rest")]);
    r.z = numberOf(json[QStringLiteral("z")]);
    r.p = numberOf(json[QStringLiteral("p")]);
    r.q = numberOf(json[QStringLiteral("q")]);
    r.sliceLineScore = numberOf(json[QStringLiteral("sliceline_score")]);
    r.aequitasRatio = numberOf(json[QStringLiteral("aequitas_ratio")]);
    r.aequitasFlag = json[QStringLiteral("aequitas_flag")].toBool();
    r.status = statusFromName(json[QStringLiteral("status")].toString());
    return r;
}

QJsonObject runJson(const SliceResults &results)
{
    QJsonArray attributes, totals;
    for (const BinnedAttribute &attribute : results.attributes)
        attributes.append(attributeJson(attribute));
    for (std::int64_t n : results.classTotals)
        totals.append(qint64(n));
    return QJsonObject{{QStringLiteral("parameters"), parametersJson(results.parameters)},
                       {QStringLiteral("classes"), QJsonArray::fromStringList(results.classes)},
                       {QStringLiteral("class_totals"), totals},
                       {QStringLiteral("rows"), qint64(results.rows)},
                       {QStringLiteral("labeled"), qint64(results.labeled)},
                       {QStringLiteral("duplicates_removed"), qint64(results.duplicatesRemoved)},
                       {QStringLiteral("predicted"), qint64(results.predicted)},
                       {QStringLiteral("errors"), qint64(results.errors)},
                       {QStringLiteral("attributes"), attributes}};
}

void runFromJson(const QJsonObject &json, SliceResults &results)
{
    results.parameters = parametersFromJson(json[QStringLiteral("parameters")].toObject());
    results.classes.clear();
    for (const QJsonValue &name : json[QStringLiteral("classes")].toArray())
        results.classes << name.toString();
    results.classTotals.clear();
    for (const QJsonValue &n : json[QStringLiteral("class_totals")].toArray())
        results.classTotals.push_back(n.toInteger());
    results.rows = json[QStringLiteral("rows")].toInteger();
    results.labeled = json[QStringLiteral("labeled")].toInteger();
    results.duplicatesRemoved = json[QStringLiteral("duplicates_removed")].toInteger();
    results.predicted = json[QStringLiteral("predicted")].toInteger();
    results.errors = json[QStringLiteral("errors")].toInteger();
    results.attributes.clear();
    for (const QJsonValue &attribute : json[QStringLiteral("attributes")].toArray())
        results.attributes.push_back(attributeFromJson(attribute.toObject()));
}

QJsonObject reportJson(const SliceResults &results)
{
    QJsonArray slices, attributes, errors;
    std::int64_t redundant = 0;
    for (const SliceRecord &record : results.slices) {
        redundant += record.status == SliceStatus::Redundant ? 1 : 0;
        if (record.status == SliceStatus::Reported || record.status == SliceStatus::Redundant) {
            QJsonObject json = sliceJson(record, results);
            json.remove(QStringLiteral("class_index"));
            slices.append(json);
        }
    }
    for (const AttributeSummary &summary : results.attributeSummary) {
        QJsonObject json = attributeSummaryJson(summary, results);
        json.remove(QStringLiteral("values")); // the heat map stays in the project
        attributes.append(json);
    }
    for (const ErrorSliceRecord &record : results.errorSlices) {
        if (record.status == SliceStatus::Reported)
            errors.append(errorSliceJson(record, results));
    }
    QJsonObject summary{{QStringLiteral("rows"), qint64(results.rows)},
                        {QStringLiteral("labeled"), qint64(results.labeled)},
                        {QStringLiteral("duplicates_removed"), qint64(results.duplicatesRemoved)},
                        {QStringLiteral("tested"), qint64(results.slices.size())},
                        {QStringLiteral("reported"), qint64(results.reported())},
                        {QStringLiteral("redundant"), qint64(redundant)}};
    QJsonObject json{{QStringLiteral("slices"), slices},
                     {QStringLiteral("attributes"), attributes},
                     {QStringLiteral("slice_parameters"), parametersJson(results.parameters)}};
    if (results.predicted > 0) {
        summary.insert(QStringLiteral("predicted"), qint64(results.predicted));
        summary.insert(QStringLiteral("errors"), qint64(results.errors));
        summary.insert(QStringLiteral("error_tested"), qint64(results.errorSlices.size()));
        summary.insert(QStringLiteral("error_reported"), qint64(results.errorReported()));
        json.insert(QStringLiteral("error_slices"), errors);
    }
    json.insert(QStringLiteral("slice_summary"), summary);
    return json;
}

QString slicesCsv(const SliceResults &results)
{
    QString out = QStringLiteral("slice_id,predicates,level,n,share,class_counts,X2,df,p,q,V,"
                                 "mi_bits,driver_class,rr_driver,rr_ci_lo,rr_ci_hi,status\n");
    for (const SliceRecord &r : results.slices) {
        QStringList counts;
        for (std::int64_t n : r.classCounts)
            counts << QString::number(n);
        const QStringList fields = {
            QString::number(r.id),    csvField(r.text),        QString::number(r.level),
            QString::number(r.n),     csvNumber(r.share),      counts.join(u';'),
            csvNumber(r.x2),          QString::number(r.df),   csvNumber(r.p),
            csvNumber(r.q),           csvNumber(r.v),          csvNumber(r.miBits),
            csvField(r.driverName),   csvNumber(r.ratio),      csvNumber(r.ratioLo),
            csvNumber(r.ratioHi),     statusText(r)};
        out += fields.join(u',') + u'\n';
    }
    return out;
}

QString errorSlicesCsv(const SliceResults &results)
{
    QString out = QStringLiteral("slice_id,predicates,level,n,err,err_ci_lo,err_ci_hi,"
                                 "err_complement,p_err,q_err,sliceline_score,aequitas_ratio,"
                                 "aequitas_flag,error_status\n");
    for (const ErrorSliceRecord &r : results.errorSlices) {
        const QStringList fields = {
            QString::number(r.id),     csvField(r.text),        QString::number(r.level),
            QString::number(r.n),      csvNumber(r.err),        csvNumber(r.errLo),
            csvNumber(r.errHi),        csvNumber(r.errRest),    csvNumber(r.p),
            csvNumber(r.q),            csvNumber(r.sliceLineScore),
            csvNumber(r.aequitasRatio), r.aequitasFlag ? QStringLiteral("1") : QStringLiteral("0"),
            sliceStatusName(r.status)};
        out += fields.join(u',') + u'\n';
    }
    return out;
}

QString slicesText(const SliceResults &results, int maxSlices)
{
    QString out = QStringLiteral("Bias slices: %1 labelled samples (%2 duplicate copies left out), "
                                 "%3 slices tested, %4 reported\n")
                      .arg(results.labeled)
                      .arg(results.duplicatesRemoved)
                      .arg(results.slices.size())
                      .arg(results.reported());
    out += QStringLiteral("\nAttributes by association with the label (Cramér's V):\n");
    for (const AttributeSummary &s : results.attributeSummary) {
        const QString &name = results.attributes[size_t(s.attribute)].name;
        if (s.status == u"tested")
            out += QStringLiteral("  %1 V = %2, q = %3\n")
                       .arg(name.leftJustified(24))
                       .arg(s.v, 0, 'f', 3)
                       .arg(s.q, 0, 'g', 3);
        else
            out += QStringLiteral("  %1 %2%3\n")
                       .arg(name.leftJustified(24), s.status,
                            s.reason.isEmpty() ? QString() : QStringLiteral(": ") + s.reason);
    }
    int shown = 0;
    out += QStringLiteral("\nReported slices (ranked by V):\n");
    for (const SliceRecord &r : results.slices) {
        if (r.status != SliceStatus::Reported || shown++ >= maxSlices)
            continue;
        out += QStringLiteral("  #%1 %2: n = %3, '%4' %5× (95% CI %6–%7), V = %8, q = %9\n")
                   .arg(r.id)
                   .arg(r.text)
                   .arg(r.n)
                   .arg(r.driverName)
                   .arg(r.ratio, 0, 'f', 2)
                   .arg(r.ratioLo, 0, 'f', 2)
                   .arg(r.ratioHi, 0, 'f', 2)
                   .arg(r.v, 0, 'f', 3)
                   .arg(r.q, 0, 'g', 3);
    }
    if (shown == 0)
        out += QStringLiteral("  none\n");
    if (results.predicted > 0) {
        out += QStringLiteral("\nError slices (%1 predictions, overall error %2):\n")
                   .arg(results.predicted)
                   .arg(double(results.errors) / double(results.predicted), 0, 'f', 3);
        int errorsShown = 0;
        for (const ErrorSliceRecord &r : results.errorSlices) {
            if (r.status != SliceStatus::Reported || errorsShown++ >= maxSlices)
                continue;
            out += QStringLiteral("  #%1 %2: n = %3, error %4 (95% CI %5–%6) vs %7, q = %8\n")
                       .arg(r.id)
                       .arg(r.text)
                       .arg(r.n)
                       .arg(r.err, 0, 'f', 3)
                       .arg(r.errLo, 0, 'f', 3)
                       .arg(r.errHi, 0, 'f', 3)
                       .arg(r.errRest, 0, 'f', 3)
                       .arg(r.q, 0, 'g', 3);
        }
        if (errorsShown == 0)
            out += QStringLiteral("  none\n");
    }
    return out;
}

} // namespace assay::analysis::bias
