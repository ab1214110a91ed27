#pragma once

#include "model/annotation.h"

#include <QColor>
#include <QGraphicsView>
#include <QImage>
#include <QList>
#include <QSet>
#include <QString>

#include <cstdint>
#include <vector>

class QGraphicsItem;
class QGraphicsPixmapItem;

namespace assay::ui {

// Decodes a COCO RLE mask (column-major runs, starting with 0s) into an ARGB32 image of the
// mask's size: pixels of the mask in `color` (its alpha kept), the rest transparent.
// Runs beyond width × height are ignored.
QImage maskToImage(const RleMask &mask, const QColor &color);

// One image, large: zoom with the wheel (around the cursor, 0.05×–40×), drag to pan, fit with a
// double-click, F or 0, +/- to zoom. Crisp pixels beyond 2× (MNIST's 28×28 stays readable),
// smooth below. Annotation overlays in their class colour, toggled per class; hovering one
// names its class and box size. Without an image a placeholder text is shown centred.
// Left/Right/J/K are not used here: they reach the parent, which steps between samples.
class ImageViewer : public QGraphicsView
{
    Q_OBJECT
public:
    static constexpr double minZoom = 0.05;
    static constexpr double maxZoom = 40.0;

    explicit ImageViewer(QWidget *parent = nullptr);

    // Shows `image` fitted to the window; removes the previous image and its overlays. With
    // `logicalSize` (the original's size) a smaller stand-in — a thumbnail shown while the full
    // image decodes — is stretched to it, so scene coordinates stay the original's pixels and
    // annotations land where they will on the full image.
    void setImage(const QImage &image, QSize logicalSize = {});
    // Puts `image` in place of the pixels shown, stretched to the same logical size, keeping
    // the overlays, the zoom and the scroll position (the full image replacing its thumbnail).
    // False, changing nothing, without an image.
    bool replacePixels(const QImage &image);
    // Replaces the overlays (pixel coordinates of the image). The zoom and scroll position stay.
    void setAnnotations(std::vector<Annotation> annotations);
    const std::vector<Annotation> &annotations() const { return m_annotations; }
    const Annotation *annotation(std::int64_t id) const; // nullptr when not shown
    // The image's rectangle in scene (= original image pixel) coordinates; empty without one.
    QRectF imageRect() const;
    // The pixels' size: smaller than imageRect() while a stand-in is stretched to it.
    QSize pixelSize() const;
    // Removes the image and the overlays and shows `text` instead ("Loading…", an error).
    void showPlaceholder(const QString &text);

    bool hasImage() const { return m_image != nullptr; }
    QGraphicsPixmapItem *imageItem() const { return m_image; }
    QString placeholderText() const { return m_placeholder; }

    // Every overlay item (shapes and labels) of one class ("" for objects without a class).
    QList<QGraphicsItem *> overlayItems(const QString &className) const;
    // The overlay items of one object (its shapes and its label).
    QList<QGraphicsItem *> overlayItemsOf(std::int64_t annotationId) const;
    // While a box is dragged: its overlay drawn at `box` (the stored one until the next
    // setAnnotations). For a polygon, `ring` of it drawn as `points`.
    void previewBox(std::int64_t annotationId, const QRectF &box);
    void previewRing(std::int64_t annotationId, int ring, const QPolygonF &points);
    // Hidden classes stay hidden for the next images until shown again.
    void setClassVisible(const QString &className, bool visible);
    bool isClassVisible(const QString &className) const { return !m_hidden.contains(className); }

    double zoom() const { return transform().m11(); }

public slots:
    void fitToWindow();
    void zoomIn() { zoomAroundCentre(1.25); }
    void zoomOut() { zoomAroundCentre(1 / 1.25); }

signals:
    // The overlay under the cursor ("cat — 120 × 80 px"), or "" when it leaves every overlay.
    void hovered(const QString &text);
    void zoomChanged(double zoom);
    // setAnnotations, setImage or showPlaceholder replaced the overlays.
    void annotationsReplaced();

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    struct Overlay
    {
        QString className;
        QGraphicsItem *item;
        std::int64_t annotationId;
    };

    void clearScene();
    void clearOverlays();
    void addOverlay(const Annotation &annotation, int order);
    void track(const Annotation &annotation, QGraphicsItem *item, const QString &hoverText);
    // Scales to `zoom` (clamped), keeping scene point `anchor` at viewport position `at`.
    void zoomTo(double zoom, const QPointF &anchor, const QPoint &at);
    void zoomAroundCentre(double factor);
    void updateSampling();
    void setHoverText(const QString &text);

    void stretchImage(QSize pixels);

    QGraphicsPixmapItem *m_image = nullptr;
    QSize m_logicalSize;
    std::vector<Annotation> m_annotations;
    std::vector<Overlay> m_overlays;
    QSet<QString> m_hidden;
    QString m_placeholder;
    QString m_hoverText;
    bool m_fitted = true; // follow the window's size until the user zooms
};

} // namespace assay::ui
