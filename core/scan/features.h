#pragma once

#include "decoder.h"

#include "model/samplefeatures.h"


namespace assay::scan {

// Bump when any feature below is computed differently: every sample is recomputed.
// 2: the 16x16 signature that confirms near duplicates.
// 3: small images (longer side at most 64 px) kept whole, grey (SampleFeatures::smallImage).
inline constexpr int featureExtractorVersion = 3;

// Images whose longer side is at most this many pixels keep their grey pixels whole.
inline constexpr int smallImageSide = 64;

using assay::SampleFeatures;
using assay::ScanStatus;

// Fills the pixel statistics, hashes and thumbnail of `features` from one decoded image.
void computeFeatures(const Decoded &decoded, SampleFeatures &features, int thumbnailSide = 160);

// XXH3-128 of `bytes` as 16 big-endian bytes.
QByteArray contentHash(const void *data, size_t size);

} // namespace assay::scan
