#pragma once

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

namespace assay::jobs {

class JobRegistry;
class Progress;

// Prints the progress of the registry's running jobs to a stream (stderr for the CLI) from its own
// thread: a redrawn line on a terminal, a line every few seconds otherwise (CI logs). The
// registry is the one source, as for the status bar. Stops on destruction.
class ProgressPrinter
{
public:
    explicit ProgressPrinter(const JobRegistry &registry, std::FILE *stream = stderr);
    ~ProgressPrinter();
    ProgressPrinter(const ProgressPrinter &) = delete;
    ProgressPrinter &operator=(const ProgressPrinter &) = delete;

private:
    void run();
    void print(bool final);

    void printOne(const Progress &progress, bool final);

    const JobRegistry &m_registry;
    std::FILE *m_stream;
    bool m_terminal = false;
    bool m_stop = false;
    bool m_printedAny = false;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::thread m_thread;
};

} // namespace assay::jobs
