#include "datasheet.h"

#include "datasheetdraft.h"
#include "datasheetfacts.h"
#include "edit/editsession.h"
#include "store/project.h"
#include "store/transaction.h"
#include "util/error.h"

#include <QDateTime>
#include <QHash>

namespace assay::report {

namespace {

struct StoredAnswer
{
    QString person;
    bool pinned = false;
    QString time;
    QString user;
};

QHash<QString, StoredAnswer> loadStored(store::Database &db)
{
    QHash<QString, StoredAnswer> stored;
    store::Statement rows(db, "SELECT id, text, pinned, time, user FROM datasheet_answers");
    while (rows.step())
        stored.insert(rows.text(0), {rows.text(1), rows.int64(2) != 0, rows.text(3), rows.text(4)});
    return stored;
}

const DatasheetQuestion &entryOrThrow(const QString &id)
{
    const DatasheetQuestion *entry = findDatasheetEntry(id);
    if (!entry)
        throw Error(QStringLiteral("'%1' is not a datasheet question or field (questions M1-T8, "
                                   "fields meta.* and rai.*)")
                        .arg(id));
    return *entry;
}

void writePerson(store::Project &project, const QString &id, const QString &text, bool pinned,
                 const QString &user)
{
    if (project.isReadOnly())
        throw Error(QStringLiteral("%1 is open read-only: the datasheet answer %2 cannot be saved")
                        .arg(project.path(), id));
    store::Statement upsert(project.db(),
                            "INSERT INTO datasheet_answers(id, text, pinned, time, user) "
                            "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(id) DO UPDATE SET "
                            "text = ?2, pinned = ?3, time = ?4, user = ?5");
    upsert.bind(1, id);
    upsert.bind(2, pinned ? text : QString());
    upsert.bind(3, pinned ? 1 : 0);
    upsert.bind(4,
                pinned ? QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) : QString());
    upsert.bind(5, pinned ? (user.isEmpty() ? edit::EditSession::defaultUserName() : user)
                          : QString());
    upsert.run();
}

} // namespace

QString stateName(AnswerState state)
{
    switch (state) {
    case AnswerState::Auto:
        return QStringLiteral("auto");
    case AnswerState::Pinned:
        return QStringLiteral("pinned");
    case AnswerState::NeedsReview:
        return QStringLiteral("needs review");
    case AnswerState::Confirmed:
        return QStringLiteral("confirmed");
    case AnswerState::Unanswered:
        return QStringLiteral("unanswered");
    case AnswerState::Answered:
        break;
    }
    return QStringLiteral("answered");
}

QString DatasheetAnswer::text() const
{
    if (pinned)
        return person;
    return question.fill == Fill::Human ? QString() : draft;
}

AnswerState DatasheetAnswer::state() const
{
    switch (question.fill) {
    case Fill::Auto:
        return pinned ? AnswerState::Pinned : AnswerState::Auto;
    case Fill::Semi:
        return pinned ? AnswerState::Confirmed : AnswerState::NeedsReview;
    case Fill::Human:
        break;
    }
    return pinned && !person.trimmed().isEmpty() ? AnswerState::Answered : AnswerState::Unanswered;
}

bool DatasheetAnswer::isAnswered() const
{
    switch (state()) {
    case AnswerState::Auto:
        return !draft.trimmed().isEmpty();
    case AnswerState::NeedsReview:
    case AnswerState::Unanswered:
        return false;
    case AnswerState::Pinned:
    case AnswerState::Confirmed:
    case AnswerState::Answered:
        break;
    }
    return !person.trimmed().isEmpty();
}

const DatasheetAnswer *Datasheet::find(const QString &id) const
{
    for (const DatasheetAnswer &answer : answers)
        if (answer.question.id == id)
            return &answer;
    return nullptr;
}

QString Datasheet::text(const QString &id) const
{
    const DatasheetAnswer *answer = find(id);
    return answer ? answer->text() : QString();
}

int Datasheet::questionCount() const
{
    return int(datasheetQuestions().size());
}

int Datasheet::answeredQuestions() const
{
    int answered = 0;
    for (const DatasheetAnswer &answer : answers)
        if (!answer.question.id.contains(u'.') && answer.isAnswered())
            ++answered;
    return answered;
}

QStringList Datasheet::missingRequired() const
{
    QStringList missing;
    for (const DatasheetAnswer &answer : answers)
        if (answer.question.required && answer.text().trimmed().isEmpty())
            missing.append(answer.question.id);
    return missing;
}

Datasheet loadDatasheet(store::Project &project)
{
    Datasheet sheet;
    sheet.facts = datasheetFacts(project);
    const DatasheetDrafts drafts = draftDatasheet(sheet.facts);
    const QHash<QString, StoredAnswer> stored = loadStored(project.db());
    for (const DatasheetQuestion &question : allDatasheetEntries()) {
        DatasheetAnswer answer;
        answer.question = question;
        answer.draft = question.fill == Fill::Human ? drafts.hints.value(question.id)
                                                    : drafts.answers.value(question.id);
        const StoredAnswer found = stored.value(question.id);
        answer.pinned = found.pinned;
        answer.person = found.person;
        answer.time = found.time;
        answer.user = found.user;
        sheet.answers.push_back(answer);
    }
    if (!project.isReadOnly()) {
        store::Transaction transaction(project.db());
        store::Statement upsert(project.db(),
                                "INSERT INTO datasheet_answers(id, draft) VALUES(?1, ?2) "
                                "ON CONFLICT(id) DO UPDATE SET draft = ?2");
        for (const DatasheetAnswer &answer : sheet.answers) {
            upsert.bind(1, answer.question.id);
            upsert.bind(2, answer.draft);
            upsert.run();
            upsert.reset();
        }
        transaction.commit();
    }
    return sheet;
}

void setDatasheetAnswer(store::Project &project, const QString &id, const QString &text,
                        const QString &user)
{
    const DatasheetQuestion &entry = entryOrThrow(id);
    const bool clear = text.trimmed().isEmpty() && entry.fill == Fill::Human;
    writePerson(project, id, text, !clear, user);
}

void confirmDatasheetAnswer(store::Project &project, const QString &id, const QString &user)
{
    entryOrThrow(id);
    // The draft the person saw: the stored one, or a fresh one when none was stored yet.
    QString draft;
    {
        store::Statement query(project.db(), "SELECT draft FROM datasheet_answers WHERE id = ?");
        query.bind(1, id);
        if (query.step() && !query.isNull(0))
            draft = query.text(0);
    }
    if (draft.isEmpty())
        draft = loadDatasheet(project).find(id)->draft;
    writePerson(project, id, draft, true, user);
}

void refreshDatasheetAnswer(store::Project &project, const QString &id)
{
    entryOrThrow(id);
    writePerson(project, id, {}, false, {});
}

void setDatasheetAnswers(store::Project &project, const QJsonObject &answers, const QString &user)
{
    QStringList problems;
    for (auto it = answers.begin(); it != answers.end(); ++it) {
        if (!findDatasheetEntry(it.key()))
            problems.append(
                QStringLiteral("'%1' is not a datasheet question or field").arg(it.key()));
        else if (!it.value().isString())
            problems.append(QStringLiteral("the answer to %1 is not a string").arg(it.key()));
    }
    if (!problems.isEmpty())
        throw Error(problems.join(QStringLiteral("; ")));
    store::Transaction transaction(project.db());
    for (auto it = answers.begin(); it != answers.end(); ++it)
        setDatasheetAnswer(project, it.key(), it.value().toString(), user);
    transaction.commit();
}

} // namespace assay::report
