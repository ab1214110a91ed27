#pragma once

#include "datasheet.h"

#include <QByteArray>
#include <QString>

#include <vector>

// The datasheet as a document: Markdown and self-contained HTML. Charts come pre-rendered (PNG
// bytes; core/ draws nothing): ui/datasheet renders them with Qt Charts.
namespace assay::report {

struct DatasheetChart
{
    QString id;    // "class-balance", also the file name stem
    QString title; // caption
    QByteArray png;
};

// Markdown; charts are referenced as `imageDir/ID.png` (the caller writes them there).
QString datasheetMarkdown(const Datasheet &sheet, const std::vector<DatasheetChart> &charts,
                          const QString &imageDir);

struct HtmlOptions
{
    // true: charts embedded as data: URLs (one self-contained file); false: <img src="PREFIX
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
