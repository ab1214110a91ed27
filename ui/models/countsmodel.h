#pragma once

#include "store/project.h"

#include <QAbstractTableModel>

namespace assay::ui {

// Samples per class (rows) and split (columns), with a total column and row.
class CountsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    explicit CountsModel(QObject *parent = nullptr);

    void setSummary(const store::ProjectSummary &summary);
    const store::ProjectSummary &summary() const { return m_summary; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::int64_t count(int row, int column) const;
    bool hasUnlabeledRow() const { return m_summary.unlabeled > 0; }

    store::ProjectSummary m_summary;
};

} // namespace assay::ui
