#include "samplegridmodel.h"

#include "thumbnailprovider.h"

namespace assay::ui {

SampleGridModel::SampleGridModel(ThumbnailProvider *thumbnails, QObject *parent)
    : QAbstractListModel(parent), m_thumbnails(thumbnails)
{
    connect(m_thumbnails, &ThumbnailProvider::ready, this, &SampleGridModel::onThumbnailReady);
}

void SampleGridModel::setRows(std::vector<GridRow> rows, QStringList classNames,
                              QStringList splitNames)
{
    beginResetModel();
    m_rows = std::move(rows);
    m_classNames = std::move(classNames);
    m_splitNames = std::move(splitNames);
    m_rowOfId.clear();
    m_rowOfId.reserve(m_rows.size());
    for (size_t i = 0; i < m_rows.size(); ++i)
        m_rowOfId.emplace(m_rows[i].id, int(i));
    endResetModel();
}

const GridRow *SampleGridModel::rowAt(int row) const
{
    return row >= 0 && size_t(row) < m_rows.size() ? &m_rows[size_t(row)] : nullptr;
}

int SampleGridModel::rowOf(qint64 sampleId) const
{
    const auto found = m_rowOfId.find(sampleId);
    return found == m_rowOfId.end() ? -1 : found->second;
}

int SampleGridModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant SampleGridModel::data(const QModelIndex &index, int role) const
{
    const GridRow *row = index.isValid() ? rowAt(index.row()) : nullptr;
    if (!row)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return row->label >= 0 ? m_classNames.value(row->label) : tr("(unlabeled)");
    case Qt::ToolTipRole:
        return tr("Sample %1 — %2").arg(row->id).arg(data(index, Qt::DisplayRole).toString());
    case SampleIdRole: return row->id;
    case ThumbnailRole: return m_thumbnails->thumbnail(row->id);
    case SplitRole: return row->split >= 0 ? m_splitNames.value(row->split) : QString();
    case HasIssueRole: return row->hasIssue;
    default: return {};
    }
}

void SampleGridModel::onThumbnailReady(qint64 sampleId)
{
    const int row = rowOf(sampleId);
    if (row >= 0) {
        const QModelIndex changed = index(row);
        emit dataChanged(changed, changed, {ThumbnailRole});
    }
}

} // namespace assay::ui
