// bench_datasheetcharts PROJECT [--runs N]: the datasheet's charts on a project (offscreen):
// the time to draw all of them as PNG, as SVG and as both, the bytes each form takes, and the
// time to write the PDF (charts painted as vectors). Prints medians over N runs (default 5).

#include "datasheet/datasheetcharts.h"
#include "datasheet/datasheetexport.h"
#include "report/datasheet.h"
#include "store/project.h"
#include "util/error.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace assay;

namespace {

double medianMs(int runs, const std::function<void()> &work)
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        work();
        ms.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_datasheetcharts PROJECT [--runs N]\n");
        return 2;
    }
    const qsizetype runsAt = args.indexOf(QStringLiteral("--runs"));
    const int runs = runsAt > 0 ? std::max(1, args.value(runsAt + 1).toInt()) : 5;
    std::unique_ptr<store::Project> project;
    report::Datasheet sheet;
    try {
        project = store::Project::open(args.at(1)); // as assay-cli datasheet does: may upgrade it
        sheet = report::loadDatasheet(*project);
    } catch (const Error &error) {
        std::fprintf(stderr, "error: %s\n", qPrintable(error.message()));
        return 1;
    }

    std::vector<report::DatasheetChart> charts;
    const std::pair<const char *, ui::ChartImages> forms[] = {{"PNG", ui::ChartImages::Png},
                                                              {"SVG", ui::ChartImages::Svg},
                                                              {"both", ui::ChartImages::Both}};
    for (const auto &[name, images] : forms) {
        const double ms = medianMs(runs, [&, images = images] {
            charts = ui::renderDatasheetCharts(sheet.facts, {960, 380}, images);
        });
        std::printf("%-5s %zu charts drawn in %.1f ms (median of %d)\n", name, charts.size(), ms,
                    runs);
    }
    qint64 png = 0, svg = 0;
    for (const report::DatasheetChart &chart : charts) {
        std::printf("  %-15s PNG %7lld B  SVG %7lld B\n", qPrintable(chart.id),
                    static_cast<long long>(chart.png.size()),
                    static_cast<long long>(chart.svg.size()));
        png += chart.png.size();
        svg += chart.svg.size();
    }
    std::printf("  %-15s PNG %7lld B  SVG %7lld B\n", "all", static_cast<long long>(png),
                static_cast<long long>(svg));
    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("sheet.pdf"));
    const double ms = medianMs(runs, [&] {
        ui::exportDatasheet(sheet, project->datasetRoot(), ui::DatasheetFormat::Pdf, pdf);
    });
    std::printf("PDF   written in %.1f ms, %lld B\n", ms,
                static_cast<long long>(QFileInfo(pdf).size()));
    return 0;
}
