#pragma once

#include "analysis/storedduplicates.h"

#include <QAbstractTableModel>

#include <vector>

namespace assay::ui {

// The stored duplicate clusters as a table: one row per cluster, filtered by kind and sorted by
// size or distance. Column Samples carries the member ids (MembersRole) for the thumbnail strip.
class DuplicateClusterModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Samples, Kind, Splits, Labels, Distance, ColumnCount };
    enum class Show { All, Exact, Near, Leakage, Conflict };
    enum class Order { Largest, Closest, Farthest };
    static constexpr int MembersRole = Qt::UserRole + 1; // QVariantList of sample ids

    explicit DuplicateClusterModel(QObject *parent = nullptr);

    void setClusters(std::vector<analysis::StoredDuplicateCluster> clusters);
    void setShow(Show show);
    void setOrder(Order order);
    const std::vector<analysis::StoredDuplicateCluster> &clusters() const { return m_clusters; }
    const analysis::StoredDuplicateCluster *cluster(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    template<typename Change>
    void resetWith(const Change &change); // the change, then rows rebuilt, as one reset
    void rebuild();
    bool shows(const analysis::StoredDuplicateCluster &cluster) const;

    std::vector<analysis::StoredDuplicateCluster> m_clusters;
    std::vector<size_t> m_rows; // indices into m_clusters, filtered and ordered
    Show m_show = Show::All;
    Order m_order = Order::Largest;
};

// "Same bytes", "Same pixels" or "Near".
QString duplicateKindText(const analysis::StoredDuplicateCluster &cluster);

} // namespace assay::ui
