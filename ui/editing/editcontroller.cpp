#include "editcontroller.h"

#include "mainwindow/backgroundjob.h"

#include "analysis/editrefresh.h"
#include "store/project.h"
#include "util/error.h"

#include <QAction>
#include <QTimer>
#include <QUndoCommand>
#include <QUndoStack>

namespace assay::ui {

namespace {
constexpr int mergeableId = 1; // QUndoCommand::id of steps with a merge key
constexpr int pollMs = 3000;   // how often other connections' edits are looked for

QString menuText(const QString &verb, const QString &text)
{
    if (text.isEmpty())
        return verb;
    QString escaped = text;
    escaped.replace(u'&', QStringLiteral("&&"));
    return QStringLiteral("%1 %2").arg(verb, escaped);
}
} // namespace

// One step of the session's undo history on the QUndoStack. Its first redo() does nothing: the
// session applied the batch before the command was pushed (or, rebuilt, long before).
class EditStepCommand : public QUndoCommand
{
public:
    EditStepCommand(EditController *controller, const edit::HistoryStep &step, bool merged)
        : QUndoCommand(step.text), m_controller(controller), m_head(step.head),
          m_mergeKey(step.mergeKey), m_merged(merged)
    {}

    int id() const override { return m_mergeKey.isEmpty() ? -1 : mergeableId; }
    bool mergeWith(const QUndoCommand *other) override
    {
        // The session decided: it merged the batch into the top step or it did not.
        return static_cast<const EditStepCommand *>(other)->m_merged;
    }
    void redo() override
    {
        if (m_first) {
            m_first = false;
            return;
        }
        m_controller->runStep(false, m_head);
    }
    void undo() override { m_controller->runStep(true, m_head); }

private:
    EditController *m_controller;
    std::int64_t m_head;
    QString m_mergeKey;
    bool m_merged;
    bool m_first = true;
};

EditController::EditController(jobs::JobRegistry *registry, QObject *parent)
    : QObject(parent), m_registry(registry), m_stack(new QUndoStack(this)),
      m_refreshJob(new BackgroundJob(registry, this)), m_poll(new QTimer(this))
{
    m_poll->setInterval(pollMs);
    connect(m_poll, &QTimer::timeout, this, &EditController::refresh);
    connect(m_refreshJob, &BackgroundJob::done, this, [this] {
        m_refreshRunning = false;
        if (m_refreshOwed) {
            m_refreshOwed = false;
            startAnalysisRefresh();
            return;
        }
        emit analysesRefreshed();
    });
    connect(m_refreshJob, &BackgroundJob::failed, this, [this](const QString &text) {
        m_refreshRunning = m_refreshOwed = false;
        emit message(tr("The analyses could not be updated after the edit: %1").arg(text));
        emit analysesRefreshed();
    });
    connect(m_refreshJob, &BackgroundJob::canceled, this, [this] {
        m_refreshRunning = m_refreshOwed = false;
        emit analysesRefreshed();
    });
}

EditController::~EditController()
{
    m_rebuilding = true; // the stack's commands die with it and must not call back
    m_stack->clear();
}

void EditController::setProject(store::Project *project)
{
    m_poll->stop();
    m_session.reset();
    m_project = project;
    m_pending.clear();
    if (project) {
        try {
            m_session = std::make_unique<edit::EditSession>(*project);
            connect(m_session.get(), &edit::EditSession::changed, this, &EditController::onChanged);
            m_poll->start();
        } catch (const Error &error) {
            m_session.reset();
            emit failed(error.message());
        }
    }
    rebuildStack();
}

bool EditController::isEditable() const
{
    return m_session && m_project && !m_project->isReadOnly();
}

bool EditController::apply(edit::EditBatch batch)
{
    if (!m_session) {
        emit failed(tr("Open a project to edit it."));
        return false;
    }
    edit::HistoryStep step;
    step.text = batch.text;
    step.mergeKey = batch.mergeKey;
    edit::ApplyResult result;
    m_busy = true;
    try {
        result = m_session->apply(std::move(batch));
    } catch (const Error &error) {
        m_busy = false;
        m_rebuildOwed = true; // the session may have caught up with other connections
        rebuildIfOwed();
        flushEvents();
        emit failed(error.message());
        return false;
    }
    m_busy = false;
    if (result.batch == 0) {
        rebuildIfOwed();
        flushEvents();
        emit message(tr("Nothing changed: %1 — the samples already are so.").arg(step.text));
        return false;
    }
    if (m_rebuildOwed) {
        rebuildIfOwed(); // other connections' steps came first; the stack is read again
    } else {
        step.head = result.merged ? 0 : result.batch;
        m_stack->push(new EditStepCommand(this, step, result.merged));
    }
    flushEvents();
    return true;
}

void EditController::undo()
{
    if (m_stack->canUndo())
        m_stack->undo();
    rebuildIfOwed();
}

void EditController::redo()
{
    if (m_stack->canRedo())
        m_stack->redo();
    rebuildIfOwed();
}

void EditController::refresh()
{
    if (!m_session || m_busy)
        return;
    m_busy = true;
    try {
        m_session->refresh();
    } catch (const Error &error) {
        emit message(error.message());
    }
    m_busy = false;
    rebuildIfOwed();
    flushEvents();
}

// Called by a command's undo()/redo(), inside QUndoStack. Refuses (and owes a rebuild) when the
// session's next step is not this command's: another connection added steps, or an earlier
// command of the same setIndex() was refused.
bool EditController::runStep(bool undoing, std::int64_t head)
{
    if (m_rebuilding || m_rebuildOwed || !m_session)
        return false;
    m_busy = true;
    bool done = false;
    try {
        m_session->refresh(); // other connections' steps: an External event owes a rebuild
        const std::vector<edit::HistoryStep> &steps =
            undoing ? m_session->undoSteps() : m_session->redoSteps();
        if (m_rebuildOwed || steps.empty() || steps.back().head != head) {
            m_rebuildOwed = true;
            emit message(tr("The history changed in another window or by assay-cli; it was "
                            "reloaded. Nothing was %1.")
                             .arg(undoing ? tr("undone") : tr("redone")));
        } else {
            if (undoing)
                m_session->undo();
            else
                m_session->redo();
            done = true;
        }
    } catch (const Error &error) {
        m_rebuildOwed = true; // the QUndoStack moves its index anyway
        emit failed(error.message());
    }
    m_busy = false;
    if (m_rebuildOwed) // when QUndoStack drove this (a history view), rebuild once it returns
        QMetaObject::invokeMethod(this, &EditController::rebuildIfOwed, Qt::QueuedConnection);
    flushEvents();
    return done;
}

void EditController::onChanged(const edit::ChangeEvent &event)
{
    if (event.kind == edit::ChangeEvent::Kind::External)
        m_rebuildOwed = true;
    m_pending.push_back(event);
    if (!m_busy) {
        rebuildIfOwed();
        flushEvents();
    }
}

// Views hear of changes once the undo stack agrees with the session.
void EditController::flushEvents()
{
    std::vector<edit::ChangeEvent> events;
    events.swap(m_pending);
    bool labels = false;
    for (const edit::ChangeEvent &event : events) {
        labels = labels || event.fields.touchesLabels();
        emit samplesChanged(event);
    }
    if (labels)
        startAnalysisRefresh();
}

void EditController::rebuildIfOwed()
{
    if (m_rebuildOwed)
        rebuildStack();
}

void EditController::rebuildStack()
{
    m_rebuildOwed = false;
    m_rebuilding = true;
    m_stack->clear();
    if (m_session) {
        const std::vector<edit::HistoryStep> &undo = m_session->undoSteps();
        for (const edit::HistoryStep &step : undo)
            m_stack->push(new EditStepCommand(this, step, false));
        const std::vector<edit::HistoryStep> &redo = m_session->redoSteps();
        for (auto step = redo.rbegin(); step != redo.rend(); ++step) // back() redoes next
            m_stack->push(new EditStepCommand(this, *step, false));
        m_stack->setIndex(int(undo.size()));
    }
    m_stack->setClean();
    m_rebuilding = false;
}

void EditController::startAnalysisRefresh()
{
    if (!m_project || m_project->isReadOnly())
        return;
    if (m_refreshRunning) { // until its outcome arrived: the watcher may say "finished" sooner
        m_refreshOwed = true;
        return;
    }
    m_refreshRunning = true;
    const QString path = m_project->path();
    m_refreshJob->start(tr("Updating analyses after an edit"), [path](jobs::Progress &) {
        const auto project = store::Project::open(path);
        return analysis::refreshAfterEdit(*project) ? QStringLiteral("updated") : QString();
    });
}

bool EditController::isRefreshingAnalyses() const
{
    return m_refreshRunning || m_refreshOwed;
}

QAction *EditController::createUndoAction(QObject *parent)
{
    auto *action = new QAction(tr("&Undo"), parent);
    action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Z));
    action->setEnabled(m_stack->canUndo());
    connect(m_stack, &QUndoStack::canUndoChanged, action, &QAction::setEnabled);
    connect(m_stack, &QUndoStack::undoTextChanged, action,
            [action](const QString &text) { action->setText(menuText(tr("&Undo"), text)); });
    connect(action, &QAction::triggered, this, &EditController::undo);
    return action;
}

QAction *EditController::createRedoAction(QObject *parent)
{
    auto *action = new QAction(tr("&Redo"), parent);
    action->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    action->setEnabled(m_stack->canRedo());
    connect(m_stack, &QUndoStack::canRedoChanged, action, &QAction::setEnabled);
    connect(m_stack, &QUndoStack::redoTextChanged, action,
            [action](const QString &text) { action->setText(menuText(tr("&Redo"), text)); });
    connect(action, &QAction::triggered, this, &EditController::redo);
    return action;
}

} // namespace assay::ui
