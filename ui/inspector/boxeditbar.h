#pragma once

#include "edit/change.h"

#include <QWidget>

#include <cstdint>
#include <functional>
#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QToolBar;

namespace assay::store {
class Database;
}

namespace assay::ui {

class BoxEditor;
class EditController;

// The editing strip above the inspector's image, and the link from a BoxEditor's gestures to
// edits: a moved or resized box is one setBox, arrow-key nudges of one box merge into one undo
// step (nudgeBox), Delete removes the selected objects, a drawn box is added with the class
// chosen for new boxes, and the class picker (a combo that completes any part of a class name)
// sets the class of the selected objects — each through EditController::apply, one undo step.
// "Draw box" (B) toggles the editor's draw mode. A read-only project disables all of it and
// says why.
class BoxEditBar : public QWidget
{
    Q_OBJECT
public:
    BoxEditBar(BoxEditor *editor, QWidget *parent = nullptr);

    // Edits go there; nullptr hides the bar and makes the viewer read-only.
    void setEditController(EditController *controller);
    // The sample shown (0: none): reads the project's classes and whether it can be written.
    void setSample(std::int64_t sampleId);

    QAction *drawAction() const { return m_draw; }
    QAction *deleteAction() const { return m_delete; }
    QComboBox *classPicker() const { return m_classes; }
    // The category new boxes get (0: none).
    std::int64_t newBoxClass() const { return m_newBoxClass; }
    // Why editing is off ("" while it is on).
    QString readOnlyReason() const;

signals:
    void failed(const QString &message); // an edit could not even be built (nothing changed)

private:
    void apply(const std::function<edit::EditBatch(store::Database &)> &build);
    void reloadClasses();
    void updateState();
    void showSelectionClass();
    void chooseClass(int index);
    void nudge(const std::vector<std::int64_t> &ids, double dx, double dy);

    BoxEditor *m_editor;
    EditController *m_controller = nullptr;
    QToolBar *m_tools;
    QAction *m_draw;
    QAction *m_delete;
    QLabel *m_classLabel;
    QComboBox *m_classes;
    QLabel *m_readOnly;
    std::int64_t m_sampleId = 0;
    std::int64_t m_newBoxClass = 0;
};

} // namespace assay::ui
