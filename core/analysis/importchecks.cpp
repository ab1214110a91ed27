#include "importchecks.h"
#include "annotationchecker.h"

#include "model/importplan.h"

#include <QLatin1StringView>

#include <algorithm>
#include <string>

namespace assay::analysis {

// Samples are the plan's items (by index), categories their index + 1. A box that enters the
// duplicate check keeps its origin here: the reader reuses its objects once handed over.
class ImportChecks::Checker final : public detail::AnnotationChecker
{
public:
    using AnnotationChecker::AnnotationChecker;

    void items(const ImportPlan &plan)
    {
        const AttributeColumn *labelFiles = nullptr;
        for (const AttributeColumn &column : plan.attributes) {
            if (column.name == QLatin1StringView("yolo_labels") &&
                column.type == AttributeType::Text)
                labelFiles = &column;
        }
        std::vector<detail::SampleInfo> &all = samples();
        for (size_t i = all.size(); i < plan.items.size(); ++i) {
            const ImportItem &item = plan.items[i];
            detail::SampleInfo sample;
            sample.present = item.exists;
            sample.listedMissing = !item.exists;
            if (item.width > 0 && item.height > 0) {
                sample.width = item.width;
                sample.height = item.height;
            }
            sample.labelled = item.label >= 0;
            if (labelFiles && i < labelFiles->texts.size())
                sample.labelFile = detail::labelFileState(labelFiles->texts[i]);
            all.push_back(std::move(sample));
        }
    }

    void annotations(const ImportPlan &plan, const std::vector<ImportAnnotation> &batch)
    {
        for (auto c = qsizetype(categoryCount()); c < plan.categories.size(); ++c)
            setCategory(c + 1, plan.categories[c]);
        m_any = m_any || !batch.empty();
        detail::ObjectRow row;
        for (const ImportAnnotation &a : batch) {
            if (a.item >= samples().size())
                continue;
            row.category = a.category >= 0 ? a.category + 1 : 0;
            row.kind = a.kind;
            row.box = Box{a.x, a.y, a.w, a.h};
            row.crowd = a.crowd;
            row.decoded = &a;
            row.sourceFile = a.sourceFile;
            row.sourceIndex = a.sourceIndex;
            row.extra = a.extra;
            check(row, a.item);
        }
    }

    bool anyObjects() const { return m_any; }

private:
    struct Kept
    {
        std::uint32_t file = 0;
        std::uint32_t extraLength = 0;
        std::uint64_t extraAt = 0;
        std::int64_t index = 0;
    };

    std::int64_t keep(const detail::ObjectRow &row) override
    {
        Kept kept;
        kept.file = fileIndex(row.sourceFile);
        kept.extraAt = m_extras.size();
        kept.extraLength = std::uint32_t(row.extra.size());
        kept.index = row.sourceIndex;
        m_extras += row.extra;
        m_kept.push_back(kept);
        return std::int64_t(m_kept.size() - 1);
    }

    // Objects come file by file: the file of the previous one is tried first.
    std::uint32_t fileIndex(std::string_view file)
    {
        if (m_lastFile < m_files.size() && m_files[m_lastFile] == file)
            return m_lastFile;
        const auto found = std::find(m_files.begin(), m_files.end(), file);
        m_lastFile = std::uint32_t(found - m_files.begin());
        if (found == m_files.end())
            m_files.emplace_back(file);
        return m_lastFile;
    }

    detail::Origin pairOrigin(std::int64_t key) override
    {
        const Kept &kept = m_kept[size_t(key)];
        return origin(m_files[kept.file],
                      kept.index,
                      std::string_view(m_extras).substr(kept.extraAt, kept.extraLength),
                      0);
    }

    std::vector<std::string> m_files; // each source file once
    std::uint32_t m_lastFile = 0;
    std::vector<Kept> m_kept;
    std::string m_extras;
    bool m_any = false;
};

ImportChecks::ImportChecks(const AnnotationCheckOptions &options) : m_options(options) {}

ImportChecks::~ImportChecks() = default;

void ImportChecks::items(const ImportPlan &plan)
{
    if (!m_checker)
        m_checker = std::make_unique<Checker>(plan.format, m_options);
    m_checker->items(plan);
}

void ImportChecks::annotations(const ImportPlan &plan, const std::vector<ImportAnnotation> &batch)
{
    items(plan);
    m_checker->annotations(plan, batch);
}

std::vector<Issue> ImportChecks::finish(const ImportPlan &plan)
{
    items(plan);
    if (!plan.annotations.empty())
        m_checker->annotations(plan, plan.annotations);
    const QString &format = plan.format;
    const bool detection = format == u"coco" || format == u"voc" || format == u"yolo" ||
                           m_checker->anyObjects();
    return m_checker->finish(detection);
}

} // namespace assay::analysis
