#include "classcolors.h"

#include <QHash>

#include <cmath>

namespace assay::ui {

QColor classColor(const QString &className)
{
    // Spread hues with the golden ratio over a hash, so similar names still differ.
    const quint32 hash = quint32(qHash(className, 0x5eed));
    const double hue = std::fmod(double(hash % 1000) * 0.618033988749895, 1.0);
    return QColor::fromHsvF(float(hue), 0.65f, 0.90f);
}

} // namespace assay::ui
