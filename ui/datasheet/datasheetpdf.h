#pragma once

#include "datasheetcharts.h"
#include "report/datasheetrender.h"

#include <QString>

#include <vector>

namespace assay::ui {

// The datasheet as an A4 PDF (QPdfWriter + QTextDocument): headings, the count table, the charts
// (their scenes painted as vectors, labels as text), every question with its state, and "Page i
// of n" with the title at the foot of each page.
// Returns the number of pages. Throws Error naming the file when it cannot be written.
int writeDatasheetPdf(const report::Datasheet &sheet, const std::vector<ChartScene> &charts,
                      const QString &path);

} // namespace assay::ui
