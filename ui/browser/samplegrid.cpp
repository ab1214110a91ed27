#include "samplegrid.h"

#include "samplegridmodel.h"
#include "thumbnaildelegate.h"
#include "thumbnailprovider.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QScrollBar>
#include <QSet>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

namespace assay::ui {

namespace {
// Sort menu entries carry "kind:key".
QString sortCode(store::IndexQuery::SortKind kind, const QString &key = {})
{
    return QString::number(int(kind)) + u':' + key;
}
} // namespace

SampleGrid::SampleGrid(QWidget *parent)
    : QWidget(parent), m_thumbnails(new ThumbnailProvider(this)),
      m_model(new SampleGridModel(m_thumbnails, this)), m_delegate(new ThumbnailDelegate(this)),
      m_view(new QListView(this)), m_sort(new QComboBox(this)), m_descending(new QToolButton(this)),
      m_size(new QSlider(Qt::Horizontal, this)), m_toolbar(new QWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_toolbar, 1);
    bar->addWidget(new QLabel(tr("Sort"), this));
    m_sort->setObjectName(QStringLiteral("sortBy"));
    m_sort->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    bar->addWidget(m_sort);
    m_descending->setCheckable(true);
    m_descending->setText(QStringLiteral("↑"));
    m_descending->setToolTip(tr("Ascending / descending"));
    connect(m_descending, &QToolButton::toggled, this, [this](bool on) {
        m_descending->setText(on ? QStringLiteral("↓") : QStringLiteral("↑"));
        emit sortChanged();
    });
    bar->addWidget(m_descending);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Size"), this));
    m_size->setRange(48, 240);
    m_size->setValue(96);
    m_size->setFixedWidth(120);
    m_size->setToolTip(tr("Thumbnail size (Ctrl++ / Ctrl+-)"));
    bar->addWidget(m_size);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    setSortOptions(nullptr);
    connect(m_sort, &QComboBox::activated, this, &SampleGrid::sortChanged);

    m_view->setObjectName(QStringLiteral("sampleGrid"));
    m_view->setModel(m_model);
    m_view->setItemDelegate(m_delegate);
    m_view->setViewMode(QListView::ListMode);
    m_view->setFlow(QListView::LeftToRight);
    m_view->setWrapping(true);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setUniformItemSizes(true);
    m_view->setLayoutMode(QListView::Batched);
    m_view->setBatchSize(5000);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionRectVisible(true);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setSpacing(2);
    connect(m_size, &QSlider::valueChanged, this, &SampleGrid::setThumbnailSize);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                emit currentSampleChanged(m_model->sampleIdAt(current.row()));
            });
    setThumbnailSize(m_size->value());
}

void SampleGrid::setProject(const QString &cacheFile, const QString &datasetRoot)
{
    m_thumbnails->setProject(cacheFile, datasetRoot);
}

void SampleGrid::setResult(std::shared_ptr<const store::SampleIndex> index,
                           std::shared_ptr<const store::QueryResult> result)
{
    const qint64 current = currentSampleId();
    // A selection survives a reload (an edit reloads the index) where its samples still show.
    constexpr size_t maxKept = 200000;
    const std::vector<qint64> selected = selectedSampleIds();
    m_model->setResult(std::move(index), std::move(result));
    // Keep the sample the user was looking at when it is still in the result.
    if (current && !selectSample(current))
        emit currentSampleChanged(0);
    if (selected.size() > 1 && selected.size() <= maxKept)
        reselect(selected);
}

void SampleGrid::reselect(const std::vector<qint64> &ids)
{
    const QSet<qint64> wanted(ids.begin(), ids.end());
    QItemSelection selection;
    const int rows = m_model->rowCount();
    for (int row = 0; row < rows;) {
        if (!wanted.contains(m_model->sampleIdAt(row))) {
            ++row;
            continue;
        }
        const int first = row;
        while (row < rows && wanted.contains(m_model->sampleIdAt(row)))
            ++row;
        selection.select(m_model->index(first), m_model->index(row - 1));
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void SampleGrid::setSortOptions(const store::SampleIndex *index)
{
    const QString chosen = m_sort->currentData().toString();
    m_sort->clear();
    using Kind = store::IndexQuery::SortKind;
    m_sort->addItem(tr("Import order"), sortCode(Kind::Id));
    m_sort->addItem(tr("Path"), sortCode(Kind::Path));
    m_sort->addItem(tr("Class"), sortCode(Kind::Class));
    if (index) {
        for (const auto &column : index->numeric)
            m_sort->addItem(column.title, sortCode(Kind::Numeric, column.key));
        for (const auto &column : index->text)
            m_sort->addItem(column.title, sortCode(Kind::Text, column.key));
    }
    const int found = m_sort->findData(chosen);
    m_sort->setCurrentIndex(found >= 0 ? found : 0);
}

void SampleGrid::setSort(const store::IndexQuery &query)
{
    const int found = m_sort->findData(sortCode(query.sort, query.sortKey));
    m_sort->setCurrentIndex(found >= 0 ? found : 0);
    const QSignalBlocker blocker(m_descending);
    m_descending->setChecked(query.descending);
    m_descending->setText(query.descending ? QStringLiteral("↓") : QStringLiteral("↑"));
}

void SampleGrid::applySort(store::IndexQuery &query) const
{
    const QString code = m_sort->currentData().toString();
    const qsizetype colon = code.indexOf(u':');
    query.sort = static_cast<store::IndexQuery::SortKind>(code.left(colon).toInt());
    query.sortKey = code.mid(colon + 1);
    query.descending = m_descending->isChecked();
}

void SampleGrid::refreshMissingThumbnails()
{
    m_thumbnails->retryMissing();
    m_view->viewport()->update();
}

qint64 SampleGrid::currentSampleId() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? m_model->sampleIdAt(current.row()) : 0;
}

bool SampleGrid::selectSample(qint64 sampleId)
{
    const int row = m_model->rowOf(sampleId);
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row);
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    m_view->scrollTo(index);
    return true;
}

void SampleGrid::step(int delta)
{
    const int rows = m_model->rowCount();
    if (rows == 0)
        return;
    const QModelIndex current = m_view->currentIndex();
    const int row = std::clamp(current.isValid() ? current.row() + delta : 0, 0, rows - 1);
    const QModelIndex next = m_model->index(row);
    m_view->selectionModel()->setCurrentIndex(next, QItemSelectionModel::ClearAndSelect);
    m_view->scrollTo(next);
}

std::vector<qint64> SampleGrid::selectedSampleIds() const
{
    std::vector<qint64> ids;
    for (const QItemSelectionRange &range : m_view->selectionModel()->selection()) {
        for (int row = range.top(); row <= range.bottom(); ++row)
            ids.push_back(m_model->sampleIdAt(row));
    }
    return ids;
}

void SampleGrid::setThumbnailSize(int pixels)
{
    m_delegate->setThumbnailSize(pixels);
    m_view->verticalScrollBar()->setSingleStep(pixels / 4);
    m_view->doItemsLayout();
}

} // namespace assay::ui
