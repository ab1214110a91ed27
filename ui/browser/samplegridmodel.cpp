#include "samplegridmodel.h"

#include <numeric>

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

// "dog ×2 · cat" for a sample with objects: the classes with the most objects first.
QString SampleGridModel::objectCaption(size_t row) const
{
    const std::uint32_t first = m_index->objectOffsets[row], last = m_index->objectOffsets[row + 1];
    if (first == last)
        return tr("(no objects)");
    std::vector<std::uint32_t> order(last - first);
    std::iota(order.begin(), order.end(), first);
    std::stable_sort(order.begin(), order.end(), [this](std::uint32_t a, std::uint32_t b) {
        return m_index->objectCounts[a] > m_index->objectCounts[b];
    });
    QStringList parts;
    for (const std::uint32_t i : order) {
        const int c = m_index->objectClasses[i];
        const QString name = c >= 0 ? m_index->classes.value(c) : tr("(unknown)");
        parts << (m_index->objectCounts[i] > 1
                      ? QStringLiteral("%1 ×%2").arg(name).arg(m_index->objectCounts[i])
                      : name);
    }
    return parts.join(QStringLiteral(" · "));
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
        if (cls >= 0 || !m_index->hasObjects())
            return cls >= 0 ? m_index->classes.value(cls) : tr("(unlabeled)");
        return objectCaption(row);
    }
    case Qt::ToolTipRole: {
        QString tip = m_index->displayPath(row);
        for (std::uint32_t bits = m_index->issueMask[row]; bits; bits &= bits - 1)
            tip += u'\n' + m_index->issueKinds.value(std::countr_zero(bits));
        return tip;
    }
    case ClassRole: {
        int cls = m_index->classIndex[row];
        if (cls < 0 && m_index->hasObjects()) {
            std::uint32_t most = 0;
            for (std::uint32_t i = m_index->objectOffsets[row]; i < m_index->objectOffsets[row + 1];
                 ++i) {
                if (m_index->objectCounts[i] > most) {
                    most = m_index->objectCounts[i];
                    cls = m_index->objectClasses[i];
                }
            }
        }
        return cls >= 0 ? m_index->classes.value(cls) : QString();
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
    case EditedRole: return m_edited.contains(m_index->ids[row]);
    case IssueCountRole: return std::popcount(m_index->issueMask[row]);
    case PathRole: return m_index->displayPath(row);
    default: return {};
    }
}

void SampleGridModel::setEditedSamples(QSet<qint64> ids)
{
    m_edited = std::move(ids);
    if (rowCount() > 0)
        emit dataChanged(index(0), index(rowCount() - 1), {EditedRole});
}

void SampleGridModel::addEditedSamples(const std::vector<std::int64_t> &ids)
{
    for (const std::int64_t id : ids)
        m_edited.insert(id);
    if (!ids.empty() && rowCount() > 0)
        emit dataChanged(index(0), index(rowCount() - 1), {EditedRole});
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
