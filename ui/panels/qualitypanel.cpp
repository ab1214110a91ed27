#include "qualitypanel.h"

#include "metrichistogram.h"

#include "analysis/annotationchecks.h"
#include "analysis/duplicatestore.h"
#include "analysis/quality.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
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
        {missingImage, {"Missing image", "The annotations name an image that is not on disk"}},
        {boxOutsideImage,
         {"Box outside the image", "A box or polygon reaches past the image's edges"}},
        {boxEmptyArea, {"Box without area", "A box of zero or negative width or height"}},
        {polygonTooFewPoints,
         {"Polygon with too few points", "A polygon with fewer than three distinct points"}},
        {polygonSelfIntersecting,
         {"Self-intersecting polygon", "A polygon's outline crosses itself"}},
        {rleSizeMismatch,
         {"Mask size mismatch", "An RLE mask whose size or runs do not match the image"}},
        {unknownCategory,
         {"Unknown category", "An object whose category is not in the category list"}},
        {classIdOutOfRange,
         {"Class id out of range",
          "A YOLO class id without a name (at least the number of names)"}},
        {duplicateBox, {"Duplicate box", "Two boxes of the same class with IoU of 0.95 or more"}},
        {conflictingBox,
         {"Conflicting boxes", "Two boxes of different classes with IoU of 0.95 or more"}},
        {noAnnotations, {"No annotations", "An image without objects (for YOLO: no label file)"}},
        {emptyLabelFile,
         {"Empty label file", "A YOLO label file without objects (a background image)"}},
        {duplicate, {"Has a duplicate", "An exact or near copy of another sample"}},
        {leakage,
         {"Leaks across splits", "A copy of it is in another split (e.g. a test image in train)"}},
        {labelConflict,
         {"Label conflict", "Its copies carry a different class (or different objects)"}},
    };
    return texts;
}
} // namespace

QString issueKindTitle(const QString &kind)
{
    const auto found = kindTexts().find(kind);
    return found == kindTexts().end()
               ? kind
               : QCoreApplication::translate("assay::ui::QualityPanel", found->second.title);
}

QString issueKindExplanation(const QString &kind)
{
    const auto found = kindTexts().find(kind);
    return found == kindTexts().end()
               ? QString()
               : QCoreApplication::translate("assay::ui::QualityPanel", found->second.explanation);
}

namespace {

void setUpTable(QTableWidget *table, const QString &name)
{
    table->setObjectName(name);
    table->setHorizontalHeaderLabels({QualityPanel::tr("Issue"), QualityPanel::tr("Samples")});
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    table->verticalHeader()->hide();
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setAlternatingRowColors(true);
    table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8); // compact
}

// Fills `table` with the kinds that have samples, in `kinds` order; returns the samples listed.
qint64 fillTable(QTableWidget *table, const QStringList &kinds, const QMap<QString, qint64> &counts,
                 const QMap<QString, qint64> &notInGrid)
{
    const QLocale locale;
    qint64 total = 0;
    table->setRowCount(0);
    for (const QString &kind : kinds) {
        const qint64 n = counts.value(kind);
        const qint64 hidden = notInGrid.value(kind);
        if (n + hidden == 0)
            continue;
        total += n + hidden;
        const int row = table->rowCount();
        table->insertRow(row);
        auto *name = new QTableWidgetItem(issueKindTitle(kind));
        name->setData(Qt::UserRole, kind);
        name->setToolTip(issueKindExplanation(kind));
        auto *count = new QTableWidgetItem(locale.toString(n + hidden));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (hidden == 0) {
            count->setToolTip(QualityPanel::tr("Show these %1 samples").arg(locale.toString(n)));
        } else {
            // The grid holds present samples only: a missing image cannot be shown there.
            const QString why = QualityPanel::tr("%1 of these images are missing from disk, so "
                                                 "the grid cannot show them; assay-cli report "
                                                 "lists them")
                                    .arg(locale.toString(hidden));
            count->setToolTip(why);
            name->setToolTip(issueKindExplanation(kind) + u'\n' + why);
            if (n == 0) {
                name->setData(Qt::UserRole + 1, true); // nothing to show
                for (QTableWidgetItem *item : {name, count})
                    item->setForeground(table->palette().color(QPalette::Disabled, QPalette::Text));
            }
        }
        table->setItem(row, 0, name);
        table->setItem(row, 1, count);
    }
    return total;
}

// A table as tall as its rows (up to a few, then it scrolls), so the histogram below gets the
// rest of the panel.
void fitRows(QTableWidget *table)
{
    constexpr int mostRows = 8;
    const int rows = std::clamp(table->rowCount(), 1, mostRows);
    const int height = table->horizontalHeader()->height() +
                       rows * table->verticalHeader()->defaultSectionSize() +
                       2 * table->frameWidth();
    table->setMaximumHeight(height);
    table->setMinimumHeight(std::min(height, table->horizontalHeader()->height() +
                                                 5 * table->verticalHeader()->defaultSectionSize() +
                                                 2 * table->frameWidth()));
}

} // namespace

QualityPanel::QualityPanel(QWidget *parent)
    : QWidget(parent), m_status(new QLabel(this)), m_table(new QTableWidget(0, 2, this)),
      m_annotationGroup(new QWidget(this)), m_annotationStatus(new QLabel(m_annotationGroup)),
      m_annotationTable(new QTableWidget(0, 2, m_annotationGroup)),
      m_histogram(new MetricHistogram(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    auto *annotationLayout = new QVBoxLayout(m_annotationGroup);
    annotationLayout->setContentsMargins(0, 4, 0, 0);
    m_annotationStatus->setWordWrap(true);
    annotationLayout->addWidget(m_annotationStatus);
    annotationLayout->addWidget(m_annotationTable);
    // The two lists as tall as their rows; the histogram takes the rest.
    auto *lists = new QWidget(this);
    auto *listsLayout = new QVBoxLayout(lists);
    listsLayout->setContentsMargins(0, 0, 0, 0);
    listsLayout->addWidget(m_table);
    listsLayout->addWidget(m_annotationGroup);
    listsLayout->addStretch(1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(lists);
    split->addWidget(m_histogram);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    layout->addWidget(split);
    // Only the user's choice of metric loads its values (setSeries changes the combo too).
    connect(m_histogram->metricCombo(), &QComboBox::activated, this,
            [this] { QTimer::singleShot(0, this, &QualityPanel::fillHistogram); });
    connect(m_histogram, &MetricHistogram::rangeChosen, this, &QualityPanel::rangeChosen);
    setUpTable(m_table, QStringLiteral("qualityTable"));
    setUpTable(m_annotationTable, QStringLiteral("annotationTable"));
    for (QTableWidget *table : {m_table, m_annotationTable}) {
        connect(table, &QTableWidget::cellClicked, this, [this, table](int row, int) {
            const QTableWidgetItem *name = table->item(row, 0);
            if (!name->data(Qt::UserRole + 1).toBool())
                emit issueKindChosen(name->data(Qt::UserRole).toString());
        });
    }
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

void QualityPanel::setCounts(const QMap<QString, qint64> &counts, qint64 scanned, qint64 samples,
                             const QMap<QString, qint64> &notInGrid)
{
    const QLocale locale;
    const qint64 total = fillTable(m_table, analysis::qualityIssueKinds(), counts, {});
    fitRows(m_table);
    m_table->setVisible(m_table->rowCount() > 0); // the line above says "0 issues"
    if (samples == 0)
        m_status->setText(tr("No samples."));
    else if (scanned < samples)
        m_status->setText(
            tr("%1 of %2 samples scanned; %3 issues so far.")
                .arg(locale.toString(scanned), locale.toString(samples), locale.toString(total)));
    else
        m_status->setText(tr("All %1 samples scanned: %2 issues. Click a kind to show its "
                             "samples.")
                              .arg(locale.toString(samples), locale.toString(total)));
    // Annotation checks run at import, so they do not wait for the scan.
    const qint64 flagged =
        fillTable(m_annotationTable, analysis::annotationIssueKinds(), counts, notInGrid);
    fitRows(m_annotationTable);
    m_annotationStatus->setText(tr("<b>Annotations</b>: %1 issues").arg(locale.toString(flagged)));
    m_annotationGroup->setVisible(flagged > 0);
}

} // namespace assay::ui
