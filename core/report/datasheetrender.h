#pragma once

#include "datasheet.h"

#include <QByteArray>
#include <QString>

#include <vector>

// The datasheet as a document: Markdown and self-contained HTML. Charts come pre-rendered (PNG
// and/or SVG bytes; core/ draws nothing): ui/datasheet renders them with Qt Charts.
namespace assay::report {

struct DatasheetChart
{
    QString id;     // "class-balance", also the file name stem
    QString title;  // caption
    QByteArray png; // either may be empty: the renderer draws what the export asked for
    QByteArray svg;
};

// Markdown; charts are referenced as `imageDir/ID.png`, or `imageDir/ID.svg` for a chart drawn
// as SVG only (the caller writes them there).
QString datasheetMarkdown(const Datasheet &sheet, const std::vector<DatasheetChart> &charts,
                          const QString &imageDir);

struct HtmlOptions
{
    // true: charts embedded as data: URLs (one self-contained file), the SVG when the chart has
    // one (vector: sharp at any zoom, usually smaller), else the PNG; false: <img src="PREFIX
    // ID.png"> (QTextDocument resources for the PDF).
    bool embedImages = true;
    QString imagePrefix;
    int imageWidth = 640; // px
    bool print = false;   // the PDF's variant: simpler CSS QTextDocument understands
};
QString datasheetHtml(const Datasheet &sheet, const std::vector<DatasheetChart> &charts,
                      const HtmlOptions &options = {});

// "Datasheet for NAME" (meta.name, else the dataset folder's name).
QString datasheetTitle(const Datasheet &sheet);
// "41 of 59 questions answered; 12 drafts need review" and the draft notice.
QString datasheetStatusLine(const Datasheet &sheet);

} // namespace assay::report
