#include "duplicateclustermodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>

#include <algorithm>

namespace assay::ui {

QString duplicateKindText(const analysis::StoredDuplicateCluster &cluster)
{
    if (cluster.kind == analysis::DuplicateKind::Exact)
        return cluster.sameBytes ? DuplicateClusterModel::tr("Same bytes")
                                 : DuplicateClusterModel::tr("Same pixels");
    return DuplicateClusterModel::tr("Near");
}

DuplicateClusterModel::DuplicateClusterModel(QObject *parent) : QAbstractTableModel(parent) {}

void DuplicateClusterModel::setClusters(std::vector<analysis::StoredDuplicateCluster> clusters)
{
    resetWith([&] { m_clusters = std::move(clusters); });
}

template<typename Change>
void DuplicateClusterModel::resetWith(const Change &change)
{
    beginResetModel();
    change();
    rebuild();
    endResetModel();
}

void DuplicateClusterModel::setShow(Show show)
{
    if (show != m_show)
        resetWith([&] { m_show = show; });
}

void DuplicateClusterModel::setOrder(Order order)
{
    if (order != m_order)
        resetWith([&] { m_order = order; });
}

bool DuplicateClusterModel::shows(const analysis::StoredDuplicateCluster &cluster) const
{
    switch (m_show) {
    case Show::All: return true;
    case Show::Exact: return cluster.kind == analysis::DuplicateKind::Exact;
    case Show::Near: return cluster.kind == analysis::DuplicateKind::Near;
    case Show::Leakage: return cluster.leaks;
    case Show::Conflict: return cluster.conflict;
    }
    return true;
}

void DuplicateClusterModel::rebuild()
{
    m_rows.clear();
    for (size_t i = 0; i < m_clusters.size(); ++i) {
        if (shows(m_clusters[i]))
            m_rows.push_back(i);
    }
    // Ties keep the stored order (largest first, then by cluster id): the same every time.
    const auto size = [this](size_t i) { return m_clusters[i].members.size(); };
    const auto distance = [this](size_t i) { return m_clusters[i].maxDistance; };
    switch (m_order) {
    case Order::Largest:
        std::stable_sort(m_rows.begin(), m_rows.end(),
                         [&](size_t a, size_t b) { return size(a) > size(b); });
        break;
    case Order::Closest:
        std::stable_sort(m_rows.begin(), m_rows.end(),
                         [&](size_t a, size_t b) { return distance(a) < distance(b); });
        break;
    case Order::Farthest:
        std::stable_sort(m_rows.begin(), m_rows.end(),
                         [&](size_t a, size_t b) { return distance(a) > distance(b); });
        break;
    }
}

const analysis::StoredDuplicateCluster *DuplicateClusterModel::cluster(int row) const
{
    return row >= 0 && size_t(row) < m_rows.size() ? &m_clusters[m_rows[size_t(row)]] : nullptr;
}

int DuplicateClusterModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DuplicateClusterModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DuplicateClusterModel::data(const QModelIndex &index, int role) const
{
    const analysis::StoredDuplicateCluster *c = cluster(index.row());
    if (!c || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    const QColor warning(0xb0, 0x30, 0x20);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Samples: return QLocale().toString(qlonglong(c->members.size()));
        case Kind: return duplicateKindText(*c);
        case Splits: return c->splits.join(QStringLiteral(", "));
        case Labels: return c->labels.join(c->conflict ? QStringLiteral(" ≠ ")
                                                       : QStringLiteral(", "));
        case Distance:
            return c->kind == analysis::DuplicateKind::Exact ? QStringLiteral("0")
                                                             : QString::number(c->maxDistance);
        }
        break;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Samples: {
            QStringList paths;
            for (size_t i = 0; i < c->members.size() && i < 12; ++i)
                paths << c->members[i].path;
            if (c->members.size() > 12)
                paths << tr("… and %1 more").arg(c->members.size() - 12);
            return paths.join(u'\n');
        }
        case Splits:
            return c->leaks ? tr("Copies in more than one split: evaluation results are "
                                 "inflated by images seen in training")
                            : QVariant();
        case Labels:
            return c->conflict ? tr("The copies carry different labels; at most one is right")
                               : QVariant();
        case Kind:
            return c->kind == analysis::DuplicateKind::Exact
                       ? (c->sameBytes ? tr("Identical files") : tr("Identical decoded pixels "
                                                                   "(re-encoded copies)"))
                       : tr("Near copies: pHashes within the threshold");
        case Distance: return tr("Largest pHash distance from the representative, in bits");
        }
        break;
    case Qt::ForegroundRole:
        if ((index.column() == Splits && c->leaks) || (index.column() == Labels && c->conflict))
            return QBrush(warning);
        break;
    case Qt::FontRole:
        if ((index.column() == Splits && c->leaks) || (index.column() == Labels && c->conflict)) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Distance)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case MembersRole: {
        QVariantList ids;
        for (const auto &member : c->members)
            ids << QVariant::fromValue(qint64(member.sampleId));
        return ids;
    }
    }
    return {};
}

QVariant DuplicateClusterModel::headerData(int section, Qt::Orientation orientation,
                                           int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == Distance)
        return tr("pHash bits between the representative and its farthest member. Small images "
                  "that were shifted, cropped or re-sized are also joined by their own pixels, "
                  "and can be farther apart than the slider's bits.");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Samples: return tr("Samples");
    case Kind: return tr("Kind");
    case Splits: return tr("Splits");
    case Labels: return tr("Labels");
    case Distance: return tr("Bits");
    }
    return {};
}

} // namespace assay::ui
