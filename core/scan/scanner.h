#pragma once

#include "decoder.h"

#include <QMap>
#include <QString>

#include <cstdint>

namespace assay::jobs {
class Progress;
}

namespace assay::scan {

struct ScanOptions
{
    int threads = 0; // workers; <= 0 means one per core
    DecodeLimits limits;
    int batchSize = 2000;         // rows per transaction at most
    int flushMilliseconds = 1000; // and at least one commit this often
};

struct ScanSummary
{
    std::int64_t samples = 0;  // present samples considered
    std::int64_t upToDate = 0; // skipped: size, mtime and extractor version unchanged
    std::int64_t computed = 0; // decoded and measured (or found broken) this time
    std::int64_t unchangedContent = 0; // touched files whose bytes were the same
    std::int64_t problems = 0; // computed samples whose status is not Ok
    bool canceled = false;
    double seconds = 0;
    int threads = 0;
};

// Brings every sample's features up to date: one read, one hash and one decode per stale sample,
// on the worker pool; results reach the project through this thread in batched transactions
// (a crash loses at most the last unflushed batch). Thumbnails go to the sidecar cache.
// Cancelling keeps everything written so far; the next scan does only the rest.
ScanSummary scanProject(const QString &projectPath, const ScanOptions &options,
                        jobs::Progress &progress);

} // namespace assay::scan
