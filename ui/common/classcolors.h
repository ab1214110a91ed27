#pragma once

#include <QColor>
#include <QString>

namespace assay::ui {

// The colour of a class everywhere in the window (grid dots, overlays, legends): a stable hue
// derived from the class name, so a class keeps its colour across sessions and views.
QColor classColor(const QString &className);

} // namespace assay::ui
