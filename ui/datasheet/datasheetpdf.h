#pragma once

#include "report/datasheetrender.h"

#include <QString>

#include <vector>

namespace assay::ui {

// The datasheet as an A4 PDF (QPdfWriter + QTextDocument): headings, the count table, the charts
// (drawn as vectors from their SVG when they have one, else their PNG), every question with its
// state, and "Page i of n" with the title at the foot of each page.
// Returns the number of pages. Throws Error naming the file when it cannot be written.
int writeDatasheetPdf(const report::Datasheet &sheet,
                      const std::vector<report::DatasheetChart> &charts, const QString &path);

} // namespace assay::ui
