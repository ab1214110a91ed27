#pragma once

#include <QString>
#include <QStringList>

#include <vector>

// The questions of "Datasheets for Datasets" (Gebru et al., v7 wording): 59 in 7 sections, each
// with how Assay fills it (shared/spec/datasheet.md). Besides them, the fields the Croissant and
// Hugging Face exports need that no question asks (name, licence URL, creator ...) and the
// Croissant RAI fields Assay drafts: they live in the same answer table under their own ids.
namespace assay::report {

// AUTO: computed by Assay; SEMI: drafted by Assay, "needs review" until a person confirms it;
// HUMAN: empty and "unanswered" until a person writes it.
enum class Fill { Auto, Semi, Human };

struct DatasheetQuestion
{
    QString id;      // "M1", "C5" ... or "meta.license", "rai.dataBiases"
    QString section; // "Motivation" ... or "Metadata", "Croissant RAI"
    QString text;
    Fill fill = Fill::Human;
    bool required = false; // Croissant Required: a conforming export needs it answered
};

QString fillName(Fill fill); // "AUTO", "SEMI", "HUMAN"

// The 59 questions in section order.
const std::vector<DatasheetQuestion> &datasheetQuestions();
// The metadata and RAI fields, after the questions.
const std::vector<DatasheetQuestion> &datasheetFields();
// Both lists in order (the answer table's rows).
const std::vector<DatasheetQuestion> &allDatasheetEntries();
// The 7 sections, then "Metadata" and "Croissant RAI".
QStringList datasheetSections();
const DatasheetQuestion *findDatasheetEntry(const QString &id);

} // namespace assay::report
