#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <map>
#include <utility>

// A structural check of Croissant 1.0 JSON-LD, mirroring the spec's Required dataset properties
// and mlcroissant's validator rules (shared/spec/datasheet.md §7): unique @ids without
// whitespace, references that resolve, FileObjects with encodingFormat, contentUrl and exactly
// one checksum, FileSets with includes and encodingFormat, RecordSets and Fields with @id, each
// Field with a source or a value (not both) and a dataType, ISO 8601 dates. mlcroissant cannot be
// installed here; this is what the tests hold the exporter to.
namespace assay::test {

// Every problem found, as a sentence; empty when the document passes. `requireComplete`: also
// the Required properties a draft may leave empty (description, license, url, creator,
// datePublished) and the RAI conformance claim.
QStringList croissantProblems(const QJsonObject &doc, bool requireComplete = true);

// Applies the "images" RecordSet to the dataset folder the way mlcroissant would: lists the files
// each FileSet includes (fnmatch globs, '*' matching '/'), and extracts path, label and split with
// the fields' regexes. Returns path -> (label, split); a field that is absent gives "".
std::map<QString, std::pair<QString, QString>> applyImageRecords(const QJsonObject &doc,
                                                                 const QString &root);

} // namespace assay::test
