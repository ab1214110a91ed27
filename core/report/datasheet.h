#pragma once

#include "datasheetquestions.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace assay::store {
class Project;
}

// The datasheet of a project: every question and field with Assay's draft and a person's
// answer, stored in the project (datasheet_answers). Regenerating the drafts after a rescan or
// edit never overwrites a person's answer: writing or confirming an answer pins it; refresh
// unpins it, so the entry shows Assay's draft again.
namespace assay::report {

enum class AnswerState {
    Auto,        // AUTO, Assay's text
    Pinned,      // AUTO, a person's text (kept over regenerations)
    NeedsReview, // SEMI, Assay's draft not yet confirmed
    Confirmed,   // SEMI, confirmed or rewritten by a person
    Unanswered,  // HUMAN, empty
    Answered     // HUMAN, written by a person
};

QString stateName(AnswerState state); // "auto", "pinned", "needs review", ...

struct DatasheetAnswer
{
    DatasheetQuestion question;
    QString draft;  // Assay's text (AUTO, SEMI) or hint (HUMAN); may be empty
    QString person; // what a person wrote or confirmed (when pinned)
    bool pinned = false;
    QString time; // when the person's answer was set
    QString user;

    // The text an export shows: the person's when pinned, otherwise the draft (never a HUMAN
    // hint).
    QString text() const;
    AnswerState state() const;
    bool isAnswered() const; // Auto with text, Pinned, Confirmed, Answered
};

struct Datasheet
{
    QJsonObject facts;                    // datasheetFacts()
    std::vector<DatasheetAnswer> answers; // allDatasheetEntries() order

    const DatasheetAnswer *find(const QString &id) const;
    QString text(const QString &id) const; // find(id)->text(), empty when unknown
    int questionCount() const;             // 59
    int answeredQuestions() const;         // of the 59
    // Croissant's Required fields that are still empty ("meta.description", ...).
    QStringList missingRequired() const;
};

// Gathers the facts, drafts the answers and merges the stored person answers. On a writable
// project the new drafts are stored too (the project then holds the whole datasheet).
Datasheet loadDatasheet(store::Project &project);

// A person's answer: pins it (an empty text unpins a HUMAN answer). Throws Error for an unknown
// id or a read-only project.
void setDatasheetAnswer(store::Project &project, const QString &id, const QString &text,
                        const QString &user = {});
// Confirms Assay's current draft as the answer (SEMI "confirm"; pins it).
void confirmDatasheetAnswer(store::Project &project, const QString &id, const QString &user = {});
// Unpins: the entry shows Assay's draft again (AUTO/SEMI "refresh"; clears a HUMAN answer).
void refreshDatasheetAnswer(store::Project &project, const QString &id);

// Answers from JSON {"id": "text", ...} (assay-cli datasheet --answers FILE.json); throws Error
// naming the unknown ids or a value that is not a string.
void setDatasheetAnswers(store::Project &project, const QJsonObject &answers,
                         const QString &user = {});

} // namespace assay::report
