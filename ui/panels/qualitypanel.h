#pragma once

#include <QMap>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace assay::ui {

// Quality issues by kind with their counts; activating a kind asks the grid to show its samples.
class QualityPanel : public QWidget
{
    Q_OBJECT
public:
    explicit QualityPanel(QWidget *parent = nullptr);

    // Counts per kind, and how many of the present samples are scanned.
    void setCounts(const QMap<QString, qint64> &counts, qint64 scanned, qint64 samples);
    QTableWidget *table() const { return m_table; }

signals:
    void issueKindChosen(const QString &kind);

private:
    QLabel *m_status;
    QTableWidget *m_table;
};

// A person's name and a one-line explanation for an issue kind.
QString issueKindTitle(const QString &kind);
QString issueKindExplanation(const QString &kind);

} // namespace assay::ui
