#include "countsmodel.h"

#include <QFont>
#include <QLocale>

namespace assay::ui {

CountsModel::CountsModel(QObject *parent) : QAbstractTableModel(parent) {}

void CountsModel::setSummary(const store::ProjectSummary &summary)
{
    beginResetModel();
    m_summary = summary;
    endResetModel();
}

int CountsModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || m_summary.samples == 0)
        return 0;
    return int(m_summary.classes.size()) + (hasUnlabeledRow() ? 1 : 0) + 1;
}

int CountsModel::columnCount(const QModelIndex &parent) const
{
    if (parent.isValid() || m_summary.samples == 0)
        return 0;
    return int(m_summary.splits.size()) + 1;
}

std::int64_t CountsModel::count(int row, int column) const
{
    const int classes = int(m_summary.classes.size());
    const bool totalColumn = column == int(m_summary.splits.size());
    auto inSplit = [&](const QString &split) -> std::int64_t {
        if (row < classes)
            return m_summary.perSplitClass.value(split).value(m_summary.classes[row]);
        if (row == classes && hasUnlabeledRow()) {
            std::int64_t labeled = 0;
            for (std::int64_t n : m_summary.perSplitClass.value(split))
                labeled += n;
            return m_summary.perSplit.value(split) - labeled;
        }
        return m_summary.perSplit.value(split);
    };
    if (!totalColumn)
        return inSplit(m_summary.splits[column]);
    std::int64_t total = 0;
    for (const QString &split : m_summary.splits)
        total += inSplit(split);
    return total;
}

QVariant CountsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    if (role == Qt::DisplayRole)
        return QLocale().toString(qlonglong(count(index.row(), index.column())));
    if (role == Qt::TextAlignmentRole)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::FontRole && (index.row() == rowCount() - 1
                                 || index.column() == columnCount() - 1)) {
        QFont font;
        font.setBold(true);
        return font;
    }
    return {};
}

QVariant CountsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Horizontal) {
        if (section < int(m_summary.splits.size()))
            return m_summary.splits[section];
        return tr("Total");
    }
    const int classes = int(m_summary.classes.size());
    if (section < classes)
        return m_summary.classes[section];
    if (section == classes && hasUnlabeledRow())
        return tr("(unlabeled)");
    return tr("Total");
}

} // namespace assay::ui
