#pragma once

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

namespace assay::jobs {

class Progress;

// Prints a job's progress to a stream (stderr for the CLI) from its own thread: a redrawn line on
// a terminal, a line every few seconds otherwise (CI logs). Stops on destruction.
class ProgressPrinter
{
public:
    explicit ProgressPrinter(const Progress &progress, std::FILE *stream = stderr);
    ~ProgressPrinter();
    ProgressPrinter(const ProgressPrinter &) = delete;
    ProgressPrinter &operator=(const ProgressPrinter &) = delete;

private:
    void run();
    void print(bool final);

    const Progress &m_progress;
    std::FILE *m_stream;
    bool m_terminal = false;
    bool m_stop = false;
    bool m_printedAny = false;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::thread m_thread;
};

} // namespace assay::jobs
