#pragma once

#include "report/datasheet.h"

#include <QString>
#include <QStringList>

#include <optional>

// Writes a datasheet in one of the five forms (the window's export buttons and `assay-cli
// datasheet` share it). Charts are drawn here for Markdown, HTML and PDF; needs a QApplication.
namespace assay::ui {

enum class DatasheetFormat { Markdown, Html, Pdf, Croissant, HfCard };

// "md", "html", "pdf", "croissant", "hf-card" (the CLI's contract).
QStringList datasheetFormatNames();
std::optional<DatasheetFormat> datasheetFormatFromName(const QString &name);
QString datasheetFormatName(DatasheetFormat format);
QString datasheetFormatSuffix(DatasheetFormat format); // ".md", ".pdf", ".json" ...

struct DatasheetExportResult
{
    QStringList files;  // every file written, the document first
    int pages = 0;      // PDF
    bool draft = false; // Croissant: written as a draft
};

// Throws Error: the Required Croissant fields missing (unless `draft`), or a file that cannot
// be written (nothing half-written is left at `path`).
DatasheetExportResult exportDatasheet(const report::Datasheet &sheet, const QString &datasetRoot,
                                      DatasheetFormat format, const QString &path,
                                      bool draft = false);

} // namespace assay::ui
