// EditSession: applies batches of Changes, journals them, undoes and redoes them.

#include "editsession.h"

#include "fieldaccess.h"
#include "staleness.h"

#include "store/editjournal.h"
#include "store/project.h"
#include "store/transaction.h"
#include "util/error.h"

#include <algorithm>

namespace assay::edit {

namespace {

// The journal spells a tag change as the tag's name appearing or disappearing.
FieldValue journalValue(const Change &change, const FieldValue &value)
{
    if (change.field == Field::SampleTag)
        return idOf(value) ? FieldValue(change.key) : FieldValue();
    return value;
}

Change changeOf(const store::JournalRow &row)
{
    const std::optional<Field> field = parseField(row.field.toStdString());
    if (!field)
        throw Error(QStringLiteral("the edit journal names a field this version does not know "
                                   "('%1'); update Assay to undo or redo it")
                        .arg(row.field));
    Change change;
    change.field = *field;
    change.sampleId = row.sampleId;
    change.annotationId = row.annotationId;
    change.categoryId = row.categoryId;
    if (change.field == Field::SampleTag) {
        const FieldValue &named = isNullValue(row.oldValue) ? row.newValue : row.oldValue;
        if (const auto *name = std::get_if<QString>(&named))
            change.key = *name;
        change.oldValue = flagValue(!isNullValue(row.oldValue));
        change.newValue = flagValue(!isNullValue(row.newValue));
    } else {
        change.oldValue = row.oldValue;
        change.newValue = row.newValue;
    }
    return change;
}

// Collects what a batch touched into a ChangeEvent.
class EventBuilder
{
public:
    explicit EventBuilder(ChangeEvent &event) : m_event(event) {}
    void add(const Change &change)
    {
        m_event.fields.add(change.field);
        if (change.sampleId)
            m_event.sampleIds.push_back(change.sampleId);
        if (change.annotationId)
            m_event.annotationIds.push_back(change.annotationId);
        if (change.categoryId)
            m_event.categoryIds.push_back(change.categoryId);
    }
    static void finish(ChangeEvent &event)
    {
        for (auto *ids : {&event.sampleIds, &event.annotationIds, &event.categoryIds}) {
            std::sort(ids->begin(), ids->end());
            ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
        }
    }

private:
    ChangeEvent &m_event;
};

// A bulk edit touches pages all over the samples table and its indexes: with the usual 16 MB
// cache, a 100,000-sample edit of a million-sample project spills dirty pages before the commit.
// Declared before the transaction, it restores the cache after it ends.
class BulkCache
{
public:
    BulkCache(store::Database &db, size_t changes) : m_db(db), m_on(changes >= 10000)
    {
        if (m_on)
            m_db.exec("PRAGMA cache_size = -131072");
    }
    ~BulkCache()
    {
        if (!m_on)
            return;
        try {
            m_db.exec("PRAGMA cache_size = -16384");
        } catch (...) {
        }
    }
    BulkCache(const BulkCache &) = delete;
    BulkCache &operator=(const BulkCache &) = delete;

private:
    store::Database &m_db;
    bool m_on;
};

bool hasJournal(store::Database &db)
{
    return db.queryInt("SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                       "name = 'edit_batches')")
           != 0;
}

} // namespace

EditSession::EditSession(store::Project &project, QObject *parent)
    : QObject(parent), m_project(project),
      m_access(std::make_unique<FieldAccess>(project.db())), m_user(defaultUserName())
{
    // A read-only file of an older schema has no journal: no history, and no edits either.
    if (hasJournal(project.db())) {
        for (const store::JournalBatch &batch : store::loadJournalBatches(project.db()))
            m_history.fold(batch);
    }
}

EditSession::~EditSession() = default;

QString EditSession::defaultUserName()
{
    return store::journalUserName();
}

QString EditSession::undoText() const
{
    return canUndo() ? m_history.undoSteps().back().text : QString();
}

QString EditSession::redoText() const
{
    return canRedo() ? m_history.redoSteps().back().text : QString();
}

void EditSession::requireWritable(const QString &what) const
{
    if (m_project.isReadOnly())
        throw Error(QStringLiteral("%1 is open read-only; cannot %2").arg(m_project.path(), what));
    if (!hasJournal(m_project.db()))
        throw Error(QStringLiteral("%1 has no edit journal; open it writable to upgrade it")
                        .arg(m_project.path()));
}

void EditSession::catchUp(ChangeEvent &external)
{
    store::Database &db = m_project.db();
    if (!hasJournal(db))
        return;
    EventBuilder events(external);
    for (const store::JournalBatch &batch : store::loadJournalBatches(db, m_history.lastBatch())) {
        m_history.fold(batch);
        for (const store::JournalRow &row : store::loadJournalRows(db, batch)) {
            if (parseField(row.field.toStdString())) // a newer version's fields: not ours to show
                events.add(changeOf(row));
        }
        external.kind = ChangeEvent::Kind::External;
        external.batch = batch.id;
        external.text = batch.text;
    }
}

void EditSession::finishEvents(ChangeEvent &external, ChangeEvent &own)
{
    if (external.batch != 0) {
        EventBuilder::finish(external);
        emit changed(external);
    }
    if (own.batch != 0) {
        EventBuilder::finish(own);
        emit changed(own);
    }
}

bool EditSession::refresh()
{
    ChangeEvent external, none;
    catchUp(external);
    finishEvents(external, none);
    return external.batch != 0;
}

ApplyResult EditSession::apply(EditBatch batch)
{
    requireWritable(QStringLiteral("edit it"));
    store::Database &db = m_project.db();
    ChangeEvent external, own;
    ApplyResult result;
    try {
        const BulkCache cache(db, batch.changes.size());
        store::Transaction transaction(db);
        catchUp(external);
        result.merged = m_history.canMerge(batch.mergeKey, m_user);
        store::JournalBatch header;
        header.user = m_user;
        header.action = store::JournalAction::Do;
        header.target = result.merged ? m_history.undoSteps().back().head : 0;
        header.text = batch.text;
        header.reason = batch.reason;
        header.mergeKey = batch.mergeKey;
        store::JournalWriter journal(db);
        journal.begin(header);
        EventBuilder events(own);
        for (Change &change : batch.changes) {
            const FieldValue old = m_access->read(change);
            if (change.expected && *change.expected != old)
                throw Error(QStringLiteral("%1 changed since this edit was prepared; nothing "
                                           "was changed")
                                .arg(m_access->describe(change)));
            if (old == change.newValue)
                continue; // nothing to change, nothing to journal
            change.oldValue = old;
            m_access->write(change, change.newValue);
            journal.add(change.sampleId, change.annotationId, change.categoryId,
                        fieldName(change.field), journalValue(change, old),
                        journalValue(change, change.newValue));
            events.add(change);
            ++result.changes;
        }
        if (result.changes == 0) {
            result.merged = false;
            m_access->forgetCaches();
            finishEvents(external, own);
            return result;
        }
        store::markStale(db, analysesStaleAfter(own.fields));
        m_project.setMeta(QStringLiteral("modified_at"), store::journalTimeNow());
        const store::JournalBatch written = journal.finish();
        transaction.commit();
        m_history.fold(written);
        result.batch = written.id;
        own.kind = ChangeEvent::Kind::Applied;
        own.batch = written.id;
        own.text = written.text;
        own.merged = result.merged;
    } catch (...) {
        m_access->forgetCaches(); // ids of rows the rollback took back
        throw;
    }
    finishEvents(external, own);
    return result;
}

ChangeEvent EditSession::undo()
{
    return replay(true);
}

ChangeEvent EditSession::redo()
{
    return replay(false);
}

ChangeEvent EditSession::replay(bool undoing)
{
    const QString verb = undoing ? QStringLiteral("undo") : QStringLiteral("redo");
    requireWritable(verb);
    store::Database &db = m_project.db();
    ChangeEvent external, own;
    try {
        const std::vector<HistoryStep> &steps =
            undoing ? m_history.undoSteps() : m_history.redoSteps();
        const BulkCache cache(db, steps.empty() ? 0 : size_t(steps.back().rows));
        store::Transaction transaction(db);
        catchUp(external);
        const std::vector<HistoryStep> &stack =
            undoing ? m_history.undoSteps() : m_history.redoSteps();
        if (stack.empty())
            throw Error(QStringLiteral("%1: nothing to %2").arg(m_project.path(), verb));
        const HistoryStep step = stack.back();
        std::vector<store::JournalRow> rows;
        for (const std::int64_t id : step.batches) {
            const std::optional<store::JournalBatch> batch = store::loadJournalBatch(db, id);
            if (!batch)
                throw Error(QStringLiteral("%1: the edit journal lacks batch %2")
                                .arg(m_project.path())
                                .arg(id));
            std::vector<store::JournalRow> part = store::loadJournalRows(db, *batch);
            rows.insert(rows.end(), std::make_move_iterator(part.begin()),
                        std::make_move_iterator(part.end()));
        }
        if (undoing)
            std::reverse(rows.begin(), rows.end());
        store::JournalBatch header;
        header.user = m_user;
        header.action = undoing ? store::JournalAction::Undo : store::JournalAction::Redo;
        header.target = step.head;
        header.text = step.text;
        store::JournalWriter journal(db);
        journal.begin(header);
        EventBuilder events(own);
        for (const store::JournalRow &row : rows) {
            Change change = changeOf(row);
            const FieldValue &want = undoing ? change.newValue : change.oldValue;
            const FieldValue &put = undoing ? change.oldValue : change.newValue;
            if (m_access->read(change) != want)
                throw Error(QStringLiteral("cannot %1 \u201c%2\u201d: %3 was changed since (by "
                                           "a later edit, another window or a re-import); "
                                           "nothing was changed")
                                .arg(verb, step.text, m_access->describe(change)));
            m_access->write(change, put);
            journal.add(change.sampleId, change.annotationId, change.categoryId,
                        fieldName(change.field), journalValue(change, want),
                        journalValue(change, put));
            events.add(change);
        }
        store::markStale(db, analysesStaleAfter(own.fields));
        m_project.setMeta(QStringLiteral("modified_at"), store::journalTimeNow());
        const store::JournalBatch written = journal.finish();
        transaction.commit();
        m_history.fold(written);
        own.kind = undoing ? ChangeEvent::Kind::Undone : ChangeEvent::Kind::Redone;
        own.batch = written.id;
        own.text = step.text;
    } catch (...) {
        m_access->forgetCaches();
        throw;
    }
    finishEvents(external, own);
    return own;
}

} // namespace assay::edit
