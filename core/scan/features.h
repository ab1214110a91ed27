#pragma once

#include "decoder.h"

#include "model/samplefeatures.h"


namespace assay::scan {

// Bump when any feature below is computed differently: every sample is recomputed.
// 2: the 16x16 signature that confirms near duplicates.
inline constexpr int featureExtractorVersion = 2;

using assay::SampleFeatures;
using assay::ScanStatus;

// Fills the pixel statistics, hashes and thumbnail of `features` from one decoded image.
void computeFeatures(const Decoded &decoded, SampleFeatures &features, int thumbnailSide = 160);

// XXH3-128 of `bytes` as 16 big-endian bytes.
QByteArray contentHash(const void *data, size_t size);

} // namespace assay::scan
