#include "boxeditor.h"

#include "imageviewer.h"

#include "model/annotation.h"

#include <QApplication>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPen>

#include <algorithm>
#include <cmath>

namespace assay::ui {

namespace {

constexpr int handleReach = 6;  // viewport pixels around a handle that grab it
constexpr double handleSize = 8; // viewport pixels
constexpr double handleZ = 300000; // above every overlay and label

// The part of `shift` that keeps `box` inside `bounds`; a box already outside on one side may
// not move further out on it.
QPointF clampShift(const QRectF &box, const QRectF &bounds, QPointF shift)
{
    shift.setX(std::clamp(shift.x(), std::min(0.0, bounds.left() - box.left()),
                          std::max(0.0, bounds.right() - box.right())));
    shift.setY(std::clamp(shift.y(), std::min(0.0, bounds.top() - box.top()),
                          std::max(0.0, bounds.bottom() - box.bottom())));
    return shift;
}

QPointF handlePoint(const QRectF &box, int handle)
{
    const QPointF c = box.center();
    switch (handle) {
    case 0: return box.topLeft();
    case 1: return {c.x(), box.top()};
    case 2: return box.topRight();
    case 3: return {box.right(), c.y()};
    case 4: return box.bottomRight();
    case 5: return {c.x(), box.bottom()};
    case 6: return box.bottomLeft();
    default: return {box.left(), c.y()};
    }
}

Qt::CursorShape handleCursor(int handle)
{
    switch (handle) {
    case 0:
    case 4: return Qt::SizeFDiagCursor;
    case 2:
    case 6: return Qt::SizeBDiagCursor;
    case 1:
    case 5: return Qt::SizeVerCursor;
    default: return Qt::SizeHorCursor;
    }
}

QPointF ringPoint(const std::vector<float> &ring, int vertex)
{
    return {double(ring[size_t(2 * vertex)]), double(ring[size_t(2 * vertex + 1)])};
}

edit::Box toBox(const QRectF &rect)
{
    return {rect.x(), rect.y(), rect.width(), rect.height()};
}

} // namespace

BoxEditor::BoxEditor(ImageViewer *viewer)
    : QObject(viewer), m_viewer(viewer), m_viewport(viewer->viewport()), m_scene(viewer->scene())
{
    viewer->viewport()->installEventFilter(this);
    viewer->installEventFilter(this);
    connect(viewer, &ImageViewer::annotationsReplaced, this, &BoxEditor::onAnnotationsReplaced);
    connect(viewer, &ImageViewer::zoomChanged, this, [this] { rebuildHandles(); });
}

BoxEditor::~BoxEditor()
{
    clearHandles();
}

void BoxEditor::setEditable(bool editable)
{
    if (editable == m_editable)
        return;
    m_editable = editable;
    if (!editable) {
        cancelDrag();
        setDrawMode(false);
        setSelection({});
    }
    rebuildHandles();
}

void BoxEditor::setDrawMode(bool on)
{
    on = on && m_editable;
    if (on == m_drawMode)
        return;
    if (m_drag.gesture != Gesture::None)
        cancelDrag();
    m_drawMode = on;
    if (on)
        setSelection({});
    m_viewer->viewport()->setCursor(on ? Qt::CrossCursor : Qt::OpenHandCursor);
    emit drawModeChanged(on);
}

void BoxEditor::setSelection(std::vector<std::int64_t> ids)
{
    std::erase_if(ids, [this](std::int64_t id) { return !m_viewer->annotation(id); });
    if (ids == m_selection)
        return;
    m_selection = std::move(ids);
    rebuildHandles();
    emit selectionChanged();
}

void BoxEditor::deleteSelection()
{
    if (m_editable && !m_selection.empty())
        emit deleteRequested(m_selection);
}

QPoint BoxEditor::handlePosition(int handle) const
{
    const Annotation *annotation = single();
    if (!annotation)
        return {};
    const QRectF box = m_drag.gesture == Gesture::Move || m_drag.gesture == Gesture::Resize
                           ? m_drag.box
                           : boxOf(*annotation);
    return m_viewer->mapFromScene(handlePoint(box, handle));
}

bool BoxEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_viewport) {
        switch (event->type()) {
        case QEvent::MouseButtonPress: return mousePress(static_cast<QMouseEvent *>(event));
        case QEvent::MouseMove: return mouseMove(static_cast<QMouseEvent *>(event));
        case QEvent::MouseButtonRelease: return mouseRelease(static_cast<QMouseEvent *>(event));
        default: return false;
        }
    }
    if (watched == m_viewer) {
        if (event->type() == QEvent::KeyPress)
            return keyPress(static_cast<QKeyEvent *>(event), false);
        if (event->type() == QEvent::ShortcutOverride)
            return keyPress(static_cast<QKeyEvent *>(event), true);
    }
    return false;
}

QPointF BoxEditor::toScene(const QPointF &viewportPos) const
{
    return m_viewer->viewportTransform().inverted().map(viewportPos);
}

QPointF BoxEditor::clampToImage(const QPointF &point) const
{
    const QRectF bounds = m_viewer->imageRect();
    return {std::clamp(point.x(), bounds.left(), bounds.right()),
            std::clamp(point.y(), bounds.top(), bounds.bottom())};
}

QRectF BoxEditor::boxOf(const Annotation &annotation) const
{
    return {annotation.x, annotation.y, annotation.w, annotation.h};
}

const Annotation *BoxEditor::single() const
{
    return m_selection.size() == 1 ? m_viewer->annotation(m_selection.front()) : nullptr;
}

std::vector<std::int64_t> BoxEditor::selectedBoxes() const
{
    std::vector<std::int64_t> boxes;
    for (const std::int64_t id : m_selection)
        if (const Annotation *annotation = m_viewer->annotation(id);
            annotation && annotation->kind == AnnotationKind::Box)
            boxes.push_back(id);
    return boxes;
}

// The smallest shown object under the point (smaller objects are drawn above larger ones).
std::int64_t BoxEditor::objectAt(const QPointF &scenePos) const
{
    const double slack = handleReach / std::max(0.01, m_viewer->zoom()); // thin boxes
    std::int64_t best = 0;
    double bestArea = 0;
    for (const Annotation &annotation : m_viewer->annotations()) {
        if (!m_viewer->isClassVisible(annotation.category))
            continue;
        bool hit = false;
        if (annotation.kind == AnnotationKind::Polygon) {
            for (const auto &ring : annotation.polygons) {
                QPolygonF polygon;
                for (size_t i = 0; i + 1 < ring.size(); i += 2)
                    polygon << QPointF(double(ring[i]), double(ring[i + 1]));
                hit = hit || (ring.size() >= 6 && polygon.containsPoint(scenePos, Qt::OddEvenFill));
            }
        } else {
            hit = boxOf(annotation).adjusted(-slack, -slack, slack, slack).contains(scenePos);
        }
        const double area = annotation.w * annotation.h;
        if (hit && (best == 0 || area < bestArea)) {
            best = annotation.id;
            bestArea = area;
        }
    }
    return best;
}

int BoxEditor::handleAt(const QPoint &at) const
{
    const Annotation *annotation = single();
    if (!m_editable || !annotation || annotation->kind != AnnotationKind::Box)
        return -1;
    int best = -1;
    int bestDistance = handleReach + 1;
    for (int handle = 0; handle < handleCount; ++handle) {
        const QPoint offset = handlePosition(handle) - at;
        const int distance = std::max(std::abs(offset.x()), std::abs(offset.y()));
        if (distance < bestDistance) {
            best = handle;
            bestDistance = distance;
        }
    }
    return best;
}

std::pair<int, int> BoxEditor::vertexAt(const QPoint &at) const
{
    const Annotation *annotation = single();
    if (!m_editable || !annotation || annotation->kind != AnnotationKind::Polygon)
        return {-1, -1};
    std::pair<int, int> best{-1, -1};
    int bestDistance = handleReach + 1;
    for (size_t r = 0; r < annotation->polygons.size(); ++r) {
        const auto &ring = annotation->polygons[r];
        if (ring.size() < 6)
            continue;
        for (int v = 0; v < int(ring.size() / 2); ++v) {
            const QPoint offset = m_viewer->mapFromScene(ringPoint(ring, v)) - at;
            const int distance = std::max(std::abs(offset.x()), std::abs(offset.y()));
            if (distance < bestDistance) {
                best = {int(r), v};
                bestDistance = distance;
            }
        }
    }
    return best;
}

bool BoxEditor::mousePress(QMouseEvent *event)
{
    if (!m_editable || !m_viewer->hasImage() || event->button() != Qt::LeftButton)
        return false;
    const QPoint at = event->position().toPoint();
    const QPointF scene = toScene(event->position());
    m_drag = {};
    m_drag.pressView = at;
    m_drag.pressScene = scene;
    if (m_drawMode) {
        if (!m_viewer->imageRect().contains(scene))
            return false; // pan from outside the image
        const QPointF start = clampToImage({std::round(scene.x()), std::round(scene.y())});
        m_drag.gesture = Gesture::Draw;
        m_drag.startBox = m_drag.box = QRectF(start, start);
        return true;
    }
    if (const int handle = handleAt(at); handle >= 0) {
        m_drag.gesture = Gesture::Resize;
        m_drag.id = single()->id;
        m_drag.handle = handle;
        m_drag.startBox = m_drag.box = boxOf(*single());
        return true;
    }
    if (const auto [ring, vertex] = vertexAt(at); ring >= 0) {
        m_drag.gesture = Gesture::Vertex;
        m_drag.id = single()->id;
        m_drag.ring = ring;
        m_drag.handle = vertex;
        m_drag.vertex = ringPoint(single()->polygons[size_t(ring)], vertex);
        return true;
    }
    const std::int64_t id = objectAt(scene);
    if (id == 0) {
        setSelection({});
        return false; // the view pans
    }
    m_drag.gesture = Gesture::Select;
    m_drag.id = id;
    if (event->modifiers() & (Qt::ControlModifier | Qt::ShiftModifier)) {
        std::vector<std::int64_t> ids = m_selection;
        if (const auto found = std::find(ids.begin(), ids.end(), id); found != ids.end())
            ids.erase(found);
        else
            ids.push_back(id);
        setSelection(std::move(ids));
        return true;
    }
    if (std::find(m_selection.begin(), m_selection.end(), id) == m_selection.end())
        setSelection({id});
    const Annotation *annotation = single();
    if (annotation && annotation->id == id && annotation->kind == AnnotationKind::Box) {
        m_drag.gesture = Gesture::Move;
        m_drag.startBox = m_drag.box = boxOf(*annotation);
    }
    return true;
}

QRectF BoxEditor::resized(const QPointF &scenePos) const
{
    const QPointF p = clampToImage({std::round(scenePos.x()), std::round(scenePos.y())});
    const QRectF &start = m_drag.startBox;
    const int h = m_drag.handle;
    double left = start.left(), right = start.right(), top = start.top(),
           bottom = start.bottom();
    if (h == 0 || h == 6 || h == 7)
        left = p.x();
    if (h >= 2 && h <= 4)
        right = p.x();
    if (h <= 2)
        top = p.y();
    if (h >= 4 && h <= 6)
        bottom = p.y();
    if (left > right)
        std::swap(left, right); // dragged across the opposite edge
    if (top > bottom)
        std::swap(top, bottom);
    const QRectF bounds = m_viewer->imageRect();
    if (right - left < 1) { // at least one pixel
        if (left + 1 <= bounds.right())
            right = left + 1;
        else
            left = right - 1;
    }
    if (bottom - top < 1) {
        if (top + 1 <= bounds.bottom())
            bottom = top + 1;
        else
            top = bottom - 1;
    }
    return QRectF(QPointF(left, top), QPointF(right, bottom));
}

QRectF BoxEditor::moved(const QPointF &scenePos) const
{
    const QPointF shift = scenePos - m_drag.pressScene;
    return m_drag.startBox.translated(clampShift(
        m_drag.startBox, m_viewer->imageRect(),
        QPointF(std::round(shift.x()), std::round(shift.y()))));
}

bool BoxEditor::mouseMove(QMouseEvent *event)
{
    const QPoint at = event->position().toPoint();
    if (m_drag.gesture == Gesture::None) {
        if (event->buttons() == Qt::NoButton)
            updateCursor(at);
        return false; // hovering and panning are the viewer's
    }
    if (!m_drag.moved
        && (at - m_drag.pressView).manhattanLength() < QApplication::startDragDistance())
        return true;
    m_drag.moved = true;
    const QPointF scene = toScene(event->position());
    switch (m_drag.gesture) {
    case Gesture::Move:
    case Gesture::Resize:
        m_drag.box = m_drag.gesture == Gesture::Move ? moved(scene) : resized(scene);
        m_viewer->previewBox(m_drag.id, m_drag.box);
        break;
    case Gesture::Draw:
        m_drag.box = QRectF(m_drag.startBox.topLeft(),
                            clampToImage({std::round(scene.x()), std::round(scene.y())}))
                         .normalized();
        break;
    case Gesture::Vertex: {
        const Annotation *annotation = m_viewer->annotation(m_drag.id);
        if (!annotation)
            break;
        m_drag.vertex = clampToImage(scene);
        const auto &ring = annotation->polygons[size_t(m_drag.ring)];
        QPolygonF points;
        for (int v = 0; v < int(ring.size() / 2); ++v)
            points << (v == m_drag.handle ? m_drag.vertex : ringPoint(ring, v));
        m_viewer->previewRing(m_drag.id, m_drag.ring, points);
        break;
    }
    case Gesture::Select:
    case Gesture::None: break;
    }
    rebuildHandles();
    return true;
}

bool BoxEditor::mouseRelease(QMouseEvent *event)
{
    if (m_drag.gesture == Gesture::None || event->button() != Qt::LeftButton)
        return false;
    finishDrag();
    updateCursor(event->position().toPoint());
    return true;
}

void BoxEditor::finishDrag()
{
    const Drag drag = m_drag;
    m_drag = {};
    if (!drag.moved) {
        rebuildHandles();
        return;
    }
    m_replaced = false;
    switch (drag.gesture) {
    case Gesture::Move:
    case Gesture::Resize:
        if (drag.box != drag.startBox)
            emit boxChanged(drag.id, toBox(drag.box));
        break;
    case Gesture::Draw:
        if (drag.box.width() >= 1 && drag.box.height() >= 1)
            emit boxDrawn(toBox(drag.box));
        break;
    case Gesture::Vertex: emit vertexMoved(drag.id, drag.ring, drag.handle, drag.vertex); break;
    case Gesture::Select:
    case Gesture::None: break;
    }
    // Nothing came back (refused, or nothing changed): the stored geometry again.
    const bool previewed = drag.gesture == Gesture::Move || drag.gesture == Gesture::Resize
                           || drag.gesture == Gesture::Vertex;
    if (!m_replaced && previewed)
        m_viewer->setAnnotations(m_viewer->annotations());
    rebuildHandles();
}

void BoxEditor::cancelDrag()
{
    const Gesture gesture = m_drag.gesture;
    const bool moved = m_drag.moved;
    m_drag = {};
    if (moved
        && (gesture == Gesture::Move || gesture == Gesture::Resize || gesture == Gesture::Vertex))
        m_viewer->setAnnotations(m_viewer->annotations());
    rebuildHandles();
}

void BoxEditor::onAnnotationsReplaced()
{
    m_replaced = true;
    m_drag = {}; // the object dragged may be gone or different
    setSelection(m_selection);
    rebuildHandles();
}

bool BoxEditor::keyPress(QKeyEvent *event, bool overrideOnly)
{
    if (!m_editable)
        return false;
    const auto modifiers = event->modifiers() & ~Qt::KeypadModifier;
    if (modifiers & ~Qt::ShiftModifier)
        return false;
    const auto handled = [&] {
        event->accept();
        return true;
    };
    switch (event->key()) {
    case Qt::Key_Escape:
        if (m_drag.gesture == Gesture::None && !m_drawMode && m_selection.empty())
            return false;
        if (overrideOnly)
            return handled();
        if (m_drag.gesture != Gesture::None)
            cancelDrag();
        else if (m_drawMode)
            setDrawMode(false);
        else
            setSelection({});
        return handled();
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
        if (m_selection.empty() || m_drag.gesture != Gesture::None)
            return false;
        if (!overrideOnly)
            emit deleteRequested(m_selection);
        return handled();
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down: {
        const std::vector<std::int64_t> boxes = selectedBoxes();
        if (boxes.empty() || m_drag.gesture != Gesture::None)
            return false; // the viewer scrolls, or the inspector steps between samples
        if (overrideOnly)
            return handled();
        const double step = modifiers & Qt::ShiftModifier ? 10 : 1;
        QPointF shift(event->key() == Qt::Key_Left ? -step : event->key() == Qt::Key_Right ? step : 0,
                      event->key() == Qt::Key_Up ? -step : event->key() == Qt::Key_Down ? step : 0);
        for (const std::int64_t id : boxes)
            shift = clampShift(boxOf(*m_viewer->annotation(id)), m_viewer->imageRect(), shift);
        if (!shift.isNull())
            emit nudgeRequested(boxes, shift.x(), shift.y());
        return handled();
    }
    default: return false;
    }
}

void BoxEditor::updateCursor(const QPoint &at)
{
    if (!m_editable || !m_viewer->hasImage())
        return;
    Qt::CursorShape shape = Qt::OpenHandCursor;
    if (m_drawMode) {
        shape = m_viewer->imageRect().contains(toScene(at)) ? Qt::CrossCursor : Qt::OpenHandCursor;
    } else if (const int handle = handleAt(at); handle >= 0) {
        shape = handleCursor(handle);
    } else if (vertexAt(at).first >= 0) {
        shape = Qt::SizeAllCursor;
    } else if (const std::int64_t id = objectAt(toScene(at))) {
        const Annotation *annotation = single();
        shape = annotation && annotation->id == id && annotation->kind == AnnotationKind::Box
                    ? Qt::SizeAllCursor
                    : Qt::PointingHandCursor;
    }
    if (m_viewer->viewport()->cursor().shape() != shape)
        m_viewer->viewport()->setCursor(shape);
}

void BoxEditor::clearHandles()
{
    if (!m_scene) { // gone with the viewer, and the items with it
        m_handles.clear();
        m_outlines.clear();
        return;
    }
    for (QGraphicsItem *item : m_handles)
        delete item; // removes it from the scene
    for (QGraphicsItem *item : m_outlines)
        delete item;
    m_handles.clear();
    m_outlines.clear();
}

void BoxEditor::addOutline(const QRectF &box)
{
    QPen dark(QColor(0, 0, 0, 170), 3);
    dark.setCosmetic(true);
    QPen light(Qt::white, 1, Qt::DashLine);
    light.setCosmetic(true);
    for (const QPen &pen : {dark, light}) {
        QGraphicsRectItem *item = m_viewer->scene()->addRect(box, pen);
        item->setZValue(handleZ);
        item->setAcceptedMouseButtons(Qt::NoButton);
        m_outlines.push_back(item);
    }
}

void BoxEditor::addHandle(const QPointF &scenePos)
{
    const double half = handleSize / 2;
    QPen pen(QColor(0x20, 0x20, 0x24), 1);
    pen.setCosmetic(true);
    QGraphicsRectItem *item =
        m_viewer->scene()->addRect(QRectF(-half, -half, handleSize, handleSize), pen, Qt::white);
    item->setFlag(QGraphicsItem::ItemIgnoresTransformations); // the same size at every zoom
    item->setPos(scenePos);
    item->setZValue(handleZ + 1);
    item->setAcceptedMouseButtons(Qt::NoButton);
    m_handles.push_back(item);
}

void BoxEditor::rebuildHandles()
{
    clearHandles();
    if (!m_viewer->hasImage())
        return;
    if (m_drag.gesture == Gesture::Draw) {
        if (m_drag.moved)
            addOutline(m_drag.box);
        return;
    }
    for (const std::int64_t id : m_selection) {
        const Annotation *annotation = m_viewer->annotation(id);
        if (!annotation)
            continue;
        const bool dragged = id == m_drag.id
                             && (m_drag.gesture == Gesture::Move
                                 || m_drag.gesture == Gesture::Resize);
        addOutline(dragged ? m_drag.box : boxOf(*annotation));
    }
    const Annotation *annotation = single();
    if (!m_editable || !annotation)
        return;
    if (annotation->kind == AnnotationKind::Box) {
        const bool dragged = m_drag.gesture == Gesture::Move || m_drag.gesture == Gesture::Resize;
        const QRectF box = dragged ? m_drag.box : boxOf(*annotation);
        for (int handle = 0; handle < handleCount; ++handle)
            addHandle(handlePoint(box, handle));
    } else if (annotation->kind == AnnotationKind::Polygon) {
        for (size_t r = 0; r < annotation->polygons.size(); ++r) {
            const auto &ring = annotation->polygons[r];
            if (ring.size() < 6)
                continue;
            for (int v = 0; v < int(ring.size() / 2); ++v) {
                const bool dragged = m_drag.gesture == Gesture::Vertex && m_drag.ring == int(r)
                                     && m_drag.handle == v;
                addHandle(dragged ? m_drag.vertex : ringPoint(ring, v));
            }
        }
    }
}

} // namespace assay::ui
