#pragma once

class QThreadPool;

namespace assay::jobs {

// The one worker pool every long task runs on, one thread per core unless `--threads N`
// (setWorkerThreads) says otherwise. It is not Qt's global pool on purpose: Qt paints and scales
// images on the global pool, and a window whose painting waits behind a scan freezes.
QThreadPool &workerPool();
void setWorkerThreads(int threads); // <= 0: one per core
int workerThreads();

// Makes the calling worker thread yield to the interface thread (a higher nice value).
void lowerCurrentThreadPriority();

} // namespace assay::jobs
