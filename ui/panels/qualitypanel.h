#pragma once

#include "store/sampleindex.h"

#include <QMap>
#include <QWidget>

#include <memory>

class QLabel;
class QTableWidget;

namespace assay::ui {

class MetricHistogram;

// Quality issues by kind with their counts; activating a kind asks the grid to show its samples.
class QualityPanel : public QWidget
{
    Q_OBJECT
public:
    explicit QualityPanel(QWidget *parent = nullptr);

    // Counts per kind, and how many of the present samples are scanned.
    void setCounts(const QMap<QString, qint64> &counts, qint64 scanned, qint64 samples);
    // The measured values to draw as histograms (the chosen metric's only: a million values of
    // every metric at once would cost a hundred megabytes).
    void setIndex(std::shared_ptr<const store::SampleIndex> index);
    QTableWidget *table() const { return m_table; }
    MetricHistogram *histogram() const { return m_histogram; }
    int histogramFills() const { return m_fills; } // for tests: values handed to the chart

signals:
    void issueKindChosen(const QString &kind);
    void rangeChosen(const QString &key, double low, double high); // high exclusive

private:
    void fillHistogram();

    QLabel *m_status;
    QTableWidget *m_table;
    MetricHistogram *m_histogram;
    std::shared_ptr<const store::SampleIndex> m_index;
    const store::SampleIndex *m_filledFor = nullptr;
    QString m_filledKey;
    int m_fills = 0;
};

// A person's name and a one-line explanation for an issue kind.
QString issueKindTitle(const QString &kind);
QString issueKindExplanation(const QString &kind);

} // namespace assay::ui
