#pragma once

// The rules of the annotation checks, fed one object at a time: from a project's rows
// (refreshAnnotationChecks) or from a reader's objects while an import streams them
// (ImportChecks). Internal to core/analysis.

#include "annotationchecks.h"
#include "annotationgeometry.h"

#include "model/annotation.h"
#include "model/issue.h"

#include <QString>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace assay {
struct ImportAnnotation;
}

namespace assay::analysis::detail {

// What the YOLO reader recorded in the `yolo_labels` attribute.
enum class LabelFile : std::uint8_t { Unknown, Missing, Empty, Present };
LabelFile labelFileState(std::string_view recorded);

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

// Where an annotation came from, in the words of its format.
struct Origin
{
    QString item; // "annotations[3] (id 102)", "object 2", "line 4"
    QString file;
};

// One object as the rules see it: a project's row (encoded geometry) or a reader's object.
struct ObjectRow
{
    std::int64_t id = 0;       // the project's annotation id; 0 before it is written
    std::int64_t category = 0; // a key of setCategory(); 0: none
    AnnotationKind kind = AnnotationKind::Box;
    Box box;
    bool crowd = false;
    std::string_view geometry;                 // encoded polygons or mask (a project's row)
    const ImportAnnotation *decoded = nullptr; // or the reader's object
    std::string_view sourceFile;
    std::int64_t sourceIndex = -1;
    std::string_view extra;
};

class AnnotationChecker
{
public:
    AnnotationChecker(QString format, const AnnotationCheckOptions &options);
    virtual ~AnnotationChecker();
    AnnotationChecker(const AnnotationChecker &) = delete;
    AnnotationChecker &operator=(const AnnotationChecker &) = delete;

    const QString &format() const { return m_format; }
    std::vector<SampleInfo> &samples() { return m_samples; }
    void setCategory(std::int64_t key, QString name);
    size_t categoryCount() const { return m_categories.size(); }

    // An object of samples()[sample].
    void check(const ObjectRow &row, size_t sample);
    // After the last object: the duplicate-box and per-sample rules (the latter only for a
    // `detection` dataset; else just the listed-missing images). Each issue's sampleId is the
    // index of its sample in samples().
    std::vector<Issue> finish(bool detection);

protected:
    Origin origin(std::string_view file, std::int64_t index, std::string_view extra,
                  std::int64_t annotationId) const;
    // A box enters the duplicate check: what identifies it for pairOrigin() later.
    virtual std::int64_t keep(const ObjectRow &row) = 0;
    virtual Origin pairOrigin(std::int64_t key) = 0;

private:
    // A box that takes part in the duplicate / conflicting check.
    struct Candidate
    {
        std::uint32_t sample = 0;
        std::int64_t key = 0;
        std::int64_t category = 0;
        Box box;
    };

    QString className(std::int64_t category) const;
    void add(const SampleInfo &sample, const QString &kind, Severity severity, QString detail,
             double value = 0);
    template<typename Where>
    void checkCategory(const SampleInfo &sample, const Where &here, std::string_view extra);
    template<typename What, typename Where>
    void checkOutside(const SampleInfo &sample, const Box &box, const char *shape,
                      const What &what, const Where &here);
    template<typename What, typename Where>
    void checkPolygon(const SampleInfo &sample, const ObjectRow &row, const What &what,
                      const Where &here);
    template<typename What, typename Where>
    void checkMask(const SampleInfo &sample, const RleMask &mask, const What &what,
                   const Where &here);
    void checkPairs();
    void reportPair(const Candidate &a, const Candidate &b, double iou);
    void checkSamples(bool detection);
    void reportMissing(const SampleInfo &sample);

    const AnnotationCheckOptions m_options;
    const QString m_format;
    std::map<std::int64_t, QString> m_categories;
    std::vector<SampleInfo> m_samples;
    std::vector<Candidate> m_candidates;
    std::vector<Issue> m_issues;
    std::vector<float> m_ring; // reused for every polygon
    std::vector<double> m_corners;
};

} // namespace assay::analysis::detail
