#pragma once

#include "analysis/storedduplicates.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QMenu;
class QToolButton;
class QLabel;
class QPushButton;
class QSlider;
class QStackedWidget;
class QTableView;
class QTimer;

namespace assay::ui {

class DuplicateClusterModel;
class SampleEditActions;
class ThumbnailProvider;

// The duplicate clusters of the last analysis: a summary, the clusters (filtered by kind,
// sorted by size or distance) with a strip of their thumbnails, and the near-duplicate
// threshold. Choosing a cluster shows its samples in the grid; Compare opens them side by side.
class DuplicatesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DuplicatesPanel(QWidget *parent = nullptr);

    // `computed`: whether duplicates were ever computed (else the panel says how to get them);
    // `threshold` the bits the clusters were made with, `maxThreshold` the most a re-cluster
    // from the stored pairs can use.
    void setClusters(std::vector<analysis::StoredDuplicateCluster> clusters, bool computed,
                     int threshold, int maxThreshold);
    void setThumbnails(ThumbnailProvider *thumbnails);
    void setDatasetRoot(const QString &root) { m_root = root; }
    // Enables the Resolve menu: its one-click resolutions are undoable edits.
    void setEditActions(SampleEditActions *edits);
    // Shown while a re-cluster runs (the slider is disabled meanwhile).
    void setBusy(bool busy);

    DuplicateClusterModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QComboBox *showChoice() const { return m_show; }
    QComboBox *orderChoice() const { return m_order; }
    QSlider *thresholdSlider() const { return m_threshold; }
    QPushButton *compareButton() const { return m_compare; }
    QToolButton *resolveButton() const { return m_resolve; }
    // The Resolve menu filled for the current cluster (what the button shows).
    QMenu *resolveMenu();
    // Opens the compare window for the current cluster; returns it (for tests), or nullptr.
    QWidget *compareCurrent();

signals:
    // The grid should show exactly these samples (sorted ids); `name` says what they are.
    void samplesChosen(const std::vector<std::int64_t> &sampleIds, const QString &name);
    // The user moved the threshold: re-cluster the stored pairs with it.
    void thresholdChosen(int bits);

private:
    void updateSummary();
    void chooseCurrent();

    DuplicateClusterModel *m_model;
    QStackedWidget *m_pages;
    QLabel *m_empty;
    QLabel *m_summary;
    QComboBox *m_show;
    QComboBox *m_order;
    QSlider *m_threshold;
    QLabel *m_thresholdText;
    QTimer *m_thresholdDelay;
    QTableView *m_view;
    QPushButton *m_compare;
    QPushButton *m_showInGrid;
    QToolButton *m_resolve;
    QMenu *m_resolveMenu;
    SampleEditActions *m_edits = nullptr;
    QTimer *m_choose;
    ThumbnailProvider *m_thumbnails = nullptr;
    QString m_root;
    int m_appliedThreshold = 0;
};

} // namespace assay::ui
