#pragma once

#include "analysis/storedduplicates.h"

#include <QDialog>

#include <atomic>
#include <memory>

class QComboBox;
class QTableWidget;

namespace assay::ui {

class ImageViewer;

// Two members of a duplicate cluster side by side: each side picks a member, the two images
// zoom and pan together (in proportion, so a resized copy lines up), and a table lists their
// path, split, label, size, format, file size and distance, marking what differs.
class CompareWindow : public QDialog
{
    Q_OBJECT
public:
    CompareWindow(analysis::StoredDuplicateCluster cluster, QString datasetRoot,
                  QWidget *parent = nullptr);

    ImageViewer *viewer(int side) const { return m_viewers[side]; }
    QComboBox *picker(int side) const { return m_pickers[side]; }
    QTableWidget *differences() const { return m_table; }
    // Rows of the table whose two values differ ("Split", "Label", …).
    QStringList differingRows() const;

private:
    void load(int side);
    void fillDifferences();
    void follow(int side); // the other side takes this side's zoom and centre

    analysis::StoredDuplicateCluster m_cluster;
    QString m_root;
    ImageViewer *m_viewers[2];
    QComboBox *m_pickers[2];
    QTableWidget *m_table;
    std::shared_ptr<std::atomic<int>> m_latest[2];
    bool m_following = false;
};

} // namespace assay::ui
