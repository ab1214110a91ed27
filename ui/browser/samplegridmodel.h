#pragma once

#include <QAbstractListModel>
#include <QStringList>

#include <unordered_map>
#include <vector>

namespace assay::ui {

class ThumbnailProvider;

// One entry of the grid: a sample id and what the delegate draws around its thumbnail.
struct GridRow
{
    qint64 id = 0;
    int label = -1;  // index into the model's class names, or -1
    int split = -1;  // index into the model's split names, or -1
    bool hasIssue = false;
};

// The filtered samples as a flat list for a QListView in ListMode. data() never touches disk:
// rows are in memory and thumbnails come from the provider (a placeholder until they load).
class SampleGridModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { SampleIdRole = Qt::UserRole + 1, ThumbnailRole, SplitRole, HasIssueRole };

    explicit SampleGridModel(ThumbnailProvider *thumbnails, QObject *parent = nullptr);

    void setRows(std::vector<GridRow> rows, QStringList classNames, QStringList splitNames);
    const GridRow *rowAt(int row) const;
    int rowOf(qint64 sampleId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    void onThumbnailReady(qint64 sampleId);

    ThumbnailProvider *m_thumbnails;
    std::vector<GridRow> m_rows;
    std::unordered_map<qint64, int> m_rowOfId;
    QStringList m_classNames;
    QStringList m_splitNames;
};

} // namespace assay::ui
