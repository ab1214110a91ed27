#include "duplicatespanel.h"

#include "comparewindow.h"
#include "duplicateclustermodel.h"
#include "duplicateresolutions.h"

#include "browser/thumbnailprovider.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QStackedWidget>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace assay::ui {

namespace {

constexpr int stripThumb = 40; // px, the thumbnails of a cluster's row

// Column Samples: the first members' thumbnails side by side, then the count.
class StripDelegate : public QStyledItemDelegate
{
public:
    StripDelegate(DuplicateClusterModel *model, QObject *parent)
        : QStyledItemDelegate(parent), m_model(model)
    {
    }
    void setThumbnails(ThumbnailProvider *thumbnails) { m_thumbnails = thumbnails; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyleOptionViewItem plain = option;
        initStyleOption(&plain, index);
        plain.text.clear();
        QStyle *style = plain.widget ? plain.widget->style() : nullptr;
        if (style)
            style->drawControl(QStyle::CE_ItemViewItem, &plain, painter, plain.widget);
        const analysis::StoredDuplicateCluster *cluster = m_model->cluster(index.row());
        if (!cluster)
            return;
        const QString count = QStringLiteral("×%1").arg(cluster->members.size());
        const int countWidth = option.fontMetrics.horizontalAdvance(count) + 8;
        QRect area = option.rect.adjusted(3, 3, -countWidth, -3);
        const int side = std::min(stripThumb, area.height());
        int x = area.left();
        painter->save();
        painter->setRenderHint(QPainter::SmoothPixmapTransform);
        for (const auto &member : cluster->members) {
            if (x + side > area.right())
                break;
            const QRect cell(x, area.top() + (area.height() - side) / 2, side, side);
            const QImage image = m_thumbnails ? m_thumbnails->thumbnail(member.sampleId,
                                                                        member.relativePath,
                                                                        member.member)
                                              : QImage();
            painter->fillRect(cell, option.palette.color(QPalette::Mid));
            if (!image.isNull()) {
                const QSize fitted = image.size().scaled(cell.size(), Qt::KeepAspectRatio);
                const QRect target(cell.center() - QPoint(fitted.width() / 2, fitted.height() / 2),
                                   fitted);
                painter->drawImage(target, image);
            }
            if (member.representative) {
                painter->setPen(QPen(option.palette.color(QPalette::Highlight), 2));
                painter->drawRect(cell.adjusted(1, 1, -1, -1));
            }
            x += side + 3;
        }
        painter->setPen(option.state & QStyle::State_Selected
                            ? option.palette.color(QPalette::HighlightedText)
                            : option.palette.color(QPalette::Text));
        painter->drawText(option.rect.adjusted(0, 0, -4, 0), Qt::AlignRight | Qt::AlignVCenter,
                          count);
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        Q_UNUSED(index)
        return {5 * (stripThumb + 3) + option.fontMetrics.horizontalAdvance(QStringLiteral("×0000")) + 12,
                stripThumb + 6};
    }

private:
    DuplicateClusterModel *m_model;
    ThumbnailProvider *m_thumbnails = nullptr;
};

} // namespace

DuplicatesPanel::DuplicatesPanel(QWidget *parent)
    : QWidget(parent), m_model(new DuplicateClusterModel(this)), m_pages(new QStackedWidget(this)),
      m_empty(new QLabel(this)), m_summary(new QLabel(this)), m_show(new QComboBox(this)),
      m_order(new QComboBox(this)), m_threshold(new QSlider(Qt::Horizontal, this)),
      m_thresholdText(new QLabel(this)), m_thresholdDelay(new QTimer(this)),
      m_view(new QTableView(this)), m_compare(new QPushButton(tr("Compare…"), this)),
      m_showInGrid(new QPushButton(tr("Show in grid"), this)),
      m_resolve(new QToolButton(this)), m_resolveMenu(new QMenu(this)), m_choose(new QTimer(this))
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 6, 6, 6);
    outer->addWidget(m_pages);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setObjectName(QStringLiteral("duplicatesEmpty"));
    m_pages->addWidget(m_empty);

    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    m_summary->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("duplicatesSummary"));
    layout->addWidget(m_summary);

    auto *choices = new QHBoxLayout;
    m_show->addItem(tr("All clusters"), int(DuplicateClusterModel::Show::All));
    m_show->addItem(tr("Exact copies"), int(DuplicateClusterModel::Show::Exact));
    m_show->addItem(tr("Near copies"), int(DuplicateClusterModel::Show::Near));
    m_show->addItem(tr("Leaking across splits"), int(DuplicateClusterModel::Show::Leakage));
    m_show->addItem(tr("Label conflicts"), int(DuplicateClusterModel::Show::Conflict));
    m_show->setToolTip(tr("Which clusters to list"));
    m_order->addItem(tr("Largest first"), int(DuplicateClusterModel::Order::Largest));
    m_order->addItem(tr("Closest first"), int(DuplicateClusterModel::Order::Closest));
    m_order->addItem(tr("Farthest first"), int(DuplicateClusterModel::Order::Farthest));
    m_order->setToolTip(tr("Order by size, or by the largest pHash distance in the cluster"));
    choices->addWidget(m_show, 1);
    choices->addWidget(m_order, 1);
    layout->addLayout(choices);

    auto *thresholdRow = new QHBoxLayout;
    auto *thresholdTitle = new QLabel(tr("Near within"), this);
    m_threshold->setObjectName(QStringLiteral("duplicateThreshold"));
    m_threshold->setPageStep(1);
    m_threshold->setTickPosition(QSlider::TicksBelow);
    m_threshold->setToolTip(tr("How many of the 64 pHash bits two images may differ in and "
                               "still count as near copies: lower is stricter"));
    m_thresholdText->setMinimumWidth(m_thresholdText->fontMetrics().horizontalAdvance(
                                         tr("%1 bits").arg(16)) + 4);
    thresholdRow->addWidget(thresholdTitle);
    thresholdRow->addWidget(m_threshold, 1);
    thresholdRow->addWidget(m_thresholdText);
    layout->addLayout(thresholdRow);

    m_view->setModel(m_model);
    m_view->setObjectName(QStringLiteral("duplicateClusters"));
    auto *strip = new StripDelegate(m_model, this);
    m_view->setItemDelegateForColumn(DuplicateClusterModel::Samples, strip);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(stripThumb + 8);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(DuplicateClusterModel::Samples,
                                                     QHeaderView::Stretch);
    m_view->setToolTip(tr("Click a cluster to show its samples in the grid; double-click (or "
                          "Compare) to see them side by side"));
    layout->addWidget(m_view, 1);

    auto *buttons = new QHBoxLayout;
    m_resolve->setText(tr("Resolve"));
    m_resolve->setObjectName(QStringLiteral("resolveButton"));
    m_resolve->setToolTip(tr("Keep one and exclude the rest, move all to one split, or apply "
                             "the majority label — each an edit you can undo"));
    m_resolve->setPopupMode(QToolButton::InstantPopup);
    m_resolve->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_resolve->setMenu(m_resolveMenu);
    m_resolve->setEnabled(false);
    connect(m_resolveMenu, &QMenu::aboutToShow, this, &DuplicatesPanel::resolveMenu);
    buttons->addWidget(m_resolve);
    buttons->addStretch(1);
    m_showInGrid->setToolTip(tr("Show this cluster's samples in the grid"));
    m_compare->setToolTip(tr("Open the cluster's images side by side (Enter)"));
    buttons->addWidget(m_showInGrid);
    buttons->addWidget(m_compare);
    layout->addLayout(buttons);
    m_pages->addWidget(page);

    connect(m_show, &QComboBox::currentIndexChanged, this, [this] {
        m_model->setShow(DuplicateClusterModel::Show(m_show->currentData().toInt()));
    });
    connect(m_order, &QComboBox::currentIndexChanged, this, [this] {
        m_model->setOrder(DuplicateClusterModel::Order(m_order->currentData().toInt()));
    });
    // A click both moves the current row and clicks it: one request for the two.
    m_choose->setSingleShot(true);
    m_choose->setInterval(0);
    connect(m_choose, &QTimer::timeout, this, [this] { chooseCurrent(); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, m_choose,
            qOverload<>(&QTimer::start));
    connect(m_view, &QTableView::clicked, m_choose, qOverload<>(&QTimer::start));
    connect(m_view, &QTableView::doubleClicked, this, [this] { compareCurrent(); });
    connect(m_view, &QTableView::activated, this, [this] { compareCurrent(); });
    connect(m_compare, &QPushButton::clicked, this, [this] { compareCurrent(); });
    connect(m_showInGrid, &QPushButton::clicked, this, [this] { chooseCurrent(); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        const bool any = m_model->rowCount() > 0;
        m_compare->setEnabled(any);
        m_showInGrid->setEnabled(any);
        m_resolve->setEnabled(any && m_edits);
    });

    // Re-clustering waits until the slider rests: dragging across eight values asks once.
    m_thresholdDelay->setSingleShot(true);
    m_thresholdDelay->setInterval(250);
    connect(m_threshold, &QSlider::valueChanged, this, [this](int bits) {
        m_thresholdText->setText(tr("%n bit(s)", nullptr, bits));
        if (bits != m_appliedThreshold)
            m_thresholdDelay->start();
        else
            m_thresholdDelay->stop();
    });
    connect(m_thresholdDelay, &QTimer::timeout, this, [this] {
        if (m_threshold->value() != m_appliedThreshold)
            emit thresholdChosen(m_threshold->value());
    });

    setClusters({}, false, 0, 0);
}

void DuplicatesPanel::setEditActions(SampleEditActions *edits)
{
    m_edits = edits;
    m_resolve->setEnabled(m_edits && m_model->rowCount() > 0);
}

QMenu *DuplicatesPanel::resolveMenu()
{
    m_resolveMenu->clear();
    const analysis::StoredDuplicateCluster *cluster =
        m_view->currentIndex().isValid() ? m_model->cluster(m_view->currentIndex().row())
                                         : nullptr;
    if (cluster && m_edits)
        fillResolutionMenu(m_resolveMenu, *cluster, m_edits);
    else
        m_resolveMenu->addAction(tr("Choose a cluster first"))->setEnabled(false);
    return m_resolveMenu;
}

void DuplicatesPanel::setThumbnails(ThumbnailProvider *thumbnails)
{
    m_thumbnails = thumbnails;
    auto *strip = static_cast<StripDelegate *>(
        m_view->itemDelegateForColumn(DuplicateClusterModel::Samples));
    strip->setThumbnails(thumbnails);
    // A thumbnail that arrives repaints the strips (cheap: a few visible rows).
    connect(thumbnails, &ThumbnailProvider::ready, m_view->viewport(),
            qOverload<>(&QWidget::update));
}

void DuplicatesPanel::setClusters(std::vector<analysis::StoredDuplicateCluster> clusters,
                                  bool computed, int threshold, int maxThreshold)
{
    m_thresholdDelay->stop();
    m_appliedThreshold = threshold;
    {
        const QSignalBlocker blocker(m_threshold);
        m_threshold->setRange(0, std::max(threshold, maxThreshold));
        m_threshold->setValue(threshold);
    }
    m_thresholdText->setText(tr("%n bit(s)", nullptr, threshold));
    m_model->setClusters(std::move(clusters));
    if (!computed) {
        m_empty->setText(tr("<p><b>No duplicate analysis yet.</b></p><p>Scanning the dataset "
                            "finds exact copies, near copies, copies that leak across splits "
                            "and copies whose labels disagree.</p>"));
        m_pages->setCurrentIndex(0);
        return;
    }
    m_pages->setCurrentIndex(1);
    updateSummary();
    if (m_model->rowCount() > 0 && !m_view->currentIndex().isValid()) {
        const QSignalBlocker blocker(m_view->selectionModel());
        m_view->selectRow(0);
    }
}

void DuplicatesPanel::setBusy(bool busy)
{
    m_threshold->setEnabled(!busy);
    if (busy)
        m_summary->setText(tr("Re-clustering at %n bit(s)…", nullptr, m_threshold->value()));
    else
        updateSummary();
}

void DuplicatesPanel::updateSummary()
{
    const auto &clusters = m_model->clusters();
    qint64 samples = 0;
    int exact = 0, leaking = 0, conflicting = 0;
    for (const auto &cluster : clusters) {
        samples += qint64(cluster.members.size());
        exact += cluster.kind == analysis::DuplicateKind::Exact;
        leaking += cluster.leaks;
        conflicting += cluster.conflict;
    }
    const QLocale locale;
    if (clusters.empty()) {
        m_summary->setText(tr("<b>No duplicates</b> within %n bit(s).", nullptr,
                              m_appliedThreshold));
        return;
    }
    QString text = tr("<b>%1 clusters</b> of %2 samples: %3 exact, %4 near.")
                       .arg(locale.toString(qlonglong(clusters.size())),
                            locale.toString(samples), locale.toString(exact),
                            locale.toString(qlonglong(clusters.size()) - exact));
    const QString warn = QStringLiteral("<span style='color:#b03020'><b>%1</b></span>");
    if (leaking > 0)
        text += u' ' + warn.arg(tr("%n leak(s) across splits.", nullptr, leaking));
    if (conflicting > 0)
        text += u' ' + warn.arg(tr("%n with conflicting labels.", nullptr, conflicting));
    m_summary->setText(text);
}

void DuplicatesPanel::chooseCurrent()
{
    const analysis::StoredDuplicateCluster *cluster =
        m_model->cluster(m_view->currentIndex().row());
    if (!cluster)
        return;
    std::vector<std::int64_t> ids;
    ids.reserve(cluster->members.size());
    for (const auto &member : cluster->members)
        ids.push_back(member.sampleId);
    std::sort(ids.begin(), ids.end());
    const QString name = tr("copies of %1").arg(cluster->members.front().path);
    emit samplesChosen(ids, name);
}

QWidget *DuplicatesPanel::compareCurrent()
{
    const analysis::StoredDuplicateCluster *cluster =
        m_model->cluster(m_view->currentIndex().row());
    if (!cluster)
        return nullptr;
    auto *window = new CompareWindow(*cluster, m_root, this);
    window->show();
    return window;
}

} // namespace assay::ui
