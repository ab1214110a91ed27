#pragma once

#include "report/datasheetrender.h"

#include <QJsonObject>
#include <QSize>

#include <vector>

// The datasheet's charts drawn with Qt Charts for the exports: class balance per split, quality
// issue counts, the duplicate and leakage summary, and the top bias slices. Each is drawn as a
// PNG (2x pixels), an SVG (vector, its text kept as text) or both. A chart without data (no scan,
// no slice search) is left out. Needs a QApplication (Qt Charts are graphics widgets); the CLI
// makes one on the offscreen platform.
namespace assay::ui {

enum class ChartImages { Png = 1, Svg = 2, Both = 3 };

std::vector<report::DatasheetChart> renderDatasheetCharts(const QJsonObject &facts,
                                                          QSize size = {960, 380},
                                                          ChartImages images = ChartImages::Png);

} // namespace assay::ui
