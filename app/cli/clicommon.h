#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <memory>

class QCoreApplication;

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

// A command's long task: registered with the job registry (which the progress printer on stderr
// reads), cancelled by Ctrl-C or SIGTERM instead of killing the process.
class CliJob
{
public:
    explicit CliJob(const QString &title);
    ~CliJob();
    CliJob(const CliJob &) = delete;
    CliJob &operator=(const CliJob &) = delete;

    jobs::Progress &progress();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

int runImport(const QStringList &arguments);
int runInfo(const QStringList &arguments);
int runScan(const QStringList &arguments);
int runReport(const QStringList &arguments);
int runCheck(const QStringList &arguments);
int runExport(const QStringList &arguments);
int runSlices(const QStringList &arguments);            // slicescommand.cpp
int runImportPredictions(const QStringList &arguments); // slicescommand.cpp
// Edits (editcommands.cpp, historycommand.cpp).
int runRelabel(const QStringList &arguments);
int runTag(const QStringList &arguments);
int runExclude(const QStringList &arguments);
int runUndo(const QStringList &arguments);
int runRedo(const QStringList &arguments);
int runHistory(const QStringList &arguments);
// The datasheet (datasheetcommand.cpp); it draws charts, so main() makes a QApplication for it.
int runDatasheet(const QStringList &arguments);
std::unique_ptr<QCoreApplication> makeDatasheetApplication(int &argc, char **argv);

} // namespace assay::cli
