#pragma once

#include <QStyledItemDelegate>

namespace assay::ui {

// Draws a grid cell: the thumbnail scaled into a square (a placeholder until it loads), the class
// name below it, a red corner mark on samples with a quality issue and a pencil badge on samples
// a person edited.
class ThumbnailDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit ThumbnailDelegate(QObject *parent = nullptr);

    void setThumbnailSize(int pixels);
    int thumbnailSize() const { return m_size; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_size = 96;
};

} // namespace assay::ui
