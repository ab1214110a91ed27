#include "historymodel.h"

#include "store/database.h"
#include "util/error.h"

#include <QColor>
#include <QDateTime>
#include <QScopedValueRollback>

#include <algorithm>

namespace assay::ui {

namespace {

QString localTime(const QString &iso)
{
    const QDateTime time = QDateTime::fromString(iso, Qt::ISODateWithMs);
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                          : iso;
}

QString valueText(const QString &value)
{
    return value.isNull() ? QStringLiteral("—") : value;
}

} // namespace

HistoryModel::HistoryModel(QObject *parent) : QAbstractTableModel(parent) {}

void HistoryModel::setDatabase(store::Database *db)
{
    m_db = db;
    reload();
}

void HistoryModel::setFilter(const edit::JournalFilter &filter)
{
    m_filter = filter;
    m_filter.limit = 0;
    m_filter.beforeRow = 0;
    m_filter.afterRow = 0;
    reload();
}

std::vector<edit::JournalEntry> HistoryModel::read(std::int64_t beforeRow, std::int64_t afterRow,
                                                   std::int64_t limit)
{
    if (!m_db)
        return {};
    edit::JournalFilter page = m_filter;
    page.beforeRow = beforeRow;
    page.afterRow = afterRow;
    page.limit = limit;
    std::vector<edit::JournalEntry> rows;
    try {
        rows = edit::loadJournal(*m_db, page);
    } catch (const Error &error) {
        emit failed(error.message());
    }
    std::reverse(rows.begin(), rows.end()); // newest first
    return rows;
}

void HistoryModel::countTotal()
{
    std::int64_t total = 0;
    try {
        total = m_db ? edit::countJournal(*m_db, m_filter) : 0;
    } catch (const Error &error) {
        emit failed(error.message());
    }
    m_total = total;
    emit totalChanged(total);
}

void HistoryModel::reload()
{
    beginResetModel();
    m_rows = read(0, 0, pageSize);
    m_exhausted = m_rows.size() < size_t(pageSize);
    endResetModel();
    countTotal();
}

void HistoryModel::refresh()
{
    if (m_rows.empty()) {
        reload();
        return;
    }
    // One more than a page: more than that many new rows is a bulk edit, read afresh.
    std::vector<edit::JournalEntry> newer = read(0, m_rows.front().row, pageSize + 1);
    if (newer.size() > size_t(pageSize)) {
        reload();
        return;
    }
    if (!newer.empty()) {
        beginInsertRows({}, 0, int(newer.size()) - 1);
        m_rows.insert(m_rows.begin(), newer.begin(), newer.end());
        endInsertRows();
    }
    countTotal();
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool HistoryModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_exhausted;
}

void HistoryModel::fetchMore(const QModelIndex &parent)
{
    // Views and testers may ask again while the rows of this page are being inserted.
    if (parent.isValid() || m_exhausted || m_rows.empty() || m_fetching)
        return;
    const QScopedValueRollback fetching(m_fetching, true);
    std::vector<edit::JournalEntry> older = read(m_rows.back().row, 0, pageSize);
    m_exhausted = older.size() < size_t(pageSize);
    if (older.empty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + older.size()) - 1);
    m_rows.insert(m_rows.end(), older.begin(), older.end());
    endInsertRows();
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const edit::JournalEntry &e = m_rows[size_t(index.row())];
    switch (role) {
    case RowIdRole: return qint64(e.row);
    case BatchRole: return qint64(e.batch);
    case SampleIdRole: return qint64(e.sampleId);
    case AnnotationIdRole: return qint64(e.annotationId);
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (Column(index.column())) {
        case Time: return role == Qt::ToolTipRole ? e.time : localTime(e.time);
        case User: return e.user;
        case Sample: return e.sample;
        case Object:
            return e.annotationId ? tr("object %1").arg(e.annotationId)
                   : e.categoryId ? tr("class %1").arg(e.categoryId)
                                  : QString();
        case Field: return e.field;
        case Change:
            return QStringLiteral("%1 → %2").arg(valueText(e.oldValue), valueText(e.newValue));
        case Batch: {
            const QString text = e.action == QStringLiteral("undo")   ? tr("Undo: %1").arg(e.text)
                                 : e.action == QStringLiteral("redo") ? tr("Redo: %1").arg(e.text)
                                                                      : e.text;
            return QStringLiteral("#%1 %2").arg(e.batch).arg(text);
        }
        case Reason: return e.reason;
        case ColumnCount: break;
        }
        break;
    case Qt::ForegroundRole:
        if (e.action == QStringLiteral("undo") || e.action == QStringLiteral("redo"))
            return QColor(0x70, 0x70, 0x78);
        break;
    default: break;
    }
    return {};
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Time: return tr("Time");
    case User: return tr("User");
    case Sample: return tr("Sample");
    case Object: return tr("Object");
    case Field: return tr("Field");
    case Change: return tr("Old → new");
    case Batch: return tr("Batch");
    case Reason: return tr("Reason");
    case ColumnCount: break;
    }
    return {};
}

} // namespace assay::ui
