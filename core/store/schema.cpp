#include "schema.h"

#include "transaction.h"
#include "util/error.h"

#include <QFile>

namespace assay::store {

namespace {

// Schema 1: the foundation. Image-level class labels live in samples.category_id (one label per
// image, read by every count and filter); objects go to annotations. Attribute values live in
// one wide table, one typed column per attribute (attributes.column_name), so a million rows with
// several attributes insert and scan as one row each.
void createVersion1(Database &db)
{
    db.exec(R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT) WITHOUT ROWID;
CREATE TABLE splits(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE categories(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    supercategory TEXT,
    source_id INTEGER,
    position INTEGER NOT NULL DEFAULT 0);
CREATE TABLE samples(
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    member INTEGER NOT NULL DEFAULT -1,
    split_id INTEGER REFERENCES splits(id),
    category_id INTEGER REFERENCES categories(id),
    size INTEGER NOT NULL DEFAULT 0,
    mtime INTEGER NOT NULL DEFAULT 0,
    status INTEGER NOT NULL DEFAULT 0,
    UNIQUE(path, member));
CREATE INDEX samples_category ON samples(category_id);
CREATE TABLE annotations(
    id INTEGER PRIMARY KEY,
    sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
    category_id INTEGER REFERENCES categories(id),
    kind INTEGER NOT NULL,
    x REAL, y REAL, w REAL, h REAL,
    geometry BLOB,
    iscrowd INTEGER NOT NULL DEFAULT 0,
    source_file TEXT,
    source_index INTEGER,
    extra TEXT);
CREATE INDEX annotations_sample ON annotations(sample_id);
CREATE INDEX annotations_category ON annotations(category_id);
CREATE TABLE attributes(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    type INTEGER NOT NULL,
    origin TEXT NOT NULL,
    column_name TEXT NOT NULL UNIQUE);
CREATE TABLE sample_attributes(
    sample_id INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE);
CREATE TABLE tags(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE sample_tags(
    sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY(sample_id, tag_id)) WITHOUT ROWID;
CREATE TABLE imports(
    id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    format TEXT NOT NULL,
    source TEXT NOT NULL,
    summary TEXT NOT NULL);
)sql");
}

// Schema 2: what the scan measures per sample (keyed by the file's size and mtime and the
// extractor version, so a rescan recomputes only what is stale), and the issues derived from it.
// Additive: schema-1 readers can still read the file.
void createVersion2(Database &db)
{
    db.exec(R"sql(
CREATE TABLE features(
    sample_id INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
    extractor_version INTEGER NOT NULL,
    file_size INTEGER NOT NULL,
    file_mtime INTEGER NOT NULL,
    content_hash BLOB,
    status INTEGER NOT NULL,
    detail TEXT,
    real_type TEXT,
    width INTEGER, height INTEGER, channels INTEGER,
    brightness REAL, contrast REAL, sharpness REAL, entropy REAL, colorfulness REAL,
    grayscale INTEGER,
    luma_p1 REAL, luma_p5 REAL, luma_p95 REAL, luma_p99 REAL,
    pixel_hash INTEGER, phash INTEGER, ahash INTEGER,
    scanned_at INTEGER NOT NULL);
CREATE TABLE issues(
    id INTEGER PRIMARY KEY,
    sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    severity INTEGER NOT NULL,
    detail TEXT,
    value REAL);
CREATE INDEX issues_kind ON issues(kind);
CREATE INDEX issues_sample ON issues(sample_id);
)sql");
}

// Schema 3: the image size an annotation source declares, kept on the sample (annotation checks
// and exports need it before any scan), and the annotation/manifest files an import read with
// their size and mtime, so an export can tell the source is still the one imported.
// Additive: older readers can still read the file.
void createVersion3(Database &db)
{
    db.exec(R"sql(
ALTER TABLE samples ADD COLUMN width INTEGER;
ALTER TABLE samples ADD COLUMN height INTEGER;
CREATE TABLE source_files(
    path TEXT PRIMARY KEY NOT NULL,
    size INTEGER NOT NULL,
    mtime INTEGER NOT NULL,
    position INTEGER NOT NULL) WITHOUT ROWID;
)sql");
}

// Schema 4: duplicates. The clusters found at the chosen threshold (one row per member), and the
// near pairs of pHash values up to the largest threshold, so a new threshold re-clusters without
// searching again. Additive.
void createVersion4(Database &db)
{
    db.exec(R"sql(
CREATE TABLE duplicate_members(
    sample_id INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
    cluster INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    distance INTEGER NOT NULL,
    flags INTEGER NOT NULL);
CREATE INDEX duplicate_members_cluster ON duplicate_members(cluster);
CREATE TABLE near_pairs(
    hash_a INTEGER NOT NULL,
    hash_b INTEGER NOT NULL,
    distance INTEGER NOT NULL,
    PRIMARY KEY(hash_a, hash_b)) WITHOUT ROWID;
)sql");
}

// Schema 5: bias slices. Imported predictions (the class a model gave each sample, with its
// score) and the last slice search: each attribute's test with its heat-map cells and each
// tested slice, as JSON records ranked within their family (0 label shift, 1 errors); the run's
// parameters and binning are in meta "slices". Additive.
void createVersion5(Database &db)
{
    db.exec(R"sql(
CREATE TABLE predictions(
    sample_id INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
    predicted TEXT NOT NULL,
    score REAL);
CREATE TABLE slice_attributes(
    position INTEGER PRIMARY KEY,
    rank INTEGER NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    record TEXT NOT NULL);
CREATE TABLE slices(
    family INTEGER NOT NULL,
    id INTEGER NOT NULL,
    status TEXT NOT NULL,
    text TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY(family, id)) WITHOUT ROWID;
)sql");
}

// Schema 6: label edits. Per sample a reviewed and an excluded flag; `edited` bits (1 class,
// 2 split) with the value the source gave before the first edit (source_category_id,
// source_split_id), so a re-import tells an edit from a change of the source and keeps the edit.
// The same for objects: annotation_sources holds the source's version of an imported object
// edited or deleted in Assay. The journal: one row per batch (edit_batches: when, who, do / undo /
// redo / kept, the step undone or redone, its text and reason, its rows' id range) and one per
// changed value (edits); it is only ever appended to. The `journal` view joins them into the
// rows people read. Additive: older readers can still read the file.
void createVersion6(Database &db)
{
    db.exec(R"sql(
ALTER TABLE samples ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE samples ADD COLUMN excluded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE samples ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;
ALTER TABLE samples ADD COLUMN source_category_id INTEGER;
ALTER TABLE samples ADD COLUMN source_split_id INTEGER;
CREATE TABLE annotation_sources(
    annotation_id INTEGER PRIMARY KEY,
    sample_id INTEGER NOT NULL,
    source_file TEXT NOT NULL,
    source_index INTEGER NOT NULL,
    category_id INTEGER,
    kind INTEGER NOT NULL,
    x REAL, y REAL, w REAL, h REAL,
    geometry BLOB,
    iscrowd INTEGER NOT NULL DEFAULT 0,
    extra TEXT);
CREATE TABLE edit_batches(
    id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    user TEXT NOT NULL,
    action INTEGER NOT NULL,
    target INTEGER,
    text TEXT NOT NULL,
    reason TEXT,
    merge_key TEXT,
    first_row INTEGER NOT NULL,
    row_count INTEGER NOT NULL);
CREATE TABLE edits(
    id INTEGER PRIMARY KEY,
    batch INTEGER NOT NULL,
    sample_id INTEGER,
    annotation_id INTEGER,
    category_id INTEGER,
    field TEXT NOT NULL,
    old_value,
    new_value);
CREATE INDEX edits_sample ON edits(sample_id) WHERE sample_id IS NOT NULL;
CREATE VIEW journal AS
    SELECT e.id, b.time, b.user, e.sample_id, e.annotation_id, e.category_id, e.field,
           e.old_value, e.new_value, b.id AS batch, b.reason,
           CASE b.action WHEN 0 THEN 'do' WHEN 1 THEN 'undo' WHEN 2 THEN 'redo' ELSE 'kept' END
               AS action
    FROM edits e JOIN edit_batches b ON b.id = e.batch;
)sql");
}

// Schema 7: calibrated duplicates. Each measured sample's 16x16 grey signature, which confirms
// near pairs (its own table: 256 bytes a row would triple the features rows every browse reads),
// and the confirmed sample pairs up to the largest threshold (they replace near_pairs' pHash value
// pairs: a pair is confirmed per sample, not per hash value). Results of the uncalibrated analysis
// (one giant chained cluster on Fashion-MNIST) are dropped; the next scan recomputes them.
// Additive: older readers can still read the file.
void createVersion7(Database &db)
{
    db.exec(R"sql(
CREATE TABLE signatures(
    sample_id INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
    thumb BLOB NOT NULL);
CREATE TABLE duplicate_pairs(
    sample_a INTEGER NOT NULL,
    sample_b INTEGER NOT NULL,
    distance INTEGER NOT NULL,
    PRIMARY KEY(sample_a, sample_b)) WITHOUT ROWID;
DELETE FROM near_pairs;
DELETE FROM duplicate_members;
DELETE FROM issues WHERE kind IN ('duplicate', 'leakage', 'label_conflict');
DELETE FROM meta WHERE key = 'duplicates';
)sql");
}

// Schema 8: datasheet answers (issue #9), one row per question or field: Assay's latest draft
// (AUTO/SEMI text, regenerated from the stored results) and what a person wrote; `pinned` marks
// a person's answer, which a regeneration never overwrites. Additive.
void createVersion8(Database &db)
{
    db.exec(R"sql(
CREATE TABLE datasheet_answers(
    id TEXT PRIMARY KEY NOT NULL,
    draft TEXT,
    text TEXT,
    pinned INTEGER NOT NULL DEFAULT 0,
    time TEXT,
    user TEXT) WITHOUT ROWID;
)sql");
}

// Schema 9: small images (longer side at most 64 px) kept whole, grey, beside their signature
// (signatures.small: 2-byte little-endian width and height, then the pixels row by row), so that
// a copy shifted or cropped by a pixel is found and confirmed at its own resolution
// (analysis/smallshifts.h). Additive: older readers ignore the column.
void createVersion9(Database &db)
{
    db.exec("ALTER TABLE signatures ADD COLUMN small BLOB;");
}

int metaInt(Database &db, const char *key)
{
    Statement query(db, "SELECT value FROM meta WHERE key = ?");
    query.bind(1, std::string_view(key));
    return query.step() ? query.text(0).toInt() : 0;
}

void setMetaInt(Database &db, const char *key, int value)
{
    Statement update(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    update.bind(1, std::string_view(key));
    update.bind(2, QString::number(value));
    update.run();
}

bool hasTable(Database &db, const char *name)
{
    Statement query(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    query.bind(1, std::string_view(name));
    return query.step();
}

} // namespace

const std::vector<Migration> &builtinMigrations()
{
    static const std::vector<Migration> steps = {
        {1, 1, createVersion1},
        {2, 1, createVersion2},
        {3, 1, createVersion3},
        {4, 1, createVersion4},
        {5, 1, createVersion5},
        {6, 1, createVersion6},
        {7, 1, createVersion7},
        {8, 1, createVersion8},
        {9, 1, createVersion9},
    };
    return steps;
}

int currentSchemaVersion()
{
    return builtinMigrations().back().toVersion;
}

SchemaMigrator::SchemaMigrator(std::vector<Migration> steps) : m_steps(std::move(steps)) {}

int SchemaMigrator::targetVersion() const
{
    return m_steps.empty() ? 0 : m_steps.back().toVersion;
}

int SchemaMigrator::fileSchemaVersion(Database &db)
{
    if (!hasTable(db, "meta"))
        return 0;
    return metaInt(db, "schema_version");
}

QString SchemaMigrator::prepare(Database &db)
{
    const std::int64_t appId = db.queryInt("PRAGMA application_id");
    const std::int64_t tableCount = db.queryInt("SELECT count(*) FROM sqlite_master");
    if (appId != applicationId && (appId != 0 || tableCount != 0))
        throw Error(QStringLiteral("%1 is an SQLite database but not an Assay project")
                        .arg(db.path()));

    const int fileVersion = fileSchemaVersion(db);
    const int target = targetVersion();
    if (fileVersion > 0) {
        const int minReader = metaInt(db, "min_reader_version");
        if (minReader > target)
            throw Error(QStringLiteral("%1 was written by a newer version of Assay (schema %2, "
                                       "readable from schema %3 on); this program reads schema "
                                       "%4 and older. Update Assay to open it.")
                            .arg(db.path())
                            .arg(fileVersion)
                            .arg(minReader)
                            .arg(target));
    }
    if (fileVersion >= target)
        return {};
    if (db.isReadOnly())
        throw Error(QStringLiteral("%1 needs an upgrade from schema %2 to %3, but it is opened "
                                   "read-only")
                        .arg(db.path())
                        .arg(fileVersion)
                        .arg(target));

    QString backupPath;
    if (fileVersion > 0) {
        backupPath = db.path() + QStringLiteral(".v%1.backup").arg(fileVersion);
        QFile::remove(backupPath);
        Statement vacuum(db, "VACUUM INTO ?");
        vacuum.bind(1, backupPath);
        vacuum.run();
    }

    for (const Migration &step : m_steps) {
        if (step.toVersion <= fileVersion)
            continue;
        Transaction transaction(db);
        if (step.toVersion == 1)
            db.exec("PRAGMA application_id = 1095979865"); // 0x41535359
        step.apply(db);
        setMetaInt(db, "schema_version", step.toVersion);
        setMetaInt(db, "min_reader_version", step.minReaderVersion);
        transaction.commit();
    }
    return backupPath;
}

} // namespace assay::store
