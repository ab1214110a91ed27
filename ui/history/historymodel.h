#pragma once

#include "edit/journalquery.h"

#include <QAbstractTableModel>

#include <cstdint>
#include <vector>

namespace assay::store {
class Database;
}

namespace assay::ui {

// The edit journal as a table, newest change first, read a page at a time: the view asks for
// more (fetchMore) as it scrolls, so a journal of hundreds of thousands of rows opens at once.
// refresh() puts rows appended since on top (or reads the first page again after a bulk edit).
class HistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, User, Sample, Object, Field, Change, Batch, Reason, ColumnCount };
    enum Role { RowIdRole = Qt::UserRole, BatchRole, SampleIdRole, AnnotationIdRole };
    static constexpr int pageSize = 200;

    explicit HistoryModel(QObject *parent = nullptr);

    // The journal read (nullptr: none); the caller keeps it alive until the next call.
    void setDatabase(store::Database *db);
    store::Database *database() const { return m_db; }
    // Rows matching `filter` (its limit, beforeRow and afterRow are the model's own).
    void setFilter(const edit::JournalFilter &filter);
    const edit::JournalFilter &filter() const { return m_filter; }
    void refresh();

    const edit::JournalEntry &entry(int row) const { return m_rows[size_t(row)]; }
    // Rows matching the filter, loaded or not.
    std::int64_t totalCount() const { return m_total; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent = {}) const override;
    void fetchMore(const QModelIndex &parent = {}) override;

signals:
    void totalChanged(std::int64_t total);
    void failed(const QString &message); // the journal could not be read

private:
    void reload();
    std::vector<edit::JournalEntry> read(std::int64_t beforeRow, std::int64_t afterRow,
                                         std::int64_t limit);
    void countTotal();

    store::Database *m_db = nullptr;
    edit::JournalFilter m_filter;
    std::vector<edit::JournalEntry> m_rows; // newest first
    bool m_exhausted = true;
    bool m_fetching = false;
    std::int64_t m_total = 0;
};

} // namespace assay::ui
