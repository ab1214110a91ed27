#pragma once

#include "analysis/biasslices.h"

#include <QAbstractTableModel>

#include <vector>

namespace assay::ui {

// The tested slices as a table, in rank order: by default the reported ones only; with
// setShowAll the others too (greyed, with their status).
class BiasSliceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Slice, Size, Share, DriverClass, Ratio, EffectV, QValue, Status, ColumnCount };

    explicit BiasSliceModel(QObject *parent = nullptr);

    void setSlices(std::vector<analysis::bias::SliceRecord> slices);
    void setShowAll(bool all);
    const analysis::bias::SliceRecord *slice(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void rebuild();

    std::vector<analysis::bias::SliceRecord> m_slices;
    std::vector<size_t> m_rows;
    bool m_all = false;
};

} // namespace assay::ui
