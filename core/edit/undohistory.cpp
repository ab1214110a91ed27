#include "undohistory.h"

#include <algorithm>

namespace assay::edit {

namespace {

// Removes the step headed by `head` from `stack` (searching from the top) and returns it.
bool take(std::vector<HistoryStep> &stack, std::int64_t head, HistoryStep &step)
{
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
        if (it->head == head) {
            step = std::move(*it);
            stack.erase(std::next(it).base());
            return true;
        }
    }
    return false;
}

} // namespace

void UndoHistory::fold(const store::JournalBatch &batch)
{
    m_lastBatch = std::max(m_lastBatch, batch.id);
    switch (batch.action) {
    case store::JournalAction::Do: {
        if (batch.target != 0 && !m_undo.empty() && m_undo.back().head == batch.target) {
            HistoryStep &top = m_undo.back();
            top.batches.push_back(batch.id);
            top.time = batch.time;
            top.rows += batch.rowCount;
        } else {
            m_undo.push_back({batch.id, {batch.id}, batch.text, batch.mergeKey, batch.user,
                              batch.time, batch.rowCount});
        }
        m_redo.clear();
        m_lastWasDo = true;
        return;
    }
    case store::JournalAction::Undo: {
        HistoryStep step;
        if (take(m_undo, batch.target, step))
            m_redo.push_back(std::move(step));
        break;
    }
    case store::JournalAction::Redo: {
        HistoryStep step;
        if (take(m_redo, batch.target, step))
            m_undo.push_back(std::move(step));
        break;
    }
    case store::JournalAction::Kept: break; // a note: the stacks stay, but merging stops
    }
    m_lastWasDo = false;
}

bool UndoHistory::canMerge(const QString &mergeKey, const QString &user) const
{
    return !mergeKey.isEmpty() && m_lastWasDo && !m_undo.empty()
           && m_undo.back().mergeKey == mergeKey && m_undo.back().user == user;
}

} // namespace assay::edit
