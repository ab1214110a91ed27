#pragma once

#include <QString>

#include <opencv2/core/mat.hpp>

#include <cstdint>

namespace assay::scan {

struct LoadedImage
{
    cv::Mat pixels; // full resolution, 8-bit, 1 or 3 channels (BGR)
    QString error;  // why there is no image
};

// Reads and decodes one sample for viewing: a file under `root`, or member `member` of a
// container file. Full resolution by default; with `workingSide`, JPEGs are DCT-scaled so their
// longest side still reaches it (a thumbnail made on demand). Refuses images beyond `maxPixels`,
// as the scan does.
LoadedImage loadSampleImage(const QString &root, const QString &path, std::int64_t member,
                            std::int64_t maxPixels = 100'000'000, int workingSide = 1 << 30);

} // namespace assay::scan
