#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>

// Assay's own text for the questions it can answer (AUTO) or draft (SEMI), and hints for some
// HUMAN questions (evidence a person may use; never an answer), all from datasheetFacts().
namespace assay::report {

struct DatasheetDrafts
{
    QMap<QString, QString> answers; // AUTO and SEMI entries, by id
    QMap<QString, QString> hints;   // HUMAN entries, by id
};

DatasheetDrafts draftDatasheet(const QJsonObject &facts);

// Shared phrases (the card and Croissant reuse them).
QString countsText(const QJsonObject &facts);      // "70,000 images: train 60,000, test 10,000"
QString limitationsText(const QJsonObject &facts); // imbalance, duplicates, leakage, issues
QString biasText(const QJsonObject &facts, int maxSlices = 5);
QString formatNumber(qint64 value); // 70000 -> "70,000"

} // namespace assay::report
