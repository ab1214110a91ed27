#include "samplelistmodel.h"

#include "store/project.h"
#include "util/datasetpath.h"

#include <QLocale>
#include <QScopeGuard>

namespace assay::ui {

namespace {
constexpr int pageSize = 1000;
}

SampleListModel::SampleListModel(QObject *parent) : QAbstractTableModel(parent) {}

void SampleListModel::setProject(store::Project *project)
{
    beginResetModel();
    m_project = project;
    m_rows.clear();
    m_atEnd = true; // a view asking during the reset gets nothing until it has ended
    endResetModel();
    m_atEnd = project == nullptr;
    fetchMore({});
}

const SampleRecord *SampleListModel::record(int row) const
{
    return row >= 0 && size_t(row) < m_rows.size() ? &m_rows[size_t(row)] : nullptr;
}

int SampleListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SampleListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SampleListModel::data(const QModelIndex &index, int role) const
{
    const SampleRecord *sample = record(index.row());
    if (!sample || !index.isValid())
        return {};
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case PathColumn: return datasetpath::display(sample->path, sample->member);
        case SplitColumn: return sample->split.isNull() ? store::noSplitName : sample->split;
        case ClassColumn: return sample->label.isNull() ? tr("(unlabeled)") : sample->label;
        case SizeColumn: return QLocale().formattedDataSize(sample->size);
        case StatusColumn:
            return sample->status == SampleStatus::Missing ? tr("missing") : tr("present");
        default: return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() == SizeColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::UserRole)
        return QVariant::fromValue<qint64>(sample->id);
    return {};
}

QVariant SampleListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case PathColumn: return tr("Path");
    case SplitColumn: return tr("Split");
    case ClassColumn: return tr("Class");
    case SizeColumn: return tr("Size");
    case StatusColumn: return tr("Status");
    default: return {};
    }
}

bool SampleListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_fetching;
}

void SampleListModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_atEnd || m_fetching || !m_project)
        return;
    // Views (and the model tester) may ask again from inside beginInsertRows.
    m_fetching = true;
    const auto done = qScopeGuard([this] { m_fetching = false; });
    const std::int64_t after = m_rows.empty() ? 0 : m_rows.back().id;
    std::vector<SampleRecord> page = m_project->samplesAfter(after, pageSize);
    m_atEnd = page.size() < size_t(pageSize);
    if (page.empty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.size()) - 1);
    m_rows.insert(m_rows.end(), std::make_move_iterator(page.begin()),
                  std::make_move_iterator(page.end()));
    endInsertRows();
}

} // namespace assay::ui
