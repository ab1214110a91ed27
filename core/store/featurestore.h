#pragma once

#include "database.h"

#include "model/issue.h"
#include "model/samplefeatures.h"

#include <string>
#include <vector>

namespace assay::store {

// A sample the scanner may have to (re)compute, with what the last scan recorded.
struct ScanCandidate
{
    std::int64_t sampleId = 0;
    std::string path; // UTF-8, root-relative
    std::int64_t member = -1;
    bool scanned = false;
    int extractorVersion = 0;
    std::int64_t scannedSize = 0;
    std::int64_t scannedMtime = 0;
    QByteArray contentHash;
};

// Present samples in id order: the grid's order (so thumbnails appear top first), and members
// of one container file, imported together, stay adjacent.
std::vector<ScanCandidate> loadScanCandidates(Database &db);

// Writes features (insert or replace) and the sample's signature in the caller's transaction.
class FeatureWriter
{
public:
    explicit FeatureWriter(Database &db);
    void write(const SampleFeatures &features, std::int64_t scannedAt);
    // A file whose bytes did not change: only its size and mtime are recorded again.
    void touch(std::int64_t sampleId, std::int64_t size, std::int64_t mtime);

private:
    Statement m_insert;
    Statement m_touch;
    Statement m_signature;
    Statement m_noSignature;
};

// The features columns (table alias `f`) that readFeatures reads, in its order.
inline constexpr const char featureColumns[] =
    "f.status, f.detail, f.real_type, f.width, f.height, f.channels, f.brightness, f.contrast, "
    "f.sharpness, f.entropy, f.colorfulness, f.grayscale, f.luma_p1, f.luma_p5, f.luma_p95, "
    "f.luma_p99, f.file_size, f.phash, f.ahash, f.content_hash, f.pixel_hash";
// Reads featureColumns from a row, starting at column `first`.
void readFeatures(const Statement &row, int first, SampleFeatures &features);

// The per-sample inputs of the quality checks: features plus the sample's path.
struct FeatureRow
{
    std::int64_t sampleId = 0;
    QString path;
    std::int64_t member = -1;
    SampleFeatures features;
};
std::vector<FeatureRow> loadFeatureRows(Database &db);

// Replaces every issue of the given kinds with `issues`, in one transaction.
void replaceIssues(Database &db, const QStringList &kinds, const std::vector<Issue> &issues);
// The same in the caller's transaction.
void writeIssues(Database &db, const QStringList &kinds, const std::vector<Issue> &issues);
// How many issues of the given kinds there are.
std::int64_t countIssues(Database &db, const QStringList &kinds);

struct IssueRecord
{
    Issue issue;
    QString path;
    std::int64_t member = -1;
};
// Issues with their sample's path, ordered by kind then path.
std::vector<IssueRecord> loadIssues(Database &db);

} // namespace assay::store
