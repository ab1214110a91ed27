#include "balancepanel.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QButtonGroup>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QStackedWidget>
#include <QToolButton>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace assay::ui {

namespace {

constexpr qsizetype MaxVerticalClasses = 12; // beyond this, horizontal bars keep names readable
constexpr int MinimumChartHeight = 240;

QString splitLabel(const QString &split)
{
    return split.isEmpty() ? BalancePanel::tr("(no split)") : split;
}

QString pValueText(double p)
{
    if (p < 0.001)
        return QStringLiteral("p < 0.001");
    return QStringLiteral("p = %1").arg(QLocale().toString(p, 'f', p < 0.01 ? 3 : 2));
}

} // namespace

BalancePanel::BalancePanel(QWidget *parent)
    : QWidget(parent), m_summary(new QLabel(this)), m_samplesButton(new QToolButton(this)),
      m_objectsButton(new QToolButton(this)), m_stack(new QStackedWidget(this)),
      m_scroll(new QScrollArea(this)), m_chartView(new QChartView(new QChart, this)),
      m_empty(new QLabel(this))
{
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *group = new QButtonGroup(this);
    group->addButton(m_samplesButton, int(Measure::Samples));
    group->addButton(m_objectsButton, int(Measure::Objects));
    connect(group, &QButtonGroup::idClicked, this, [this](int id) { setMeasure(Measure(id)); });
    m_samplesButton->setCheckable(true);
    m_objectsButton->setCheckable(true);
    m_samplesButton->setText(tr("Samples"));
    m_samplesButton->setToolTip(tr("Count images per class and split"));
    m_samplesButton->setChecked(true);
    m_objectsButton->setText(tr("Objects"));

    auto *header = new QHBoxLayout;
    header->setSpacing(2);
    header->addWidget(m_summary, 1);
    header->addSpacing(8);
    header->addWidget(m_samplesButton, 0, Qt::AlignTop);
    header->addWidget(m_objectsButton, 0, Qt::AlignTop);

    QChart *chart = m_chartView->chart();
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setLocalizeNumbers(true);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 8, 4));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->legend()->setAlignment(Qt::AlignTop);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(MinimumChartHeight);
    m_scroll->setWidget(m_chartView);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_empty->setText(tr("No labels yet"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    QFont font = m_empty->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    m_empty->setFont(font);
    m_stack->addWidget(m_scroll);
    m_stack->addWidget(m_empty);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_stack, 1);
    setReport({});
}

bool BalancePanel::isShowingEmptyState() const
{
    return m_stack->currentWidget() == m_empty;
}

void BalancePanel::setReport(const analysis::BalanceReport &report)
{
    m_report = report;
    const bool empty = m_report.classes.isEmpty();
    const bool hasObjects = !m_report.annotations.empty();
    m_stack->setCurrentWidget(empty ? static_cast<QWidget *>(m_empty) : m_scroll);
    m_summary->setVisible(!empty);
    m_samplesButton->setVisible(!empty);
    m_objectsButton->setVisible(!empty);
    m_objectsButton->setEnabled(hasObjects);
    m_objectsButton->setToolTip(hasObjects ? tr("Count annotated objects per class and split")
                                           : tr("This dataset has no object annotations"));
    // A detection dataset has objects and no labeled samples: show what it has.
    const bool labeled = !m_report.ofObjects;
    if (!hasObjects)
        m_measure = Measure::Samples;
    else if (!labeled)
        m_measure = Measure::Objects;
    m_samplesButton->setEnabled(labeled || !hasObjects);
    (m_measure == Measure::Objects ? m_objectsButton : m_samplesButton)->setChecked(true);
    updateSummary();
    rebuildChart();
}

void BalancePanel::setMeasure(Measure measure)
{
    if (measure == Measure::Objects && m_report.annotations.empty())
        measure = Measure::Samples;
    (measure == Measure::Objects ? m_objectsButton : m_samplesButton)->setChecked(true);
    if (measure == m_measure)
        return;
    m_measure = measure;
    rebuildChart();
}

const std::vector<std::vector<std::int64_t>> &BalancePanel::counts() const
{
    return m_measure == Measure::Objects ? m_report.annotations : m_report.samples;
}

qsizetype BalancePanel::classAt(qsizetype position) const
{
    // Horizontal bars are drawn bottom-up: reverse them so the first class is at the top.
    return m_horizontal ? m_report.classes.size() - 1 - position : position;
}

void BalancePanel::rebuildChart()
{
    QChart *chart = m_chartView->chart();
    chart->removeAllSeries();
    const auto axes = chart->axes();
    for (QAbstractAxis *axis : axes) {
        chart->removeAxis(axis);
        delete axis;
    }
    const qsizetype classCount = m_report.classes.size();
    if (classCount == 0)
        return;
    m_horizontal = wantsHorizontalBars();
    QAbstractBarSeries *series = m_horizontal
        ? static_cast<QAbstractBarSeries *>(new QHorizontalBarSeries) : new QBarSeries;
    series->setBarWidth(m_report.splits.size() > 1 ? 0.8 : 0.6);

    QStringList categories;
    for (qsizetype position = 0; position < classCount; ++position)
        categories << m_report.classes[classAt(position)];
    const auto &rows = counts();
    double maxValue = 0;
    for (qsizetype s = 0; s < m_report.splits.size(); ++s) {
        auto *set = new QBarSet(splitLabel(m_report.splits[s]));
        for (qsizetype position = 0; position < classCount; ++position) {
            const auto value = double(rows[std::size_t(s)][std::size_t(classAt(position))]);
            set->append(value);
            maxValue = std::max(maxValue, value);
        }
        connect(set, &QBarSet::clicked, this, [this, s](int position) {
            emit filterRequested(m_report.splits[s], m_report.classes[classAt(position)]);
        });
        connect(set, &QBarSet::hovered, this, [this, s](bool hovering, int position) {
            showBarTip(hovering, s, position);
        });
        series->append(set);
    }
    chart->addSeries(series);

    auto *categoryAxis = new QBarCategoryAxis;
    categoryAxis->append(categories);
    auto *valueAxis = new QValueAxis;
    valueAxis->setLabelFormat(QStringLiteral("%.0f"));
    valueAxis->setTitleText(m_measure == Measure::Objects ? tr("Objects") : tr("Samples"));
    if (maxValue <= 10) { // small counts: one tick per unit, no fractional labels
        valueAxis->setRange(0, std::max(1.0, std::ceil(maxValue)));
        valueAxis->setTickType(QValueAxis::TicksDynamic);
        valueAxis->setTickAnchor(0);
        valueAxis->setTickInterval(1);
    } else {
        valueAxis->setRange(0, maxValue);
        valueAxis->applyNiceNumbers();
    }
    chart->addAxis(categoryAxis, m_horizontal ? Qt::AlignLeft : Qt::AlignBottom);
    chart->addAxis(valueAxis, m_horizontal ? Qt::AlignTop : Qt::AlignLeft);
    series->attachAxis(categoryAxis);
    series->attachAxis(valueAxis);

    // Horizontal bars grow with the class count; the scroll area takes over when they overflow.
    const int splitCount = int(std::min<qsizetype>(m_report.splits.size(), 4));
    const int perClass = std::max(fontMetrics().height() + 12, 4 + 6 * splitCount);
    const int wanted = m_horizontal ? 130 + perClass * int(classCount) : MinimumChartHeight;
    m_chartView->setMinimumHeight(std::max(MinimumChartHeight, wanted));
}

bool BalancePanel::wantsHorizontalBars() const
{
    // Horizontal bars when the class names would not fit under vertical bars.
    const qsizetype classCount = m_report.classes.size();
    if (classCount > MaxVerticalClasses)
        return true;
    int widest = 0;
    for (const QString &name : std::as_const(m_report.classes))
        widest = std::max(widest, fontMetrics().horizontalAdvance(name));
    return classCount > 0 && widest + 12 > (width() - 90) / int(classCount);
}

void BalancePanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (!m_report.classes.isEmpty() && wantsHorizontalBars() != m_horizontal)
        rebuildChart();
}

void BalancePanel::updateSummary()
{
    const analysis::BalanceReport &r = m_report;
    const QLocale locale;
    QStringList parts;
    parts << (r.ofObjects ? tr("%1 objects") : tr("%1 samples"))
                 .arg(locale.toString(qlonglong(r.total)));
    parts << tr("imbalance %1×")
                 .arg(locale.toString(r.imbalanceRatio, 'f', r.imbalanceRatio < 10 ? 1 : 0));
    parts << tr("entropy %1").arg(locale.toString(r.normalizedEntropy, 'f', 2));
    if (r.splitTest.df > 0) {
        parts << tr("split × class χ² %1, V = %2")
                     .arg(pValueText(r.splitTest.p),
                          locale.toString(r.splitTest.cramersV, 'f', 2));
    }
    if (!r.emptyClasses.isEmpty()) {
        QStringList shown = r.emptyClasses.mid(0, 3);
        if (r.emptyClasses.size() > shown.size())
            shown << tr("+%1 more").arg(r.emptyClasses.size() - shown.size());
        parts << tr("empty: %1").arg(shown.join(QStringLiteral(", ")));
    }
    for (QString &part : parts) // wrap between the parts only
        part.replace(QLatin1Char(' '), QChar(0x00A0));
    m_summary->setText(parts.join(QStringLiteral("  ·  ")));
    QString tip = tr("Imbalance: largest / smallest non-empty class\n"
                     "Entropy: evenness of the class totals (1 = perfectly even)\n"
                     "χ², V: do the splits share one class distribution? (V: effect size)");
    if (!r.emptyClasses.isEmpty())
        tip += tr("\nEmpty classes: %1").arg(r.emptyClasses.join(QStringLiteral(", ")));
    m_summary->setToolTip(tip);
}

void BalancePanel::showBarTip(bool hovering, qsizetype split, qsizetype position)
{
    if (!hovering) {
        m_chartView->unsetCursor();
        QToolTip::hideText();
        return;
    }
    m_chartView->setCursor(Qt::PointingHandCursor);
    const auto &row = counts()[std::size_t(split)];
    const std::int64_t value = row[std::size_t(classAt(position))];
    const std::int64_t rowTotal = std::accumulate(row.begin(), row.end(), std::int64_t(0));
    const QLocale locale;
    const double share = rowTotal > 0 ? 100.0 * double(value) / double(rowTotal) : 0.0;
    QToolTip::showText(QCursor::pos(),
                       tr("%1 · %2: %3 (%4 % of the split)\nClick to show these samples")
                           .arg(splitLabel(m_report.splits[split]),
                                m_report.classes[classAt(position)],
                                locale.toString(qlonglong(value)),
                                locale.toString(share, 'f', 1)),
                       m_chartView);
}

} // namespace assay::ui
