#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

namespace assay::jobs {
class Progress;
}

namespace assay::cli {

enum ExitCode { Ok = 0, Failed = 1, Usage = 2, Interrupted = 130 };

void printOut(const QString &text);
void printErr(const QString &text);

// The parser's help, naming the command ("Usage: assay-cli import [options] ...").
QString helpText(const QCommandLineParser &parser);

// Parses a command's arguments; prints help or the usage error and returns false (with
// `exitCode` set) when the command should stop there.
bool parseCommand(QCommandLineParser &parser, const QStringList &arguments, int &exitCode);

// While alive, Ctrl-C and SIGTERM cancel `progress` instead of killing the process.
class InterruptGuard
{
public:
    explicit InterruptGuard(jobs::Progress &progress);
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard &) = delete;
    InterruptGuard &operator=(const InterruptGuard &) = delete;
};

int runImport(const QStringList &arguments);
int runInfo(const QStringList &arguments);
int runScan(const QStringList &arguments);
int runReport(const QStringList &arguments);

} // namespace assay::cli
