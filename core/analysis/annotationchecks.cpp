#include "annotationchecks.h"

#include "annotationgeometry.h"

#include "model/annotation.h"
#include "model/importplan.h"
#include "store/featurestore.h"
#include "store/project.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

namespace assay::analysis {

namespace {

// What the YOLO reader recorded in the `yolo_labels` attribute.
enum class LabelFile : std::uint8_t { Unknown, Missing, Empty, Present };

struct SampleInfo
{
    std::int64_t id = 0;
    int width = 0, height = 0; // 0: unknown
    std::uint32_t objects = 0;
    bool present = false;
    bool labelled = false; // has an image-level class
    bool listedMissing = false;
    LabelFile labelFile = LabelFile::Unknown;
    std::string source; // of a listed-missing sample: an annotation file that names it
};

// A box that takes part in the duplicate / conflicting check.
struct Candidate
{
    std::uint32_t sample = 0;
    std::int64_t annotation = 0;
    std::int64_t category = 0;
    Box box;
};

// Where an annotation came from, in the words of its format.
struct Origin
{
    QString item; // "annotations[3] (id 102)", "object 2", "line 4"
    QString file;
};

QString number(double value)
{
    return QString::number(value, 'g', 7);
}

QJsonObject parseExtra(std::string_view extra)
{
    if (extra.empty())
        return {};
    return QJsonDocument::fromJson(QByteArray::fromRawData(extra.data(), qsizetype(extra.size())))
        .object();
}

class Checker
{
public:
    Checker(store::Project &project, const AnnotationCheckOptions &options)
        : m_db(project.db()), m_options(options),
          m_format(project.meta(QStringLiteral("dataset_format")))
    {}

    std::vector<Issue> run(const std::vector<std::int64_t> &listedMissing)
    {
        const bool detection = m_format == u"coco" || m_format == u"voc" || m_format == u"yolo" ||
                               m_db.queryInt("SELECT EXISTS(SELECT 1 FROM annotations)") != 0;
        if (!detection) {
            // A folder, manifest or MNIST dataset: nothing to check but its missing images
            // (a CSV row naming a file that is not there), without reading a million samples.
            for (std::int64_t id : listedMissing) {
                SampleInfo sample;
                sample.id = id;
                sample.listedMissing = true;
                reportMissing(sample);
            }
            return std::move(m_issues);
        }
        loadCategories();
        loadSamples();
        for (std::int64_t id : listedMissing) {
            if (SampleInfo *sample = sampleOf(id); sample && !sample->present)
                sample->listedMissing = true;
        }
        checkAnnotations();
        checkPairs();
        checkSamples();
        return std::move(m_issues);
    }

private:
    void loadCategories()
    {
        store::Statement query(m_db, "SELECT id, name FROM categories");
        while (query.step())
            m_categories[query.int64(0)] = query.text(1);
    }

    void loadSamples()
    {
        std::string labelColumn;
        {
            store::Statement find(m_db, "SELECT column_name FROM attributes "
                                        "WHERE name = 'yolo_labels' AND type = 1");
            if (find.step())
                labelColumn = std::string(find.utf8(0));
        }
        std::string sql = "SELECT s.id, s.status, ifnull(s.width, 0), ifnull(s.height, 0), "
                          "ifnull(f.width, 0), ifnull(f.height, 0), s.category_id IS NOT NULL";
        sql += labelColumn.empty() ? ", NULL" : ", a." + labelColumn;
        sql += " FROM samples s LEFT JOIN features f ON f.sample_id = s.id";
        if (!labelColumn.empty())
            sql += " LEFT JOIN sample_attributes a ON a.sample_id = s.id";
        sql += " ORDER BY s.id";
        store::Statement query(m_db, sql);
        while (query.step()) {
            SampleInfo sample;
            sample.id = query.int64(0);
            sample.present = query.int64(1) == int(SampleStatus::Present);
            const bool declared = query.int64(2) > 0 && query.int64(3) > 0;
            sample.width = int(declared ? query.int64(2) : query.int64(4));
            sample.height = int(declared ? query.int64(3) : query.int64(5));
            if (sample.width <= 0 || sample.height <= 0)
                sample.width = sample.height = 0;
            sample.labelled = query.int64(6) != 0;
            const std::string_view state = query.utf8(7);
            sample.labelFile = state == "missing"   ? LabelFile::Missing
                               : state == "empty"   ? LabelFile::Empty
                               : state == "present" ? LabelFile::Present
                                                    : LabelFile::Unknown;
            m_samples.push_back(std::move(sample));
        }
    }

    SampleInfo *sampleOf(std::int64_t id)
    {
        const auto found = std::lower_bound(
            m_samples.begin(), m_samples.end(), id,
            [](const SampleInfo &sample, std::int64_t key) { return sample.id < key; });
        return found != m_samples.end() && found->id == id ? &*found : nullptr;
    }

    QString className(std::int64_t category) const
    {
        const auto found = m_categories.find(category);
        return found == m_categories.end() ? QStringLiteral("(no class)")
                                           : QStringLiteral("'%1'").arg(found->second);
    }

    Origin origin(std::string_view file, std::int64_t index, std::string_view extra,
                  std::int64_t annotationId) const
    {
        Origin o;
        o.file = QString::fromUtf8(file.data(), qsizetype(file.size()));
        if (file.empty()) {
            o.item = QStringLiteral("annotation %1").arg(annotationId);
        } else if (m_format == u"coco") {
            o.item = QStringLiteral("annotations[%1]").arg(index);
            const QJsonValue id = parseExtra(extra).value(QStringLiteral("id"));
            if (id.isDouble())
                o.item += QStringLiteral(" (id %1)").arg(id.toInteger());
        } else if (m_format == u"voc") {
            o.item = QStringLiteral("object %1").arg(index + 1); // people count from 1
        } else if (m_format == u"yolo") {
            o.item = QStringLiteral("line %1").arg(index);
        } else {
            o.item = QStringLiteral("#%1").arg(index);
        }
        return o;
    }

    static QString where(const Origin &o)
    {
        return o.file.isEmpty() ? o.item : QStringLiteral("%1 of %2").arg(o.item, o.file);
    }

    void add(const SampleInfo &sample, const QString &kind, Severity severity, QString detail,
             double value = 0)
    {
        m_issues.push_back(Issue{sample.id, kind, severity, std::move(detail), value});
    }

    void checkAnnotations()
    {
        store::Statement query(m_db, "SELECT id, sample_id, ifnull(category_id, 0), kind, x, y, "
                                     "w, h, geometry, iscrowd, source_file, source_index, extra "
                                     "FROM annotations");
        // Ids grow with every insert: the largest is a cheap bound on the count.
        m_candidates.reserve(size_t(m_db.queryInt("SELECT ifnull(max(id), 0) FROM annotations")));
        SampleInfo *sample = nullptr;
        while (query.step()) {
            const std::int64_t sampleId = query.int64(1);
            if (!sample || sample->id != sampleId)
                sample = sampleOf(sampleId);
            if (!sample)
                continue;
            ++sample->objects;
            if (!sample->present) {
                if (sample->listedMissing && sample->source.empty())
                    sample->source = std::string(query.utf8(10));
                continue; // a missing image gets missing_image and nothing else
            }
            checkAnnotation(query, *sample);
        }
    }

    // Details say the problem first, then where the object is in its source.
    static QString located(const QString &problem, const QString &where)
    {
        return QStringLiteral("%1 — %2").arg(problem, where);
    }

    void checkAnnotation(const store::Statement &row, SampleInfo &sample)
    {
        const std::int64_t id = row.int64(0);
        const std::int64_t category = row.int64(2);
        const auto kind = static_cast<AnnotationKind>(row.int64(3));
        const Box box{row.real(4), row.real(5), row.real(6), row.real(7)};
        const bool crowd = row.int64(9) != 0;
        // The origin is worked out only for an annotation with a problem.
        const auto here = [&] {
            return where(origin(row.utf8(10), row.int64(11), row.utf8(12), id));
        };
        if (category == 0)
            checkCategory(sample, here, row.utf8(12));
        const auto what = [&] {
            return className(category);
        }; // only for a problem
        switch (kind) {
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
            checkPolygon(sample, row.blobView(8), what, here);
            checkOutside(sample, box, "polygon", what, here);
            break;
        case AnnotationKind::Mask:
            checkMask(sample, row.blobView(8), what, here);
            break;
        }
        if (!crowd && box.w > 0 && box.h > 0 && std::isfinite(box.x + box.y + box.w + box.h))
            m_candidates.push_back({std::uint32_t(&sample - m_samples.data()), id, category, box});
    }

    template<typename Where>
    void checkCategory(const SampleInfo &sample, const Where &here, std::string_view extra)
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
    void checkOutside(const SampleInfo &sample, const Box &box, const char *shape, const What &what,
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
    void checkPolygon(const SampleInfo &sample, std::string_view blob, const What &what,
                      const Where &here)
    {
        PolygonRings rings(blob);
        const size_t count = rings.count();
        auto ringName = [count](size_t r) {
            return count == 1 ? QString()
                              : QStringLiteral(" (ring %1 of %2)").arg(r + 1).arg(count);
        };
        bool tooFew = false, crossed = false;
        for (size_t r = 0; rings.next(m_ring); ++r) {
            ringCorners(m_ring.data(), m_ring.size() / 2, m_corners);
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
    void checkMask(const SampleInfo &sample, std::string_view blob, const What &what,
                   const Where &here)
    {
        const RleMask mask =
            decodeMask(QByteArray::fromRawData(blob.data(), qsizetype(blob.size())));
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

    void checkPairs()
    {
        // Annotations are stored in their source's order: usually grouped by image already.
        const auto bySample = [](const Candidate &a, const Candidate &b) {
            return a.sample < b.sample;
        };
        if (!std::is_sorted(m_candidates.begin(), m_candidates.end(), bySample))
            std::stable_sort(m_candidates.begin(), m_candidates.end(), bySample);
        std::optional<store::Statement> lookup;
        std::vector<Box> boxes;
        for (size_t begin = 0; begin < m_candidates.size();) {
            size_t end = begin + 1;
            while (end < m_candidates.size() &&
                   m_candidates[end].sample == m_candidates[begin].sample)
                ++end;
            if (end - begin >= 2) {
                boxes.clear();
                for (size_t i = begin; i < end; ++i)
                    boxes.push_back(m_candidates[i].box);
                for (const OverlapPair &pair : overlappingPairs(boxes, m_options.overlapIou)) {
                    if (!lookup)
                        lookup.emplace(m_db, "SELECT ifnull(source_file, ''), source_index, extra "
                                             "FROM annotations WHERE id = ?");
                    reportPair(*lookup, m_candidates[begin + pair.first],
                               m_candidates[begin + pair.second], pair.iou);
                }
            }
            begin = end;
        }
        std::vector<Candidate>().swap(m_candidates);
    }

    void reportPair(store::Statement &lookup, const Candidate &a, const Candidate &b, double iou)
    {
        Origin origins[2];
        const Candidate *both[2] = {&a, &b};
        for (int i = 0; i < 2; ++i) {
            lookup.bind(1, both[i]->annotation);
            if (lookup.step())
                origins[i] =
                    origin(lookup.utf8(0), lookup.int64(1), lookup.utf8(2), both[i]->annotation);
            lookup.reset();
        }
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

    void checkSamples()
    {
        for (const SampleInfo &sample : m_samples) {
            if (sample.listedMissing) {
                reportMissing(sample);
                continue;
            }
            if (!sample.present || sample.objects > 0 || sample.labelled)
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

    void reportMissing(const SampleInfo &sample)
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

    store::Database &m_db;
    const AnnotationCheckOptions &m_options;
    const QString m_format;
    std::map<std::int64_t, QString> m_categories;
    std::vector<SampleInfo> m_samples; // in id order
    std::vector<Candidate> m_candidates;
    std::vector<Issue> m_issues;
    std::vector<float> m_ring; // reused for every polygon
    std::vector<double> m_corners;
};

} // namespace

QStringList annotationIssueKinds()
{
    using namespace issuekind;
    return {missingImage,        boxOutsideImage,         boxEmptyArea,
            polygonTooFewPoints, polygonSelfIntersecting, rleSizeMismatch,
            unknownCategory,     classIdOutOfRange,       duplicateBox,
            conflictingBox,      noAnnotations,           emptyLabelFile};
}

std::vector<Issue> computeAnnotationIssues(store::Project &project,
                                           const std::vector<std::int64_t> &listedMissing,
                                           const AnnotationCheckOptions &options)
{
    return Checker(project, options).run(listedMissing);
}

void refreshAnnotationChecks(store::Project &project, const ImportPlan *plan,
                             const AnnotationCheckOptions &options)
{
    store::Database &db = project.db();
    std::vector<std::int64_t> listedMissing;
    if (plan) {
        store::Statement find(db, "SELECT id FROM samples WHERE path = ? AND member = ? "
                                  "AND status = 1");
        for (const ImportItem &item : plan->items) {
            if (item.exists)
                continue;
            find.bind(1, std::string_view(item.path));
            find.bind(2, item.member);
            if (find.step())
                listedMissing.push_back(find.int64(0));
            find.reset();
        }
    } else {
        store::Statement previous(db, "SELECT DISTINCT i.sample_id FROM issues i JOIN samples s "
                                      "ON s.id = i.sample_id WHERE i.kind = ? AND s.status = 1");
        previous.bind(1, issuekind::missingImage);
        while (previous.step())
            listedMissing.push_back(previous.int64(0));
    }
    store::replaceIssues(db, annotationIssueKinds(),
                         computeAnnotationIssues(project, listedMissing, options));
}

bool refreshAnnotationChecksAfterScan(store::Project &project)
{
    const bool sizesLearned = project.db().queryInt(R"sql(
        SELECT EXISTS(SELECT 1 FROM samples s JOIN features f ON f.sample_id = s.id
                      WHERE s.status = 0 AND (s.width IS NULL OR s.height IS NULL)
                        AND f.width > 0 AND f.height > 0
                        AND EXISTS(SELECT 1 FROM annotations a WHERE a.sample_id = s.id)))sql");
    if (sizesLearned)
        refreshAnnotationChecks(project);
    return sizesLearned;
}

} // namespace assay::analysis
