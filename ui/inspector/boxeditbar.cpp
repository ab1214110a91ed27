#include "boxeditbar.h"

#include "boxeditor.h"
#include "imageviewer.h"

#include "edit/commands.h"
#include "editing/editcontroller.h"
#include "model/annotation.h"
#include "store/database.h"
#include "store/project.h"
#include "util/error.h"

#include <QAction>
#include <QComboBox>
#include <QCompleter>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolBar>

namespace assay::ui {

BoxEditBar::BoxEditBar(BoxEditor *editor, QWidget *parent)
    : QWidget(parent), m_editor(editor), m_tools(new QToolBar(this)),
      m_draw(new QAction(tr("Draw Box"), this)), m_delete(new QAction(tr("Delete"), this)),
      m_classLabel(new QLabel(this)), m_classes(new QComboBox(this)),
      m_readOnly(new QLabel(tr("Read-only"), this))
{
    setObjectName(QStringLiteral("boxEditBar"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(6);
    m_tools->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_tools->setIconSize(QSize(16, 16));
    m_draw->setCheckable(true);
    m_draw->setShortcut(QKeySequence(Qt::Key_B));
    m_draw->setShortcutContext(Qt::WidgetWithChildrenShortcut); // B in the inspector only
    m_draw->setToolTip(tr("Draw a new box by dragging on the image (B; Esc stops)"));
    m_delete->setToolTip(tr("Delete the selected objects (Delete)"));
    m_tools->addAction(m_draw);
    m_tools->addAction(m_delete);
    layout->addWidget(m_tools);

    m_classes->setObjectName(QStringLiteral("boxClassPicker"));
    m_classes->setEditable(true);
    m_classes->setInsertPolicy(QComboBox::NoInsert); // only the project's classes
    m_classes->setMinimumContentsLength(12);
    m_classes->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_classes->lineEdit()->setPlaceholderText(tr("class"));
    m_classes->completer()->setFilterMode(Qt::MatchContains);
    m_classes->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    m_classes->completer()->setCompletionMode(QCompleter::PopupCompletion);
    layout->addWidget(m_classLabel);
    layout->addWidget(m_classes, 1);
    m_readOnly->setStyleSheet(QStringLiteral("color: #a05a00;"));
    layout->addWidget(m_readOnly);
    m_readOnly->hide();

    connect(m_draw, &QAction::toggled, m_editor, &BoxEditor::setDrawMode);
    connect(m_editor, &BoxEditor::drawModeChanged, this, [this](bool on) {
        m_draw->setChecked(on);
        showSelectionClass();
    });
    connect(m_delete, &QAction::triggered, m_editor, &BoxEditor::deleteSelection);
    connect(m_classes, &QComboBox::activated, this, &BoxEditBar::chooseClass);
    connect(m_editor, &BoxEditor::selectionChanged, this, [this] {
        updateState();
        showSelectionClass();
    });
    // An undo or another edit may have changed the selected object's class.
    connect(m_editor->viewer(), &ImageViewer::annotationsReplaced, this,
            &BoxEditBar::showSelectionClass);

    connect(m_editor, &BoxEditor::boxChanged, this,
            [this](std::int64_t id, const edit::Box &box) {
                apply([&](store::Database &db) { return edit::setBox(db, id, box); });
            });
    connect(m_editor, &BoxEditor::nudgeRequested, this, &BoxEditBar::nudge);
    connect(m_editor, &BoxEditor::deleteRequested, this,
            [this](const std::vector<std::int64_t> &ids) {
                if (!ids.empty())
                    apply([&](store::Database &db) { return edit::deleteAnnotations(db, ids); });
            });
    connect(m_editor, &BoxEditor::boxDrawn, this, [this](const edit::Box &box) {
        if (m_sampleId == 0)
            return;
        apply([&](store::Database &db) {
            return edit::addBox(db, m_sampleId, m_newBoxClass, box);
        });
    });
    connect(m_editor, &BoxEditor::vertexMoved, this,
            [this](std::int64_t id, int ring, int vertex, const QPointF &to) {
                apply([&](store::Database &db) {
                    return edit::moveVertex(db, id, ring, vertex, to.x(), to.y());
                });
            });
    setEditController(nullptr);
}

void BoxEditBar::setEditController(EditController *controller)
{
    m_controller = controller;
    setVisible(controller != nullptr);
    updateState();
}

void BoxEditBar::setSample(std::int64_t sampleId)
{
    m_sampleId = sampleId;
    reloadClasses();
    updateState();
}

QString BoxEditBar::readOnlyReason() const
{
    if (!m_controller || !m_controller->project())
        return tr("No project is open.");
    if (!m_controller->isEditable())
        return tr("%1 is open read-only (another window or program has it open, or the file "
                  "cannot be written): its boxes cannot be edited here.")
            .arg(m_controller->project()->path());
    return {};
}

void BoxEditBar::updateState()
{
    const bool editable = m_controller && m_controller->isEditable() && m_sampleId != 0;
    m_editor->setEditable(editable);
    m_draw->setEnabled(editable);
    m_delete->setEnabled(editable && !m_editor->selection().empty());
    m_classes->setEnabled(editable);
    const bool readOnly = m_controller && m_controller->project() && !m_controller->isEditable();
    m_readOnly->setVisible(readOnly);
    const QString why = readOnly ? readOnlyReason() : QString();
    m_readOnly->setToolTip(why);
    m_tools->setToolTip(why);
    m_classes->setToolTip(why.isEmpty() ? tr("Type any part of a class name") : why);
}

void BoxEditBar::reloadClasses()
{
    const QString current = m_classes->currentText();
    const QSignalBlocker quiet(m_classes);
    m_classes->clear();
    if (!m_controller || !m_controller->project())
        return;
    try {
        store::Statement rows(m_controller->project()->db(),
                              "SELECT id, name FROM categories ORDER BY position, id");
        while (rows.step())
            m_classes->addItem(rows.text(1), QVariant::fromValue<qint64>(rows.int64(0)));
    } catch (const Error &error) {
        emit failed(error.message());
    }
    if (m_classes->findData(QVariant::fromValue<qint64>(m_newBoxClass)) < 0)
        m_newBoxClass = m_classes->count() > 0 ? m_classes->itemData(0).toLongLong() : 0;
    showSelectionClass();
}

// The combo shows the class of the selected objects (blank when they differ), or, with none
// selected or while drawing, the class new boxes get.
void BoxEditBar::showSelectionClass()
{
    const QSignalBlocker quiet(m_classes);
    const std::vector<std::int64_t> &selection = m_editor->selection();
    if (selection.empty() || m_editor->isDrawMode()) {
        m_classLabel->setText(tr("New boxes:"));
        m_classes->setCurrentIndex(
            m_classes->findData(QVariant::fromValue<qint64>(m_newBoxClass)));
        return;
    }
    m_classLabel->setText(selection.size() == 1 ? tr("Class:") : tr("Class of %n:", nullptr,
                                                                    int(selection.size())));
    std::int64_t shared = -1;
    for (const std::int64_t id : selection) {
        const Annotation *annotation = m_editor->viewer()->annotation(id);
        const std::int64_t category = annotation ? annotation->categoryId : 0;
        shared = shared == -1 || shared == category ? category : -2;
    }
    const int index = shared >= 0 ? m_classes->findData(QVariant::fromValue<qint64>(shared)) : -1;
    m_classes->setCurrentIndex(index);
    if (index < 0)
        m_classes->setEditText(QString());
}

void BoxEditBar::chooseClass(int index)
{
    if (index < 0)
        return;
    const std::int64_t category = m_classes->itemData(index).toLongLong();
    const std::vector<std::int64_t> selection = m_editor->selection();
    if (selection.empty() || m_editor->isDrawMode()) {
        m_newBoxClass = category;
    } else {
        apply([&](store::Database &db) {
            return edit::setAnnotationClass(db, selection, category);
        });
        showSelectionClass(); // the stored class, also when the edit was refused
    }
    m_editor->viewer()->setFocus(); // arrows and Delete work on the box again
}

void BoxEditBar::nudge(const std::vector<std::int64_t> &ids, double dx, double dy)
{
    apply([&](store::Database &db) {
        if (ids.size() == 1)
            return edit::nudgeBox(db, ids.front(), dx, dy);
        edit::EditBatch all;
        QStringList key;
        for (const std::int64_t id : ids) {
            edit::EditBatch one = edit::nudgeBox(db, id, dx, dy);
            all.changes.insert(all.changes.end(), one.changes.begin(), one.changes.end());
            key << QString::number(id);
        }
        all.text = tr("Move %n boxes", nullptr, int(ids.size()));
        all.mergeKey = QStringLiteral("boxes:") + key.join(u',');
        return all;
    });
}

void BoxEditBar::apply(const std::function<edit::EditBatch(store::Database &)> &build)
{
    if (!m_controller || !m_controller->isEditable())
        return;
    edit::EditBatch batch;
    try {
        batch = build(m_controller->project()->db());
    } catch (const Error &error) {
        emit failed(error.message());
        return;
    }
    m_controller->apply(std::move(batch));
}

} // namespace assay::ui
