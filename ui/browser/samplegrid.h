#pragma once

#include "store/indexquery.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QListView;
class QSlider;
class QToolButton;

namespace assay::ui {

class SampleGridModel;
class ThumbnailDelegate;
class ThumbnailProvider;

// The centre of the window: the thumbnail grid (a QListView in ListMode, wrapping, uniform item
// sizes: layout stays cheap at a million rows), with sort controls and a thumbnail-size slider.
// Selection lives in the view's selection model as row ranges (Ctrl+A selects the whole filtered
// set without touching a million items); sampleIds() turns it into ids.
class SampleGrid : public QWidget
{
    Q_OBJECT
public:
    explicit SampleGrid(QWidget *parent = nullptr);

    void setProject(const QString &cacheFile, const QString &datasetRoot);
    void setResult(std::shared_ptr<const store::SampleIndex> index,
                   std::shared_ptr<const store::QueryResult> result);
    // Fills the sort menu from an index's columns.
    void setSortOptions(const store::SampleIndex *index);
    void setSort(const store::IndexQuery &query);
    void applySort(store::IndexQuery &query) const;
    // Asks again for thumbnails that were not in the cache yet (a scan is filling it).
    void refreshMissingThumbnails();

    qint64 currentSampleId() const;
    bool selectSample(qint64 sampleId);
    void step(int delta); // moves the current sample through the filtered set
    std::vector<qint64> selectedSampleIds() const;

    QListView *view() const { return m_view; }
    SampleGridModel *model() const { return m_model; }
    ThumbnailProvider *thumbnails() const { return m_thumbnails; }
    QWidget *toolbarSlot() const { return m_toolbar; }

signals:
    void sortChanged();
    void currentSampleChanged(qint64 sampleId); // 0: none

private:
    void setThumbnailSize(int pixels);
    void reselect(const std::vector<qint64> &ids);

    ThumbnailProvider *m_thumbnails;
    SampleGridModel *m_model;
    ThumbnailDelegate *m_delegate;
    QListView *m_view;
    QComboBox *m_sort;
    QToolButton *m_descending;
    QSlider *m_size;
    QWidget *m_toolbar;
};

} // namespace assay::ui
