#include "workerpool.h"

#include <QThread>
#include <QThreadPool>

namespace assay::jobs {

QThreadPool &workerPool()
{
    return *QThreadPool::globalInstance();
}

void setWorkerThreads(int threads)
{
    workerPool().setMaxThreadCount(threads > 0 ? threads : QThread::idealThreadCount());
}

int workerThreads()
{
    return workerPool().maxThreadCount();
}

} // namespace assay::jobs
