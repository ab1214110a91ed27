// Project::applyImport: synchronises the project with a reader's plan in one transaction.

#include "annotationsync.h"
#include "project.h"
#include "transaction.h"

#include "jobs/progress.h"
#include "util/error.h"

#include <QDateTime>
#include <QScopeGuard>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>

namespace assay::store {

namespace {

constexpr std::int64_t progressStep = 4096;

// Maps each name to its row id, inserting the names the table lacks.
std::vector<std::int64_t> ensureNames(Database &db, const char *table, const QStringList &names,
                                      bool withPosition)
{
    const std::string select = std::string("SELECT id FROM ") + table + " WHERE name = ?";
    const std::string insert = std::string("INSERT INTO ") + table
                               + (withPosition ? "(name, position) VALUES(?, ?)" : "(name) VALUES(?)");
    Statement find(db, select);
    Statement add(db, insert);
    std::vector<std::int64_t> ids;
    ids.reserve(static_cast<size_t>(names.size()));
    for (qsizetype i = 0; i < names.size(); ++i) {
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
    return ids;
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

struct ExistingSample
{
    std::int64_t id = 0;
    std::int64_t splitId = 0; // 0 = none
    std::int64_t categoryId = 0;
    std::int64_t size = 0;
    std::int64_t mtime = 0;
    int status = 0;
    int width = 0, height = 0;
    bool seen = false;
};

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

} // namespace

ImportResult Project::applyImport(const ImportPlan &plan, jobs::Progress &progress)
{
    if (isReadOnly())
        throw Error(QStringLiteral("%1 is open read-only; cannot import into it").arg(m_path));
    Database &db = *m_db;
    ImportResult result;
    progress.setPhase(QStringLiteral("Writing the project"));
    progress.setTotal(static_cast<std::int64_t>(plan.items.size()));
    progress.setDone(0);

    // A large cache while synchronising a big project: the whole sample table is touched.
    db.exec("PRAGMA cache_size = -262144");
    const auto restoreCache = qScopeGuard([&db] {
        try {
            db.exec("PRAGMA cache_size = -16384");
        } catch (...) {
        }
    });
    Transaction transaction(db);
    const std::vector<std::int64_t> splitIds = ensureNames(db, "splits", plan.splits, false);
    const std::vector<std::int64_t> categoryIds =
        ensureNames(db, "categories", plan.categories, true);
    const std::vector<std::string> attributeColumns = ensureAttributes(db, plan.attributes);

    std::unordered_map<std::string, ExistingSample> existing;
    if (db.queryInt("SELECT EXISTS(SELECT 1 FROM samples)")) {
        Statement all(db, "SELECT id, path, member, ifnull(split_id, 0), ifnull(category_id, 0), "
                          "size, mtime, status, ifnull(width, 0), ifnull(height, 0) FROM samples");
        while (all.step()) {
            ExistingSample sample{all.int64(0),
                                  all.int64(3),
                                  all.int64(4),
                                  all.int64(5),
                                  all.int64(6),
                                  static_cast<int>(all.int64(7)),
                                  static_cast<int>(all.int64(8)),
                                  static_cast<int>(all.int64(9)),
                                  false};
            existing.emplace(sampleKey(all.utf8(1), all.int64(2)), sample);
        }
    }

    Statement insert(db, "INSERT INTO samples(path, member, split_id, category_id, size, mtime, "
                         "status, width, height) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    Statement update(db, "UPDATE samples SET split_id = ?, category_id = ?, size = ?, mtime = ?, "
                         "status = ?, width = ?, height = ? WHERE id = ?");
    // Rows of new samples are plain inserts; an existing sample's row is upserted so that an
    // unchanged row reports no change.
    std::optional<Statement> attributes;
    std::optional<Statement> newAttributes;
    if (!attributeColumns.empty()) {
        attributes.emplace(db, attributeRowSql(attributeColumns, true));
        newAttributes.emplace(db, attributeRowSql(attributeColumns, false));
    }

    // Ids and sizes of 0 mean "none" and are stored as NULL.
    auto bindOptionalId = [](Statement &s, int index, std::int64_t id) {
        if (id > 0)
            s.bind(index, id);
        else
            s.bindNull(index);
    };

    std::vector<std::int64_t> sampleIds(plan.items.size(), 0);
    for (size_t row = 0; row < plan.items.size(); ++row) {
        const ImportItem &item = plan.items[row];
        const std::int64_t splitId = item.split >= 0 ? splitIds[size_t(item.split)] : 0;
        const std::int64_t categoryId = item.label >= 0 ? categoryIds[size_t(item.label)] : 0;
        const int status = static_cast<int>(item.exists ? SampleStatus::Present
                                                        : SampleStatus::Missing);
        std::int64_t sampleId = 0;
        bool changed = false;
        auto found = existing.empty() ? existing.end()
                                      : existing.find(sampleKey(item.path, item.member));
        if (found == existing.end()) {
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
            sampleId = db.lastInsertId();
            ++result.added;
        } else {
            ExistingSample &old = found->second;
            old.seen = true;
            sampleId = old.id;
            if (old.splitId != splitId || old.categoryId != categoryId || old.size != item.size
                || old.mtime != item.mtime || old.status != status || old.width != item.width
                || old.height != item.height) {
                bindOptionalId(update, 1, splitId);
                bindOptionalId(update, 2, categoryId);
                update.bind(3, item.size);
                update.bind(4, item.mtime);
                update.bind(5, status);
                bindOptionalId(update, 6, item.width);
                bindOptionalId(update, 7, item.height);
                update.bind(8, old.id);
                update.run();
                if (old.status == int(SampleStatus::Missing) && item.exists)
                    ++result.restored;
                changed = true;
            }
        }
        sampleIds[row] = sampleId;
        if (attributes) {
            const bool isNew = found == existing.end();
            Statement &statement = isNew ? *newAttributes : *attributes;
            statement.bind(1, sampleId);
            for (size_t c = 0; c < plan.attributes.size(); ++c)
                bindAttribute(statement, int(c) + 2, plan.attributes[c], row);
            statement.run();
            changed = changed || (!isNew && db.changes() > 0);
        }
        if (found != existing.end())
            ++(changed ? result.updated : result.unchanged);
        if ((row + 1) % progressStep == 0) {
            progress.setDone(std::int64_t(row + 1));
            jobs::throwIfCanceled(progress);
        }
    }

    progress.setPhase(QStringLiteral("Writing annotations"));
    syncAnnotations(db, plan, sampleIds, categoryIds, result);
    jobs::throwIfCanceled(progress);

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
    for (const auto &entry : existing) {
        if (!entry.second.seen && entry.second.status != int(SampleStatus::Missing)) {
            markMissing.bind(1, entry.second.id);
            markMissing.run();
            ++result.markedMissing;
        }
    }

    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    if (datasetRoot().isEmpty() || datasetRoot() != plan.root)
        setMeta(QStringLiteral("dataset_root"), plan.root);
    setMeta(QStringLiteral("dataset_format"), plan.format);
    setMeta(QStringLiteral("dataset_source"), plan.source);
    if (!plan.readOptions.isEmpty())
        setMeta(QStringLiteral("read_options"), plan.readOptions);
    if (!plan.labelSource.isEmpty())
        setMeta(QStringLiteral("label_source"), plan.labelSource);
    setMeta(QStringLiteral("modified_at"), now);

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

    jobs::throwIfCanceled(progress);
    transaction.commit();
    progress.setDone(std::int64_t(plan.items.size()));
    return result;
}

} // namespace assay::store
