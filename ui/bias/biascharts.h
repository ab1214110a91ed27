#pragma once

#include <QStringList>
#include <QWidget>

#include <vector>

namespace assay::ui {

// Cramér's V of each attribute with the label, one bar each, strongest first. Attributes that
// were not tested (label proxies, untestable, constant) are listed greyed with the reason.
// Clicking a bar chooses that attribute (for the heat map).
class AttributeBars : public QWidget
{
    Q_OBJECT
public:
    struct Bar
    {
        QString name;
        double v = 0;
        double q = 1;
        bool tested = true;
        QString note; // "label proxy", "untestable" ...
    };

    explicit AttributeBars(QWidget *parent = nullptr);
    void setBars(std::vector<Bar> bars);
    void setCurrent(int bar);
    int current() const { return m_current; }
    int barCount() const { return int(m_bars.size()); }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void barChosen(int bar);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override; // tooltips

private:
    int rowHeight() const;
    int barAt(const QPoint &point) const;

    std::vector<Bar> m_bars;
    int m_current = -1;
};

// Adjusted residuals of one attribute's values (rows) against the classes (columns), in
// diverging colours: red where a class is over-represented under a value, blue where it is
// under-represented, white near zero (clamped at ±4). Cells show the residual; tooltips the
// counts.
class ResidualHeatMap : public QWidget
{
    Q_OBJECT
public:
    explicit ResidualHeatMap(QWidget *parent = nullptr);
    void setData(QString attribute, QStringList values, QStringList classes,
                 std::vector<std::vector<double>> residuals,
                 std::vector<std::vector<std::int64_t>> counts);
    void clear();
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    // The colour of residual `z` (public for tests).
    static QColor colorOf(double z);

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    QRect cellRect(int row, int column) const;
    int labelWidth() const;
    int headerHeight() const;

    QString m_attribute;
    QStringList m_values;
    QStringList m_classes;
    std::vector<std::vector<double>> m_residuals;
    std::vector<std::vector<std::int64_t>> m_counts;
};

} // namespace assay::ui
