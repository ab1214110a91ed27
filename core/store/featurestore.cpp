#include "featurestore.h"

#include "transaction.h"

#include <QStringList>

namespace assay::store {

std::vector<ScanCandidate> loadScanCandidates(Database &db)
{
    Statement query(db, R"sql(
        SELECT s.id, s.path, s.member, f.sample_id IS NOT NULL, ifnull(f.extractor_version, 0),
               ifnull(f.file_size, -1), ifnull(f.file_mtime, -1), f.content_hash
        FROM samples s LEFT JOIN features f ON f.sample_id = s.id
        WHERE s.status = 0 ORDER BY s.id)sql");
    std::vector<ScanCandidate> candidates;
    while (query.step()) {
        ScanCandidate c;
        c.sampleId = query.int64(0);
        c.path = std::string(query.utf8(1));
        c.member = query.int64(2);
        c.scanned = query.int64(3) != 0;
        c.extractorVersion = int(query.int64(4));
        c.scannedSize = query.int64(5);
        c.scannedMtime = query.int64(6);
        if (!query.isNull(7))
            c.contentHash = query.blob(7);
        candidates.push_back(std::move(c));
    }
    return candidates;
}

FeatureWriter::FeatureWriter(Database &db)
    : m_insert(db, R"sql(
        INSERT OR REPLACE INTO features(sample_id, extractor_version, file_size, file_mtime,
            content_hash, status, detail, real_type, width, height, channels, brightness,
            contrast, sharpness, entropy, colorfulness, grayscale, luma_p1, luma_p5, luma_p95,
            luma_p99, pixel_hash, phash, ahash, scanned_at)
        VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql"),
      m_touch(db, "UPDATE features SET file_size = ?, file_mtime = ? WHERE sample_id = ?"),
      m_signature(db, "INSERT OR REPLACE INTO signatures(sample_id, thumb, small) VALUES(?, ?, ?)"),
      m_noSignature(db, "DELETE FROM signatures WHERE sample_id = ?")
{
}

void FeatureWriter::write(const SampleFeatures &f, std::int64_t scannedAt)
{
    Statement &s = m_insert;
    s.bind(1, f.sampleId);
    s.bind(2, f.extractorVersion);
    s.bind(3, f.fileSize);
    s.bind(4, f.fileMtime);
    s.bindBlob(5, f.contentHash);
    s.bind(6, int(f.status));
    s.bind(7, f.detail.isEmpty() ? QString() : f.detail);
    s.bind(8, f.realType.isEmpty() ? QString() : f.realType);
    const bool measured = f.status == ScanStatus::Ok;
    if (f.width > 0) {
        s.bind(9, f.width);
        s.bind(10, f.height);
    } else {
        s.bindNull(9);
        s.bindNull(10);
    }
    if (f.channels > 0)
        s.bind(11, f.channels);
    else
        s.bindNull(11);
    const double values[] = {f.brightness, f.contrast, f.sharpness, f.entropy, f.colorfulness};
    for (int i = 0; i < 5; ++i) {
        if (measured)
            s.bind(12 + i, values[i]);
        else
            s.bindNull(12 + i);
    }
    if (measured)
        s.bind(17, f.grayscale ? 1 : 0);
    else
        s.bindNull(17);
    const double lumas[] = {f.lumaP1, f.lumaP5, f.lumaP95, f.lumaP99};
    for (int i = 0; i < 4; ++i) {
        if (measured)
            s.bind(18 + i, lumas[i]);
        else
            s.bindNull(18 + i);
    }
    const std::uint64_t hashes[] = {f.pixelHash, f.phash, f.ahash};
    for (int i = 0; i < 3; ++i) {
        if (measured)
            s.bind(22 + i, static_cast<std::int64_t>(hashes[i]));
        else
            s.bindNull(22 + i);
    }
    s.bind(25, scannedAt);
    s.run();
    if (measured && !f.signature.isEmpty()) {
        m_signature.bind(1, f.sampleId);
        m_signature.bindBlob(2, f.signature);
        if (f.smallImage.isEmpty())
            m_signature.bindNull(3);
        else
            m_signature.bindBlob(3, f.smallImage);
        m_signature.run();
    } else {
        m_noSignature.bind(1, f.sampleId);
        m_noSignature.run();
    }
}

void FeatureWriter::touch(std::int64_t sampleId, std::int64_t size, std::int64_t mtime)
{
    m_touch.bind(1, size);
    m_touch.bind(2, mtime);
    m_touch.bind(3, sampleId);
    m_touch.run();
}

void readFeatures(const Statement &row, int first, SampleFeatures &f)
{
    int c = first;
    f.status = static_cast<ScanStatus>(row.int64(c++));
    f.detail = row.text(c++);
    f.realType = row.text(c++);
    f.width = int(row.int64(c++));
    f.height = int(row.int64(c++));
    f.channels = int(row.int64(c++));
    f.brightness = row.real(c++);
    f.contrast = row.real(c++);
    f.sharpness = row.real(c++);
    f.entropy = row.real(c++);
    f.colorfulness = row.real(c++);
    f.grayscale = row.int64(c++) != 0;
    f.lumaP1 = row.real(c++);
    f.lumaP5 = row.real(c++);
    f.lumaP95 = row.real(c++);
    f.lumaP99 = row.real(c++);
    f.fileSize = row.int64(c++);
    f.phash = std::uint64_t(row.int64(c++));
    f.ahash = std::uint64_t(row.int64(c++));
    f.contentHash = row.blob(c++);
    f.pixelHash = std::uint64_t(row.int64(c++));
}

std::vector<FeatureRow> loadFeatureRows(Database &db)
{
    Statement query(db, std::string("SELECT s.id, s.path, s.member, ") + featureColumns
                            + " FROM samples s JOIN features f ON f.sample_id = s.id"
                              " WHERE s.status = 0 ORDER BY s.id");
    std::vector<FeatureRow> rows;
    while (query.step()) {
        FeatureRow row;
        row.sampleId = query.int64(0);
        row.path = query.text(1);
        row.member = query.int64(2);
        row.features.sampleId = row.sampleId;
        readFeatures(query, 3, row.features);
        rows.push_back(std::move(row));
    }
    return rows;
}

void replaceIssues(Database &db, const QStringList &kinds, const std::vector<Issue> &issues)
{
    Transaction transaction(db);
    writeIssues(db, kinds, issues);
    transaction.commit();
}

void writeIssues(Database &db, const QStringList &kinds, const std::vector<Issue> &issues)
{
    Statement remove(db, "DELETE FROM issues WHERE kind = ?");
    for (const QString &kind : kinds) {
        remove.bind(1, kind);
        remove.run();
    }
    Statement insert(db, "INSERT INTO issues(sample_id, kind, severity, detail, value) "
                         "VALUES(?, ?, ?, ?, ?)");
    for (const Issue &issue : issues) {
        insert.bind(1, issue.sampleId);
        insert.bind(2, issue.kind);
        insert.bind(3, int(issue.severity));
        insert.bind(4, issue.detail);
        insert.bind(5, issue.value);
        insert.run();
    }
}

std::int64_t countIssues(Database &db, const QStringList &kinds)
{
    Statement count(db, "SELECT count(*) FROM issues WHERE kind = ?");
    std::int64_t total = 0;
    for (const QString &kind : kinds) {
        count.bind(1, kind);
        total += count.step() ? count.int64(0) : 0;
        count.reset();
    }
    return total;
}

std::vector<IssueRecord> loadIssues(Database &db)
{
    Statement query(db, R"sql(
        SELECT i.sample_id, i.kind, i.severity, i.detail, i.value, s.path, s.member
        FROM issues i JOIN samples s ON s.id = i.sample_id
        ORDER BY i.kind, s.path, s.member)sql");
    std::vector<IssueRecord> records;
    while (query.step()) {
        IssueRecord record;
        record.issue.sampleId = query.int64(0);
        record.issue.kind = query.text(1);
        record.issue.severity = static_cast<Severity>(query.int64(2));
        record.issue.detail = query.text(3);
        record.issue.value = query.real(4);
        record.path = query.text(5);
        record.member = query.int64(6);
        records.push_back(std::move(record));
    }
    return records;
}

} // namespace assay::store
