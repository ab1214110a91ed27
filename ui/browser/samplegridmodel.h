#pragma once

#include "store/indexquery.h"
#include "store/sampleindex.h"

#include <QAbstractListModel>
#include <QHash>
#include <QSet>

#include <memory>

namespace assay::ui {

class ThumbnailProvider;

// The query's result as a flat list for a QListView in ListMode. data() never touches disk: the
// rows come from the in-memory index and thumbnails from the provider (a placeholder until they
// load).
class SampleGridModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        SampleIdRole = Qt::UserRole + 1,
        ThumbnailRole,
        SplitRole,
        HasIssueRole,
        IssueCountRole,
        PathRole,
        ClassRole, // the label, else the class with the most objects: what the caption's dot shows
        EditedRole // the edit journal has a change of this sample (the grid shows a badge)
    };

    explicit SampleGridModel(ThumbnailProvider *thumbnails, QObject *parent = nullptr);

    void setResult(std::shared_ptr<const store::SampleIndex> index,
                   std::shared_ptr<const store::QueryResult> result);
    int rowOf(qint64 sampleId) const; // linear: for jumps, not for painting
    // Samples with a change in the edit journal (ever): drawn with a badge.
    void setEditedSamples(QSet<qint64> ids);
    void addEditedSamples(const std::vector<std::int64_t> &ids);
    const QSet<qint64> &editedSamples() const { return m_edited; }
    qint64 sampleIdAt(int row) const;
    const store::SampleIndex *sampleIndex() const { return m_index.get(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    void onThumbnailReady(qint64 sampleId);
    QString objectCaption(size_t row) const;

    ThumbnailProvider *m_thumbnails;
    std::shared_ptr<const store::SampleIndex> m_index;
    std::shared_ptr<const store::QueryResult> m_result;
    QSet<qint64> m_edited;
    mutable QHash<qint64, int> m_waiting; // thumbnails asked for and not there yet: id -> row
};

} // namespace assay::ui
