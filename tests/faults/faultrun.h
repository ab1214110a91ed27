#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace assay::test {

// What a child assay-cli run ended as.
struct ChildRun
{
    bool killed = false; // our SIGKILL ended it (it was still running)
    int exitCode = -1;   // when it exited by itself
    QString out;         // its standard output
    QString err;         // its standard error
    std::int64_t elapsedMs = 0;
};

// Runs assay-cli with `arguments` and SIGKILLs it `killAfterMs` after it started (never, when
// negative). Fails the program (qFatal) when it does not end within five minutes.
ChildRun runCliKilledAfter(const QStringList &arguments, std::int64_t killAfterMs);

// Runs assay-cli with its file-size limit (RLIMIT_FSIZE) at `maxFileBytes` and SIGXFSZ
// ignored, so a write past the limit fails with EFBIG as on a full disk.
ChildRun runCliWithFileSizeLimit(const QStringList &arguments, std::int64_t maxFileBytes);

// Runs assay-cli as a user without write permission on files it does not own: when this test
// runs as root (who ignores file modes), the child drops to nobody (65534) before exec.
ChildRun runCliUnprivileged(const QStringList &arguments);

// Peak resident memory (kB) of the largest child waited for so far.
std::int64_t childPeakRssKb();

// PRAGMA integrity_check of a project opened for reading ("ok" when sound), or the error the
// open threw.
QString projectIntegrity(const QString &project);

// One integer from a project opened for reading.
std::int64_t projectInt(const QString &project, const char *sql);

} // namespace assay::test
