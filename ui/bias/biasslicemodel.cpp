#include "biasslicemodel.h"

#include <QBrush>
#include <QColor>
#include <QLocale>
#include <QPalette>

#include <cmath>

namespace assay::ui {

using analysis::bias::SliceStatus;

BiasSliceModel::BiasSliceModel(QObject *parent) : QAbstractTableModel(parent) {}

void BiasSliceModel::setSlices(std::vector<analysis::bias::SliceRecord> slices)
{
    beginResetModel();
    m_slices = std::move(slices);
    rebuild();
    endResetModel();
}

void BiasSliceModel::setShowAll(bool all)
{
    if (all == m_all)
        return;
    beginResetModel();
    m_all = all;
    rebuild();
    endResetModel();
}

void BiasSliceModel::rebuild()
{
    m_rows.clear();
    for (size_t i = 0; i < m_slices.size(); ++i) {
        if (m_all || m_slices[i].status == SliceStatus::Reported)
            m_rows.push_back(i);
    }
}

const analysis::bias::SliceRecord *BiasSliceModel::slice(int row) const
{
    return row >= 0 && size_t(row) < m_rows.size() ? &m_slices[m_rows[size_t(row)]] : nullptr;
}

int BiasSliceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BiasSliceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BiasSliceModel::data(const QModelIndex &index, int role) const
{
    const analysis::bias::SliceRecord *s = slice(index.row());
    if (!s)
        return {};
    const QLocale locale;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Slice: return s->text;
        case Size: return locale.toString(qlonglong(s->n));
        case Share: return QStringLiteral("%1 %").arg(100 * s->share, 0, 'f', 1);
        case DriverClass: return s->driverName;
        case Ratio:
            return QStringLiteral("%1× [%2, %3]")
                .arg(s->ratio, 0, 'f', 2)
                .arg(s->ratioLo, 0, 'f', 2)
                .arg(s->ratioHi, 0, 'f', 2);
        case EffectV: return QString::number(s->v, 'f', 3);
        case QValue:
            return s->q == 0     ? QStringLiteral("0")
                   : s->q < 1e-4 ? QString::number(s->q, 'e', 1)
                                 : QString::number(s->q, 'f', 4);
        case Status: return analysis::bias::sliceStatusName(s->status);
        }
        break;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Slice:
            return tr("%1 samples where %2; click to show them in the grid")
                .arg(locale.toString(qlonglong(s->n)), s->text);
        case DriverClass:
        case Ratio:
            return s->ratio >= 1
                       ? tr("'%1' is %2 times as common in this slice as overall (95 % "
                            "interval %3 to %4)")
                             .arg(s->driverName)
                             .arg(s->ratio, 0, 'f', 2)
                             .arg(s->ratioLo, 0, 'f', 2)
                             .arg(s->ratioHi, 0, 'f', 2)
                       : tr("'%1' is %2 times as common in this slice as overall: "
                            "under-represented (95 % interval %3 to %4)")
                             .arg(s->driverName)
                             .arg(s->ratio, 0, 'f', 2)
                             .arg(s->ratioLo, 0, 'f', 2)
                             .arg(s->ratioHi, 0, 'f', 2);
        case EffectV: return tr("Cramér's V of slice membership with the label");
        case QValue: return tr("Benjamini–Hochberg adjusted p-value over all tested slices");
        }
        break;
    case Qt::ForegroundRole:
        if (s->status != SliceStatus::Reported)
            return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
        if (index.column() == Ratio || index.column() == DriverClass)
            return QBrush(s->ratio >= 1 ? QColor(0xb0, 0x30, 0x20) : QColor(0x20, 0x50, 0xa0));
        break;
    case Qt::TextAlignmentRole:
        if (index.column() != Slice && index.column() != DriverClass && index.column() != Status)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return {};
}

QVariant BiasSliceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Slice: return tr("Slice");
    case Size: return tr("n");
    case Share: return tr("Share");
    case DriverClass: return tr("Class");
    case Ratio: return tr("Ratio [95 %]");
    case EffectV: return tr("V");
    case QValue: return tr("q");
    case Status: return tr("Status");
    }
    return {};
}

} // namespace assay::ui
