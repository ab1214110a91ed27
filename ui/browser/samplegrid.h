#pragma once

#include <QWidget>

class QLabel;
class QListView;
class QSlider;

namespace assay::store {
struct SampleListing;
}

namespace assay::ui {

class SampleGridModel;
class ThumbnailDelegate;
class ThumbnailProvider;

// The centre of the window: the thumbnail grid (QListView in ListMode, wrapping, uniform item
// sizes: the layout stays cheap at a million rows) with its thumbnail-size slider.
class SampleGrid : public QWidget
{
    Q_OBJECT
public:
    explicit SampleGrid(QWidget *parent = nullptr);

    void setCacheFile(const QString &path);
    void setListing(const store::SampleListing &listing);
    // Asks again for thumbnails that were not in the cache yet (a scan is filling it).
    void refreshMissingThumbnails();

    QListView *view() const { return m_view; }
    SampleGridModel *model() const { return m_model; }
    QWidget *toolbarSlot() const { return m_toolbar; }

private:
    void setThumbnailSize(int pixels);

    ThumbnailProvider *m_thumbnails;
    SampleGridModel *m_model;
    ThumbnailDelegate *m_delegate;
    QListView *m_view;
    QSlider *m_size;
    QWidget *m_toolbar;
};

} // namespace assay::ui
