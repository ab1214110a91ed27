#pragma once

#include "datasheetcharts.h"
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

// "png", "svg", "both" (the CLI's --charts).
QStringList chartImagesNames();
std::optional<ChartImages> chartImagesFromName(const QString &name);

// The charts a format gets unless told otherwise: Markdown writes both files beside it (links the
// PNG, which every Markdown viewer shows); HTML embeds SVG (vector, sharp when zoomed or printed,
// its text searchable, and smaller than the 2x PNG); the PDF paints the charts as vectors.
ChartImages defaultChartImages(DatasheetFormat format);

struct DatasheetExportResult
{
    QStringList files;  // every file written, the document first
    int pages = 0;      // PDF
    bool draft = false; // Croissant: written as a draft
};

// Throws Error: the Required Croissant fields missing (unless `draft`), or a file that cannot
// be written (nothing half-written is left at `path`). `charts` (Markdown and HTML; nullopt: the
// format's default): Markdown writes NAME_files/ID.png and/or ID.svg; HTML embeds the SVG unless
// only PNG is asked for.
DatasheetExportResult exportDatasheet(const report::Datasheet &sheet, const QString &datasetRoot,
                                      DatasheetFormat format, const QString &path,
                                      bool draft = false,
                                      std::optional<ChartImages> charts = std::nullopt);

} // namespace assay::ui
