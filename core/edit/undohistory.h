#pragma once

#include "store/editjournal.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace assay::edit {

// One undo step: a batch and the batches merged into it.
struct HistoryStep
{
    std::int64_t head = 0;             // the step's first batch: what undo/redo batches target
    std::vector<std::int64_t> batches; // head first, then the batches merged into it, in order
    QString text;                      // the head's text ("Move a box")
    QString mergeKey;
    QString user;
    QString time; // of the latest batch of the step
    std::int64_t rows = 0;
};

// The undo and redo stacks as the journal describes them: folding every batch in id order gives
// the same stacks in every process and after every restart. A do-batch pushes a step (or joins
// the top one when it says it merged into it) and empties the redo stack; an undo moves its step
// to the redo stack, a redo moves it back; "kept" batches are notes, not steps.
class UndoHistory
{
public:
    void fold(const store::JournalBatch &batch);

    const std::vector<HistoryStep> &undoSteps() const { return m_undo; } // back() undoes next
    const std::vector<HistoryStep> &redoSteps() const { return m_redo; } // back() redoes next
    std::int64_t lastBatch() const { return m_lastBatch; }
    // Whether a do-batch with `mergeKey` by `user` may join the top step: the key matches and
    // nothing (no other edit, undo or redo) happened since the top step's last batch.
    bool canMerge(const QString &mergeKey, const QString &user) const;

private:
    std::vector<HistoryStep> m_undo;
    std::vector<HistoryStep> m_redo;
    std::int64_t m_lastBatch = 0;
    bool m_lastWasDo = false; // the last folded batch was a do-batch of the top step
};

} // namespace assay::edit
