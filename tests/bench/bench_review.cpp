// bench_review PROJECT [--steps N] [--pause MS]: the review mode's step to the next image, from
// the key press to the image on screen, on a project (offscreen). With --pause (default 40 ms,
// a person's fastest pace) the prefetch has time to decode ahead; with --pause 0 (a held key)
// it does not. Prints the median, 95th percentile and maximum. Budget (issue #8): under 50 ms.

#include "browser/browsercontroller.h"
#include "editing/reviewview.h"
#include "jobs/jobregistry.h"
#include "jobs/workerpool.h"
#include "mainwindow/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace assay;

namespace {

// Spins the event loop until `done` or `ms` pass (a benchmark, not a test: it may wait).
template<typename Done>
bool waitFor(Done done, int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    return done();
}

void report(const char *what, std::vector<double> ms)
{
    if (ms.empty())
        return;
    std::sort(ms.begin(), ms.end());
    std::printf("%-28s n=%zu  median %.2f ms  p95 %.2f ms  max %.2f ms\n", what, ms.size(),
                ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 95 / 100)], ms.back());
}

std::vector<double> run(ui::MainWindow &window, int steps, int pause)
{
    ui::ReviewView *review = window.review();
    std::vector<double> times;
    std::int64_t shown = 0;
    auto connection = QObject::connect(review, &ui::ReviewView::imageShown,
                                       [&shown](qint64 id) { shown = id; });
    for (int i = 0; i < steps; ++i) {
        if (pause > 0)
            waitFor([] { return false; }, pause);
        QElapsedTimer timer;
        timer.start();
        QTest::keyClick(review, Qt::Key_K);
        const std::int64_t target = review->currentSampleId();
        if (!waitFor([&] { return shown == target; }, 5000))
            std::fprintf(stderr, "sample %lld was not shown\n", static_cast<long long>(target));
        times.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    QObject::disconnect(connection);
    return times;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_review PROJECT [--steps N] [--pause MS]\n");
        return 2;
    }
    int steps = 200, pause = 40;
    for (int i = 2; i + 1 < args.size(); i += 2) {
        if (args[i] == u"--steps")
            steps = args[i + 1].toInt();
        else if (args[i] == u"--pause")
            pause = args[i + 1].toInt();
    }
    jobs::JobRegistry registry;
    {
        ui::MainWindow window(&registry);
        window.resize(1500, 900);
        window.show();
        window.setScanOnOpen(false);
        QSignalSpy shown(&window, &ui::MainWindow::resultShown);
        if (!window.openProject(args[1]))
            return 1;
        // The whole index, not the first page shown while it loads.
        if (!waitFor(
                [&] {
                    return shown.count() > 0 && !window.browser()->isBusy() &&
                           window.browser()->index() && !window.browser()->index()->isPartial();
                },
                60000))
            return 1;
        window.setReviewMode(true);
        waitFor([&] { return false; }, 500);
        std::printf("%s: %zu samples in review\n", qPrintable(args[1]), window.review()->count());
        report(qPrintable(QStringLiteral("next image, %1 ms apart").arg(pause)),
               run(window, steps, pause));
        report("next image, held key", run(window, steps, 0));
    }
    jobs::workerPool().waitForDone();
    return 0;
}
