#pragma once

#include <QElapsedTimer>
#include <QMutex>
#include <QString>

#include <atomic>
#include <cstdint>

namespace assay::jobs {

// Thread-safe progress of one job: written by workers, read by the status bar or the CLI
// printer. Counters are atomics; the current-item text sits behind a mutex (rarely contended).
class Progress
{
public:
    Progress() { m_clock.start(); }

    void setPhase(const QString &phase);
    QString phase() const;
    void setTotal(std::int64_t total) { m_total.store(total, std::memory_order_relaxed); }
    void advance(std::int64_t n = 1) { m_done.fetch_add(n, std::memory_order_relaxed); }
    void setDone(std::int64_t done) { m_done.store(done, std::memory_order_relaxed); }
    void setCurrent(const QString &item);

    std::int64_t total() const { return m_total.load(std::memory_order_relaxed); }
    std::int64_t done() const { return m_done.load(std::memory_order_relaxed); }
    QString current() const;
    double elapsedSeconds() const { return static_cast<double>(m_clock.nsecsElapsed()) / 1e9; }
    // Items per second since the job (or its current phase) started.
    double rate() const;
    // Seconds left at the current rate, or a negative number when unknown.
    double etaSeconds() const;

    void cancel() { m_canceled.store(true, std::memory_order_relaxed); }
    bool isCanceled() const { return m_canceled.load(std::memory_order_relaxed); }

private:
    std::atomic<std::int64_t> m_total{0};
    std::atomic<std::int64_t> m_done{0};
    std::atomic<bool> m_canceled{false};
    mutable QMutex m_mutex;
    QString m_phase;
    QString m_current;
    QElapsedTimer m_clock;
    qint64 m_phaseStartNs = 0;
    std::int64_t m_phaseStartDone = 0;
};

// Thrown by work that saw its Progress canceled; callers treat it as a clean stop.
struct Canceled
{
};

inline void throwIfCanceled(const Progress &progress)
{
    if (progress.isCanceled())
        throw Canceled{};
}

} // namespace assay::jobs
