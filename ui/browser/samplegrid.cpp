#include "samplegrid.h"

#include "samplegridmodel.h"
#include "thumbnaildelegate.h"
#include "thumbnailprovider.h"

#include "store/samplequeries.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QSlider>
#include <QScrollBar>
#include <QVBoxLayout>

namespace assay::ui {

SampleGrid::SampleGrid(QWidget *parent)
    : QWidget(parent), m_thumbnails(new ThumbnailProvider(this)),
      m_model(new SampleGridModel(m_thumbnails, this)), m_delegate(new ThumbnailDelegate(this)),
      m_view(new QListView(this)), m_size(new QSlider(Qt::Horizontal, this)),
      m_toolbar(new QWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_toolbar, 1);
    bar->addWidget(new QLabel(tr("Size"), this));
    m_size->setRange(48, 240);
    m_size->setValue(96);
    m_size->setFixedWidth(140);
    m_size->setToolTip(tr("Thumbnail size"));
    bar->addWidget(m_size);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    m_view->setObjectName(QStringLiteral("sampleGrid"));
    m_view->setModel(m_model);
    m_view->setItemDelegate(m_delegate);
    m_view->setViewMode(QListView::ListMode);
    m_view->setFlow(QListView::LeftToRight);
    m_view->setWrapping(true);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setUniformItemSizes(true);
    m_view->setLayoutMode(QListView::Batched);
    m_view->setBatchSize(2000);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setSpacing(2);
    connect(m_size, &QSlider::valueChanged, this, &SampleGrid::setThumbnailSize);
    setThumbnailSize(m_size->value());
}

void SampleGrid::setCacheFile(const QString &path)
{
    m_thumbnails->setCacheFile(path);
}

void SampleGrid::setListing(const store::SampleListing &listing)
{
    std::vector<GridRow> rows;
    rows.reserve(listing.rows.size());
    for (const store::ListedSample &sample : listing.rows)
        rows.push_back({sample.id, sample.classIndex, sample.splitIndex, sample.hasIssue});
    m_model->setRows(std::move(rows), listing.classes, listing.splits);
}

void SampleGrid::refreshMissingThumbnails()
{
    m_thumbnails->retryMissing();
    m_view->viewport()->update();
}

void SampleGrid::setThumbnailSize(int pixels)
{
    m_delegate->setThumbnailSize(pixels);
    m_view->verticalScrollBar()->setSingleStep(pixels / 4);
    m_view->doItemsLayout();
}

} // namespace assay::ui
