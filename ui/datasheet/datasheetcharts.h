#pragma once

#include "report/datasheetrender.h"

#include <QGraphicsScene>
#include <QJsonObject>
#include <QSize>

#include <memory>
#include <vector>

// The datasheet's charts drawn with Qt Charts for the exports: class balance per split, quality
// issue counts, the duplicate and leakage summary, and the top bias slices. Each is drawn as a
// PNG (2x pixels), an SVG (vector, its text kept as text) or both. A chart without data (no scan,
// no slice search) is left out. Needs a QApplication (Qt Charts are graphics widgets); the CLI
// makes one on the offscreen platform.
namespace assay::ui {

enum class ChartImages { Png = 1, Svg = 2, Both = 3 };

// A chart laid out in a scene of its own (sceneRect: 0,0 to size), for painting straight onto a
// device: the PDF draws them as vectors with their labels as text.
struct ChartScene
{
    QString id;    // "class-balance"
    QString title; // caption
    std::unique_ptr<QGraphicsScene> scene;
};
std::vector<ChartScene> datasheetChartScenes(const QJsonObject &facts, QSize size = {960, 380});

std::vector<report::DatasheetChart> renderDatasheetCharts(const QJsonObject &facts,
                                                          QSize size = {960, 380},
                                                          ChartImages images = ChartImages::Png);

} // namespace assay::ui
