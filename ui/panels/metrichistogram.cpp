#include "metrichistogram.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCursor>
#include <QGraphicsLayout>
#include <QGraphicsSimpleTextItem>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QMouseEvent>
#include <QStackedWidget>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace assay::ui {

namespace {

constexpr int MinimumChartHeight = 220;
constexpr int PixelsPerXLabel = 50;

QColor thresholdColor() { return QColor(0xd6, 0x27, 0x28); }

} // namespace

MetricHistogram::MetricHistogram(QWidget *parent)
    : QWidget(parent), m_combo(new QComboBox(this)), m_caption(new QLabel(this)),
      m_stack(new QStackedWidget(this)), m_chartView(new QChartView(new QChart, this)),
      m_empty(new QLabel(tr("Nothing measured yet"), this))
{
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_combo->setToolTip(tr("The measure shown"));
    connect(m_combo, &QComboBox::currentIndexChanged, this, [this] {
        if (m_filling)
            return;
        m_chosenKey = currentKey();
        rebuild();
    });
    QFont small = m_caption->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_caption->setFont(small);
    m_caption->setForegroundRole(QPalette::PlaceholderText);
    m_caption->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    auto *header = new QHBoxLayout;
    header->addWidget(m_combo);
    header->addStretch(1);
    header->addWidget(m_caption);

    QChart *chart = m_chartView->chart();
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setLocalizeNumbers(true);
    chart->setBackgroundRoundness(0);
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->legend()->hide();
    connect(chart, &QChart::plotAreaChanged, this, &MetricHistogram::placeThresholdLabels);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(MinimumChartHeight);
    m_chartView->installEventFilter(this);
    m_chartView->viewport()->installEventFilter(this);
    m_chartView->viewport()->setMouseTracking(true);

    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    QFont font = m_empty->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    m_empty->setFont(font);
    m_empty->setMinimumHeight(MinimumChartHeight);
    m_stack->addWidget(m_chartView);
    m_stack->addWidget(m_empty);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_stack, 1);
    setSeries({});
}

void MetricHistogram::setSeries(const std::vector<MetricSeries> &series)
{
    const QString shown = currentKey();
    m_series = series;
    m_filling = true;
    m_combo->clear();
    for (const MetricSeries &metric : m_series)
        m_combo->addItem(metric.title.isEmpty() ? metric.key : metric.title, metric.key);
    int index = m_combo->findData(m_chosenKey);
    if (index < 0)
        index = m_combo->findData(shown);
    m_combo->setCurrentIndex(index >= 0 ? index : (m_series.empty() ? -1 : 0));
    m_filling = false;
    m_combo->setVisible(!m_series.empty());
    rebuild();
}

const MetricSeries *MetricHistogram::current() const
{
    const int index = m_combo->currentIndex();
    return index >= 0 && std::size_t(index) < m_series.size() ? &m_series[std::size_t(index)]
                                                                : nullptr;
}

QString MetricHistogram::currentKey() const
{
    const MetricSeries *metric = current();
    return metric ? metric->key : QString();
}

void MetricHistogram::setCurrentKey(const QString &key)
{
    const int index = m_combo->findData(key);
    if (index >= 0)
        m_combo->setCurrentIndex(index);
}

bool MetricHistogram::isShowingEmptyState() const
{
    return m_stack->currentWidget() == m_empty;
}

int MetricHistogram::binAt(double chartX) const
{
    if (m_drawEdges.size() < 2 || chartX < m_drawEdges.front() || chartX >= m_drawEdges.back())
        return -1;
    return int(std::upper_bound(m_drawEdges.begin(), m_drawEdges.end(), chartX)
               - m_drawEdges.begin()) - 1;
}

void MetricHistogram::chooseBin(int index)
{
    if (index < 0 || std::size_t(index) >= m_bins.size() || m_bins[std::size_t(index)].count == 0)
        return;
    const Bin &bin = m_bins[std::size_t(index)];
    emit rangeChosen(currentKey(), bin.low, bin.high);
}

void MetricHistogram::clearChart()
{
    hover(-1);
    QChart *chart = m_chartView->chart();
    qDeleteAll(m_thresholdLabels);
    m_thresholdLabels.clear();
    m_thresholdLines.clear();
    m_area = m_highlight = nullptr;
    chart->removeAllSeries();
    const auto axes = chart->axes();
    for (QAbstractAxis *axis : axes) {
        chart->removeAxis(axis);
        delete axis;
    }
}

void MetricHistogram::rebuild()
{
    clearChart();
    const MetricSeries *metric = current();
    HistogramBins binning = metric ? computeHistogramBins(metric->values, metric->logScale)
                                   : HistogramBins{};
    m_bins = std::move(binning.bins);
    m_drawEdges = std::move(binning.drawEdges);
    m_integerBins = binning.whole;
    m_log = binning.log;
    m_notMeasured = binning.notMeasured;
    m_measured = 0;
    qint64 maxCount = 0;
    for (const Bin &bin : m_bins) {
        m_measured += bin.count;
        maxCount = std::max(maxCount, bin.count);
    }
    const QLocale locale;
    QStringList caption;
    if (metric) {
        caption << tr("%1 values").arg(locale.toString(m_measured));
        if (m_notMeasured > 0)
            caption << tr("%1 not measured").arg(locale.toString(m_notMeasured));
    }
    m_caption->setVisible(metric != nullptr);
    m_stack->setCurrentWidget(m_bins.empty() ? m_empty : static_cast<QWidget *>(m_chartView));
    if (m_bins.empty()) {
        m_caption->setText(caption.join(QStringLiteral(", ")));
        return;
    }

    QChart *chart = m_chartView->chart();
    auto *upper = new QLineSeries;
    for (std::size_t i = 0; i < m_bins.size(); ++i) { // down to 0 between bars: a white seam
        const double count = double(m_bins[i].count);
        upper->append({{m_drawEdges[i], 0}, {m_drawEdges[i], count},
                       {m_drawEdges[i + 1], count}, {m_drawEdges[i + 1], 0}});
    }
    m_area = new QAreaSeries(upper);
    m_area->setName(metric->title);
    m_highlight = new QAreaSeries(new QLineSeries);
    chart->addSeries(m_area);
    chart->addSeries(m_highlight);
    upper->setParent(m_area);
    m_highlight->upperSeries()->setParent(m_highlight);
    const QColor fill = m_area->color();
    m_area->setBrush(fill);
    m_area->setPen(QPen(Qt::white, 0.8)); // the light theme's background
    m_highlight->setBrush(fill.darker(135));
    m_highlight->setPen(m_area->pen());

    auto *xAxis = new QCategoryAxis;
    xAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    xAxis->setTitleText(m_log && !metric->unit.isEmpty() ? tr("%1 (log scale)").arg(metric->unit)
                        : m_log                          ? tr("log scale")
                                                         : metric->unit);
    auto *yAxis = new QValueAxis;
    yAxis->setLabelFormat(QStringLiteral("%.0f"));
    yAxis->setTitleText(tr("Samples"));
    if (maxCount <= 10) { // small counts: one tick per unit, no fractional labels
        yAxis->setRange(0, double(std::max<qint64>(1, maxCount)));
        yAxis->setTickType(QValueAxis::TicksDynamic);
        yAxis->setTickAnchor(0);
        yAxis->setTickInterval(1);
    } else {
        yAxis->setRange(0, double(maxCount) * 1.04);
        yAxis->applyNiceNumbers();
    }
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    for (QAreaSeries *area : {m_area, m_highlight}) {
        area->attachAxis(xAxis);
        area->attachAxis(yAxis);
    }

    // Thresholds within half the data's span of it widen the x range; others are only named.
    m_xMin = m_drawEdges.front();
    m_xMax = m_drawEdges.back();
    const double span = m_xMax - m_xMin;
    QStringList offScale;
    QFont labelFont = font();
    labelFont.setPointSizeF(labelFont.pointSizeF() * 0.85);
    for (const double threshold : metric->thresholds) {
        const double x = m_log ? (threshold > 0 ? std::log10(threshold) : -1e300) : threshold;
        if (!std::isfinite(x) || x < m_xMin - span / 2 || x > m_xMax + span / 2) {
            offScale << compactNumber(threshold);
            continue;
        }
        m_xMin = std::min(m_xMin, x - span / 50);
        m_xMax = std::max(m_xMax, x + span / 50);
        auto *line = new QLineSeries;
        line->append({{x, 0}, {x, yAxis->max()}});
        chart->addSeries(line);
        line->attachAxis(xAxis);
        line->attachAxis(yAxis);
        line->setPen(QPen(thresholdColor(), 1.5, Qt::DashLine));
        m_thresholdLines << line;
        auto *label = new QGraphicsSimpleTextItem(compactNumber(threshold), chart);
        label->setFont(labelFont);
        label->setBrush(thresholdColor());
        label->setZValue(10);
        m_thresholdLabels << label;
    }
    if (!offScale.isEmpty())
        caption << tr("threshold %1 off the scale").arg(offScale.join(QStringLiteral(", ")));
    m_caption->setText(caption.join(QStringLiteral(", ")));
    const int top = m_thresholdLines.isEmpty() ? 4 : QFontMetrics(labelFont).height() + 4;
    chart->setMargins(QMargins(4, top, 10, 4));
    m_labelBudget = 0;
    updateXLabels();
    placeThresholdLabels();
}

void MetricHistogram::updateXLabels()
{
    auto *axis = m_area ? qobject_cast<QCategoryAxis *>(m_chartView->chart()->axes(
                              Qt::Horizontal).value(0)) : nullptr;
    if (!axis)
        return;
    const int budget = std::max(2, (m_chartView->width() - 70) / PixelsPerXLabel);
    if (budget == m_labelBudget)
        return;
    m_labelBudget = budget;
    const QStringList old = axis->categoriesLabels();
    for (const QString &label : old)
        axis->remove(label);
    axis->setStartValue(m_xMin - (m_xMax - m_xMin));
    for (const double tick : axisTicks(m_xMin, m_xMax, m_log, budget))
        axis->append(compactNumber(tick), m_log ? std::log10(tick) : tick);
    axis->setRange(m_xMin, m_xMax);
}

void MetricHistogram::placeThresholdLabels()
{
    QChart *chart = m_chartView->chart();
    const QRectF plot = chart->plotArea();
    double previousRight = -1e9;
    for (qsizetype i = 0; i < m_thresholdLabels.size(); ++i) {
        QGraphicsSimpleTextItem *label = m_thresholdLabels[i];
        const QRectF box = label->boundingRect();
        const double lineX = chart->mapToPosition(m_thresholdLines[i]->at(0),
                                                  m_thresholdLines[i]).x();
        double x = std::clamp(lineX - box.width() / 2, plot.left(),
                              std::max(plot.left(), plot.right() - box.width()));
        x = std::max(x, previousRight + 4);
        previousRight = x + box.width();
        label->setPos(x, plot.top() - box.height() - 1);
    }
}

int MetricHistogram::binAtViewPosition(const QPoint &position) const
{
    QChart *chart = m_chartView->chart();
    const QPointF inChart = chart->mapFromScene(m_chartView->mapToScene(position));
    if (!m_area || !chart->plotArea().contains(inChart))
        return -1;
    return binAt(chart->mapToValue(inChart, m_area).x());
}

void MetricHistogram::hover(int index)
{
    if (index < 0 && m_hovered < 0)
        return;
    if (index != m_hovered && m_highlight) {
        QList<QPointF> points;
        if (index >= 0) {
            const auto i = std::size_t(index);
            const double count = double(m_bins[i].count);
            points = {{m_drawEdges[i], 0}, {m_drawEdges[i], count},
                      {m_drawEdges[i + 1], count}, {m_drawEdges[i + 1], 0}};
        }
        m_highlight->upperSeries()->replace(points);
    }
    m_hovered = index;
    if (index < 0) {
        m_chartView->unsetCursor();
        QToolTip::hideText();
        return;
    }
    const Bin &bin = m_bins[std::size_t(index)];
    m_chartView->setCursor(bin.count > 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
    const QString samples = bin.count == 1 ? tr("1 sample")
                                           : tr("%1 samples").arg(QLocale().toString(bin.count));
    QString text = tr("%1: %2").arg(rangeText(bin, m_integerBins), samples);
    if (bin.count > 0)
        text += QLatin1Char('\n') + tr("Click to show these samples");
    QToolTip::showText(QCursor::pos(), text, m_chartView);
}

bool MetricHistogram::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_chartView && event->type() == QEvent::Resize) {
        updateXLabels();
    } else if (watched == m_chartView->viewport() && m_area) {
        // Only mouse events are QMouseEvents: cast after checking the type.
        const auto *mouse = event->type() == QEvent::MouseMove
                                    || event->type() == QEvent::MouseButtonRelease
                                ? static_cast<const QMouseEvent *>(event)
                                : nullptr;
        if (event->type() == QEvent::MouseMove)
            hover(binAtViewPosition(mouse->position().toPoint()));
        else if (event->type() == QEvent::Leave)
            hover(-1);
        else if (event->type() == QEvent::MouseButtonRelease && mouse->button() == Qt::LeftButton)
            chooseBin(binAtViewPosition(mouse->position().toPoint()));
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace assay::ui
