#include "classcolors.h"


#include <cmath>

namespace assay::ui {

QColor classColor(const QString &className)
{
    // FNV-1a over the UTF-16 text: stable across runs (qHash is seeded per process), then
    // spread with the golden ratio so similar names still differ.
    quint32 hash = 2166136261u;
    for (const QChar c : className) {
        hash ^= c.unicode();
        hash *= 16777619u;
    }
    const double hue = std::fmod(double(hash % 1000) * 0.618033988749895, 1.0);
    return QColor::fromHsvF(float(hue), 0.65f, 0.90f);
}

} // namespace assay::ui
