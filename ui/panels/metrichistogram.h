#pragma once

#include "panels/histogrambins.h"

#include <QList>
#include <QString>
#include <QWidget>

#include <vector>

class QAreaSeries;
class QChartView;
class QComboBox;
class QGraphicsSimpleTextItem;
class QLabel;
class QLineSeries;
class QStackedWidget;

namespace assay::ui {

// One measured quantity of the samples, e.g. brightness or sharpness. NaN (and infinite) values
// were not measured. A log-scaled metric is binned by log10(value); values <= 0 fall in the
// first bin. Thresholds are the quality checks' cut-offs, drawn as lines.
struct MetricSeries
{
    QString key;   // stable id, reported back by rangeChosen
    QString title; // shown in the metric chooser
    QString unit;  // the x axis title; may be empty
    bool logScale = false;
    std::vector<double> values;
    std::vector<double> thresholds;
};

// A histogram of one metric at a time, with a chooser for the metric, the thresholds as red
// dashed lines and a caption with the measured / not-measured counts. About 40 bins; bins of
// integer-valued metrics are whole numbers. Hovering a bin tells its range and count; clicking a
// non-empty bin asks for its samples.
class MetricHistogram : public QWidget
{
    Q_OBJECT
public:
    // A bin holds the values v with low <= v < high, in the metric's own unit (for a log-scaled
    // metric these are 10^edge; the first bin's low is the smallest value when some are <= 0).
    using Bin = HistogramBin;

    explicit MetricHistogram(QWidget *parent = nullptr);

    // Keeps the metric chosen before when its key is still there, else shows the first one.
    void setSeries(const std::vector<MetricSeries> &series);
    const std::vector<MetricSeries> &series() const { return m_series; }

    QString currentKey() const;
    void setCurrentKey(const QString &key); // ignored for an unknown key

    // The metric shown: its bins, how many values are in them and how many are NaN.
    const std::vector<Bin> &bins() const { return m_bins; }
    const std::vector<double> &drawEdges() const { return m_drawEdges; } // chart x of the edges
    qint64 measuredCount() const { return m_measured; }
    qint64 notMeasuredCount() const { return m_notMeasured; }
    // The bin under a chart x coordinate (log10 of the value for a log-scaled metric), or -1.
    int binAt(double chartX) const;
    // Emits rangeChosen for a non-empty bin (what a click on it does).
    void chooseBin(int index);

    QComboBox *metricCombo() const { return m_combo; }
    QChartView *chartView() const { return m_chartView; }
    QLabel *captionLabel() const { return m_caption; }
    QAreaSeries *histogramSeries() const { return m_area; }
    const QList<QLineSeries *> &thresholdLines() const { return m_thresholdLines; }
    bool isShowingEmptyState() const;

signals:
    // The bounds of a clicked bin in the metric's own unit: low <= value < high.
    void rangeChosen(const QString &key, double low, double high);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    const MetricSeries *current() const;
    void rebuild();
    void clearChart();
    void updateXLabels();
    void placeThresholdLabels();
    int binAtViewPosition(const QPoint &position) const;
    void hover(int index);

    std::vector<MetricSeries> m_series;
    QString m_chosenKey;
    bool m_filling = false;
    std::vector<Bin> m_bins;
    std::vector<double> m_drawEdges; // chart x of the bin edges (bins.size() + 1 of them)
    bool m_integerBins = false;
    bool m_log = false;
    double m_xMin = 0;
    double m_xMax = 1;
    qint64 m_measured = 0;
    qint64 m_notMeasured = 0;
    int m_hovered = -1;
    int m_labelBudget = 0; // x labels the chart's width allows
    QComboBox *m_combo;
    QLabel *m_caption;
    QStackedWidget *m_stack;
    QChartView *m_chartView;
    QLabel *m_empty;
    QAreaSeries *m_area = nullptr;
    QAreaSeries *m_highlight = nullptr;
    QList<QLineSeries *> m_thresholdLines;
    QList<QGraphicsSimpleTextItem *> m_thresholdLabels;
};

} // namespace assay::ui
