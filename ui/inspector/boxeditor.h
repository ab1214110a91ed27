#pragma once

#include "edit/change.h"

#include <QObject>
#include <QGraphicsScene>
#include <QPoint>
#include <QPointer>
#include <QPointF>
#include <QRectF>

#include <cstdint>
#include <vector>

class QGraphicsItem;
class QKeyEvent;
class QMouseEvent;

namespace assay {
struct Annotation;
}

namespace assay::ui {

class ImageViewer;

// Mouse and keyboard editing of the objects an ImageViewer shows. It only reports what the
// person did, in image pixels; the caller turns that into edits (BoxEditBar), and the edit
// arrives back as new annotations of the viewer (the preview shown during a drag lasts until
// then, or is put back when nothing arrives).
//
// - Click an object to select it (the smallest one under the cursor); Ctrl/Shift+click adds or
//   removes one; a click on the bare image clears the selection and starts panning.
// - A selected box shows 8 handles: drag one to resize, drag the box to move it (one boxChanged
//   on release). Dragged edges snap to whole pixels; moves go by whole pixels. Neither leaves
//   the image (a box already outside it does not go further out).
// - A selected polygon shows its vertices: drag one to move it (vertexMoved on release).
// - Arrow keys nudge the selected boxes by 1 pixel, 10 with Shift; Delete/Backspace removes the
//   selection; Esc cancels a drag, then leaves draw mode, then clears the selection.
// - Draw mode: drag on the image to draw a new box, clamped to the image (boxDrawn).
// Nothing of this while not editable (a read-only project): the viewer only zooms and pans.
class BoxEditor : public QObject
{
    Q_OBJECT
public:
    static constexpr int handleCount = 8; // corners and edge midpoints, clockwise from top-left

    explicit BoxEditor(ImageViewer *viewer);
    ~BoxEditor() override;

    void setEditable(bool editable);
    bool isEditable() const { return m_editable; }
    void setDrawMode(bool on);
    bool isDrawMode() const { return m_drawMode; }

    ImageViewer *viewer() const { return m_viewer; }
    const std::vector<std::int64_t> &selection() const { return m_selection; }
    // Ids the viewer does not show are left out.
    void setSelection(std::vector<std::int64_t> ids);
    // Where handle `handle` of the one selected box is drawn, in viewport pixels (tests).
    QPoint handlePosition(int handle) const;
    // The handle items shown now (tests, screenshots): box handles or polygon vertices.
    int visibleHandleCount() const { return int(m_handles.size()); }

public slots:
    void deleteSelection(); // deleteRequested for the selection, when there is one

signals:
    void selectionChanged();
    void drawModeChanged(bool on);
    void boxChanged(std::int64_t annotationId, const assay::edit::Box &box);
    void nudgeRequested(const std::vector<std::int64_t> &annotationIds, double dx, double dy);
    void deleteRequested(const std::vector<std::int64_t> &annotationIds);
    void boxDrawn(const assay::edit::Box &box);
    void vertexMoved(std::int64_t annotationId, int ring, int vertex, const QPointF &to);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    enum class Gesture { None, Select, Move, Resize, Draw, Vertex };
    struct Drag
    {
        Gesture gesture = Gesture::None;
        std::int64_t id = 0;
        int handle = -1; // Resize: which handle; Vertex: the vertex
        int ring = -1;   // Vertex
        QPoint pressView;
        QPointF pressScene;
        QRectF startBox;
        QRectF box;     // Move, Resize, Draw: the box now
        QPointF vertex; // Vertex: where it is now
        bool moved = false;
    };

    bool mousePress(QMouseEvent *event);
    bool mouseMove(QMouseEvent *event);
    bool mouseRelease(QMouseEvent *event);
    bool keyPress(QKeyEvent *event, bool overrideOnly);
    void onAnnotationsReplaced();
    void finishDrag();
    void cancelDrag();
    void updateCursor(const QPoint &at);

    QPointF toScene(const QPointF &viewportPos) const;
    std::int64_t objectAt(const QPointF &scenePos) const;
    int handleAt(const QPoint &at) const;
    // (ring, vertex) of the selected polygon's vertex under `at`, or (-1, -1).
    std::pair<int, int> vertexAt(const QPoint &at) const;
    const Annotation *single() const; // the one selected object, or nullptr
    QRectF boxOf(const Annotation &annotation) const;
    std::vector<std::int64_t> selectedBoxes() const;
    QRectF resized(const QPointF &scenePos) const;
    QRectF moved(const QPointF &scenePos) const;
    QPointF clampToImage(const QPointF &point) const;

    void rebuildHandles();
    void clearHandles();
    void addHandle(const QPointF &scenePos);
    void addOutline(const QRectF &box);

    ImageViewer *m_viewer;
    // The viewer's viewport, kept: the filter sees events while the viewer is being destroyed,
    // when asking it for its viewport is no longer allowed.
    QObject *m_viewport;
    QPointer<QGraphicsScene> m_scene; // owns the handle items
    bool m_editable = false;
    bool m_drawMode = false;
    std::vector<std::int64_t> m_selection;
    Drag m_drag;
    bool m_replaced = false; // the viewer's annotations were replaced during a signal
    std::vector<QGraphicsItem *> m_handles;
    std::vector<QGraphicsItem *> m_outlines; // of the selection, and of the box being drawn
};

} // namespace assay::ui
