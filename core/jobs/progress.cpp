#include "progress.h"

namespace assay::jobs {

void Progress::setPhase(const QString &phase)
{
    QMutexLocker lock(&m_mutex);
    m_phase = phase;
    m_phaseStartNs = m_clock.nsecsElapsed();
    m_phaseStartDone = done();
}

QString Progress::phase() const
{
    QMutexLocker lock(&m_mutex);
    return m_phase;
}

void Progress::setCurrent(const QString &item)
{
    QMutexLocker lock(&m_mutex);
    m_current = item;
}

QString Progress::current() const
{
    QMutexLocker lock(&m_mutex);
    return m_current;
}

double Progress::rate() const
{
    qint64 startNs;
    std::int64_t startDone;
    {
        QMutexLocker lock(&m_mutex);
        startNs = m_phaseStartNs;
        startDone = m_phaseStartDone;
    }
    const double seconds = static_cast<double>(m_clock.nsecsElapsed() - startNs) / 1e9;
    const auto items = static_cast<double>(done() - startDone);
    return seconds > 0.05 ? items / seconds : 0.0;
}

double Progress::etaSeconds() const
{
    const double r = rate();
    const std::int64_t left = total() - done();
    if (r <= 0.0 || total() <= 0 || left < 0)
        return -1.0;
    return static_cast<double>(left) / r;
}

} // namespace assay::jobs
