#pragma once

#include "database.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <vector>

namespace assay::store {

// What the grid shows: present samples matching every given criterion (empty = any).
struct SampleFilter
{
    QString className;
    QString split; // a split name, or noSplitName for samples without one
    QString issueKind;

    bool isEmpty() const { return className.isEmpty() && split.isEmpty() && issueKind.isEmpty(); }
};

struct ListedSample
{
    qint64 id = 0;
    int classIndex = -1; // into SampleListing::classes
    int splitIndex = -1; // into SampleListing::splits
    bool hasIssue = false;
};

struct SampleListing
{
    QStringList classes;
    QStringList splits;
    std::vector<ListedSample> rows; // in id order
};

SampleListing listSamples(Database &db, const SampleFilter &filter);

// Number of issues of each kind.
QMap<QString, qint64> issueCounts(Database &db);

} // namespace assay::store
