#include "workerpool.h"

#include <QThread>
#include <QThreadPool>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace assay::jobs {

QThreadPool &workerPool()
{
    static QThreadPool pool;
    return pool;
}

void setWorkerThreads(int threads)
{
    workerPool().setMaxThreadCount(threads > 0 ? threads : QThread::idealThreadCount());
}

int workerThreads()
{
    return workerPool().maxThreadCount();
}

void lowerCurrentThreadPriority()
{
    thread_local bool lowered = false;
    if (lowered)
        return;
    lowered = true;
    // On Linux a thread is a task with its own nice value; raising it needs no privilege.
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    const int current = ::getpriority(PRIO_PROCESS, tid);
    ::setpriority(PRIO_PROCESS, tid, std::min(current + 10, 19));
}

} // namespace assay::jobs
