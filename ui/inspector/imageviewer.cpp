#include "imageviewer.h"

#include "common/classcolors.h"

#include <QFontMetricsF>
#include <QGraphicsPixmapItem>
#include <QGraphicsPolygonItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace assay::ui {

namespace {

constexpr int hoverKey = 0;    // QGraphicsItem::data key: the text shown when hovering
constexpr int ringKey = 1;     // data key: a polygon item's ring index
constexpr double crispAbove = 2.0; // nearest-neighbour sampling beyond this zoom
constexpr int fitMargin = 8;   // pixels around a fitted image

// The class name at an object's top-left corner, the same size at every zoom.
class ClassLabel : public QGraphicsItem
{
public:
    ClassLabel(const QString &text, const QColor &color) : m_text(text), m_color(color)
    {
        setFlag(ItemIgnoresTransformations);
        m_font.setBold(true);
        m_font.setPointSizeF(std::max(7.0, m_font.pointSizeF() * 0.85));
        const QFontMetricsF metrics(m_font);
        m_rect = QRectF(0, 0, metrics.horizontalAdvance(m_text) + 8, metrics.height() + 2);
    }

    QRectF boundingRect() const override { return m_rect; }

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        painter->setPen(Qt::NoPen);
        painter->setBrush(m_color);
        painter->drawRect(m_rect);
        const bool light = qGray(m_color.rgb()) > 150;
        painter->setPen(light ? Qt::black : Qt::white);
        painter->setFont(m_font);
        painter->drawText(m_rect, Qt::AlignCenter, m_text);
    }

private:
    QString m_text;
    QColor m_color;
    QFont m_font;
    QRectF m_rect;
};

QRectF ringBounds(const std::vector<std::vector<float>> &rings)
{
    QRectF bounds;
    for (const auto &ring : rings)
        for (size_t i = 0; i + 1 < ring.size(); i += 2)
            bounds = bounds.united(QRectF(double(ring[i]), double(ring[i + 1]), 0.001, 0.001));
    return bounds;
}

} // namespace

QImage maskToImage(const RleMask &mask, const QColor &color)
{
    if (mask.width <= 0 || mask.height <= 0)
        return {};
    QImage image(mask.width, mask.height, QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    const QRgb value = color.rgba();
    const qint64 total = qint64(mask.width) * mask.height;
    qint64 index = 0;
    bool ones = false; // COCO runs start with 0s
    for (const std::uint32_t count : mask.counts) {
        const qint64 end = std::min(total, index + qint64(count));
        if (ones) {
            for (qint64 i = index; i < end; ++i) { // column-major: i = x * height + y
                const int x = int(i / mask.height);
                const int y = int(i % mask.height);
                reinterpret_cast<QRgb *>(image.scanLine(y))[x] = value;
            }
        }
        index = end;
        ones = !ones;
        if (index >= total)
            break;
    }
    return image;
}

ImageViewer::ImageViewer(QWidget *parent) : QGraphicsView(parent)
{
    setScene(new QGraphicsScene(this));
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::NoAnchor);
    setResizeAnchor(QGraphicsView::NoAnchor);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFrameShape(QFrame::NoFrame);
    setBackgroundBrush(QColor(0x2a, 0x2a, 0x2e));
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true); // hovering names the overlay under the cursor
    setRenderHint(QPainter::Antialiasing);
    setViewportUpdateMode(QGraphicsView::FullViewportUpdate); // the placeholder is centred
}

void ImageViewer::setImage(const QImage &image, QSize logicalSize)
{
    if (image.isNull()) {
        showPlaceholder(tr("No image"));
        return;
    }
    clearScene();
    m_placeholder.clear();
    m_logicalSize = logicalSize.isValid() && !logicalSize.isEmpty() ? logicalSize : image.size();
    m_image = scene()->addPixmap(QPixmap::fromImage(image));
    m_image->setZValue(0);
    m_image->setShapeMode(QGraphicsPixmapItem::BoundingRectShape);
    stretchImage(image.size());
    setSceneRect(imageRect());
    fitToWindow();
}

bool ImageViewer::replacePixels(const QImage &image)
{
    if (!m_image || image.isNull())
        return false;
    m_image->setPixmap(QPixmap::fromImage(image));
    stretchImage(image.size());
    updateSampling();
    return true;
}

// Scales the pixmap item so its pixels cover the logical rectangle exactly (each axis on its
// own: a thumbnail's sides are rounded separately).
void ImageViewer::stretchImage(QSize pixels)
{
    if (pixels == m_logicalSize) {
        m_image->setTransform(QTransform());
        return;
    }
    m_image->setTransform(QTransform::fromScale(double(m_logicalSize.width()) / pixels.width(),
                                                double(m_logicalSize.height()) / pixels.height()));
}

void ImageViewer::showPlaceholder(const QString &text)
{
    clearScene();
    m_placeholder = text;
    setSceneRect(QRectF(0, 0, 1, 1));
    resetTransform();
    viewport()->update();
}

void ImageViewer::clearScene()
{
    clearOverlays();
    if (m_image) {
        scene()->removeItem(m_image);
        delete m_image;
        m_image = nullptr;
        m_logicalSize = QSize();
    }
    emit annotationsReplaced();
}

void ImageViewer::clearOverlays()
{
    for (const Overlay &overlay : m_overlays) {
        scene()->removeItem(overlay.item);
        delete overlay.item;
    }
    m_overlays.clear();
    m_annotations.clear();
    setHoverText(QString());
}

QRectF ImageViewer::imageRect() const
{
    return m_image ? QRectF(QPointF(0, 0), QSizeF(m_logicalSize)) : QRectF();
}

QSize ImageViewer::pixelSize() const
{
    return m_image ? m_image->pixmap().size() : QSize();
}

const Annotation *ImageViewer::annotation(std::int64_t id) const
{
    for (const Annotation &annotation : m_annotations)
        if (annotation.id == id)
            return &annotation;
    return nullptr;
}

void ImageViewer::setAnnotations(std::vector<Annotation> annotations)
{
    clearOverlays();
    m_annotations = std::move(annotations);
    const std::vector<Annotation> &shown = m_annotations;
    // Larger objects below smaller ones, so every object stays reachable by the mouse.
    std::vector<size_t> order(shown.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return shown[a].w * shown[a].h > shown[b].w * shown[b].h;
    });
    for (size_t i = 0; i < order.size(); ++i)
        addOverlay(shown[order[i]], int(i));
    updateSampling();
    emit annotationsReplaced();
}

void ImageViewer::addOverlay(const Annotation &annotation, int order)
{
    const QString &className = annotation.category;
    const QColor color = classColor(className);
    QPen pen(color, 2);
    pen.setCosmetic(true);
    if (annotation.crowd)
        pen.setStyle(Qt::DashLine);
    QColor fill = color;
    QRectF box(annotation.x, annotation.y, annotation.w, annotation.h);
    if (annotation.kind == AnnotationKind::Polygon && box.isEmpty())
        box = ringBounds(annotation.polygons);

    const QString name = className.isEmpty() ? tr("(no class)") : className;
    const QString hover = tr("%1 — %2 × %3 px%4")
                              .arg(name, QString::number(qRound(box.width())),
                                   QString::number(qRound(box.height())),
                                   annotation.crowd ? tr(" (crowd)") : QString());
    const auto add = [&](QGraphicsItem *item, double z) {
        item->setZValue(z);
        track(annotation, item, hover);
    };

    switch (annotation.kind) {
    case AnnotationKind::Box: {
        fill.setAlphaF(0.12f);
        add(scene()->addRect(box, pen, fill), 1 + order);
        break;
    }
    case AnnotationKind::Polygon:
        fill.setAlphaF(0.25f);
        for (size_t r = 0; r < annotation.polygons.size(); ++r) {
            const auto &ring = annotation.polygons[r];
            if (ring.size() < 6)
                continue; // fewer than three points
            QPolygonF polygon;
            for (size_t i = 0; i + 1 < ring.size(); i += 2)
                polygon << QPointF(double(ring[i]), double(ring[i + 1]));
            QGraphicsItem *item = scene()->addPolygon(polygon, pen, fill);
            item->setData(ringKey, int(r));
            add(item, 1 + order);
        }
        break;
    case AnnotationKind::Mask: {
        fill.setAlphaF(0.4f);
        const QImage mask = maskToImage(annotation.mask, fill);
        if (mask.isNull())
            break;
        // Only the object's box: hovering tests a rectangle, not a shape traced from the alpha.
        QRect crop = box.toAlignedRect().intersected(mask.rect());
        if (crop.isEmpty())
            crop = mask.rect();
        auto *item = scene()->addPixmap(QPixmap::fromImage(mask.copy(crop)));
        item->setPos(crop.topLeft());
        item->setShapeMode(QGraphicsPixmapItem::BoundingRectShape);
        add(item, 1 + order);
        break;
    }
    }
    auto *label = new ClassLabel(name, color);
    label->setPos(box.topLeft());
    scene()->addItem(label);
    add(label, 100000 + order); // labels above every shape
}

void ImageViewer::track(const Annotation &annotation, QGraphicsItem *item,
                        const QString &hoverText)
{
    item->setData(hoverKey, hoverText);
    item->setToolTip(hoverText);
    item->setVisible(!m_hidden.contains(annotation.category));
    m_overlays.push_back({annotation.category, item, annotation.id});
}

QList<QGraphicsItem *> ImageViewer::overlayItemsOf(std::int64_t annotationId) const
{
    QList<QGraphicsItem *> items;
    for (const Overlay &overlay : m_overlays)
        if (overlay.annotationId == annotationId)
            items.append(overlay.item);
    return items;
}

void ImageViewer::previewBox(std::int64_t annotationId, const QRectF &box)
{
    for (QGraphicsItem *item : overlayItemsOf(annotationId)) {
        if (auto *rect = qgraphicsitem_cast<QGraphicsRectItem *>(item))
            rect->setRect(box);
        else if (item->flags() & QGraphicsItem::ItemIgnoresTransformations)
            item->setPos(box.topLeft()); // the class label
    }
}

void ImageViewer::previewRing(std::int64_t annotationId, int ring, const QPolygonF &points)
{
    for (QGraphicsItem *item : overlayItemsOf(annotationId)) {
        auto *polygon = qgraphicsitem_cast<QGraphicsPolygonItem *>(item);
        if (polygon && polygon->data(ringKey).toInt() == ring)
            polygon->setPolygon(points);
    }
}

QList<QGraphicsItem *> ImageViewer::overlayItems(const QString &className) const
{
    QList<QGraphicsItem *> items;
    for (const Overlay &overlay : m_overlays)
        if (overlay.className == className)
            items.append(overlay.item);
    return items;
}

void ImageViewer::setClassVisible(const QString &className, bool visible)
{
    if (visible)
        m_hidden.remove(className);
    else
        m_hidden.insert(className);
    for (const Overlay &overlay : m_overlays)
        if (overlay.className == className)
            overlay.item->setVisible(visible);
}

void ImageViewer::fitToWindow()
{
    m_fitted = true;
    if (!m_image)
        return;
    const QRectF bounds = imageRect();
    const double width = std::max(1, viewport()->width() - 2 * fitMargin);
    const double height = std::max(1, viewport()->height() - 2 * fitMargin);
    const double scale = std::clamp(std::min(width / std::max(1.0, bounds.width()),
                                             height / std::max(1.0, bounds.height())),
                                    minZoom, maxZoom);
    setTransform(QTransform::fromScale(scale, scale));
    centerOn(bounds.center());
    updateSampling();
    emit zoomChanged(scale);
}

void ImageViewer::zoomAroundCentre(double factor)
{
    const QPoint centre = viewport()->rect().center();
    zoomTo(zoom() * factor, mapToScene(centre), centre);
}

void ImageViewer::zoomTo(double newZoom, const QPointF &anchor, const QPoint &at)
{
    if (!m_image)
        return;
    newZoom = std::clamp(newZoom, minZoom, maxZoom);
    m_fitted = false;
    setTransform(QTransform::fromScale(newZoom, newZoom));
    // Scroll so the anchor is back under `at` (no-op while the image is smaller than the view).
    const QPoint delta = mapFromScene(anchor) - at;
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() + delta.x());
    verticalScrollBar()->setValue(verticalScrollBar()->value() + delta.y());
    updateSampling();
    emit zoomChanged(newZoom);
}

void ImageViewer::updateSampling()
{
    // A stretched stand-in is always smoothed: its blocks would read as the image's pixels.
    const bool stretched = m_image && !m_image->transform().isIdentity();
    const bool crisp = zoom() > crispAbove && !stretched;
    const auto mode = crisp ? Qt::FastTransformation : Qt::SmoothTransformation;
    setRenderHint(QPainter::SmoothPixmapTransform, !crisp);
    if (m_image)
        m_image->setTransformationMode(mode);
    for (const Overlay &overlay : m_overlays)
        if (auto *pixmap = qgraphicsitem_cast<QGraphicsPixmapItem *>(overlay.item))
            pixmap->setTransformationMode(mode);
}

void ImageViewer::setHoverText(const QString &text)
{
    if (text == m_hoverText)
        return;
    m_hoverText = text;
    emit hovered(text);
}

void ImageViewer::wheelEvent(QWheelEvent *event)
{
    const int delta = event->angleDelta().y();
    if (delta == 0 || !m_image) {
        event->ignore();
        return;
    }
    const QPoint at = event->position().toPoint();
    zoomTo(zoom() * std::pow(1.0015, double(delta)), mapToScene(at), at); // 1.2× a notch
    event->accept();
}

void ImageViewer::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        fitToWindow();
        event->accept();
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void ImageViewer::mouseMoveEvent(QMouseEvent *event)
{
    QGraphicsView::mouseMoveEvent(event);
    if (event->buttons() != Qt::NoButton)
        return; // panning
    QString text;
    const auto under = items(event->position().toPoint()); // topmost first
    for (const QGraphicsItem *item : under) {
        if (item->isVisible() && !item->data(hoverKey).toString().isEmpty()) {
            text = item->data(hoverKey).toString();
            break;
        }
    }
    setHoverText(text);
}

void ImageViewer::leaveEvent(QEvent *event)
{
    setHoverText(QString());
    QGraphicsView::leaveEvent(event);
}

void ImageViewer::keyPressEvent(QKeyEvent *event)
{
    const auto extra = event->modifiers() & ~(Qt::ShiftModifier | Qt::KeypadModifier);
    if (extra != Qt::NoModifier) {
        QGraphicsView::keyPressEvent(event);
        return;
    }
    switch (event->key()) {
    case Qt::Key_F:
    case Qt::Key_0: fitToWindow(); return;
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomIn(); return;
    case Qt::Key_Minus: zoomOut(); return;
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_J:
    case Qt::Key_K: event->ignore(); return; // the parent steps between samples
    default: QGraphicsView::keyPressEvent(event);
    }
}

void ImageViewer::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    if (m_fitted)
        fitToWindow();
}

void ImageViewer::drawForeground(QPainter *painter, const QRectF &rect)
{
    QGraphicsView::drawForeground(painter, rect);
    if (m_image || m_placeholder.isEmpty())
        return;
    painter->save();
    painter->resetTransform(); // viewport pixels
    painter->setPen(QColor(0xc8, 0xc8, 0xcc));
    painter->drawText(viewport()->rect().adjusted(24, 24, -24, -24),
                      Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
    painter->restore();
}

} // namespace assay::ui
