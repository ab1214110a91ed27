#include "annotationchecks.h"
#include "annotationchecker.h"

#include "model/importplan.h"
#include "store/featurestore.h"
#include "store/project.h"

#include <algorithm>
#include <optional>

namespace assay::analysis {

namespace {

using detail::LabelFile;
using detail::Origin;
using detail::SampleInfo;

// The checks over a project's rows.
class ProjectChecker final : public detail::AnnotationChecker
{
public:
    ProjectChecker(store::Project &project, const AnnotationCheckOptions &options)
        : AnnotationChecker(project.meta(QStringLiteral("dataset_format")), options),
          m_db(project.db())
    {
    }

    std::vector<Issue> run(const std::vector<std::int64_t> &listedMissing)
    {
        const bool detection = format() == u"coco" || format() == u"voc" ||
                               format() == u"yolo" ||
                               m_db.queryInt("SELECT EXISTS(SELECT 1 FROM annotations)") != 0;
        if (detection) {
            loadCategories();
            loadSamples();
            for (std::int64_t id : listedMissing) {
                if (SampleInfo *sample = sampleOf(id); sample && !sample->present)
                    sample->listedMissing = true;
            }
            checkAnnotations();
        } else {
            // A folder, manifest or MNIST dataset: nothing to check but its missing images
            // (a CSV row naming a file that is not there), without reading a million samples.
            for (std::int64_t id : listedMissing) {
                SampleInfo sample;
                sample.id = id;
                sample.listedMissing = true;
                samples().push_back(std::move(sample));
            }
        }
        std::vector<Issue> issues = finish(detection);
        for (Issue &issue : issues)
            issue.sampleId = samples()[size_t(issue.sampleId)].id;
        return issues;
    }

private:
    void loadCategories()
    {
        store::Statement query(m_db, "SELECT id, name FROM categories");
        while (query.step())
            setCategory(query.int64(0), query.text(1));
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
            sample.labelFile = detail::labelFileState(query.utf8(7));
            samples().push_back(std::move(sample));
        }
    }

    SampleInfo *sampleOf(std::int64_t id)
    {
        std::vector<SampleInfo> &all = samples();
        const auto found = std::lower_bound(
            all.begin(), all.end(), id,
            [](const SampleInfo &sample, std::int64_t key) { return sample.id < key; });
        return found != all.end() && found->id == id ? &*found : nullptr;
    }

    void checkAnnotations()
    {
        store::Statement query(m_db, "SELECT id, sample_id, ifnull(category_id, 0), kind, x, y, "
                                     "w, h, geometry, iscrowd, source_file, source_index, extra "
                                     "FROM annotations");
        SampleInfo *sample = nullptr;
        detail::ObjectRow row;
        while (query.step()) {
            const std::int64_t sampleId = query.int64(1);
            if (!sample || sample->id != sampleId)
                sample = sampleOf(sampleId);
            if (!sample)
                continue;
            row.id = query.int64(0);
            row.category = query.int64(2);
            row.kind = static_cast<AnnotationKind>(query.int64(3));
            row.box = Box{query.real(4), query.real(5), query.real(6), query.real(7)};
            row.geometry = query.blobView(8);
            row.crowd = query.int64(9) != 0;
            row.sourceFile = query.utf8(10);
            row.sourceIndex = query.int64(11);
            row.extra = query.utf8(12);
            check(row, size_t(sample - samples().data()));
        }
    }

    std::int64_t keep(const detail::ObjectRow &row) override { return row.id; }

    Origin pairOrigin(std::int64_t annotation) override
    {
        if (!m_lookup)
            m_lookup.emplace(m_db, "SELECT ifnull(source_file, ''), source_index, extra "
                                   "FROM annotations WHERE id = ?");
        Origin found;
        m_lookup->bind(1, annotation);
        if (m_lookup->step())
            found = origin(m_lookup->utf8(0), m_lookup->int64(1), m_lookup->utf8(2), annotation);
        m_lookup->reset();
        return found;
    }

    store::Database &m_db;
    std::optional<store::Statement> m_lookup;
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
    return ProjectChecker(project, options).run(listedMissing);
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
