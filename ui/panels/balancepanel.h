#pragma once

#include "analysis/balance.h"

#include <QWidget>

class QChartView;
class QLabel;
class QScrollArea;
class QStackedWidget;
class QToolButton;

namespace assay::ui {

// The class balance of a project: a grouped bar chart of the counts per class, one bar set per
// split (horizontal bars when there are more than 12 classes or the names do not fit under the
// bars), a Samples / Objects toggle and a one-line summary (total, imbalance ratio, entropy,
// split × class chi-square, empty classes). Clicking a bar asks for that split and class.
class BalancePanel : public QWidget
{
    Q_OBJECT
public:
    enum class Measure { Samples, Objects };

    explicit BalancePanel(QWidget *parent = nullptr);

    void setReport(const analysis::BalanceReport &report);
    const analysis::BalanceReport &report() const { return m_report; }

    // Objects is ignored (Samples shown) while the report has no annotations.
    void setMeasure(Measure measure);
    Measure measure() const { return m_measure; }

    QChartView *chartView() const { return m_chartView; }
    QToolButton *samplesButton() const { return m_samplesButton; }
    QToolButton *objectsButton() const { return m_objectsButton; }
    QLabel *summaryLabel() const { return m_summary; }
    bool isShowingEmptyState() const;

signals:
    void filterRequested(const QString &split, const QString &className);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    const std::vector<std::vector<std::int64_t>> &counts() const;
    qsizetype classAt(qsizetype position) const;
    void rebuildChart();
    bool wantsHorizontalBars() const;
    void updateSummary();
    void showBarTip(bool hovering, qsizetype split, qsizetype position);

    analysis::BalanceReport m_report;
    Measure m_measure = Measure::Samples;
    bool m_horizontal = false;
    QLabel *m_summary;
    QToolButton *m_samplesButton;
    QToolButton *m_objectsButton;
    QStackedWidget *m_stack;
    QScrollArea *m_scroll;
    QChartView *m_chartView;
    QLabel *m_empty;
};

} // namespace assay::ui
