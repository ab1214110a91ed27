// The edit journal's tables: appending batches and their rows, reading them back.

#include "editjournal.h"

#include "util/error.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace assay::store {

QString journalActionName(JournalAction action)
{
    switch (action) {
    case JournalAction::Do: return QStringLiteral("do");
    case JournalAction::Undo: return QStringLiteral("undo");
    case JournalAction::Redo: return QStringLiteral("redo");
    case JournalAction::Kept: return QStringLiteral("kept");
    }
    return QStringLiteral("do");
}

void bindFieldValue(Statement &statement, int index, const FieldValue &value)
{
    std::visit(
        [&](const auto &v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                statement.bindNull(index);
            else if constexpr (std::is_same_v<T, QByteArray>)
                statement.bindBlob(index, v.isNull() ? QByteArray("") : v);
            else if constexpr (std::is_same_v<T, QString>)
                statement.bind(index, v.isNull() ? QStringLiteral("") : v);
            else
                statement.bind(index, v);
        },
        value);
}

FieldValue readFieldValue(const Statement &row, int column)
{
    switch (row.columnType(column)) {
    case Statement::ColumnType::Integer: return row.int64(column);
    case Statement::ColumnType::Real: return row.real(column);
    case Statement::ColumnType::Text: {
        QString text = row.text(column);
        if (text.isNull())
            text = QStringLiteral("");
        return text;
    }
    case Statement::ColumnType::Blob: {
        QByteArray bytes = row.blob(column);
        if (bytes.isNull())
            bytes = QByteArray("");
        return bytes;
    }
    case Statement::ColumnType::Null: break;
    }
    return std::monostate();
}

QString journalTimeNow()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QString journalUserName()
{
    for (const char *variable : {"ASSAY_USER", "USER", "USERNAME"}) {
        const QString name = qEnvironmentVariable(variable).trimmed();
        if (!name.isEmpty())
            return name;
    }
    return QStringLiteral("unknown");
}

QString annotationValueJson(const AnnotationValue &value)
{
    auto orNull = [](const auto &optional, auto convert) {
        return optional ? QJsonValue(convert(*optional)) : QJsonValue(QJsonValue::Null);
    };
    const auto id = [](std::int64_t v) { return qint64(v); };
    const auto text = [](const QString &v) { return v; };
    const QJsonObject object{
        {QStringLiteral("sample"), qint64(value.sampleId)},
        {QStringLiteral("category"), orNull(value.categoryId, id)},
        {QStringLiteral("kind"), value.kind},
        {QStringLiteral("x"), value.x},
        {QStringLiteral("y"), value.y},
        {QStringLiteral("w"), value.w},
        {QStringLiteral("h"), value.h},
        {QStringLiteral("geometry"),
         orNull(value.geometry,
                [](const QByteArray &bytes) { return QString::fromLatin1(bytes.toBase64()); })},
        {QStringLiteral("iscrowd"), value.crowd},
        {QStringLiteral("source_file"), orNull(value.sourceFile, text)},
        {QStringLiteral("source_index"), orNull(value.sourceIndex, id)},
        {QStringLiteral("extra"), orNull(value.extra, text)}};
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

std::optional<AnnotationValue> parseAnnotationValue(const QString &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject o = document.object();
    auto integer = [&](const char *key) -> std::optional<std::int64_t> {
        const QJsonValue v = o.value(QLatin1String(key));
        return v.isDouble() ? std::optional<std::int64_t>(v.toInteger()) : std::nullopt;
    };
    auto string = [&](const char *key) -> std::optional<QString> {
        const QJsonValue v = o.value(QLatin1String(key));
        return v.isString() ? std::optional<QString>(v.toString()) : std::nullopt;
    };
    AnnotationValue value;
    value.sampleId = integer("sample").value_or(0);
    value.categoryId = integer("category");
    value.kind = int(integer("kind").value_or(1));
    value.x = o.value(QStringLiteral("x")).toDouble();
    value.y = o.value(QStringLiteral("y")).toDouble();
    value.w = o.value(QStringLiteral("w")).toDouble();
    value.h = o.value(QStringLiteral("h")).toDouble();
    if (const std::optional<QString> geometry = string("geometry"))
        value.geometry = QByteArray::fromBase64(geometry->toLatin1());
    value.crowd = int(integer("iscrowd").value_or(0));
    value.sourceFile = string("source_file");
    value.sourceIndex = integer("source_index");
    value.extra = string("extra");
    return value;
}

JournalWriter::JournalWriter(Database &db)
    : m_db(db),
      m_row(db, "INSERT INTO edits(batch, sample_id, annotation_id, category_id, field, "
                "old_value, new_value) VALUES(?, ?, ?, ?, ?, ?, ?)")
{
}

std::int64_t JournalWriter::begin(const JournalBatch &batch)
{
    if (m_open)
        throw Error(QStringLiteral("internal error: a journal batch is already open"));
    m_batch = batch;
    // Inside the writer's transaction nobody else appends: the next ids are ours.
    m_batch.id = m_db.queryInt("SELECT ifnull(max(id), 0) + 1 FROM edit_batches");
    m_batch.firstRow = m_db.queryInt("SELECT ifnull(max(id), 0) + 1 FROM edits");
    m_batch.rowCount = 0;
    m_open = true;
    return m_batch.id;
}

namespace {
void bindId(Statement &s, int index, std::int64_t id)
{
    if (id != 0)
        s.bind(index, id);
    else
        s.bindNull(index);
}
} // namespace

void JournalWriter::add(std::int64_t sampleId, std::int64_t annotationId, std::int64_t categoryId,
                        std::string_view field, const FieldValue &oldValue,
                        const FieldValue &newValue)
{
    m_row.bind(1, m_batch.id);
    bindId(m_row, 2, sampleId);
    bindId(m_row, 3, annotationId);
    bindId(m_row, 4, categoryId);
    m_row.bindUnowned(5, field);
    bindFieldValue(m_row, 6, oldValue);
    bindFieldValue(m_row, 7, newValue);
    m_row.run();
    const std::int64_t id = m_db.lastInsertId();
    if (id != m_batch.firstRow + m_batch.rowCount)
        throw Error(QStringLiteral("%1: the edit journal's rows are not contiguous").arg(m_db.path()));
    ++m_batch.rowCount;
}

JournalBatch JournalWriter::finish()
{
    Statement insert(m_db, "INSERT INTO edit_batches(id, time, user, action, target, text, "
                           "reason, merge_key, first_row, row_count) "
                           "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, m_batch.id);
    insert.bind(2, m_batch.time.isEmpty() ? journalTimeNow() : m_batch.time);
    insert.bind(3, m_batch.user);
    insert.bind(4, int(m_batch.action));
    bindId(insert, 5, m_batch.target);
    insert.bind(6, m_batch.text.isNull() ? QStringLiteral("") : m_batch.text);
    insert.bind(7, m_batch.reason.isEmpty() ? QString() : m_batch.reason);
    insert.bind(8, m_batch.mergeKey.isEmpty() ? QString() : m_batch.mergeKey);
    insert.bind(9, m_batch.firstRow);
    insert.bind(10, m_batch.rowCount);
    insert.run();
    m_open = false;
    return *loadJournalBatch(m_db, m_batch.id);
}

namespace {
constexpr char batchColumns[] = "SELECT id, time, user, action, ifnull(target, 0), text, reason, "
                                "merge_key, first_row, row_count FROM edit_batches ";

JournalBatch readBatch(const Statement &row)
{
    JournalBatch batch;
    batch.id = row.int64(0);
    batch.time = row.text(1);
    batch.user = row.text(2);
    batch.action = JournalAction(row.int64(3));
    batch.target = row.int64(4);
    batch.text = row.text(5);
    batch.reason = row.text(6);
    batch.mergeKey = row.text(7);
    batch.firstRow = row.int64(8);
    batch.rowCount = row.int64(9);
    return batch;
}
} // namespace

std::vector<JournalBatch> loadJournalBatches(Database &db, std::int64_t afterId)
{
    Statement rows(db, std::string(batchColumns) + "WHERE id > ? ORDER BY id");
    rows.bind(1, afterId);
    std::vector<JournalBatch> batches;
    while (rows.step())
        batches.push_back(readBatch(rows));
    return batches;
}

std::optional<JournalBatch> loadJournalBatch(Database &db, std::int64_t id)
{
    Statement row(db, std::string(batchColumns) + "WHERE id = ?");
    row.bind(1, id);
    if (!row.step())
        return std::nullopt;
    return readBatch(row);
}

std::vector<JournalRow> loadJournalRows(Database &db, const JournalBatch &batch)
{
    Statement rows(db, "SELECT id, batch, ifnull(sample_id, 0), ifnull(annotation_id, 0), "
                       "ifnull(category_id, 0), field, old_value, new_value FROM edits "
                       "WHERE id BETWEEN ? AND ? ORDER BY id");
    rows.bind(1, batch.firstRow);
    rows.bind(2, batch.firstRow + batch.rowCount - 1);
    std::vector<JournalRow> out;
    out.reserve(size_t(std::max<std::int64_t>(batch.rowCount, 0)));
    while (rows.step()) {
        JournalRow row;
        row.id = rows.int64(0);
        row.batch = rows.int64(1);
        row.sampleId = rows.int64(2);
        row.annotationId = rows.int64(3);
        row.categoryId = rows.int64(4);
        row.field = rows.text(5);
        row.oldValue = readFieldValue(rows, 6);
        row.newValue = readFieldValue(rows, 7);
        out.push_back(std::move(row));
    }
    return out;
}

} // namespace assay::store
