#pragma once

#include "analysis/biasslices.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QStackedWidget;
class QTableView;

namespace assay::ui {

class AttributeBars;
class BiasSliceModel;
class ResidualHeatMap;

// Where the class mix shifts with an attribute (issue "Bias slices"): the attributes' Cramér's V
// with the label as bars, the reported slices (predicates, size, driver class with its ratio and
// interval, V, q), and the heat map of adjusted residuals of the chosen attribute's values
// against the classes. Clicking a slice asks the grid to show its samples.
class BiasPanel : public QWidget
{
    Q_OBJECT
public:
    explicit BiasPanel(QWidget *parent = nullptr);

    // `computed`: whether a search is stored (else the panel says how to get one).
    void setResults(analysis::bias::SliceResults results, bool computed);

    BiasSliceModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    AttributeBars *bars() const { return m_bars; }
    ResidualHeatMap *heatMap() const { return m_heatMap; }
    QCheckBox *showAll() const { return m_showAll; }
    const analysis::bias::SliceResults &results() const { return m_results; }

signals:
    // The grid should show the samples of this slice; `text` names it.
    void sliceChosen(const std::vector<analysis::bias::NamedPredicate> &predicates,
                     const QString &text);

private:
    void showAttribute(int bar);
    void chooseCurrent();

    analysis::bias::SliceResults m_results;
    std::vector<int> m_barSummary; // bar -> index into m_results.attributeSummary
    QStackedWidget *m_pages;
    QLabel *m_empty;
    QLabel *m_summary;
    AttributeBars *m_bars;
    ResidualHeatMap *m_heatMap;
    BiasSliceModel *m_model;
    QTableView *m_view;
    QCheckBox *m_showAll;
};

} // namespace assay::ui
