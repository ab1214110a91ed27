// The edit controller: an edit is one step on the QUndoStack that undoes and redoes through the
// session; repeated edits with one merge key are one step; edits another connection makes
// rebuild the stack; a refused undo leaves the stack as the journal says; label edits refresh
// the analyses in the background.

#include "edit/commands.h"
#include "edit/editsession.h"
#include "editing/editcontroller.h"
#include "jobs/jobregistry.h"
#include "projectfixture.h"
#include "store/project.h"

#include <QAction>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace assay;

class TestEditController : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void applyUndoRedoThroughTheStack();
    void repeatedEditsWithOneKeyMerge();
    void externalEditsRebuildTheStack();
    void refusedUndoLeavesAConsistentStack();
    void labelEditsRefreshTheAnalyses();
    void readOnlyProjectRefusesWithAMessage();

private:
    std::int64_t classOf(std::int64_t sample)
    {
        return m_project->db().queryInt("SELECT coalesce(category_id, 0) FROM samples WHERE id = " +
                                        std::to_string(sample));
    }
    // A class none of `classes` is.
    static std::int64_t otherClass(const std::vector<std::int64_t> &classes)
    {
        std::int64_t category = 1;
        while (std::find(classes.begin(), classes.end(), category) != classes.end())
            ++category;
        return category;
    }
    void verifyStackMatchesSession()
    {
        edit::EditSession *session = m_controller->session();
        QCOMPARE(m_controller->undoStack()->index(), int(session->undoSteps().size()));
        QCOMPARE(m_controller->undoStack()->count(),
                 int(session->undoSteps().size() + session->redoSteps().size()));
        QCOMPARE(m_controller->undoStack()->canUndo(), session->canUndo());
        QCOMPARE(m_controller->undoStack()->undoText(), session->undoText());
    }

    QTemporaryDir m_dir;
    QString m_path;
    std::vector<std::int64_t> m_original;
    std::unique_ptr<jobs::JobRegistry> m_registry;
    std::unique_ptr<store::Project> m_project;
    std::unique_ptr<ui::EditController> m_controller;
};

void TestEditController::init()
{
    static int n = 0;
    m_path = m_dir.filePath(QStringLiteral("p%1.assay").arg(++n));
    m_original = test::createLabelledProject(m_path, 40, 4);
    m_registry = std::make_unique<jobs::JobRegistry>();
    m_project = store::Project::open(m_path);
    m_controller = std::make_unique<ui::EditController>(m_registry.get());
    m_controller->setProject(m_project.get());
}

void TestEditController::cleanup()
{
    if (m_controller->isRefreshingAnalyses()) {
        QSignalSpy refreshed(m_controller.get(), &ui::EditController::analysesRefreshed);
        QVERIFY(refreshed.wait(30000));
    }
    m_controller.reset();
    m_project.reset();
}

void TestEditController::applyUndoRedoThroughTheStack()
{
    QSignalSpy changed(m_controller.get(), &ui::EditController::samplesChanged);
    store::Database &db = m_project->db();
    const std::int64_t target = otherClass({m_original[0], m_original[1]});
    QVERIFY(m_controller->apply(edit::setSampleClass(db, {1, 2}, target)));
    QCOMPARE(classOf(1), target);
    QCOMPARE(classOf(2), target);
    QCOMPARE(m_controller->undoStack()->count(), 1);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.last().at(0).value<edit::ChangeEvent>().sampleIds,
             (std::vector<std::int64_t>{1, 2}));
    verifyStackMatchesSession();

    // The Edit menu's actions name the step and drive the stack.
    QScopedPointer<QAction> undoAction(m_controller->createUndoAction(nullptr));
    QScopedPointer<QAction> redoAction(m_controller->createRedoAction(nullptr));
    QVERIFY(undoAction->isEnabled());
    QVERIFY(!redoAction->isEnabled());
    undoAction->trigger();
    QCOMPARE(classOf(1), m_original[0]);
    QCOMPARE(classOf(2), m_original[1]);
    QCOMPARE(m_controller->undoStack()->index(), 0);
    QVERIFY(redoAction->isEnabled());
    QVERIFY(redoAction->text().contains(
        m_controller->session()->redoText().replace(u'&', QStringLiteral("&&"))));
    QCOMPARE(changed.size(), 2);
    verifyStackMatchesSession();

    redoAction->trigger();
    QCOMPARE(classOf(1), target);
    QCOMPARE(m_controller->undoStack()->index(), 1);
    verifyStackMatchesSession();

    // A new edit after an undo drops the redo step, in the stack as in the session.
    m_controller->undo();
    QVERIFY(m_controller->apply(edit::setTag(db, {3}, QStringLiteral("checked"), true)));
    QCOMPARE(m_controller->undoStack()->count(), 1);
    QVERIFY(!m_controller->undoStack()->canRedo());
    verifyStackMatchesSession();
}

void TestEditController::repeatedEditsWithOneKeyMerge()
{
    store::Database &db = m_project->db();
    for (std::int64_t category : {2, 3, 4, 1, 3}) {
        edit::EditBatch batch = edit::setSampleClass(db, {5}, category);
        batch.mergeKey = QStringLiteral("nudge:5");
        m_controller->apply(std::move(batch));
    }
    QCOMPARE(classOf(5), std::int64_t(3));
    QCOMPARE(m_controller->undoStack()->count(), 1);
    verifyStackMatchesSession();
    m_controller->undo();
    QCOMPARE(classOf(5), m_original[4]);
    QCOMPARE(m_controller->undoStack()->index(), 0);
    verifyStackMatchesSession();
    m_controller->redo();
    QCOMPARE(classOf(5), std::int64_t(3));

    // Another key starts a new step.
    edit::EditBatch other = edit::setSampleClass(db, {6}, otherClass({m_original[5]}));
    other.mergeKey = QStringLiteral("nudge:6");
    QVERIFY(m_controller->apply(std::move(other)));
    QCOMPARE(m_controller->undoStack()->count(), 2);
    verifyStackMatchesSession();
}

void TestEditController::externalEditsRebuildTheStack()
{
    store::Database &db = m_project->db();
    QVERIFY(m_controller->apply(edit::setReviewed(db, {1, 2, 3}, true)));

    // A second window (or assay-cli) on the same file edits too.
    {
        auto other = store::Project::open(m_path);
        edit::EditSession session(*other);
        session.apply(edit::setSampleClass(other->db(), {7}, m_original[6] == 1 ? 2 : 1));
        session.apply(edit::setExcluded(other->db(), {8}, true));
    }
    QSignalSpy changed(m_controller.get(), &ui::EditController::samplesChanged);
    m_controller->refresh();
    QCOMPARE(changed.size(), 1);
    const auto event = changed.first().at(0).value<edit::ChangeEvent>();
    QCOMPARE(event.kind, edit::ChangeEvent::Kind::External);
    QCOMPARE(event.sampleIds, (std::vector<std::int64_t>{7, 8}));
    QCOMPARE(m_controller->undoStack()->count(), 3);
    verifyStackMatchesSession();

    // One history per project: undo takes back the other window's latest step first.
    m_controller->undo();
    QCOMPARE(db.queryInt("SELECT excluded FROM samples WHERE id = 8"), std::int64_t(0));
    m_controller->undo();
    QCOMPARE(classOf(7), m_original[6]);
    QCOMPARE(m_controller->undoStack()->index(), 1);
    verifyStackMatchesSession();

    // An undo that meets a newer external step does not undo the wrong one: the stack is
    // reloaded, nothing is undone, and the next undo takes the external step back.
    {
        auto other = store::Project::open(m_path);
        edit::EditSession session(*other);
        session.apply(edit::setTag(other->db(), {9}, QStringLiteral("other"), true));
    }
    const QString before = m_controller->undoStack()->undoText();
    m_controller->undo();
    QCOMPARE(db.queryInt("SELECT count(*) FROM sample_tags WHERE sample_id = 9"), std::int64_t(1));
    QCOMPARE(db.queryInt("SELECT reviewed FROM samples WHERE id = 1"), std::int64_t(1));
    QVERIFY(m_controller->undoStack()->undoText() != before);
    verifyStackMatchesSession();
    m_controller->undo();
    QCOMPARE(db.queryInt("SELECT count(*) FROM sample_tags WHERE sample_id = 9"), std::int64_t(0));
    verifyStackMatchesSession();
}

void TestEditController::refusedUndoLeavesAConsistentStack()
{
    store::Database &db = m_project->db();
    const std::int64_t target = m_original[0] == 2 ? 3 : 2;
    QVERIFY(m_controller->apply(edit::setReviewed(db, {4}, true)));
    QVERIFY(m_controller->apply(edit::setSampleClass(db, {1}, target)));
    // Someone changes the value behind the journal's back: undo must not overwrite it.
    {
        auto other = store::Project::open(m_path);
        other->db().exec("UPDATE samples SET category_id = 4 WHERE id = 1");
    }
    QSignalSpy failed(m_controller.get(), &ui::EditController::failed);
    m_controller->undo();
    QCOMPARE(failed.size(), 1);
    QVERIFY(!failed.first().at(0).toString().isEmpty());
    QCOMPARE(classOf(1), std::int64_t(4));
    QCOMPARE(m_controller->undoStack()->count(), 2);
    QCOMPARE(m_controller->undoStack()->index(), 2);
    verifyStackMatchesSession();

    // Driving the stack directly (as a history view does with setIndex) is refused the same
    // way; the earlier step is not undone in its place, and the stack is rebuilt afterwards.
    m_controller->undoStack()->setIndex(0);
    QCOMPARE(db.queryInt("SELECT reviewed FROM samples WHERE id = 4"), std::int64_t(1));
    QTRY_COMPARE(m_controller->undoStack()->index(), 2);
    verifyStackMatchesSession();
}

void TestEditController::labelEditsRefreshTheAnalyses()
{
    QSignalSpy refreshed(m_controller.get(), &ui::EditController::analysesRefreshed);
    QVERIFY(m_controller->apply(edit::setSampleClass(m_project->db(), {1}, 4)));
    QVERIFY(m_controller->isRefreshingAnalyses());
    QVERIFY(refreshed.wait(30000));
    QVERIFY(!m_controller->isRefreshingAnalyses());
    // Tags change no analysis: nothing runs.
    QVERIFY(m_controller->apply(edit::setTag(m_project->db(), {1}, QStringLiteral("t"), true)));
    QVERIFY(!m_controller->isRefreshingAnalyses());
}

void TestEditController::readOnlyProjectRefusesWithAMessage()
{
    store::OpenOptions options;
    options.readOnly = true;
    auto readOnly = store::Project::open(m_path, options);
    m_controller->setProject(readOnly.get());
    QVERIFY(!m_controller->isEditable());
    QSignalSpy failed(m_controller.get(), &ui::EditController::failed);
    QVERIFY(!m_controller->apply(edit::setReviewed(readOnly->db(), {1}, true)));
    QCOMPARE(failed.size(), 1);
    QVERIFY(failed.first().at(0).toString().contains(m_path));
    QCOMPARE(m_controller->undoStack()->count(), 0);
    m_controller->setProject(nullptr);
}

QTEST_MAIN(TestEditController)
#include "tst_editcontroller.moc"
