#include "annotationchecker.h"

#include "model/importplan.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <optional>

namespace assay::analysis::detail {

namespace {

QString number(double value)
{
    return QString::number(value, 'g', 7);
}

// The whole-number `key` of a kept-keys object, read without building a document: an issue's
// origin names the COCO annotation id, and a dataset can have hundreds of thousands of issues.
std::optional<std::int64_t> extraInteger(std::string_view extra, std::string_view key)
{
    if (extra.empty())
        return std::nullopt;
    thread_local simdjson::ondemand::parser parser;
    const simdjson::padded_string padded(extra);
    simdjson::ondemand::document document;
    simdjson::ondemand::object object;
    if (parser.iterate(padded).get(document) || document.get_object().get(object))
        return std::nullopt;
    std::int64_t value = 0;
    if (object.find_field_unordered(key).get_int64().get(value))
        return std::nullopt;
    return value;
}

QJsonObject parseExtra(std::string_view extra)
{
    if (extra.empty())
        return {};
    return QJsonDocument::fromJson(QByteArray::fromRawData(extra.data(), qsizetype(extra.size())))
        .object();
}

QString where(const Origin &o)
{
    return o.file.isEmpty() ? o.item : QStringLiteral("%1 of %2").arg(o.item, o.file);
}

// Details say the problem first, then where the object is in its source.
QString located(const QString &problem, const QString &where)
{
    return QStringLiteral("%1 — %2").arg(problem, where);
}

} // namespace

LabelFile labelFileState(std::string_view recorded)
{
    return recorded == "missing"   ? LabelFile::Missing
           : recorded == "empty"   ? LabelFile::Empty
           : recorded == "present" ? LabelFile::Present
                                   : LabelFile::Unknown;
}

AnnotationChecker::AnnotationChecker(QString format, const AnnotationCheckOptions &options)
    : m_options(options), m_format(std::move(format))
{
}

AnnotationChecker::~AnnotationChecker() = default;

void AnnotationChecker::setCategory(std::int64_t key, QString name)
{
    m_categories[key] = std::move(name);
}

QString AnnotationChecker::className(std::int64_t category) const
{
    const auto found = m_categories.find(category);
    return found == m_categories.end() ? QStringLiteral("(no class)")
                                       : QStringLiteral("'%1'").arg(found->second);
}

Origin AnnotationChecker::origin(std::string_view file, std::int64_t index, std::string_view extra,
              std::int64_t annotationId) const
{
    Origin o;
    o.file = QString::fromUtf8(file.data(), qsizetype(file.size()));
    if (file.empty()) {
        o.item = QStringLiteral("annotation %1").arg(annotationId);
    } else if (m_format == u"coco") {
        o.item = QStringLiteral("annotations[%1]").arg(index);
        if (const auto id = extraInteger(extra, "id"))
            o.item += QStringLiteral(" (id %1)").arg(*id);
    } else if (m_format == u"voc") {
        o.item = QStringLiteral("object %1").arg(index + 1); // people count from 1
    } else if (m_format == u"yolo") {
        o.item = QStringLiteral("line %1").arg(index);
    } else {
        o.item = QStringLiteral("#%1").arg(index);
    }
    return o;
}

void AnnotationChecker::add(const SampleInfo &sample, const QString &kind, Severity severity,
                            QString detail, double value)
{
    // The sample's index for now: the caller knows (or learns) its id.
    m_issues.push_back(
        Issue{std::int64_t(&sample - m_samples.data()), kind, severity, std::move(detail), value});
}

void AnnotationChecker::check(const ObjectRow &row, size_t sampleIndex)
{
    SampleInfo &sample = m_samples[sampleIndex];
    ++sample.objects;
    if (!sample.present) {
        if (sample.listedMissing && sample.source.empty())
            sample.source = std::string(row.sourceFile);
        return; // a missing image gets missing_image and nothing else
    }
    const Box &box = row.box;
    // The origin is worked out only for an annotation with a problem.
    const auto here = [&] { return where(origin(row.sourceFile, row.sourceIndex, row.extra, row.id)); };
    if (row.category == 0)
        checkCategory(sample, here, row.extra);
    const auto what = [&] { return className(row.category); }; // only for a problem
    switch (row.kind) {
    case AnnotationKind::Box:
        if (!(box.w > 0) || !(box.h > 0)) {
            add(sample, issuekind::boxEmptyArea, Severity::Error,
                located(QStringLiteral("%1 box is %2 wide and %3 high: no area")
                            .arg(what(), number(box.w), number(box.h)),
                        here()),
                std::min(box.w, box.h));
            return;
        }
        checkOutside(sample, box, "box", what, here);
        break;
    case AnnotationKind::Polygon:
        checkPolygon(sample, row, what, here);
        checkOutside(sample, box, "polygon", what, here);
        break;
    case AnnotationKind::Mask:
        if (row.decoded) {
            checkMask(sample, row.decoded->mask, what, here);
        } else {
            const RleMask mask = decodeMask(
                QByteArray::fromRawData(row.geometry.data(), qsizetype(row.geometry.size())));
            checkMask(sample, mask, what, here);
        }
        break;
    }
    if (!row.crowd && box.w > 0 && box.h > 0 && std::isfinite(box.x + box.y + box.w + box.h))
        m_candidates.push_back({std::uint32_t(sampleIndex), keep(row), row.category, box});
}

template<typename Where>
void AnnotationChecker::checkCategory(const SampleInfo &sample, const Where &here, std::string_view extra)
{
    const QJsonObject kept = parseExtra(extra);
    const QJsonValue classId = kept.value(QStringLiteral("class_id"));
    if (classId.isDouble()) {
        const qsizetype names = qsizetype(m_categories.size());
        add(sample, issuekind::classIdOutOfRange, Severity::Error,
            located(QStringLiteral("class id %1, but there are %2 class names (ids 0 to %3)")
                        .arg(classId.toInteger())
                        .arg(names)
                        .arg(names - 1),
                    here()),
            classId.toDouble());
        return;
    }
    const QJsonValue categoryId = kept.value(QStringLiteral("category_id"));
    if (categoryId.isDouble())
        add(sample, issuekind::unknownCategory, Severity::Error,
            located(QStringLiteral("category id %1 is not in the category list")
                        .arg(categoryId.toInteger()),
                    here()),
            categoryId.toDouble());
    else
        add(sample, issuekind::unknownCategory, Severity::Error,
            located(QStringLiteral("the object has no category"), here()), -1);
}

template<typename What, typename Where>
void AnnotationChecker::checkOutside(const SampleInfo &sample, const Box &box, const char *shape, const What &what,
                  const Where &here)
{
    if (sample.width <= 0)
        return; // size unknown until the source or a scan tells it
    const double t = m_options.outsideTolerance;
    const double past[4] = {-box.x, -box.y, box.x + box.w - sample.width,
                            box.y + box.h - sample.height};
    static const char *const edges[4] = {"left", "top", "right", "bottom"};
    QStringList sides;
    double worst = 0;
    for (int e = 0; e < 4; ++e) {
        if (past[e] > t) {
            sides << QStringLiteral("%1 px past the %2 edge")
                         .arg(number(past[e]), QLatin1StringView(edges[e]));
            worst = std::max(worst, past[e]);
        }
    }
    if (sides.isEmpty())
        return;
    add(sample, issuekind::boxOutsideImage, Severity::Warning,
        located(QStringLiteral("%1 %2 reaches %3 (image %4×%5, box x %6 to %7, y %8 to %9)")
                    .arg(what(), QLatin1StringView(shape), sides.join(QStringLiteral(", ")))
                    .arg(sample.width)
                    .arg(sample.height)
                    .arg(number(box.x), number(box.x + box.w), number(box.y),
                         number(box.y + box.h)),
                here()),
        worst);
}

template<typename What, typename Where>
void AnnotationChecker::checkPolygon(const SampleInfo &sample, const ObjectRow &row,
                                     const What &what, const Where &here)
{
    // A reader's rings are walked where they are; a row's are decoded one at a time.
    PolygonRings encoded(row.geometry);
    const auto *rings = row.decoded ? &row.decoded->polygons : nullptr;
    const size_t count = rings ? rings->size() : encoded.count();
    size_t at = 0;
    const auto next = [&]() -> const std::vector<float> * {
        if (rings)
            return at < rings->size() ? &(*rings)[at++] : nullptr;
        return encoded.next(m_ring) ? &m_ring : nullptr;
    };
    auto ringName = [count](size_t r) {
        return count == 1 ? QString()
                          : QStringLiteral(" (ring %1 of %2)").arg(r + 1).arg(count);
    };
    bool tooFew = false, crossed = false;
    size_t r = 0;
    for (const std::vector<float> *ring = next(); ring; ring = next(), ++r) {
        ringCorners(ring->data(), ring->size() / 2, m_corners);
        const size_t n = m_corners.size() / 2;
        if (n < 3 && !tooFew) {
            tooFew = true;
            add(sample, issuekind::polygonTooFewPoints, Severity::Error,
                located(QStringLiteral("%1 polygon%2 has %3 distinct point(s); it needs 3")
                            .arg(what(), ringName(r))
                            .arg(n),
                        here()),
                double(n));
        }
        if (!crossed && n >= 4 && n <= m_options.maxRingCorners &&
            ringSelfIntersects(m_corners)) {
            crossed = true;
            add(sample, issuekind::polygonSelfIntersecting, Severity::Warning,
                located(QStringLiteral("%1 polygon%2 crosses itself (%3 points)")
                            .arg(what(), ringName(r))
                            .arg(n),
                        here()),
                double(n));
        }
    }
}

template<typename What, typename Where>
void AnnotationChecker::checkMask(const SampleInfo &sample, const RleMask &mask, const What &what,
                                  const Where &here)
{
    QStringList problems;
    if (mask.width <= 0 || mask.height <= 0)
        problems << QStringLiteral("has no size");
    else if (sample.width > 0 && (mask.width != sample.width || mask.height != sample.height))
        problems << QStringLiteral("is %1×%2 but the image is %3×%4")
                        .arg(mask.width)
                        .arg(mask.height)
                        .arg(sample.width)
                        .arg(sample.height);
    std::uint64_t covered = 0;
    for (std::uint32_t run : mask.counts)
        covered += run;
    const std::uint64_t area =
        std::uint64_t(std::max(mask.width, 0)) * std::uint64_t(std::max(mask.height, 0));
    if (area > 0 && covered != area)
        problems << QStringLiteral("has runs covering %1 pixels, not the %2 of %3×%4")
                        .arg(covered)
                        .arg(area)
                        .arg(mask.width)
                        .arg(mask.height);
    if (problems.isEmpty())
        return;
    add(sample, issuekind::rleSizeMismatch, Severity::Error,
        located(
            QStringLiteral("%1 mask %2").arg(what(), problems.join(QStringLiteral(" and "))),
            here()),
        double(area));
}

void AnnotationChecker::checkPairs()
{
    // Objects come in their source's order: usually grouped by image already.
    const auto bySample = [](const Candidate &a, const Candidate &b) { return a.sample < b.sample; };
    if (!std::is_sorted(m_candidates.begin(), m_candidates.end(), bySample))
        std::stable_sort(m_candidates.begin(), m_candidates.end(), bySample);
    std::vector<Box> boxes;
    for (size_t begin = 0; begin < m_candidates.size();) {
        size_t end = begin + 1;
        while (end < m_candidates.size() && m_candidates[end].sample == m_candidates[begin].sample)
            ++end;
        if (end - begin >= 2) {
            boxes.clear();
            for (size_t i = begin; i < end; ++i)
                boxes.push_back(m_candidates[i].box);
            for (const OverlapPair &pair : overlappingPairs(boxes, m_options.overlapIou))
                reportPair(m_candidates[begin + pair.first], m_candidates[begin + pair.second],
                           pair.iou);
        }
        begin = end;
    }
    std::vector<Candidate>().swap(m_candidates);
}

void AnnotationChecker::reportPair(const Candidate &a, const Candidate &b, double iou)
{
    const Origin origins[2] = {pairOrigin(a.key), pairOrigin(b.key)};
    const QString objects =
        origins[0].file == origins[1].file && !origins[0].file.isEmpty()
            ? QStringLiteral("%1 and %2 of %3")
                  .arg(origins[0].item, origins[1].item, origins[0].file)
            : QStringLiteral("%1 and %2").arg(where(origins[0]), where(origins[1]));
    const bool same = a.category == b.category;
    const QString classes =
        same ? QStringLiteral("both %1").arg(className(a.category))
             : QStringLiteral("%1 and %2").arg(className(a.category), className(b.category));
    add(m_samples[a.sample], same ? issuekind::duplicateBox : issuekind::conflictingBox,
        Severity::Warning,
        located(QStringLiteral("IoU %1, %2").arg(QString::number(iou, 'f', 3), classes),
                objects),
        iou);
}

void AnnotationChecker::checkSamples(bool detection)
{
    for (const SampleInfo &sample : m_samples) {
        if (sample.listedMissing) {
            reportMissing(sample);
            continue;
        }
        if (!detection || !sample.present || sample.objects > 0 || sample.labelled)
            continue;
        if (sample.labelFile == LabelFile::Empty)
            add(sample, issuekind::emptyLabelFile, Severity::Info,
                QStringLiteral("its label file is empty: no objects (a background image?)"));
        else if (sample.labelFile == LabelFile::Missing)
            add(sample, issuekind::noAnnotations, Severity::Info,
                QStringLiteral("no label file: no objects"));
        else
            add(sample, issuekind::noAnnotations, Severity::Info, QStringLiteral("no objects"));
    }
}

void AnnotationChecker::reportMissing(const SampleInfo &sample)
{
    QString detail = QStringLiteral("the image file is not there");
    if (sample.objects > 0)
        detail += QStringLiteral("; %1 object(s) in %2 point at it")
                      .arg(sample.objects)
                      .arg(QString::fromStdString(sample.source));
    else if (sample.labelFile == LabelFile::Present)
        detail += QStringLiteral("; its label file has objects, not imported: YOLO "
                                 "coordinates are fractions of the image's size");
    else
        detail += QStringLiteral(", though the dataset lists it");
    add(sample, issuekind::missingImage, Severity::Error, detail, double(sample.objects));
}

std::vector<Issue> AnnotationChecker::finish(bool detection)
{
    checkPairs();
    checkSamples(detection);
    return std::move(m_issues);
}

} // namespace assay::analysis::detail
