// Box editing in the inspector, driven through the main window with the mouse and keyboard:
// handles resize at a zoom other than 1, the body moves, arrows nudge (5 nudges are one undo
// step), Delete removes, draw mode adds a box of the class chosen in the picker (clamped to the
// image), the class picker relabels the selected box, a polygon vertex drags; every edit undoes.
// A read-only project shows no handles and refuses every gesture. With ASSAY_SCREENSHOT_DIR set,
// also saves boxediting.png there.

#include "edit/commands.h"
#include "editing/editcontroller.h"
#include "formats/importer.h"
#include "inspector/boxeditbar.h"
#include "inspector/boxeditor.h"
#include "inspector/imageviewer.h"
#include "inspector/sampleinspector.h"
#include "jobs/jobregistry.h"
#include "jobs/progress.h"
#include "mainwindow/mainwindow.h"
#include "store/project.h"
#include "store/sampledetails.h"
#include "testdata.h"

#include <QAction>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <cmath>

using namespace assay;

namespace {

const char cocoJson[] =
    "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\", \"width\": 200, \"height\": 150},\n"
    "  {\"id\": 2, \"file_name\": \"b.png\", \"width\": 200, \"height\": 150}],\n"
    " \"annotations\": [\n"
    "  {\"id\": 10, \"image_id\": 1, \"category_id\": 1, \"bbox\": [20, 30, 60, 40], "
    "\"area\": 2400, \"iscrowd\": 0},\n"
    "  {\"id\": 11, \"image_id\": 1, \"category_id\": 3, \"bbox\": [110, 20, 70, 70], "
    "\"iscrowd\": 0, \"segmentation\": [[120, 20, 180, 30, 160, 90, 110, 70]]},\n"
    "  {\"id\": 12, \"image_id\": 2, \"category_id\": 1, \"bbox\": [5, 5, 30, 30], "
    "\"iscrowd\": 0}\n"
    " ],\n"
    " \"categories\": [{\"id\": 1, \"name\": \"cat\"}, {\"id\": 3, \"name\": \"dog\"}, "
    "{\"id\": 5, \"name\": \"person\"}]}\n";

struct Stored
{
    double x = 0, y = 0, w = 0, h = 0;
    QString category;
    bool exists = false;
};

void send(QWidget *widget, QEvent::Type type, QPoint at, Qt::MouseButton button,
          Qt::MouseButtons buttons, Qt::KeyboardModifiers modifiers = {})
{
    QMouseEvent event(type, QPointF(at), widget->mapToGlobal(QPointF(at)), button, buttons,
                      modifiers);
    QApplication::sendEvent(widget, &event);
}

void click(QWidget *widget, QPoint at, Qt::KeyboardModifiers modifiers = {})
{
    send(widget, QEvent::MouseButtonPress, at, Qt::LeftButton, Qt::LeftButton, modifiers);
    send(widget, QEvent::MouseButtonRelease, at, Qt::LeftButton, Qt::NoButton, modifiers);
}

void drag(QWidget *widget, QPoint from, QPoint to)
{
    send(widget, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
    send(widget, QEvent::MouseMove, (from + to) / 2, Qt::NoButton, Qt::LeftButton);
    send(widget, QEvent::MouseMove, to, Qt::NoButton, Qt::LeftButton);
    send(widget, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
}

} // namespace

class TestBoxEditing : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void dragHandleResizesAtZoom();
    void dragBodyMovesByWholePixels();
    void nudgesMergeIntoOneUndoStep();
    void deleteRemovesTheSelection();
    void drawModeAddsABoxOfTheChosenClass();
    void classPickerRelabelsTheSelection();
    void polygonVertexDrags();
    void readOnlyProjectRefusesEdits();

private:
    Stored stored(std::int64_t id)
    {
        store::Statement row(m_window->project()->db(),
                             "SELECT a.x, a.y, a.w, a.h, ifnull(c.name, '') FROM annotations a "
                             "LEFT JOIN categories c ON c.id = a.category_id WHERE a.id = ?");
        row.bind(1, id);
        Stored box;
        if (row.step())
            box = {row.real(0), row.real(1), row.real(2), row.real(3), row.text(4), true};
        return box;
    }
    std::int64_t annotationOf(const char *where)
    {
        return m_window->project()->db().queryInt(
            std::string("SELECT a.id FROM annotations a JOIN samples s ON s.id = a.sample_id "
                        "WHERE ")
            + where);
    }
    ui::ImageViewer *viewer() const { return m_window->inspector()->viewer(); }
    ui::BoxEditor *editor() const { return m_window->inspector()->boxEditor(); }
    QWidget *viewport() const { return viewer()->viewport(); }
    QPoint at(double x, double y) const { return viewer()->mapFromScene(QPointF(x, y)); }
    // What the editor makes of a viewport point: the image pixel it snaps to.
    QPointF pixelAt(QPoint point) const
    {
        const QPointF scene = viewer()->viewportTransform().inverted().map(QPointF(point));
        return {std::round(scene.x()), std::round(scene.y())};
    }
    QUndoStack *stack() const { return m_window->edits()->undoStack(); }
    void openAndShowA();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_project;
    std::unique_ptr<jobs::JobRegistry> m_registry;
    std::unique_ptr<ui::MainWindow> m_window;
    std::int64_t m_box = 0, m_polygon = 0, m_sampleA = 0;
};

void TestBoxEditing::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestBoxEditing::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const QString data = m_dir->filePath(QStringLiteral("coco"));
    test::writeFile(data + QStringLiteral("/annotations/instances_train.json"), cocoJson);
    test::writeFile(data + QStringLiteral("/images/train/a.png"), test::texturedPng(200, 150, 1));
    test::writeFile(data + QStringLiteral("/images/train/b.png"), test::texturedPng(200, 150, 2));
    m_project = m_dir->filePath(QStringLiteral("p.assay"));
    jobs::Progress progress;
    formats::importDataset(data, m_project, {}, progress);
    m_registry = std::make_unique<jobs::JobRegistry>();
}

void TestBoxEditing::cleanup()
{
    if (m_window && m_window->edits()->isRefreshingAnalyses()) {
        QSignalSpy refreshed(m_window->edits(), &ui::EditController::analysesRefreshed);
        QVERIFY(refreshed.wait(30000));
    }
    m_window.reset();
}

void TestBoxEditing::openAndShowA()
{
    m_window = std::make_unique<ui::MainWindow>(m_registry.get());
    m_window->setScanOnOpen(false);
    m_window->resize(1400, 900);
    m_window->show();
    QSignalSpy result(m_window.get(), &ui::MainWindow::resultShown);
    QVERIFY(m_window->openProject(m_project));
    QTRY_VERIFY_WITH_TIMEOUT(result.count() >= 1, 20000);
    m_box = annotationOf("s.path LIKE '%a.png' AND a.kind = 1");
    m_polygon = annotationOf("s.path LIKE '%a.png' AND a.kind = 2");
    m_sampleA = m_window->project()->db().queryInt(
        "SELECT id FROM samples WHERE path LIKE '%a.png'");
    QVERIFY(m_box > 0 && m_polygon > 0);
    QSignalSpy shown(m_window->inspector(), &ui::SampleInspector::imageShown);
    if (m_window->inspector()->currentSampleId() != m_sampleA || !viewer()->hasImage()) {
        QVERIFY(m_window->selectSample(m_sampleA));
        QTRY_VERIFY_WITH_TIMEOUT(viewer()->hasImage()
                                     && m_window->inspector()->currentSampleId() == m_sampleA,
                                 10000);
    }
    QTRY_VERIFY(viewer()->annotation(m_box) != nullptr);
    QVERIFY(editor()->isEditable());
    viewer()->setFocus();
}

void TestBoxEditing::dragHandleResizesAtZoom()
{
    openAndShowA();
    viewer()->zoomIn();
    viewer()->zoomIn();
    QVERIFY2(std::abs(viewer()->zoom() - 1) > 0.2, qPrintable(QString::number(viewer()->zoom())));

    click(viewport(), at(50, 50));
    QCOMPARE(editor()->selection(), std::vector<std::int64_t>{m_box});
    QCOMPARE(editor()->visibleHandleCount(), ui::BoxEditor::handleCount);
    QCOMPARE(editor()->handlePosition(4), at(80, 70));

    // The bottom-right handle to a point between pixels: the edges snap to whole pixels.
    const QPoint target = at(101.3, 88.6) + QPoint(1, 0);
    const QPointF pixel = pixelAt(target);
    const int steps = stack()->count();
    drag(viewport(), editor()->handlePosition(4), target);
    Stored box = stored(m_box);
    QCOMPARE(box.x, 20.0);
    QCOMPARE(box.y, 30.0);
    QCOMPARE(box.w, pixel.x() - 20);
    QCOMPARE(box.h, pixel.y() - 30);
    QCOMPARE(stack()->count(), steps + 1);
    // The viewer shows the stored box, still selected, at the same zoom.
    QCOMPARE(viewer()->annotation(m_box)->w, pixel.x() - 20);
    QCOMPARE(editor()->selection(), std::vector<std::int64_t>{m_box});
    QVERIFY(std::abs(viewer()->zoom() - 1) > 0.2);

    // The top-left handle dragged beyond the image stops at its edge.
    drag(viewport(), editor()->handlePosition(0), at(-40, -40));
    box = stored(m_box);
    QCOMPARE(box.x, 0.0);
    QCOMPARE(box.y, 0.0);
    QCOMPARE(box.w, pixel.x());

    m_window->edits()->undo();
    m_window->edits()->undo();
    box = stored(m_box);
    QCOMPARE(box.x, 20.0);
    QCOMPARE(box.w, 60.0);
    QCOMPARE(box.h, 40.0);
    QCOMPARE(viewer()->annotation(m_box)->w, 60.0);
}

void TestBoxEditing::dragBodyMovesByWholePixels()
{
    openAndShowA();
    viewer()->zoomIn(); // 1.25 × the fitted zoom
    const double zoom = viewer()->zoom();
    const QPoint from = at(40, 45);
    const QPoint to = from + QPoint(37, -11);
    drag(viewport(), from, to);
    QCOMPARE(editor()->selection(), std::vector<std::int64_t>{m_box});
    const Stored box = stored(m_box);
    const QPointF moved = viewer()->viewportTransform().inverted().map(QPointF(to))
                          - viewer()->viewportTransform().inverted().map(QPointF(from));
    QCOMPARE(box.x, 20 + std::round(moved.x()));
    QCOMPARE(box.y, 30 + std::round(moved.y()));
    QCOMPARE(box.w, 60.0); // a move keeps the size
    QCOMPARE(box.h, 40.0);
    QVERIFY(std::abs(std::round(moved.x()) - std::round(37 / zoom)) <= 1);
    m_window->edits()->undo();
    QCOMPARE(stored(m_box).x, 20.0);
}

void TestBoxEditing::nudgesMergeIntoOneUndoStep()
{
    openAndShowA();
    click(viewport(), at(50, 50));
    const int steps = stack()->count();
    for (int i = 0; i < 5; ++i)
        QTest::keyClick(viewer(), Qt::Key_Right);
    QCOMPARE(stored(m_box).x, 25.0);
    QCOMPARE(stack()->count(), steps + 1);
    QTest::keyClick(viewer(), Qt::Key_Down, Qt::ShiftModifier);
    QCOMPARE(stored(m_box).y, 40.0);
    QCOMPARE(stack()->count(), steps + 1); // nudges of one box are one step
    // The inspector did not step to another sample: arrows belong to the selected box.
    QCOMPARE(m_window->inspector()->currentSampleId(), m_sampleA);
    m_window->edits()->undo();
    const Stored box = stored(m_box);
    QCOMPARE(box.x, 20.0);
    QCOMPARE(box.y, 30.0);
    // Nudges stop at the image's edge.
    for (int i = 0; i < 4; ++i)
        QTest::keyClick(viewer(), Qt::Key_Left, Qt::ShiftModifier);
    QCOMPARE(stored(m_box).x, 0.0);
    m_window->edits()->undo();
    QCOMPARE(stored(m_box).x, 20.0);
}

void TestBoxEditing::deleteRemovesTheSelection()
{
    openAndShowA();
    click(viewport(), at(50, 50));
    click(viewport(), at(150, 50), Qt::ControlModifier); // the polygon too
    QCOMPARE(editor()->selection().size(), size_t(2));
    QTest::keyClick(viewer(), Qt::Key_Delete);
    QVERIFY(!stored(m_box).exists);
    QVERIFY(!stored(m_polygon).exists);
    QVERIFY(viewer()->annotations().empty());
    QVERIFY(editor()->selection().empty());
    m_window->edits()->undo();
    QVERIFY(stored(m_box).exists);
    QVERIFY(stored(m_polygon).exists);
    QCOMPARE(stored(m_box).w, 60.0);
    QTRY_VERIFY(viewer()->annotation(m_polygon) != nullptr);
}

void TestBoxEditing::drawModeAddsABoxOfTheChosenClass()
{
    openAndShowA();
    QTRY_VERIFY(QTest::qWaitForWindowActive(m_window.get()));
    viewer()->setFocus();
    QTest::keyClick(viewer(), Qt::Key_B);
    QVERIFY(editor()->isDrawMode());
    QVERIFY(m_window->inspector()->editBar()->drawAction()->isChecked());

    // The class for new boxes, typed in the picker (any part of the name completes).
    QComboBox *picker = m_window->inspector()->editBar()->classPicker();
    picker->lineEdit()->selectAll();
    QTest::keyClicks(picker->lineEdit(), QStringLiteral("person"));
    QTest::keyClick(picker->lineEdit(), Qt::Key_Return);
    QCOMPARE(picker->currentText(), QStringLiteral("person"));
    QCOMPARE(m_window->inspector()->editBar()->newBoxClass(),
             edit::findCategory(m_window->project()->db(), QStringLiteral("person")));
    QVERIFY(editor()->isDrawMode());

    // Dragged from inside the image to beyond its bottom-right corner: clamped to the image.
    const QPoint from = at(120.2, 100.4);
    const QPointF start = pixelAt(from);
    const int before = int(viewer()->annotations().size());
    drag(viewport(), from, at(260, 190));
    const std::int64_t added = m_window->project()->db().queryInt(
        "SELECT max(id) FROM annotations");
    const Stored box = stored(added);
    QCOMPARE(box.category, QStringLiteral("person"));
    QCOMPARE(box.x, start.x());
    QCOMPARE(box.y, start.y());
    QCOMPARE(box.w, 200 - start.x());
    QCOMPARE(box.h, 150 - start.y());
    QCOMPARE(int(viewer()->annotations().size()), before + 1);
    QVERIFY(editor()->isDrawMode()); // stays on for the next box

    // A click without a drag adds nothing.
    click(viewport(), at(10, 10));
    QCOMPARE(int(viewer()->annotations().size()), before + 1);

    QTest::keyClick(viewer(), Qt::Key_Escape);
    QVERIFY(!editor()->isDrawMode());
    m_window->edits()->undo();
    QVERIFY(!stored(added).exists);
    QCOMPARE(int(viewer()->annotations().size()), before);
}

void TestBoxEditing::classPickerRelabelsTheSelection()
{
    openAndShowA();
    click(viewport(), at(50, 50));
    QComboBox *picker = m_window->inspector()->editBar()->classPicker();
    QCOMPARE(picker->currentText(), QStringLiteral("cat"));
    picker->lineEdit()->selectAll();
    QTest::keyClicks(picker->lineEdit(), QStringLiteral("dog"));
    QTest::keyClick(picker->lineEdit(), Qt::Key_Return);
    QCOMPARE(stored(m_box).category, QStringLiteral("dog"));
    QCOMPARE(viewer()->annotation(m_box)->category, QStringLiteral("dog"));
    QCOMPARE(editor()->selection(), std::vector<std::int64_t>{m_box});
    QCOMPARE(picker->currentText(), QStringLiteral("dog"));
    m_window->edits()->undo();
    QCOMPARE(stored(m_box).category, QStringLiteral("cat"));
    QCOMPARE(picker->currentText(), QStringLiteral("cat"));
}

void TestBoxEditing::polygonVertexDrags()
{
    openAndShowA();
    click(viewport(), at(150, 50));
    QCOMPARE(editor()->selection(), std::vector<std::int64_t>{m_polygon});
    QCOMPARE(editor()->visibleHandleCount(), 4);
    const QPoint target = at(130, 10);
    const QPointF where = viewer()->viewportTransform().inverted().map(QPointF(target));
    drag(viewport(), at(120, 20), target);
    const auto details = store::loadSampleDetails(m_window->project()->db(), m_sampleA);
    QVERIFY(details);
    const auto found = std::find_if(details->annotations.begin(), details->annotations.end(),
                                    [&](const Annotation &a) { return a.id == m_polygon; });
    QVERIFY(found != details->annotations.end());
    QCOMPARE(found->polygons[0][0], float(where.x()));
    QCOMPARE(found->polygons[0][1], float(where.y()));
    QCOMPARE(found->polygons[0][2], 180.0f); // the others stay
    m_window->edits()->undo();
    QCOMPARE(store::loadSampleDetails(m_window->project()->db(), m_sampleA)
                 ->annotations[1].polygons[0][0],
             120.0f);

    if (const QString dir = qEnvironmentVariable("ASSAY_SCREENSHOT_DIR"); !dir.isEmpty()) {
        click(viewport(), at(50, 50));
        QTest::qWait(300);
        QVERIFY(m_window->inspector()->grab().save(dir + QStringLiteral("/boxediting.png")));
    }
}

void TestBoxEditing::readOnlyProjectRefusesEdits()
{
    store::OpenOptions options;
    options.readOnly = true;
    auto project = store::Project::open(m_project, options);
    ui::EditController controller(m_registry.get());
    controller.setProject(project.get());
    ui::SampleInspector inspector;
    inspector.resize(700, 700);
    inspector.setEditController(&controller);
    inspector.show();
    const std::int64_t sample =
        project->db().queryInt("SELECT id FROM samples WHERE path LIKE '%a.png'");
    const std::int64_t box = project->db().queryInt(
        "SELECT id FROM annotations WHERE kind = 1 AND sample_id = " + std::to_string(sample));
    QSignalSpy shown(&inspector, &ui::SampleInspector::imageShown);
    inspector.showSample(*store::loadSampleDetails(project->db(), sample), project->datasetRoot());
    QVERIFY(shown.wait(10000));

    ui::ImageViewer *view = inspector.viewer();
    ui::BoxEditor *boxes = inspector.boxEditor();
    QVERIFY(!boxes->isEditable());
    QVERIFY(!inspector.editBar()->drawAction()->isEnabled());
    QVERIFY(!inspector.editBar()->classPicker()->isEnabled());
    QVERIFY2(inspector.editBar()->readOnlyReason().contains(QStringLiteral("read-only")),
             qPrintable(inspector.editBar()->readOnlyReason()));
    QVERIFY(inspector.editBar()->classPicker()->toolTip().contains(QStringLiteral("read-only")));

    const QPoint inside = view->mapFromScene(QPointF(50, 50));
    click(view->viewport(), inside);
    QVERIFY(boxes->selection().empty());
    QCOMPARE(boxes->visibleHandleCount(), 0);
    boxes->setDrawMode(true);
    QVERIFY(!boxes->isDrawMode());
    drag(view->viewport(), inside, inside + QPoint(40, 30)); // pans; edits nothing
    QTest::keyClick(view, Qt::Key_Delete);
    const Stored after = [&] {
        store::Statement row(project->db(), "SELECT x, y, w, h FROM annotations WHERE id = ?");
        row.bind(1, box);
        Stored s;
        if (row.step())
            s = {row.real(0), row.real(1), row.real(2), row.real(3), {}, true};
        return s;
    }();
    QVERIFY(after.exists);
    QCOMPARE(after.x, 20.0);
    QCOMPARE(after.w, 60.0);
    QCOMPARE(project->db().queryInt("SELECT count(*) FROM edits"), 0);
}

QTEST_MAIN(TestBoxEditing)
#include "tst_boxediting.moc"
