// store::ImportWriter and Project::applyImport: synchronise the project with a reader's plan in
// one transaction.

#include "importwriter.h"

#include "annotationsync.h"
#include "editjournal.h"
#include "project.h"
#include "transaction.h"

#include "jobs/progress.h"
#include "util/error.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>

namespace assay::store {

namespace {

constexpr std::int64_t progressStep = 4096;

// Maps names[ids.size()..] to their row ids, inserting the names the table lacks: names are
// added in order, so a new project numbers them as the plan lists them.
void ensureNames(Database &db, const char *table, const QStringList &names, bool withPosition,
                 std::vector<std::int64_t> &ids)
{
    if (ids.size() >= size_t(names.size()))
        return;
    const std::string select = std::string("SELECT id FROM ") + table + " WHERE name = ?";
    const std::string insert = std::string("INSERT INTO ") + table
                               + (withPosition ? "(name, position) VALUES(?, ?)" : "(name) VALUES(?)");
    Statement find(db, select);
    Statement add(db, insert);
    for (qsizetype i = qsizetype(ids.size()); i < names.size(); ++i) {
        find.bind(1, names[i]);
        if (find.step()) {
            ids.push_back(find.int64(0));
            find.reset();
            continue;
        }
        find.reset();
        add.bind(1, names[i]);
        if (withPosition)
            add.bind(2, static_cast<std::int64_t>(i));
        add.run();
        ids.push_back(db.lastInsertId());
    }
}

// Returns the column name of each attribute, adding attributes (and columns) the project lacks.
std::vector<std::string> ensureAttributes(Database &db, const std::vector<AttributeColumn> &columns)
{
    Statement find(db, "SELECT column_name, type FROM attributes WHERE name = ?");
    Statement add(db, "INSERT INTO attributes(name, type, origin, column_name) VALUES(?, ?, ?, '')");
    Statement setColumn(db, "UPDATE attributes SET column_name = ? WHERE id = ?");
    Statement setType(db, "UPDATE attributes SET type = ? WHERE name = ?");
    std::vector<std::string> names;
    for (const AttributeColumn &column : columns) {
        find.bind(1, column.name);
        if (find.step()) {
            names.emplace_back(find.utf8(0));
            const auto storedType = static_cast<AttributeType>(find.int64(1));
            find.reset();
            if (storedType != column.type && column.type == AttributeType::Text) {
                // Columns have no type affinity: a column that was numeric can hold text now.
                setType.bind(1, static_cast<int>(AttributeType::Text));
                setType.bind(2, column.name);
                setType.run();
            }
            continue;
        }
        find.reset();
        add.bind(1, column.name);
        add.bind(2, static_cast<int>(column.type));
        add.bind(3, column.origin);
        add.run();
        const std::int64_t id = db.lastInsertId();
        const std::string columnName = "a" + std::to_string(id);
        db.exec("ALTER TABLE sample_attributes ADD COLUMN " + columnName);
        setColumn.bind(1, std::string_view(columnName));
        setColumn.bind(2, id);
        setColumn.run();
        names.push_back(columnName);
    }
    return names;
}

std::string sampleKey(std::string_view path, std::int64_t member)
{
    std::string key(path);
    key.push_back('\0');
    key += std::to_string(member);
    return key;
}

// The insert of a sample's attribute row; as an upsert, it changes nothing (and reports no
// change) when the values are the same.
std::string attributeRowSql(const std::vector<std::string> &columns, bool upsert)
{
    std::string sql = "INSERT INTO sample_attributes(sample_id";
    for (const auto &c : columns)
        sql += ", " + c;
    sql += ") VALUES(?";
    for (size_t i = 0; i < columns.size(); ++i)
        sql += ", ?";
    sql += ")";
    if (!upsert)
        return sql;
    sql += " ON CONFLICT(sample_id) DO UPDATE SET ";
    for (size_t i = 0; i < columns.size(); ++i)
        sql += (i ? ", " : "") + columns[i] + " = excluded." + columns[i];
    sql += " WHERE ";
    for (size_t i = 0; i < columns.size(); ++i)
        sql += (i ? " OR " : "") + columns[i] + " IS NOT excluded." + columns[i];
    return sql;
}

void bindAttribute(Statement &statement, int index, const AttributeColumn &column, size_t row)
{
    if (column.type == AttributeType::Number) {
        const double value = column.numbers[row];
        if (std::isnan(value))
            statement.bindNull(index);
        else
            statement.bind(index, value);
        return;
    }
    const std::string &value = column.texts[row];
    if (value.empty())
        statement.bindNull(index);
    else
        statement.bind(index, std::string_view(value));
}

// Ids and sizes of 0 mean "none" and are stored as NULL.
void bindOptionalId(Statement &s, int index, std::int64_t id)
{
    if (id > 0)
        s.bind(index, id);
    else
        s.bindNull(index);
}

} // namespace

ImportWriter::ImportWriter(Project &project, jobs::Progress &progress, bool reportProgress)
    : m_project(project), m_db(project.db()), m_progress(progress), m_report(reportProgress)
{
    if (project.isReadOnly())
        throw Error(QStringLiteral("%1 is open read-only; cannot import into it")
                        .arg(project.path()));
    if (m_report) {
        m_progress.setPhase(QStringLiteral("Writing the project"));
        m_progress.setDone(0);
    }
    // A larger cache while synchronising a big project (the whole sample table is touched);
    // larger still, its dirty pages all wait for the commit instead of being written while the
    // reader reads.
    m_db.exec("PRAGMA cache_size = -65536");
    m_transaction = std::make_unique<Transaction>(m_db);
    if (m_db.queryInt("SELECT EXISTS(SELECT 1 FROM samples)")) {
        Statement all(m_db, "SELECT id, path, member, ifnull(split_id, 0), "
                            "ifnull(category_id, 0), size, mtime, status, ifnull(width, 0), "
                            "ifnull(height, 0), edited, ifnull(source_split_id, 0), "
                            "ifnull(source_category_id, 0) FROM samples");
        while (all.step()) {
            ExistingSample sample{all.int64(0),
                                  all.int64(3),
                                  all.int64(4),
                                  all.int64(5),
                                  all.int64(6),
                                  static_cast<int>(all.int64(7)),
                                  static_cast<int>(all.int64(8)),
                                  static_cast<int>(all.int64(9)),
                                  static_cast<int>(all.int64(10)),
                                  all.int64(11),
                                  all.int64(12),
                                  false};
            m_existing.emplace(sampleKey(all.utf8(1), all.int64(2)), sample);
        }
    }
    m_insert.emplace(m_db, "INSERT INTO samples(path, member, split_id, category_id, size, "
                           "mtime, status, width, height) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    m_update.emplace(m_db, "UPDATE samples SET split_id = ?, category_id = ?, size = ?, "
                           "mtime = ?, status = ?, width = ?, height = ?, edited = ?, "
                           "source_split_id = ?, source_category_id = ? WHERE id = ?");
}

ImportWriter::~ImportWriter()
{
    m_annotations.reset();
    m_insert.reset();
    m_update.reset();
    m_attributes.reset();
    m_newAttributes.reset();
    m_transaction.reset(); // rolls back unless finish() committed
    try {
        m_db.exec("PRAGMA cache_size = -16384");
    } catch (...) {
    }
}

void ImportWriter::ensureNames(const ImportPlan &plan)
{
    store::ensureNames(m_db, "splits", plan.splits, false, m_splitIds);
    store::ensureNames(m_db, "categories", plan.categories, true, m_categoryIds);
}

void ImportWriter::writeItems(const ImportPlan &plan, size_t begin, size_t end)
{
    if (begin != m_sampleIds.size())
        throw Error(QStringLiteral("internal error: samples written out of order"));
    ensureNames(plan);
    if (!m_attributeColumns) {
        m_attributeColumns = ensureAttributes(m_db, plan.attributes);
        // Rows of new samples are plain inserts; an existing sample's row is upserted so that
        // an unchanged row reports no change.
        if (!m_attributeColumns->empty()) {
            m_attributes.emplace(m_db, attributeRowSql(*m_attributeColumns, true));
            m_newAttributes.emplace(m_db, attributeRowSql(*m_attributeColumns, false));
        }
    }
    if (m_report)
        m_progress.setTotal(static_cast<std::int64_t>(plan.items.size()));
    m_sampleIds.resize(end, 0);
    Statement &insert = *m_insert;
    Statement &update = *m_update;
    for (size_t row = begin; row < end; ++row) {
        const ImportItem &item = plan.items[row];
        const std::int64_t splitId = item.split >= 0 ? m_splitIds[size_t(item.split)] : 0;
        const std::int64_t categoryId = item.label >= 0 ? m_categoryIds[size_t(item.label)] : 0;
        const int status = static_cast<int>(item.exists ? SampleStatus::Present
                                                        : SampleStatus::Missing);
        std::int64_t sampleId = 0;
        bool changed = false;
        auto found = m_existing.empty() ? m_existing.end()
                                        : m_existing.find(sampleKey(item.path, item.member));
        if (found == m_existing.end()) {
            insert.bind(1, std::string_view(item.path));
            insert.bind(2, item.member);
            bindOptionalId(insert, 3, splitId);
            bindOptionalId(insert, 4, categoryId);
            insert.bind(5, item.size);
            insert.bind(6, item.mtime);
            insert.bind(7, status);
            bindOptionalId(insert, 8, item.width);
            bindOptionalId(insert, 9, item.height);
            insert.run();
            sampleId = m_db.lastInsertId();
            ++m_result.added;
        } else {
            ExistingSample &old = found->second;
            old.seen = true;
            sampleId = old.id;
            const int wasEdited = old.edited;
            const std::int64_t wasSourceSplit = old.sourceSplitId;
            const std::int64_t wasSourceCategory = old.sourceCategoryId;
            const std::int64_t splitValue =
                keepEdit(old, 2, "split", old.splitId, old.sourceSplitId, splitId);
            const std::int64_t categoryValue =
                keepEdit(old, 1, "class", old.categoryId, old.sourceCategoryId, categoryId);
            if (old.splitId != splitValue || old.categoryId != categoryValue
                || old.size != item.size || old.mtime != item.mtime || old.status != status
                || old.width != item.width || old.height != item.height
                || old.edited != wasEdited || old.sourceSplitId != wasSourceSplit
                || old.sourceCategoryId != wasSourceCategory) {
                bindOptionalId(update, 1, splitValue);
                bindOptionalId(update, 2, categoryValue);
                update.bind(3, item.size);
                update.bind(4, item.mtime);
                update.bind(5, status);
                bindOptionalId(update, 6, item.width);
                bindOptionalId(update, 7, item.height);
                update.bind(8, old.edited);
                bindOptionalId(update, 9, old.sourceSplitId);
                bindOptionalId(update, 10, old.sourceCategoryId);
                update.bind(11, old.id);
                update.run();
                if (old.status == int(SampleStatus::Missing) && item.exists)
                    ++m_result.restored;
                changed = true;
            }
        }
        m_sampleIds[row] = sampleId;
        if (m_attributes) {
            const bool isNew = found == m_existing.end();
            Statement &statement = isNew ? *m_newAttributes : *m_attributes;
            statement.bind(1, sampleId);
            for (size_t c = 0; c < plan.attributes.size(); ++c)
                bindAttribute(statement, int(c) + 2, plan.attributes[c], row);
            statement.run();
            changed = changed || (!isNew && m_db.changes() > 0);
        }
        if (found != m_existing.end())
            ++(changed ? m_result.updated : m_result.unchanged);
        if ((row + 1) % progressStep == 0) {
            if (m_report)
                m_progress.setDone(std::int64_t(row + 1));
            jobs::throwIfCanceled(m_progress);
        }
    }
}

// The value a re-import writes for one edited field of an existing sample (samples.edited bit
// `bit`). An edit wins over the source: the source's value moves to `source` and the project
// keeps `current`. The mark goes when the edit was undone (current is the source's old value) or
// the source now says the same.
std::int64_t ImportWriter::keepEdit(ExistingSample &sample, int bit, const char *field,
                                    std::int64_t current, std::int64_t &source,
                                    std::int64_t incoming)
{
    if (!(sample.edited & bit))
        return incoming;
    if (current == source || current == incoming) {
        sample.edited &= ~bit;
        source = 0;
        return incoming;
    }
    if (incoming != source) {
        m_kept.push_back({sample.id, field, incoming, current});
        source = incoming;
    }
    return current;
}

// One "kept" batch in the edit journal: what the source now says, and the edit kept instead.
void ImportWriter::journalKeptEdits()
{
    if (m_kept.empty() && m_annotations->kept().empty())
        return;
    JournalWriter journal(m_db);
    JournalBatch batch;
    batch.user = journalUserName();
    batch.action = JournalAction::Kept;
    batch.text = QStringLiteral("Re-import kept %1 edits the source changed")
                     .arg(m_kept.size() + m_annotations->kept().size());
    journal.begin(batch);
    auto value = [](std::int64_t id) { return id ? FieldValue(id) : FieldValue(); };
    for (const KeptEdit &kept : m_kept)
        journal.add(kept.sampleId, 0, 0, kept.field, value(kept.source), value(kept.kept));
    for (const AnnotationSync::KeptEdit &kept : m_annotations->kept())
        journal.add(kept.sampleId, kept.annotationId, 0, "annotation", kept.source,
                    kept.kept);
    journal.finish();
}

void ImportWriter::startAnnotations()
{
    if (m_annotations)
        return;
    if (m_report)
        m_progress.setPhase(QStringLiteral("Writing annotations"));
    // Objects come in file order, their samples at random (COCO's do): kept up to date row by
    // row, the index of objects by sample costs twice what building it at the end does. Into an
    // empty table it is dropped now and created again in finish().
    const QString bySample = m_db.queryText("SELECT sql FROM sqlite_master WHERE type = 'index' "
                                            "AND name = 'annotations_sample'");
    if (!bySample.isEmpty() && !m_db.queryInt("SELECT EXISTS(SELECT 1 FROM annotations)")) {
        m_db.exec("DROP INDEX annotations_sample");
        m_rebuildIndex = bySample.toStdString();
    }
    m_annotations = std::make_unique<AnnotationSync>(m_db);
}

void ImportWriter::writeAnnotations(const ImportPlan &plan,
                                    const std::vector<ImportAnnotation> &annotations)
{
    ensureNames(plan);
    startAnnotations();
    m_annotations->add(annotations, m_sampleIds, m_categoryIds, m_result);
    jobs::throwIfCanceled(m_progress);
}

ImportResult ImportWriter::finish(const ImportPlan &plan)
{
    Database &db = m_db;
    ensureNames(plan);
    startAnnotations();
    m_annotations->removeUnseen(m_sampleIds, m_result);
    journalKeptEdits();
    if (!m_rebuildIndex.empty())
        m_db.exec(m_rebuildIndex);
    jobs::throwIfCanceled(m_progress);

    db.exec("DELETE FROM source_files");
    Statement addSource(db, "INSERT OR REPLACE INTO source_files(path, size, mtime, position) "
                            "VALUES(?, ?, ?, ?)");
    for (size_t i = 0; i < plan.sourceFiles.size(); ++i) {
        const SourceFile &file = plan.sourceFiles[i];
        addSource.bind(1, std::string_view(file.path));
        addSource.bind(2, file.size);
        addSource.bind(3, file.mtime);
        addSource.bind(4, std::int64_t(i));
        addSource.run();
    }

    Statement markMissing(db, "UPDATE samples SET status = 1 WHERE id = ?");
    for (const auto &entry : m_existing) {
        if (!entry.second.seen && entry.second.status != int(SampleStatus::Missing)) {
            markMissing.bind(1, entry.second.id);
            markMissing.run();
            ++m_result.markedMissing;
        }
    }

    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    const QString oldRoot = m_project.datasetRoot();
    if (oldRoot.isEmpty() || oldRoot != plan.root)
        m_project.setMeta(QStringLiteral("dataset_root"), plan.root);
    m_project.setMeta(QStringLiteral("dataset_format"), plan.format);
    m_project.setMeta(QStringLiteral("dataset_source"), plan.source);
    if (!plan.readOptions.isEmpty())
        m_project.setMeta(QStringLiteral("read_options"), plan.readOptions);
    if (!plan.labelSource.isEmpty())
        m_project.setMeta(QStringLiteral("label_source"), plan.labelSource);
    m_project.setMeta(QStringLiteral("modified_at"), now);

    const ImportResult &result = m_result;
    QJsonObject summary{{QStringLiteral("added"), qint64(result.added)},
                        {QStringLiteral("updated"), qint64(result.updated)},
                        {QStringLiteral("unchanged"), qint64(result.unchanged)},
                        {QStringLiteral("marked_missing"), qint64(result.markedMissing)},
                        {QStringLiteral("annotations_added"), qint64(result.annotationsAdded)},
                        {QStringLiteral("annotations_updated"), qint64(result.annotationsUpdated)},
                        {QStringLiteral("annotations_removed"), qint64(result.annotationsRemoved)},
                        {QStringLiteral("skipped"), qint64(plan.skipped.size())},
                        {QStringLiteral("refused"), qint64(plan.refused.size())}};
    Statement log(db, "INSERT INTO imports(time, format, source, summary) VALUES(?, ?, ?, ?)");
    log.bind(1, now);
    log.bind(2, plan.format);
    log.bind(3, plan.source);
    log.bind(4, QString::fromUtf8(QJsonDocument(summary).toJson(QJsonDocument::Compact)));
    log.run();

    jobs::throwIfCanceled(m_progress);
    m_annotations.reset();
    m_transaction->commit();
    if (m_report)
        m_progress.setDone(std::int64_t(plan.items.size()));
    return m_result;
}

ImportResult Project::applyImport(const ImportPlan &plan, jobs::Progress &progress)
{
    ImportWriter writer(*this, progress);
    writer.writeItems(plan, 0, plan.items.size());
    writer.writeAnnotations(plan, plan.annotations);
    return writer.finish(plan);
}

} // namespace assay::store
