#include "biascharts.h"

#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace assay::ui {

AttributeBars::AttributeBars(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void AttributeBars::setBars(std::vector<Bar> bars)
{
    m_bars = std::move(bars);
    m_current = m_bars.empty() ? -1 : std::clamp(m_current, 0, int(m_bars.size()) - 1);
    updateGeometry();
    update();
}

void AttributeBars::setCurrent(int bar)
{
    if (bar < 0 || bar >= int(m_bars.size()) || bar == m_current)
        return;
    m_current = bar;
    update();
    emit barChosen(bar);
}

int AttributeBars::rowHeight() const
{
    return fontMetrics().height() + 6;
}

QSize AttributeBars::sizeHint() const
{
    return {320, rowHeight() * std::max<int>(3, int(m_bars.size())) + 4};
}

QSize AttributeBars::minimumSizeHint() const
{
    return {200, rowHeight() * std::min<int>(3, std::max<int>(1, int(m_bars.size())))};
}

int AttributeBars::barAt(const QPoint &point) const
{
    const int row = (point.y() - 2) / rowHeight();
    return row >= 0 && row < int(m_bars.size()) ? row : -1;
}

void AttributeBars::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    int nameWidth = 0;
    for (const Bar &bar : m_bars)
        nameWidth = std::max(nameWidth, fontMetrics().horizontalAdvance(bar.name));
    nameWidth = std::min(nameWidth + 8, width() / 3);
    const int valueWidth = fontMetrics().horizontalAdvance(QStringLiteral("V 0.000")) + 16;
    const int barLeft = nameWidth + 4;
    const int barSpace = std::max(20, width() - barLeft - valueWidth - 4);
    double maxV = 0.1;
    for (const Bar &bar : m_bars)
        if (bar.tested) // a label proxy's V near 1 would squash every other bar
            maxV = std::max(maxV, bar.v);
    const QColor strong(0xd0, 0x5a, 0x3c), plain(0x6b, 0x8e, 0xb8);
    for (int i = 0; i < int(m_bars.size()); ++i) {
        const Bar &bar = m_bars[size_t(i)];
        const QRect row(0, 2 + i * rowHeight(), width(), rowHeight());
        if (i == m_current)
            painter.fillRect(row, pal.color(QPalette::Highlight).lighter(170));
        painter.setPen(bar.tested ? pal.color(QPalette::Text)
                                  : pal.color(QPalette::Disabled, QPalette::Text));
        painter.drawText(QRect(4, row.top(), nameWidth - 4, row.height()),
                         Qt::AlignLeft | Qt::AlignVCenter,
                         fontMetrics().elidedText(bar.name, Qt::ElideMiddle, nameWidth - 4));
        if (!bar.tested) {
            painter.drawText(QRect(barLeft, row.top(), barSpace + valueWidth, row.height()),
                             Qt::AlignLeft | Qt::AlignVCenter, bar.note);
            continue;
        }
        const int length = int(std::round(barSpace * bar.v / maxV));
        const QRect fill(barLeft, row.top() + 3, std::max(1, length), row.height() - 6);
        // Significant and at least a small effect (V >= 0.1) stands out.
        painter.fillRect(fill, bar.q <= 0.05 && bar.v >= 0.1 ? strong : plain);
        painter.setPen(pal.color(QPalette::Text));
        painter.drawText(QRect(barLeft + length + 4, row.top(), valueWidth, row.height()),
                         Qt::AlignLeft | Qt::AlignVCenter,
                         QStringLiteral("V %1").arg(bar.v, 0, 'f', 3));
    }
}

void AttributeBars::mousePressEvent(QMouseEvent *event)
{
    setCurrent(barAt(event->position().toPoint()));
}

bool AttributeBars::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int i = barAt(help->pos());
        if (i >= 0) {
            const Bar &bar = m_bars[size_t(i)];
            QToolTip::showText(help->globalPos(),
                               bar.tested ? tr("%1: Cramér's V %2 with the label, q = %3")
                                                .arg(bar.name)
                                                .arg(bar.v, 0, 'f', 3)
                                                .arg(bar.q, 0, 'g', 3)
                                          : tr("%1: %2").arg(bar.name, bar.note),
                               this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(event);
}

ResidualHeatMap::ResidualHeatMap(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ResidualHeatMap::setData(QString attribute, QStringList values, QStringList classes,
                              std::vector<std::vector<double>> residuals,
                              std::vector<std::vector<std::int64_t>> counts)
{
    m_attribute = std::move(attribute);
    m_values = std::move(values);
    m_classes = std::move(classes);
    m_residuals = std::move(residuals);
    m_counts = std::move(counts);
    updateGeometry();
    update();
}

void ResidualHeatMap::clear()
{
    setData({}, {}, {}, {}, {});
}

QColor ResidualHeatMap::colorOf(double z)
{
    if (!std::isfinite(z))
        return QColor(0xee, 0xee, 0xee);
    const double t = std::clamp(z / 4.0, -1.0, 1.0);
    const QColor hot(0xc8, 0x3c, 0x2c), cold(0x2c, 0x6c, 0xc8), white(0xfa, 0xfa, 0xfa);
    const QColor &end = t >= 0 ? hot : cold;
    const double a = std::abs(t);
    return QColor(int(white.red() + (end.red() - white.red()) * a),
                  int(white.green() + (end.green() - white.green()) * a),
                  int(white.blue() + (end.blue() - white.blue()) * a));
}

int ResidualHeatMap::labelWidth() const
{
    int width = 0;
    for (const QString &value : m_values)
        width = std::max(width, fontMetrics().horizontalAdvance(value));
    return std::min(width + 10, 160);
}

int ResidualHeatMap::headerHeight() const
{
    return fontMetrics().height() * 2 + 6;
}

QRect ResidualHeatMap::cellRect(int row, int column) const
{
    const int columns = std::max<int>(1, int(m_classes.size()));
    const int rows = std::max<int>(1, int(m_values.size()));
    const int left = labelWidth();
    const int top = headerHeight();
    const int w = std::max(8, (width() - left - 2) / columns);
    const int h = std::clamp((height() - top - 2) / rows, fontMetrics().height() + 2,
                             fontMetrics().height() + 14);
    return {left + column * w, top + row * h, w, h};
}

QSize ResidualHeatMap::sizeHint() const
{
    return {360, headerHeight() + (fontMetrics().height() + 10) * std::max<int>(3, int(m_values.size()))};
}

QSize ResidualHeatMap::minimumSizeHint() const
{
    return {200, headerHeight() + 3 * 16};
}

void ResidualHeatMap::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QPalette &pal = palette();
    if (m_values.isEmpty() || m_classes.isEmpty()) {
        painter.setPen(pal.color(QPalette::Disabled, QPalette::Text));
        painter.drawText(rect(), Qt::AlignCenter, tr("Choose an attribute above"));
        return;
    }
    painter.setPen(pal.color(QPalette::Text));
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.drawText(QRect(0, 0, labelWidth(), headerHeight()), Qt::AlignLeft | Qt::AlignBottom,
                     fontMetrics().elidedText(m_attribute, Qt::ElideRight, labelWidth()));
    painter.setFont(font());
    for (int c = 0; c < m_classes.size(); ++c) {
        const QRect cell = cellRect(0, c);
        // Class names alternate between two lines so neighbours do not collide.
        const QRect header(cell.left(), (c % 2) * (fontMetrics().height() + 2), cell.width() * 2,
                           fontMetrics().height() + 2);
        painter.drawText(header.translated(-cell.width() / 2, 0), Qt::AlignHCenter | Qt::AlignTop,
                         fontMetrics().elidedText(m_classes[c], Qt::ElideRight,
                                                  cell.width() * 2 - 2));
    }
    for (int r = 0; r < m_values.size(); ++r) {
        const QRect first = cellRect(r, 0);
        painter.setPen(pal.color(QPalette::Text));
        painter.drawText(QRect(0, first.top(), labelWidth() - 6, first.height()),
                         Qt::AlignRight | Qt::AlignVCenter,
                         fontMetrics().elidedText(m_values[r], Qt::ElideMiddle, labelWidth() - 6));
        for (int c = 0; c < m_classes.size(); ++c) {
            const QRect cell = cellRect(r, c);
            const double z = size_t(r) < m_residuals.size() && size_t(c) < m_residuals[size_t(r)].size()
                                 ? m_residuals[size_t(r)][size_t(c)]
                                 : NAN;
            painter.fillRect(cell.adjusted(0, 0, -1, -1), colorOf(z));
            // The number only where it fits: the colour carries the same.
            const QString number = QString::number(z, 'f', std::abs(z) >= 10 ? 0 : 1);
            if (std::isfinite(z) && cell.width() >= fontMetrics().horizontalAdvance(number) + 4 &&
                cell.height() >= fontMetrics().height()) {
                painter.setPen(std::abs(z) > 2.5 ? Qt::white : QColor(0x30, 0x30, 0x30));
                painter.drawText(cell, Qt::AlignCenter, number);
            }
        }
    }
}

bool ResidualHeatMap::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        for (int r = 0; r < m_values.size(); ++r) {
            for (int c = 0; c < m_classes.size(); ++c) {
                if (!cellRect(r, c).contains(help->pos()))
                    continue;
                const auto count = size_t(r) < m_counts.size() && size_t(c) < m_counts[size_t(r)].size()
                                       ? m_counts[size_t(r)][size_t(c)]
                                       : 0;
                const double z = m_residuals[size_t(r)][size_t(c)];
                QToolTip::showText(help->globalPos(),
                                   tr("%1 = %2, class %3: %4 samples, adjusted residual %5 (%6)")
                                       .arg(m_attribute, m_values[r], m_classes[c],
                                            QLocale().toString(qlonglong(count)))
                                       .arg(z, 0, 'f', 2)
                                       .arg(z > 0 ? tr("more than expected")
                                                  : tr("fewer than expected")),
                                   this);
                return true;
            }
        }
        QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace assay::ui
