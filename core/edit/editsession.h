#pragma once

#include "change.h"
#include "undohistory.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace assay::store {
class Project;
}

namespace assay::edit {

class FieldAccess;

// What an apply, undo or redo changed, for views to refresh what they show: the project
// announces it (EditSession::changed); views listen to the session, never to commands.
struct ChangeEvent
{
    enum class Kind {
        Applied,  // apply(): a new batch (or one merged into the top step)
        Undone,   // undo()
        Redone,   // redo()
        External, // batches another connection (another window, assay-cli) appended; the undo
                  // stacks changed too
    };
    Kind kind = Kind::Applied;
    std::int64_t batch = 0; // the journal batch written (External: the last one seen)
    QString text;           // the step's text
    bool merged = false;    // Applied: the batch joined the previous step
    FieldSet fields;
    // Sorted, without repeats. Annotation changes also list their sample; a category change
    // lists the category (a rename changes the class name of every sample that has it).
    std::vector<std::int64_t> sampleIds;
    std::vector<std::int64_t> annotationIds;
    std::vector<std::int64_t> categoryIds;

    bool isEmpty() const { return fields.isEmpty(); }
};

struct ApplyResult
{
    std::int64_t batch = 0;   // the journal batch; 0 when nothing changed (no batch written)
    bool merged = false;      // joined the top undo step (QUndoCommand::mergeWith returns this)
    std::int64_t changes = 0; // values that changed (changes to the value held are dropped)
};

// The one way edits reach a project. apply() writes a batch of Changes and its journal rows in
// one transaction, reading each old value inside it (so a value another connection changed
// meanwhile is never overwritten with a stale one); undo() and redo() append batches that put
// the old (new) values back, refusing when a value is no longer what the step left. The undo
// and redo stacks are folded from the journal: they survive a restart, and are shared by every
// connection to the project (one history per project).
//
// For the UI (QUndoStack, issue #8): call apply() first (it may refuse, and QUndoStack::push
// cannot), then push one QUndoCommand per applied batch whose first redo() does nothing; later
// redo() calls redo(), undo() calls undo(). id() is one value for commands with a merge key and
// mergeWith() returns the newer command's ApplyResult::merged: the session already merged it.
// On open, on an External event, and after an undo() or redo() that threw (the session's stacks
// did not move, the QUndoStack's index did), rebuild the QUndoStack from undoSteps() and
// redoSteps(). Errors (a conflict, a read-only project) throw assay::Error with a message for a
// person; nothing is written then. The history panel reads edit::loadJournal (journalquery.h);
// after `changed`, analysis::refreshAfterEdit (in the background) recomputes what the edit made
// stale.
//
// Synchronous: apply/undo/redo run on the caller's thread, on the project's connection, and hold
// a write transaction for their duration (a 100,000-sample relabel: well under a second). Not
// thread-safe, like the Project it uses.
class EditSession : public QObject
{
    Q_OBJECT
public:
    explicit EditSession(store::Project &project, QObject *parent = nullptr);
    ~EditSession() override;

    // Who the journal says made the edits: $ASSAY_USER, else $USER, else $USERNAME, else
    // "unknown"; setUserName() overrides it.
    static QString defaultUserName();
    void setUserName(const QString &name) { m_user = name; }
    const QString &userName() const { return m_user; }

    ApplyResult apply(EditBatch batch);
    ChangeEvent undo();
    ChangeEvent redo();

    bool canUndo() const { return !m_history.undoSteps().empty(); }
    bool canRedo() const { return !m_history.redoSteps().empty(); }
    QString undoText() const;
    QString redoText() const;
    const std::vector<HistoryStep> &undoSteps() const { return m_history.undoSteps(); }
    const std::vector<HistoryStep> &redoSteps() const { return m_history.redoSteps(); }

    // Reads batches other connections appended since (cheap when there are none), emits one
    // External event for them and returns true when there were any. apply/undo/redo do it
    // first themselves.
    bool refresh();

    store::Project &project() { return m_project; }

signals:
    void changed(const assay::edit::ChangeEvent &event);

private:
    struct Pending;
    void requireWritable(const QString &what) const;
    void catchUp(ChangeEvent &external);
    ChangeEvent replay(bool undoing);
    void finishEvents(ChangeEvent &external, ChangeEvent &own);

    store::Project &m_project;
    std::unique_ptr<FieldAccess> m_access;
    UndoHistory m_history;
    QString m_user;
};

} // namespace assay::edit

Q_DECLARE_METATYPE(assay::edit::ChangeEvent)
