#include "clicommon.h"

#include "jobs/jobregistry.h"
#include "jobs/progress.h"
#include "jobs/progressprinter.h"

#include <atomic>
#include <csignal>
#include <cstdio>

namespace assay::cli {

namespace {
std::atomic<jobs::Progress *> interruptTarget{nullptr};
QString commandName = QStringLiteral("assay-cli");

extern "C" void onInterrupt(int)
{
    if (jobs::Progress *progress = interruptTarget.load())
        progress->cancel();
}
} // namespace

void printOut(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stdout);
    std::fflush(stdout);
}

void printErr(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stderr);
    std::fflush(stderr);
}

QString helpText(const QCommandLineParser &parser)
{
    // QCommandLineParser names the executable's path; name the command instead.
    QString text = parser.helpText();
    const QString usage = QStringLiteral("Usage: ");
    const qsizetype programEnd = text.indexOf(u' ', usage.size());
    if (text.startsWith(usage) && programEnd > 0)
        text = usage + commandName + text.mid(programEnd);
    return text;
}

bool parseCommand(QCommandLineParser &parser, const QStringList &arguments, int &exitCode)
{
    if (!arguments.isEmpty())
        commandName = arguments.front();
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(arguments)) {
        printErr(QStringLiteral("error: %1\n\n%2").arg(parser.errorText(), helpText(parser)));
        exitCode = Usage;
        return false;
    }
    if (parser.isSet(help)) {
        printOut(helpText(parser));
        exitCode = Ok;
        return false;
    }
    return true;
}

struct CliJob::Private
{
    jobs::JobRegistry registry;
    std::shared_ptr<jobs::Job> job;
    std::unique_ptr<jobs::ProgressPrinter> printer;
};

CliJob::CliJob(const QString &title) : d(std::make_unique<Private>())
{
    d->job = d->registry.start(title);
    interruptTarget.store(&d->job->progress());
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    d->printer = std::make_unique<jobs::ProgressPrinter>(d->registry);
}

CliJob::~CliJob()
{
    d->printer.reset(); // prints the final line while the job is still registered
    d->registry.finish(d->job);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    interruptTarget.store(nullptr);
}

jobs::Progress &CliJob::progress()
{
    return d->job->progress();
}

} // namespace assay::cli
