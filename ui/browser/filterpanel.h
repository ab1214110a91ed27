#pragma once

#include "store/indexquery.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;
class QVBoxLayout;

namespace assay::ui {

class FacetList;

// The filter dock: a path search, facets (classes, splits, issues, tags, text attributes) with
// live counts, and numeric range filters. Filters combine; "Clear filters" resets them all.
class FilterPanel : public QWidget
{
    Q_OBJECT
public:
    explicit FilterPanel(QWidget *parent = nullptr);

    // Rebuilds the facets from an index (keeps the current filters where they still apply).
    void setIndex(const store::SampleIndex *index);
    void setQuery(const store::IndexQuery &query);
    void setCounts(const store::FacetCounts &counts, qint64 matched, qint64 total);
    // The filters the panel shows (sorting is the grid's).
    store::IndexQuery filters() const;
    QLineEdit *searchBox() const { return m_search; }
    FacetList *classFacet() const { return m_classes; }
    // The "Only: …" row of a sample set (a duplicate cluster, a bias slice), hidden without one.
    QWidget *sampleSetRow() const { return m_setRow; }

    QComboBox *editedChooser() const { return m_edited; }

signals:
    void filtersEdited();
    // "Edited since …" was chosen: "session", "hour", "today" or "ever". The window turns it
    // into a sample set (the journal is in the project, not in the index).
    void editedSinceChosen(const QString &since);

private:
    struct RangeRow;
    void addRange(const QString &key, double low, double high);
    void removeRange(QWidget *row);
    void rebuildTextFacets();

    const store::SampleIndex *m_index = nullptr;
    QLineEdit *m_search;
    QTimer *m_searchDelay;
    QPushButton *m_clear;
    QLabel *m_matched;
    FacetList *m_classes;
    FacetList *m_splits;
    FacetList *m_issues;
    FacetList *m_tags;
    QVBoxLayout *m_textFacets;
    std::vector<std::pair<QString, FacetList *>> m_textLists;
    QComboBox *m_addRange;
    QComboBox *m_edited = nullptr;
    QVBoxLayout *m_ranges;
    std::vector<RangeRow *> m_rangeRows;
    QWidget *m_setRow;
    QLabel *m_setLabel;
    std::vector<std::int64_t> m_setIds;
    QString m_setName;
    bool m_updating = false;
};

} // namespace assay::ui
