#include "biaspanel.h"

#include "biascharts.h"
#include "biasslicemodel.h"

#include "analysis/biasstore.h"

#include <QCheckBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace assay::ui {

namespace {

QLabel *title(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    return label;
}

QString statusNote(const analysis::bias::AttributeSummary &summary)
{
    if (summary.status == u"label_proxy")
        return BiasPanel::tr("label proxy (V %1): not used in slices").arg(summary.v, 0, 'f', 2);
    if (summary.status == u"constant")
        return BiasPanel::tr("one value only");
    if (summary.status == u"untestable")
        return BiasPanel::tr("untestable: %1").arg(summary.reason);
    return summary.reason.isEmpty() ? summary.status : summary.reason;
}

} // namespace

BiasPanel::BiasPanel(QWidget *parent)
    : QWidget(parent), m_pages(new QStackedWidget(this)), m_empty(new QLabel(this)),
      m_summary(new QLabel(this)), m_bars(new AttributeBars(this)),
      m_heatMap(new ResidualHeatMap(this)), m_model(new BiasSliceModel(this)),
      m_view(new QTableView(this)), m_showAll(new QCheckBox(tr("Also slices that did not pass"), this))
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 6, 6, 6);
    outer->addWidget(m_pages);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setObjectName(QStringLiteral("biasEmpty"));
    m_pages->addWidget(m_empty);

    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    m_summary->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("biasSummary"));
    layout->addWidget(m_summary);

    // Two tabs, each with the dock's whole height: the slices, and the attributes with the
    // residuals of the chosen one.
    auto *tabs = new QTabWidget(page);
    tabs->setObjectName(QStringLiteral("biasTabs"));
    auto *slicesBox = new QWidget(tabs);
    auto *slicesLayout = new QVBoxLayout(slicesBox);
    slicesLayout->setContentsMargins(4, 4, 4, 4);
    m_view->setModel(m_model);
    m_view->setObjectName(QStringLiteral("biasSlices"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    // The predicates get a wide column of their own; the numbers follow (scroll sideways in a
    // narrow dock), the tooltips say the same in words.
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(BiasSliceModel::Slice,
                                                     QHeaderView::Interactive);
    m_view->horizontalHeader()->resizeSection(BiasSliceModel::Slice, 260);
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->setColumnHidden(BiasSliceModel::Status, true);
    m_view->setToolTip(tr("Click a slice to show its samples in the grid"));
    slicesLayout->addWidget(m_view, 1);
    slicesLayout->addWidget(m_showAll);
    tabs->addTab(slicesBox, tr("Slices"));

    auto *splitter = new QSplitter(Qt::Vertical, tabs);
    auto *attributesBox = new QWidget(splitter);
    auto *attributesLayout = new QVBoxLayout(attributesBox);
    attributesLayout->setContentsMargins(4, 4, 4, 0);
    attributesLayout->addWidget(title(tr("Association with the label (Cramér's V)"),
                                      attributesBox));
    auto *barsScroll = new QScrollArea(attributesBox);
    barsScroll->setWidget(m_bars);
    barsScroll->setWidgetResizable(true);
    barsScroll->setFrameShape(QFrame::NoFrame);
    attributesLayout->addWidget(barsScroll, 1);
    m_bars->setObjectName(QStringLiteral("biasAttributes"));
    m_bars->setToolTip(tr("Click an attribute to see its residuals below"));
    auto *heatBox = new QWidget(splitter);
    auto *heatLayout = new QVBoxLayout(heatBox);
    heatLayout->setContentsMargins(4, 0, 4, 4);
    heatLayout->addWidget(title(tr("Adjusted residuals (red: more of a class than expected, "
                                   "blue: fewer)"),
                                heatBox));
    m_heatMap->setObjectName(QStringLiteral("biasHeatMap"));
    heatLayout->addWidget(m_heatMap, 1);
    splitter->addWidget(attributesBox);
    splitter->addWidget(heatBox);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    tabs->addTab(splitter, tr("Attributes"));
    layout->addWidget(tabs, 1);
    m_pages->addWidget(page);

    connect(m_bars, &AttributeBars::barChosen, this, &BiasPanel::showAttribute);
    connect(m_showAll, &QCheckBox::toggled, this, [this](bool all) {
        m_model->setShowAll(all);
        m_view->setColumnHidden(BiasSliceModel::Status, !all);
    });
    // A click both moves the current row and clicks it: one request for the two.
    auto *choose = new QTimer(this);
    choose->setSingleShot(true);
    choose->setInterval(0);
    connect(choose, &QTimer::timeout, this, &BiasPanel::chooseCurrent);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, choose,
            qOverload<>(&QTimer::start));
    connect(m_view, &QTableView::clicked, choose, qOverload<>(&QTimer::start));

    setResults({}, false);
}

void BiasPanel::setResults(analysis::bias::SliceResults results, bool computed)
{
    m_results = std::move(results);
    if (!computed) {
        m_empty->setText(tr("<p><b>No bias analysis yet.</b></p><p>Scanning a labelled dataset "
                            "searches for slices — an attribute value, or two together — whose "
                            "class mix differs from the whole, with a false-discovery guarantee "
                            "(<tt>assay-cli slices</tt> does the same).</p>"));
        m_pages->setCurrentIndex(0);
        m_model->setSlices({});
        m_bars->setBars({});
        m_heatMap->clear();
        return;
    }
    m_pages->setCurrentIndex(1);
    const QLocale locale;
    const analysis::bias::SliceParameters &p = m_results.parameters;
    const std::int64_t reported = m_results.reported();
    QString text = reported > 0
                       ? tr("<b>%n slice(s)</b> where the class mix shifts", nullptr, int(reported))
                       : tr("<b>No slice</b> where the class mix shifts");
    text += tr(" — of %1 tested over %2 labelled samples (q ≤ %3, V ≥ %4, ratio ≥ %5× or "
               "≤ 1/%5).")
                .arg(locale.toString(qlonglong(m_results.slices.size())),
                     locale.toString(qlonglong(m_results.labeled)))
                .arg(p.fdr)
                .arg(p.minV)
                .arg(p.minRatio);
    m_summary->setText(text);

    m_model->setSlices(m_results.slices);
    std::vector<AttributeBars::Bar> bars;
    m_barSummary.clear();
    for (size_t i = 0; i < m_results.attributeSummary.size(); ++i) {
        const auto &summary = m_results.attributeSummary[i];
        if (summary.attribute < 0 || size_t(summary.attribute) >= m_results.attributes.size())
            continue;
        AttributeBars::Bar bar;
        bar.name = m_results.attributes[size_t(summary.attribute)].name;
        bar.v = summary.v;
        bar.q = summary.q;
        bar.tested = summary.status == u"tested";
        bar.note = statusNote(summary);
        bars.push_back(bar);
        m_barSummary.push_back(int(i));
    }
    m_bars->setBars(std::move(bars));
    // The strongest tested attribute first in the heat map.
    showAttribute(m_bars->current() >= 0 ? m_bars->current() : 0);
}

void BiasPanel::showAttribute(int bar)
{
    if (bar < 0 || size_t(bar) >= m_barSummary.size()) {
        m_heatMap->clear();
        return;
    }
    if (m_bars->current() != bar) {
        m_bars->setCurrent(bar); // emits barChosen, which comes back here
        return;
    }
    const auto &summary = m_results.attributeSummary[size_t(m_barSummary[size_t(bar)])];
    const auto &attribute = m_results.attributes[size_t(summary.attribute)];
    m_heatMap->setData(attribute.name, attribute.values, m_results.classes, summary.residuals,
                       summary.counts);
}

void BiasPanel::chooseCurrent()
{
    const analysis::bias::SliceRecord *slice = m_model->slice(m_view->currentIndex().row());
    if (!slice)
        return;
    emit sliceChosen(analysis::bias::namedPredicates(m_results, slice->predicates), slice->text);
}

} // namespace assay::ui
