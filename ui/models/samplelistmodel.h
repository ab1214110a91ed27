#pragma once

#include "model/sample.h"

#include <QAbstractTableModel>

#include <vector>

namespace assay::store {
class Project;
}

namespace assay::ui {

// The project's samples as a table, fetched in pages by keyset (id > last id) as the view
// scrolls, so a large project opens at once.
class SampleListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { PathColumn, SplitColumn, ClassColumn, SizeColumn, StatusColumn, ColumnCount };

    explicit SampleListModel(QObject *parent = nullptr);

    void setProject(store::Project *project);
    const SampleRecord *record(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

private:
    store::Project *m_project = nullptr;
    std::vector<SampleRecord> m_rows;
    bool m_atEnd = true;
    bool m_fetching = false;
};

} // namespace assay::ui
