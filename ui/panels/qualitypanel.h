#pragma once

#include "store/sampleindex.h"

#include <QMap>
#include <QWidget>

#include <memory>

class QLabel;
class QTableWidget;

namespace assay::ui {

class MetricHistogram;

// Issues by kind with their counts, in two groups: image quality (from the scan) and
// annotations (from the import); activating a kind asks the grid to show its samples.
class QualityPanel : public QWidget
{
    Q_OBJECT
public:
    explicit QualityPanel(QWidget *parent = nullptr);

    // Samples per kind in the grid, and how many of the present samples are scanned.
    // `notInGrid`: samples per kind that the grid cannot show (their image is missing), listed
    // with their count but not clickable.
    void setCounts(const QMap<QString, qint64> &counts, qint64 scanned, qint64 samples,
                   const QMap<QString, qint64> &notInGrid = {});
    // The measured values to draw as histograms (the chosen metric's only: a million values of
    // every metric at once would cost a hundred megabytes).
    void setIndex(std::shared_ptr<const store::SampleIndex> index);
    QTableWidget *table() const { return m_table; }
    QTableWidget *annotationTable() const { return m_annotationTable; }
    MetricHistogram *histogram() const { return m_histogram; }
    int histogramFills() const { return m_fills; } // for tests: values handed to the chart

signals:
    void issueKindChosen(const QString &kind);
    void rangeChosen(const QString &key, double low, double high); // high exclusive

private:
    void fillHistogram();

    QLabel *m_status;
    QTableWidget *m_table;
    QWidget *m_annotationGroup;
    QLabel *m_annotationStatus;
    QTableWidget *m_annotationTable;
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
