#include "comparewindow.h"

#include "inspector/imageviewer.h"
#include "inspector/viewerimage.h"

#include <QComboBox>
#include <QFutureWatcher>
#include <QGraphicsPixmapItem>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollBar>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace assay::ui {

namespace {

enum Row { PathRow, SplitRow, LabelRow, SizeRow, FormatRow, FileSizeRow, DistanceRow, RowCount };

QString rowTitle(int row)
{
    switch (row) {
    case PathRow: return CompareWindow::tr("Path");
    case SplitRow: return CompareWindow::tr("Split");
    case LabelRow: return CompareWindow::tr("Label");
    case SizeRow: return CompareWindow::tr("Size");
    case FormatRow: return CompareWindow::tr("Format");
    case FileSizeRow: return CompareWindow::tr("File size");
    case DistanceRow: return CompareWindow::tr("Bits from representative");
    }
    return {};
}

QString value(const analysis::StoredDuplicateMember &m, int row)
{
    switch (row) {
    case PathRow: return m.path;
    case SplitRow: return m.split.isEmpty() ? CompareWindow::tr("(none)") : m.split;
    case LabelRow: return m.label.isEmpty() ? CompareWindow::tr("(none)") : m.label;
    case SizeRow:
        return m.width > 0 ? QStringLiteral("%1 × %2").arg(m.width).arg(m.height)
                           : CompareWindow::tr("(not scanned)");
    case FormatRow: return m.format.isEmpty() ? CompareWindow::tr("(not scanned)") : m.format;
    case FileSizeRow: return QLocale().formattedDataSize(m.fileSize);
    case DistanceRow:
        return m.representative ? CompareWindow::tr("0 (representative)")
                                : QString::number(m.distance);
    }
    return {};
}

} // namespace

CompareWindow::CompareWindow(analysis::StoredDuplicateCluster cluster, QString datasetRoot,
                             QWidget *parent)
    : QDialog(parent), m_cluster(std::move(cluster)), m_root(std::move(datasetRoot)),
      m_table(new QTableWidget(RowCount, 2, this))
{
    setWindowTitle(tr("Compare duplicates — %n sample(s)", nullptr,
                      int(m_cluster.members.size())));
    setAttribute(Qt::WA_DeleteOnClose);
    resize(1100, 760);
    auto *layout = new QVBoxLayout(this);
    auto *images = new QGridLayout;
    for (int side = 0; side < 2; ++side) {
        m_latest[side] = std::make_shared<std::atomic<int>>(0);
        m_pickers[side] = new QComboBox(this);
        m_pickers[side]->setObjectName(side == 0 ? QStringLiteral("leftMember")
                                                 : QStringLiteral("rightMember"));
        for (const auto &member : m_cluster.members)
            m_pickers[side]->addItem(member.path);
        m_viewers[side] = new ImageViewer(this);
        m_viewers[side]->setMinimumSize(320, 320);
        images->addWidget(m_pickers[side], 0, side);
        images->addWidget(m_viewers[side], 1, side);
    }
    images->setRowStretch(1, 1);
    layout->addLayout(images, 1);

    m_table->setObjectName(QStringLiteral("differences"));
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->hide();
    QStringList titles;
    for (int row = 0; row < RowCount; ++row)
        titles << rowTitle(row);
    m_table->setVerticalHeaderLabels(titles);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setFixedHeight(m_table->verticalHeader()->defaultSectionSize() * RowCount + 6);
    layout->addWidget(m_table);
    auto *hint = new QLabel(tr("Wheel or +/− zooms both images; drag pans both. Differences "
                               "between the two are in bold."),
                            this);
    hint->setEnabled(false);
    layout->addWidget(hint);

    for (int side = 0; side < 2; ++side) {
        connect(m_pickers[side], &QComboBox::currentIndexChanged, this, [this, side] {
            load(side);
            fillDifferences();
        });
        connect(m_viewers[side], &ImageViewer::zoomChanged, this, [this, side] { follow(side); });
        for (QScrollBar *bar : {m_viewers[side]->horizontalScrollBar(),
                                m_viewers[side]->verticalScrollBar()})
            connect(bar, &QScrollBar::valueChanged, this, [this, side] { follow(side); });
    }
    // The representative on the left, the closest other member on the right.
    m_pickers[0]->setCurrentIndex(0);
    m_pickers[1]->setCurrentIndex(m_cluster.members.size() > 1 ? 1 : 0);
    load(0);
    load(1);
    fillDifferences();
}

void CompareWindow::load(int side)
{
    const int index = m_pickers[side]->currentIndex();
    if (index < 0 || size_t(index) >= m_cluster.members.size())
        return;
    const analysis::StoredDuplicateMember &member = m_cluster.members[size_t(index)];
    const int generation = ++*m_latest[side];
    m_viewers[side]->showPlaceholder(tr("Loading…"));
    auto *watcher = new QFutureWatcher<ViewerImage>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, side, generation] {
        watcher->deleteLater();
        if (generation != m_latest[side]->load())
            return; // another member was chosen meanwhile
        const ViewerImage result = watcher->result();
        if (result.image.isNull()) {
            m_viewers[side]->showPlaceholder(result.error);
            return;
        }
        m_viewers[side]->setImage(result.image);
        follow(1 - side); // line up with the image already there
    });
    watcher->setFuture(loadViewerImage(m_root, member.relativePath, member.member,
                                       m_latest[side], generation));
}

void CompareWindow::fillDifferences()
{
    const int left = m_pickers[0]->currentIndex(), right = m_pickers[1]->currentIndex();
    if (left < 0 || right < 0)
        return;
    const auto &a = m_cluster.members[size_t(left)];
    const auto &b = m_cluster.members[size_t(right)];
    for (int row = 0; row < RowCount; ++row) {
        const QString va = value(a, row), vb = value(b, row);
        // Paths always differ and distances are relative: only the others are "differences".
        const bool differs = va != vb && row != PathRow && row != DistanceRow;
        for (int side = 0; side < 2; ++side) {
            auto *item = new QTableWidgetItem(side == 0 ? va : vb);
            QFont font = item->font();
            font.setBold(differs);
            item->setFont(font);
            if (differs)
                item->setForeground(QColor(0xb0, 0x30, 0x20));
            item->setData(Qt::UserRole, differs);
            item->setToolTip(item->text());
            m_table->setItem(row, side, item);
        }
    }
}

QStringList CompareWindow::differingRows() const
{
    QStringList rows;
    for (int row = 0; row < RowCount; ++row) {
        if (m_table->item(row, 0) && m_table->item(row, 0)->data(Qt::UserRole).toBool())
            rows << rowTitle(row);
    }
    return rows;
}

void CompareWindow::follow(int side)
{
    ImageViewer *from = m_viewers[side];
    ImageViewer *to = m_viewers[1 - side];
    if (m_following || !from->hasImage() || !to->hasImage())
        return;
    m_following = true;
    // In proportion to each image's width: a copy resized by 15 % shows the same part.
    const QRectF a = from->imageRect(), b = to->imageRect();
    const double scale = from->zoom() * a.width() / std::max(1.0, b.width());
    const QPointF centre = from->mapToScene(from->viewport()->rect().center());
    const QPointF relative((centre.x() - a.left()) / std::max(1.0, a.width()),
                           (centre.y() - a.top()) / std::max(1.0, a.height()));
    to->setTransform(QTransform::fromScale(scale, scale));
    to->centerOn(b.left() + relative.x() * b.width(), b.top() + relative.y() * b.height());
    m_following = false;
}

} // namespace assay::ui
