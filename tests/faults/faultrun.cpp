#include "faultrun.h"

#include "store/project.h"
#include "testdata.h"
#include "util/error.h"

#include <QElapsedTimer>

#include <csignal>
#include <functional>
#include <grp.h>
#include <sys/resource.h>
#include <unistd.h>

namespace assay::test {

namespace {

ChildRun finish(QProcess &process, const QElapsedTimer &timer, bool killedByUs)
{
    if (process.state() != QProcess::NotRunning && !process.waitForFinished(300000))
        qFatal("assay-cli did not finish within five minutes");
    ChildRun run;
    run.elapsedMs = timer.elapsed();
    run.killed = killedByUs && process.exitStatus() == QProcess::CrashExit;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

// Starts assay-cli (the timer with it); `prepare` runs in the child between fork and exec.
void start(QProcess &process, QElapsedTimer &timer, const QStringList &arguments,
           std::function<void()> prepare = {})
{
    if (prepare)
        process.setChildProcessModifier(std::move(prepare));
    process.start(binaryPath(QStringLiteral("assay-cli")), arguments);
    timer.start();
    if (!process.waitForStarted())
        qFatal("assay-cli did not start");
}

} // namespace

ChildRun runCliKilledAfter(const QStringList &arguments, std::int64_t killAfterMs)
{
    QProcess process;
    QElapsedTimer timer;
    start(process, timer, arguments);
    bool killed = false;
    if (killAfterMs >= 0 && !process.waitForFinished(int(killAfterMs))) {
        ::kill(pid_t(process.processId()), SIGKILL);
        killed = true;
    }
    return finish(process, timer, killed);
}

ChildRun runCliWithFileSizeLimit(const QStringList &arguments, std::int64_t maxFileBytes)
{
    QProcess process;
    QElapsedTimer timer;
    start(process, timer, arguments, [maxFileBytes] {
        // Only async-signal-safe calls between fork and exec.
        ::signal(SIGXFSZ, SIG_IGN);
        rlimit limit{rlim_t(maxFileBytes), rlim_t(maxFileBytes)};
        ::setrlimit(RLIMIT_FSIZE, &limit);
    });
    return finish(process, timer, false);
}

ChildRun runCliUnprivileged(const QStringList &arguments)
{
    QProcess process;
    QElapsedTimer timer;
    std::function<void()> dropToNobody;
    if (::geteuid() == 0) {
        dropToNobody = [] {
            const gid_t nobody = 65534;
            if (::setgroups(0, nullptr) != 0 || ::setgid(nobody) != 0 || ::setuid(nobody) != 0)
                ::_exit(125);
        };
    }
    start(process, timer, arguments, std::move(dropToNobody));
    return finish(process, timer, false);
}

std::int64_t childPeakRssKb()
{
    rusage usage{};
    ::getrusage(RUSAGE_CHILDREN, &usage);
    return usage.ru_maxrss;
}

QString projectIntegrity(const QString &project)
{
    try {
        // Opened for writing, as Assay opens it: recovers what a killed writer left behind.
        return store::Project::open(project)->db().queryText("PRAGMA integrity_check");
    } catch (const Error &error) {
        return error.message();
    }
}

std::int64_t projectInt(const QString &project, const char *sql)
{
    store::OpenOptions options;
    options.readOnly = true;
    return store::Project::open(project, options)->db().queryInt(sql);
}

} // namespace assay::test
