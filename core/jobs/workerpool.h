#pragma once

class QThreadPool;

namespace assay::jobs {

// The one worker pool every long task runs on: Qt's global pool, one thread per core unless
// `--threads N` (setWorkerThreads) says otherwise.
QThreadPool &workerPool();
void setWorkerThreads(int threads); // <= 0: one per core
int workerThreads();

} // namespace assay::jobs
