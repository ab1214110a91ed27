#include "progressprinter.h"

#include "jobregistry.h"
#include "progress.h"

#include <QString>

#include <unistd.h>

namespace assay::jobs {

namespace {

QString formatSeconds(double seconds)
{
    const auto total = static_cast<long long>(seconds + 0.5);
    if (total >= 3600)
        return QStringLiteral("%1h%2m").arg(total / 3600).arg((total % 3600) / 60, 2, 10, QChar(u'0'));
    if (total >= 60)
        return QStringLiteral("%1m%2s").arg(total / 60).arg(total % 60, 2, 10, QChar(u'0'));
    return QStringLiteral("%1s").arg(total);
}

} // namespace

ProgressPrinter::ProgressPrinter(const JobRegistry &registry, std::FILE *stream)
    : m_registry(registry), m_stream(stream), m_terminal(::isatty(::fileno(stream)) == 1)
{
    m_thread = std::thread([this] { run(); });
}

ProgressPrinter::~ProgressPrinter()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void ProgressPrinter::run()
{
    const auto interval = m_terminal ? std::chrono::milliseconds(250) : std::chrono::seconds(5);
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, interval, [this] { return m_stop; }))
        print(false);
    if (m_printedAny)
        print(true);
}

void ProgressPrinter::print(bool final)
{
    for (const auto &job : m_registry.running())
        printOne(job->progress(), final);
}

void ProgressPrinter::printOne(const Progress &progress, bool final)
{
    const std::int64_t done = progress.done();
    const std::int64_t total = progress.total();
    QString line = progress.phase();
    if (total > 0)
        line += QStringLiteral(": %1/%2 (%3%)")
                    .arg(done)
                    .arg(total)
                    .arg(100.0 * double(done) / double(total), 0, 'f', 1);
    else if (done > 0)
        line += QStringLiteral(": %1").arg(done);
    const double rate = progress.rate();
    if (rate > 0)
        line += QStringLiteral(", %1/s").arg(rate, 0, 'f', 0);
    const double eta = progress.etaSeconds();
    if (!final && eta >= 0)
        line += QStringLiteral(", ETA %1").arg(formatSeconds(eta));
    const QString current = progress.current();
    if (!final && !current.isEmpty())
        line += QStringLiteral(" — %1").arg(current);
    const QByteArray text = line.toUtf8();
    if (m_terminal)
        std::fprintf(m_stream, "\r\033[K%s%s", text.constData(), final ? "\n" : "");
    else
        std::fprintf(m_stream, "%s\n", text.constData());
    std::fflush(m_stream);
    m_printedAny = true;
}

} // namespace assay::jobs
