#include "thumbnaildelegate.h"

#include "samplegridmodel.h"

#include "common/classcolors.h"

#include <QApplication>
#include <QPainter>

namespace assay::ui {

namespace {
constexpr int margin = 4;
constexpr int captionHeight = 18;

} // namespace

ThumbnailDelegate::ThumbnailDelegate(QObject *parent) : QStyledItemDelegate(parent) {}

void ThumbnailDelegate::setThumbnailSize(int pixels)
{
    m_size = pixels;
}

QSize ThumbnailDelegate::sizeHint(const QStyleOptionViewItem &, const QModelIndex &) const
{
    return QSize(m_size + 2 * margin, m_size + 2 * margin + captionHeight);
}

void ThumbnailDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const
{
    painter->save();
    const QRect cell = option.rect;
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette &palette = option.palette;
    if (selected)
        painter->fillRect(cell.adjusted(1, 1, -1, -1), palette.highlight());

    const QRect frame(cell.left() + margin, cell.top() + margin, m_size, m_size);
    const QImage image = index.data(SampleGridModel::ThumbnailRole).value<QImage>();
    if (image.isNull()) {
        painter->fillRect(frame, palette.color(QPalette::Midlight));
    } else {
        painter->fillRect(frame, QColor(32, 32, 32));
        const QSize scaled = image.size().scaled(frame.size(), Qt::KeepAspectRatio);
        const QRect target(frame.left() + (frame.width() - scaled.width()) / 2,
                           frame.top() + (frame.height() - scaled.height()) / 2, scaled.width(),
                           scaled.height());
        painter->setRenderHint(QPainter::SmoothPixmapTransform, image.width() > scaled.width());
        painter->drawImage(target, image);
    }
    if (index.data(SampleGridModel::HasIssueRole).toBool()) {
        QPolygon corner;
        corner << frame.topRight() << QPoint(frame.right() - 14, frame.top())
               << QPoint(frame.right(), frame.top() + 14);
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(210, 40, 40));
        painter->drawPolygon(corner);
    }

    if (index.data(SampleGridModel::EditedRole).toBool()) {
        // A pencil badge in the lower left corner: a person changed this sample.
        const QRect badge(frame.left() + 2, frame.bottom() - 15, 14, 14);
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(QPen(Qt::white, 1));
        painter->setBrush(QColor(40, 110, 220));
        painter->drawEllipse(badge);
        QFont small = option.font;
        small.setPixelSize(10);
        painter->setFont(small);
        painter->drawText(badge, Qt::AlignCenter, QStringLiteral("\u270e"));
        painter->setFont(option.font);
    }

    const QString label = index.data(Qt::DisplayRole).toString();
    const QRect caption(cell.left() + margin, frame.bottom() + 2, m_size, captionHeight - 2);
    painter->setPen(Qt::NoPen);
    painter->setBrush(classColor(index.data(SampleGridModel::ClassRole).toString()));
    painter->drawEllipse(QRect(caption.left(), caption.center().y() - 4, 8, 8));
    painter->setPen(selected ? palette.color(QPalette::HighlightedText)
                             : palette.color(QPalette::Text));
    const QRect text = caption.adjusted(12, 0, 0, 0);
    painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter,
                      option.fontMetrics.elidedText(label, Qt::ElideRight, text.width()));
    painter->restore();
}

} // namespace assay::ui
