// loadJournal: the journal's rows with names for people.

#include "journalquery.h"

#include "change.h"

#include "model/annotation.h"
#include "store/database.h"
#include "store/editjournal.h"
#include "util/datasetpath.h"
#include "util/error.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <unordered_map>

namespace assay::edit {

namespace {

// Names of categories and splits, including categories the journal saw removed.
class Names
{
public:
    explicit Names(store::Database &db) : m_db(db)
    {
        load("SELECT id, name FROM categories", m_categories);
        load("SELECT id, name FROM splits", m_splits);
    }

    QString category(std::int64_t id)
    {
        if (!m_categories.count(id) && !m_loadedRemoved) {
            m_loadedRemoved = true;
            store::Statement rows(m_db, "SELECT category_id, old_value, new_value FROM edits "
                                        "WHERE field = 'category'");
            while (rows.step()) {
                for (int column : {1, 2}) {
                    const QJsonObject row =
                        QJsonDocument::fromJson(rows.text(column).toUtf8()).object();
                    if (row.contains(QStringLiteral("name")))
                        m_categories.emplace(rows.int64(0),
                                             row.value(QStringLiteral("name")).toString());
                }
            }
        }
        const auto found = m_categories.find(id);
        return found != m_categories.end() ? found->second : QStringLiteral("#%1").arg(id);
    }

    QString split(std::int64_t id)
    {
        const auto found = m_splits.find(id);
        return found != m_splits.end() ? found->second : QStringLiteral("#%1").arg(id);
    }

private:
    void load(const char *sql, std::unordered_map<std::int64_t, QString> &names)
    {
        store::Statement rows(m_db, sql);
        while (rows.step())
            names.emplace(rows.int64(0), rows.text(1));
    }

    store::Database &m_db;
    std::unordered_map<std::int64_t, QString> m_categories, m_splits;
    bool m_loadedRemoved = false;
};

QString objectSummary(const QString &json, Names &names)
{
    const QJsonObject row = QJsonDocument::fromJson(json.toUtf8()).object();
    const Box box{row.value(QStringLiteral("x")).toDouble(), row.value(QStringLiteral("y")).toDouble(),
                  row.value(QStringLiteral("w")).toDouble(), row.value(QStringLiteral("h")).toDouble()};
    const auto kind = AnnotationKind(row.value(QStringLiteral("kind")).toInteger());
    const QString kindName = kind == AnnotationKind::Box       ? QStringLiteral("box")
                             : kind == AnnotationKind::Polygon ? QStringLiteral("polygon")
                                                               : QStringLiteral("mask");
    const QJsonValue category = row.value(QStringLiteral("category"));
    return QStringLiteral("%1 %2 of class %3")
        .arg(kindName, encodeBox(box),
             category.isNull() ? QStringLiteral("(none)") : names.category(category.toInteger()));
}

QString display(const QString &field, const FieldValue &value, Names &names)
{
    if (isNullValue(value))
        return {};
    const std::optional<Field> known = parseField(field.toStdString());
    const auto *text = std::get_if<QString>(&value);
    if (known) {
        switch (*known) {
        case Field::SampleClass:
        case Field::AnnotationClass: return names.category(idOf(value));
        case Field::SampleSplit: return names.split(idOf(value));
        case Field::SampleReviewed:
        case Field::SampleExcluded:
            return idOf(value) ? QStringLiteral("true") : QStringLiteral("false");
        case Field::AnnotationGeometry: {
            Box box;
            QByteArray geometry;
            const auto *bytes = std::get_if<QByteArray>(&value);
            if (!bytes || !decodeGeometry(*bytes, box, geometry))
                break;
            size_t points = 0;
            for (const auto &ring : decodePolygons(geometry))
                points += ring.size() / 2;
            return QStringLiteral("polygon of %1 points in %2").arg(points).arg(encodeBox(box));
        }
        case Field::Annotation:
            if (text)
                return objectSummary(*text, names);
            break;
        case Field::Category:
            if (text)
                return QJsonDocument::fromJson(text->toUtf8())
                    .object()
                    .value(QStringLiteral("name"))
                    .toString();
            break;
        case Field::SampleTag:
        case Field::AnnotationBox:
        case Field::CategoryName: break;
        }
    }
    return std::visit(
        [](const auto &v) -> QString {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                return {};
            else if constexpr (std::is_same_v<T, QString>)
                return v;
            else if constexpr (std::is_same_v<T, QByteArray>)
                return QStringLiteral("%1 bytes").arg(v.size());
            else
                return QString::number(v);
        },
        value);
}

QJsonValue orNull(const QString &text)
{
    return text.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QString csvField(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n')
        && !text.contains(u'\r'))
        return text;
    QString quoted = text;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

// The WHERE clause of a filter over `edits e JOIN edit_batches b LEFT JOIN samples s`, and its
// parameters bound in the same order.
std::string filterClause(const JournalFilter &filter)
{
    std::string where = "WHERE 1";
    if (filter.sampleId)
        where += " AND e.sample_id = :sample";
    if (!filter.user.isEmpty())
        where += " AND b.user = :user";
    if (!filter.since.isEmpty())
        where += " AND b.time >= :since";
    if (!filter.sampleText.isEmpty())
        where += " AND (s.path || CASE WHEN s.member >= 0 THEN '#' || s.member ELSE '' END) "
                 "LIKE :text ESCAPE '\\'";
    if (filter.beforeRow)
        where += " AND e.id < :before";
    if (filter.afterRow)
        where += " AND e.id > :after";
    return where;
}

void bindFilter(store::Statement &query, const JournalFilter &filter)
{
    int index = 1;
    if (filter.sampleId)
        query.bind(index++, filter.sampleId);
    if (!filter.user.isEmpty())
        query.bind(index++, filter.user);
    if (!filter.since.isEmpty())
        query.bind(index++, filter.since);
    if (!filter.sampleText.isEmpty()) {
        QString pattern = filter.sampleText;
        pattern.replace(QStringLiteral("\\"), QStringLiteral("\\\\"))
            .replace(QStringLiteral("%"), QStringLiteral("\\%"))
            .replace(QStringLiteral("_"), QStringLiteral("\\_"));
        query.bind(index++, u'%' + pattern + u'%');
    }
    if (filter.beforeRow)
        query.bind(index++, filter.beforeRow);
    if (filter.afterRow)
        query.bind(index++, filter.afterRow);
}

} // namespace

std::vector<JournalEntry> loadJournal(store::Database &db, const JournalFilter &filter)
{
    std::string sql =
        "SELECT e.id, b.id, b.time, b.user, b.action, ifnull(b.target, 0), b.text, b.reason, "
        "ifnull(e.sample_id, 0), s.path, s.member, ifnull(e.annotation_id, 0), "
        "ifnull(e.category_id, 0), e.field, e.old_value, e.new_value FROM edits e "
        "JOIN edit_batches b ON b.id = e.batch LEFT JOIN samples s ON s.id = e.sample_id "
        + filterClause(filter) + " ORDER BY e.id";
    if (filter.limit > 0)
        sql = "SELECT * FROM (" + sql + " DESC LIMIT " + std::to_string(filter.limit)
              + ") ORDER BY 1";
    store::Statement rows(db, sql);
    bindFilter(rows, filter);
    Names names(db);
    std::vector<JournalEntry> entries;
    while (rows.step()) {
        JournalEntry entry;
        entry.row = rows.int64(0);
        entry.batch = rows.int64(1);
        entry.time = rows.text(2);
        entry.user = rows.text(3);
        entry.action = store::journalActionName(store::JournalAction(rows.int64(4)));
        entry.target = rows.int64(5);
        entry.text = rows.text(6);
        entry.reason = rows.text(7);
        entry.sampleId = rows.int64(8);
        if (!rows.isNull(9))
            entry.sample = datasetpath::display(rows.text(9), rows.int64(10));
        entry.annotationId = rows.int64(11);
        entry.categoryId = rows.int64(12);
        entry.field = rows.text(13);
        entry.oldValue = display(entry.field, store::readFieldValue(rows, 14), names);
        entry.newValue = display(entry.field, store::readFieldValue(rows, 15), names);
        entries.push_back(std::move(entry));
    }
    return entries;
}

std::int64_t countJournal(store::Database &db, const JournalFilter &filter)
{
    JournalFilter unlimited = filter;
    unlimited.limit = 0;
    // The samples join only when the filter reads the path.
    const std::string samples = filter.sampleText.isEmpty()
                                    ? std::string()
                                    : " LEFT JOIN samples s ON s.id = e.sample_id";
    store::Statement query(db, "SELECT count(*) FROM edits e JOIN edit_batches b ON b.id = e.batch"
                                   + samples + " " + filterClause(unlimited));
    bindFilter(query, unlimited);
    return query.step() ? query.int64(0) : 0;
}

QStringList journalUsers(store::Database &db)
{
    store::Statement rows(db, "SELECT DISTINCT user FROM edit_batches ORDER BY 1");
    QStringList users;
    while (rows.step())
        users << rows.text(0);
    return users;
}

QJsonArray journalJson(const std::vector<JournalEntry> &entries)
{
    QJsonArray array;
    for (const JournalEntry &e : entries) {
        array.append(QJsonObject{
            {QStringLiteral("time"), e.time},
            {QStringLiteral("user"), e.user},
            {QStringLiteral("action"), e.action},
            {QStringLiteral("batch"), qint64(e.batch)},
            {QStringLiteral("target"), e.target ? QJsonValue(qint64(e.target)) : QJsonValue()},
            {QStringLiteral("text"), e.text},
            {QStringLiteral("reason"), orNull(e.reason.isEmpty() ? QString() : e.reason)},
            {QStringLiteral("sample"), orNull(e.sampleId ? e.sample : QString())},
            {QStringLiteral("sample_id"), e.sampleId ? QJsonValue(qint64(e.sampleId)) : QJsonValue()},
            {QStringLiteral("annotation_id"),
             e.annotationId ? QJsonValue(qint64(e.annotationId)) : QJsonValue()},
            {QStringLiteral("category_id"),
             e.categoryId ? QJsonValue(qint64(e.categoryId)) : QJsonValue()},
            {QStringLiteral("field"), e.field},
            {QStringLiteral("old"), orNull(e.oldValue)},
            {QStringLiteral("new"), orNull(e.newValue)}});
    }
    return array;
}

QString journalCsv(const std::vector<JournalEntry> &entries)
{
    QString out = QStringLiteral("time,user,action,batch,target,text,reason,sample,sample_id,"
                                 "annotation_id,category_id,field,old,new\n");
    auto id = [](std::int64_t v) { return v ? QString::number(v) : QString(); };
    for (const JournalEntry &e : entries) {
        const QStringList fields{e.time,          e.user,           e.action,
                                 id(e.batch),     id(e.target),     e.text,
                                 e.reason,        e.sample,         id(e.sampleId),
                                 id(e.annotationId), id(e.categoryId), e.field,
                                 e.oldValue,      e.newValue};
        QStringList quoted;
        for (const QString &field : fields)
            quoted << csvField(field);
        out += quoted.join(u',') + u'\n';
    }
    return out;
}

void writeJournalFile(store::Database &db, const QString &path, const QString &projectPath)
{
    const std::vector<JournalEntry> entries = loadJournal(db);
    QByteArray bytes;
    if (path.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive))
        bytes = journalCsv(entries).toUtf8();
    else
        bytes = QJsonDocument(QJsonObject{{QStringLiteral("project"), projectPath},
                                          {QStringLiteral("written_at"), store::journalTimeNow()},
                                          {QStringLiteral("changes"), journalJson(entries)}})
                    .toJson();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        throw Error(QStringLiteral("cannot write the changes report %1: %2")
                        .arg(path, file.errorString()));
}

std::vector<std::int64_t> samplesEditedSince(store::Database &db, const QString &since)
{
    store::Statement rows(db, "SELECT DISTINCT e.sample_id FROM edits e JOIN edit_batches b ON "
                              "b.id = e.batch WHERE e.sample_id IS NOT NULL AND b.time >= ? "
                              "ORDER BY 1");
    rows.bind(1, since.isEmpty() ? QStringLiteral("") : since);
    std::vector<std::int64_t> ids;
    while (rows.step())
        ids.push_back(rows.int64(0));
    return ids;
}

} // namespace assay::edit
