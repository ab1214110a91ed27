#include "qualitypanel.h"

#include "metrichistogram.h"

#include "analysis/quality.h"

#include <QComboBox>
#include <QHeaderView>
#include <QSplitter>
#include <QTimer>
#include <QLabel>
#include <QLocale>
#include <QCoreApplication>
#include <QTableWidget>
#include <QVBoxLayout>

#include <map>

namespace assay::ui {

namespace {
struct KindText
{
    const char *title;
    const char *explanation;
};

const std::map<QString, KindText> &kindTexts()
{
    using namespace analysis::issuekind;
    static const std::map<QString, KindText> texts = {
        {corrupt, {"Corrupt", "The decoder failed or reported damage"}},
        {zeroByte, {"Zero bytes", "The file is empty"}},
        {unsupportedType, {"Unsupported type", "Not an image format Assay can decode"}},
        {tooLarge, {"Too large", "More pixels than the decoding limit"}},
        {missingFile, {"Missing file", "Listed in the dataset, gone from disk"}},
        {unreadable, {"Unreadable", "The file cannot be read"}},
        {extensionMismatch, {"Extension mismatch", "The content is not what the name says"}},
        {blurry, {"Blurry", "Far less sharp than the dataset's typical image"}},
        {dark, {"Dark", "Even the brightest pixels are dim"}},
        {bright, {"Bright", "Even the darkest pixels are bright"}},
        {lowInformation, {"Low information", "Few distinct grey levels (low entropy)"}},
        {oddAspectRatio, {"Odd aspect ratio", "Much wider than tall, or taller than wide"}},
        {oddSize, {"Odd size", "Far from the dataset's typical size"}},
        {grayscale, {"Grayscale", "Grayscale in a colour dataset"}},
    };
    return texts;
}
} // namespace

QString issueKindTitle(const QString &kind)
{
    const auto found = kindTexts().find(kind);
    return found == kindTexts().end() ? kind : QCoreApplication::translate(
                                                   "assay::ui::QualityPanel", found->second.title);
}

QString issueKindExplanation(const QString &kind)
{
    const auto found = kindTexts().find(kind);
    return found == kindTexts().end()
               ? QString()
               : QCoreApplication::translate("assay::ui::QualityPanel", found->second.explanation);
}

QualityPanel::QualityPanel(QWidget *parent)
    : QWidget(parent), m_status(new QLabel(this)), m_table(new QTableWidget(0, 2, this)),
      m_histogram(new MetricHistogram(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_histogram);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    layout->addWidget(split);
    // Only the user's choice of metric loads its values (setSeries changes the combo too).
    connect(m_histogram->metricCombo(), &QComboBox::activated, this,
            [this] { QTimer::singleShot(0, this, &QualityPanel::fillHistogram); });
    connect(m_histogram, &MetricHistogram::rangeChosen, this, &QualityPanel::rangeChosen);
    m_table->setObjectName(QStringLiteral("qualityTable"));
    m_table->setHorizontalHeaderLabels({tr("Issue"), tr("Samples")});
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    connect(m_table, &QTableWidget::cellClicked, this, [this](int row, int) {
        emit issueKindChosen(m_table->item(row, 0)->data(Qt::UserRole).toString());
    });
    setCounts({}, 0, 0);
}

void QualityPanel::setIndex(std::shared_ptr<const store::SampleIndex> index)
{
    m_index = std::move(index);
    fillHistogram();
}

void QualityPanel::fillHistogram()
{
    if (!m_index) {
        m_histogram->setSeries({});
        return;
    }
    const analysis::QualityThresholds t;
    const QString chosen = m_histogram->currentKey().isEmpty() ? QStringLiteral("luma_p99")
                                                               : m_histogram->currentKey();
    if (chosen == m_filledKey && m_filledFor == m_index.get())
        return; // already showing this metric of this index
    std::vector<MetricSeries> series;
    for (const auto &column : m_index->numeric) {
        MetricSeries one{column.key, column.title, {}, column.logScale, {}, {}};
        if (column.key == chosen) {
            one.values.assign(column.values.begin(), column.values.end());
            if (column.key == u"luma_p99")
                one.thresholds = {t.darkLumaP99};
            else if (column.key == u"luma_p5")
                one.thresholds = {t.brightLumaP5};
            else if (column.key == u"entropy")
                one.thresholds = {t.lowInformationBits};
            else if (column.key == u"aspect")
                one.thresholds = {1.0 / t.oddAspect, t.oddAspect};
        }
        series.push_back(std::move(one));
    }
    m_filledFor = m_index.get();
    m_filledKey = chosen;
    ++m_fills;
    m_histogram->setSeries(series);
    m_histogram->setCurrentKey(chosen);
}

void QualityPanel::setCounts(const QMap<QString, qint64> &counts, qint64 scanned, qint64 samples)
{
    const QLocale locale;
    qint64 total = 0;
    for (qint64 n : counts)
        total += n;
    if (samples == 0)
        m_status->setText(tr("No samples."));
    else if (scanned < samples)
        m_status->setText(tr("%1 of %2 samples scanned; %3 issues so far.")
                              .arg(locale.toString(scanned), locale.toString(samples),
                                   locale.toString(total)));
    else
        m_status->setText(tr("All %1 samples scanned: %2 issues. Click a kind to show its "
                             "samples.")
                              .arg(locale.toString(samples), locale.toString(total)));
    m_table->setRowCount(0);
    for (const QString &kind : analysis::qualityIssueKinds()) {
        const qint64 n = counts.value(kind);
        if (n == 0)
            continue;
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        auto *name = new QTableWidgetItem(issueKindTitle(kind));
        name->setData(Qt::UserRole, kind);
        name->setToolTip(issueKindExplanation(kind));
        auto *count = new QTableWidgetItem(locale.toString(n));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        count->setToolTip(tr("Show these %1 samples").arg(locale.toString(n)));
        m_table->setItem(row, 0, name);
        m_table->setItem(row, 1, count);
    }
}

} // namespace assay::ui
