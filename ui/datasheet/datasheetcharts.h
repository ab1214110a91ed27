#pragma once

#include "report/datasheetrender.h"

#include <QJsonObject>
#include <QSize>

#include <vector>

// The datasheet's charts drawn with Qt Charts into PNG images for the exports: class balance per
// split, quality issue counts, the duplicate and leakage summary, and the top bias slices. A chart
// without data (no scan, no slice search) is left out. Needs a QApplication (Qt Charts are
// graphics widgets); the CLI makes one on the offscreen platform.
namespace assay::ui {

std::vector<report::DatasheetChart> renderDatasheetCharts(const QJsonObject &facts,
                                                          QSize size = {960, 380});

} // namespace assay::ui
