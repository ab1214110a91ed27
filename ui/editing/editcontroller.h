#pragma once

#include "edit/change.h"
#include "edit/editsession.h"

#include <QObject>
#include <QString>

#include <memory>
#include <vector>

class QAction;
class QTimer;
class QUndoStack;

namespace assay::jobs {
class JobRegistry;
}
namespace assay::store {
class Project;
}

namespace assay::ui {

class BackgroundJob;

// The editing side of an open project, owned by the main window: the project's EditSession and
// the one QUndoStack that mirrors its undo history (STYLE.md "Edits and undo").
//
// Every edit goes through apply(): the session writes it (or refuses, and the reason is reported
// through `failed`), then one QUndoCommand is pushed whose first redo() does nothing; later
// undo()/redo() of the stack call the session's. Batches with a merge key that the session
// merged into the top step merge in the stack too. The stack is rebuilt from the session's
// steps on setProject(), when another connection (another window, assay-cli) added batches,
// and after a refused undo or redo, so it always shows what the journal says.
//
// After every change, `samplesChanged` tells views what to reload; when labels changed, the
// analyses the edit made stale are recomputed in the background (analysis::refreshAfterEdit on
// a connection of its own) and `analysesRefreshed` follows.
class EditController : public QObject
{
    Q_OBJECT
public:
    explicit EditController(jobs::JobRegistry *registry, QObject *parent = nullptr);
    ~EditController() override;

    // The project edits go to (nullptr: none). The caller keeps it alive until the next call.
    void setProject(store::Project *project);
    store::Project *project() const { return m_project; }
    // A session exists while a project is open; nullptr otherwise.
    edit::EditSession *session() const { return m_session.get(); }
    QUndoStack *undoStack() const { return m_stack; }
    // Whether edits can be made (a project is open and writable).
    bool isEditable() const;

    // Writes `batch` (its text is the step's text; a merge key lets repeated edits of one thing
    // join one step) as one undo step. Returns false when it was refused (reported through
    // `failed`) or changed nothing (reported in `message`).
    bool apply(edit::EditBatch batch);
    void undo();
    void redo();
    // Picks up edits other connections made (a timer does it every few seconds too).
    void refresh();

    // Edit-menu actions whose text names the step ("Undo Set the class of 3 samples to cat").
    QAction *createUndoAction(QObject *parent);
    QAction *createRedoAction(QObject *parent);

    // Whether a background refresh of the analyses is running or owed.
    bool isRefreshingAnalyses() const;

signals:
    // Any apply, undo, redo or external change: views reload what shows event.sampleIds.
    void samplesChanged(const assay::edit::ChangeEvent &event);
    // Stored analyses (duplicates' conflict flags, slices, annotation checks) were recomputed.
    void analysesRefreshed();
    void failed(const QString &message);  // an edit, undo or redo was refused: nothing changed
    void message(const QString &message); // for the status bar

private:
    friend class EditStepCommand;
    bool runStep(bool undoing, std::int64_t head);
    void onChanged(const edit::ChangeEvent &event);
    void flushEvents();
    void rebuildStack();
    void rebuildIfOwed();
    void startAnalysisRefresh();

    jobs::JobRegistry *m_registry;
    store::Project *m_project = nullptr;
    std::unique_ptr<edit::EditSession> m_session;
    QUndoStack *m_stack;
    BackgroundJob *m_refreshJob;
    QTimer *m_poll;
    std::vector<edit::ChangeEvent> m_pending; // session events not yet announced
    bool m_busy = false;        // inside a session call: events wait for flushEvents()
    bool m_rebuildOwed = false; // the session's stacks moved in a way the QUndoStack did not
    bool m_rebuilding = false;  // commands pushed by rebuildStack() do nothing
    bool m_refreshRunning = false; // started, and its outcome not delivered yet
    bool m_refreshOwed = false;    // labels changed while a refresh ran
};

} // namespace assay::ui
