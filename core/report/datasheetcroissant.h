#pragma once

#include "datasheet.h"

#include <QJsonObject>
#include <QStringList>

// Croissant 1.0 JSON-LD with the RAI extension (shared/spec/datasheet.md §Croissant): FileSets
// per MIME type for the images, FileObjects with sha256 for the annotation files the import
// read, RecordSets "splits" (cr:Split), "classes" (sc:Enumeration) and "images" (path, image,
// label, split), and the rai:* fields drafted from the analyses and the edit journal.
// Images packed in IDX files (MNIST) cannot be records in Croissant 1.0 (no extractor decodes
// a binary array): each IDX images and labels file is a FileObject with sha256 and a description
// of its layout, an inline "idx-files" RecordSet names each images file's labels file, count and
// split, "classes" gains the label byte (classes/index), and rai:dataLimitations says what a
// loader will not get.
namespace assay::report {

struct CroissantOptions
{
    // Write even though Required fields are empty: the file then says it is a draft (in its
    // description and version) and does not claim to conform.
    bool draft = false;
};

// Croissant's Required dataset properties that need a person, as "meta.description (description)"
// lines, empty when all are answered.
QStringList croissantMissing(const Datasheet &sheet);

// Builds the document. Throws Error listing the missing Required fields unless options.draft, and
// Error naming a file whose checksum cannot be computed (an annotation file that vanished).
QJsonObject croissantJson(const Datasheet &sheet, const QString &datasetRoot,
                          const CroissantOptions &options = {});

} // namespace assay::report
