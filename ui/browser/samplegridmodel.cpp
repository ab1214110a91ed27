#include "samplegridmodel.h"

#include "thumbnailprovider.h"

#include <QImage>

#include <bit>

namespace assay::ui {

SampleGridModel::SampleGridModel(ThumbnailProvider *thumbnails, QObject *parent)
    : QAbstractListModel(parent), m_thumbnails(thumbnails)
{
    connect(m_thumbnails, &ThumbnailProvider::ready, this, &SampleGridModel::onThumbnailReady);
}

void SampleGridModel::setResult(std::shared_ptr<const store::SampleIndex> index,
                                std::shared_ptr<const store::QueryResult> result)
{
    beginResetModel();
    m_index = std::move(index);
    m_result = std::move(result);
    m_waiting.clear();
    endResetModel();
}

int SampleGridModel::rowOf(qint64 sampleId) const
{
    if (!m_result)
        return -1;
    const auto &rows = m_result->rows;
    for (size_t i = 0; i < rows.size(); ++i) {
        if (m_index->ids[rows[i]] == sampleId)
            return int(i);
    }
    return -1;
}

qint64 SampleGridModel::sampleIdAt(int row) const
{
    if (!m_result || row < 0 || size_t(row) >= m_result->rows.size())
        return 0;
    return m_index->ids[m_result->rows[size_t(row)]];
}

int SampleGridModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_result ? 0 : int(m_result->rows.size());
}

QVariant SampleGridModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !m_result || size_t(index.row()) >= m_result->rows.size())
        return {};
    const size_t row = m_result->rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole: {
        const int cls = m_index->classIndex[row];
        return cls >= 0 ? m_index->classes.value(cls) : tr("(unlabeled)");
    }
    case Qt::ToolTipRole: {
        QString tip = m_index->displayPath(row);
        for (std::uint32_t bits = m_index->issueMask[row]; bits; bits &= bits - 1)
            tip += u'\n' + m_index->issueKinds.value(std::countr_zero(bits));
        return tip;
    }
    case SampleIdRole: return qint64(m_index->ids[row]);
    case ThumbnailRole: {
        const qint64 id = m_index->ids[row];
        const std::string_view path = m_index->path(row);
        QImage image = m_thumbnails->thumbnail(
            id, QString::fromUtf8(path.data(), qsizetype(path.size())), m_index->members[row]);
        if (image.isNull()) {
            // Remember where it is drawn, to repaint that cell when it arrives.
            if (m_waiting.size() > 20000)
                m_waiting.clear();
            m_waiting.insert(id, index.row());
        }
        return image;
    }
    case SplitRole: {
        const int split = m_index->splitIndex[row];
        return split >= 0 ? m_index->splits.value(split) : QString();
    }
    case HasIssueRole: return m_index->issueMask[row] != 0;
    case IssueCountRole: return std::popcount(m_index->issueMask[row]);
    case PathRole: return m_index->displayPath(row);
    default: return {};
    }
}

void SampleGridModel::onThumbnailReady(qint64 sampleId)
{
    const auto found = m_waiting.constFind(sampleId);
    if (found == m_waiting.cend())
        return;
    const QModelIndex changed = index(*found);
    m_waiting.erase(found);
    emit dataChanged(changed, changed, {ThumbnailRole});
}

} // namespace assay::ui
