// Bias slices at scale (issue #7): 1,000,000 samples, 10 classes, 12 attributes (6 categorical,
// 6 numeric in quantile bins), one planted level-2 slice. Times the whole search (binning, the
// family by bitsets, the tests, Benjamini-Hochberg, ranking) on one thread and on all, against
// the budget of 5 s. No peer: SliceFinder and SliceLine are Python/Java pipelines over models.
//
//   bench_slices [samples] [max-level]

#include "analysis/biasslices.h"
#include "synthslicegen.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <sys/resource.h>

#include <cstdio>
#include <thread>

using namespace assay;
using namespace assay::analysis::bias;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = QCoreApplication::arguments();
    const int samples = arguments.size() > 1 ? arguments.at(1).toInt() : 1000000;
    const int maxLevel = arguments.size() > 2 ? arguments.at(2).toInt() : 2;

    test::SynthSpec spec;
    spec.n = samples;
    spec.classes = 10;
    for (int i = 0; i < 6; ++i) {
        test::SynthAttribute attribute;
        attribute.name = QStringLiteral("meta%1").arg(i);
        const int levels = i == 5 ? 40 : 3 + i; // the last one has more than the top 20
        for (int level = 0; level < levels; ++level)
            attribute.levels << QStringLiteral("v%1").arg(level);
        spec.attributes.push_back(attribute);
    }
    for (int i = 0; i < 6; ++i) {
        test::SynthAttribute attribute;
        attribute.name = QStringLiteral("num%1").arg(i);
        attribute.kind = test::SynthAttribute::Kind::Uniform;
        spec.attributes.push_back(attribute);
    }
    spec.planted = {{QStringLiteral("meta2"), QStringLiteral("v1")},
                    {QStringLiteral("num0"), QString(), 0, 51}};
    spec.lift = 4; // V ≈ 0.2: a 4% slice needs a strong shift to pass V >= 0.1 at a million
    spec.seed = 42;
    QElapsedTimer clock;
    clock.start();
    const SliceData data = test::generateSlices(spec);
    std::printf("generated %d samples x %d attributes, %d classes in %.2f s\n", samples,
                int(data.attributes.size()), spec.classes, double(clock.elapsed()) / 1000.0);

    SliceParameters parameters;
    parameters.maxLevel = maxLevel;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    double seconds[2] = {0, 0};
    QString csvs[2];
    for (int pass = 0; pass < 2; ++pass) {
        ComputeOptions options;
        options.threads = pass == 0 ? 1 : int(cores);
        clock.restart();
        const SliceResults results = computeSlices(data, parameters, options);
        seconds[pass] = double(clock.nsecsElapsed()) / 1e9;
        std::printf("%u thread(s): %.3f s  (%zu attributes, %zu slices tested, %lld reported; "
                    "top: %s)\n",
                    options.threads > 0 ? unsigned(options.threads) : cores, seconds[pass],
                    results.attributes.size(), results.slices.size(),
                    static_cast<long long>(results.reported()),
                    results.slices.empty() ? "-" : qPrintable(results.slices.front().text));
        csvs[pass] = QString::number(results.slices.size()) +
                     (results.slices.empty() ? QString() : results.slices.front().text);
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("bias slices of %d samples: %.2f s on %u cores (%.2f s on one); budget 5 s: %s; "
                "peak RSS %ld MB\n",
                samples, seconds[1], cores, seconds[0], seconds[1] < 5.0 ? "ok" : "OVER",
                usage.ru_maxrss / 1024);
    return csvs[0] == csvs[1] ? 0 : 1;
}
