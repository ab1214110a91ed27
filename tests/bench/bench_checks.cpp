// Annotation checks benchmark: a generated COCO-like plan (120,000 images of 640x480,
// 900,000 objects: boxes, polygons of 12-48 points, a few crowd masks, about 2% planted
// problems) applied to a new project, then the checks run on it as after an import. Prints the
// seconds of the whole refresh (load, check, store) and of the check alone.
//
// Usage: bench_checks [WORKDIR] [--images N] [--objects N]

#include "analysis/annotationchecks.h"
#include "jobs/progress.h"
#include "store/project.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <random>

using namespace assay;

namespace {

ImportPlan generatePlan(int images, int objects)
{
    ImportPlan plan;
    plan.format = QStringLiteral("coco");
    plan.root = QStringLiteral("/nonexistent");
    plan.source = plan.root;
    plan.splits << QStringLiteral("train");
    for (int c = 0; c < 80; ++c)
        plan.categories << QStringLiteral("class_%1").arg(c);
    plan.items.resize(size_t(images));
    for (int i = 0; i < images; ++i) {
        ImportItem &item = plan.items[size_t(i)];
        item.path = "images/train/" + std::to_string(i) + ".jpg";
        item.split = 0;
        item.size = 50000 + i;
        item.mtime = 1700000000;
        item.width = 640;
        item.height = 480;
    }
    std::mt19937 random(42);
    std::uniform_real_distribution<double> unit(0, 1);
    plan.annotations.reserve(size_t(objects));
    for (int n = 0; n < objects; ++n) {
        ImportAnnotation a;
        a.item = size_t(std::uint64_t(n) * std::uint64_t(images) / std::uint64_t(objects));
        a.category = int(unit(random) * 80);
        a.sourceFile = "annotations/instances_train.json";
        a.sourceIndex = n;
        a.extra = "{\"id\": " + std::to_string(n + 1) + ", \"area\": 1234.5}";
        a.w = 10 + unit(random) * 200;
        a.h = 10 + unit(random) * 200;
        a.x = unit(random) * (640 - a.w);
        a.y = unit(random) * (480 - a.h);
        const double kind = unit(random);
        if (kind < 0.45) {
            a.kind = AnnotationKind::Polygon;
            const int points = 12 + int(unit(random) * 36);
            std::vector<float> ring;
            for (int p = 0; p < points; ++p) {
                const double angle = 2 * M_PI * p / points;
                const double r = 0.8 + 0.2 * unit(random);
                ring.push_back(float(a.x + a.w / 2 * (1 + r * std::cos(angle))));
                ring.push_back(float(a.y + a.h / 2 * (1 + r * std::sin(angle))));
            }
            a.polygons.push_back(std::move(ring));
        } else if (kind < 0.47) {
            a.kind = AnnotationKind::Mask;
            a.crowd = true;
            a.mask = {640, 480, {1000, 5000, 20000, 7000, 640 * 480 - 33000}};
        }
        const double planted = unit(random);
        if (planted < 0.01)
            a.x = 640 - a.w / 2; // half outside
        else if (planted < 0.015)
            a.category = -1;
        plan.annotations.push_back(std::move(a));
        if (planted >= 0.015 && planted < 0.02) { // a duplicate of it
            ImportAnnotation copy = plan.annotations.back();
            copy.sourceIndex = -n - 1;
            copy.w += 0.5;
            plan.annotations.push_back(std::move(copy));
        }
    }
    return plan;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList arguments = app.arguments().mid(1);
    int images = 120000, objects = 900000;
    auto option = [&](const QString &name, int &value) {
        const qsizetype at = arguments.indexOf(name);
        if (at >= 0 && at + 1 < arguments.size()) {
            value = arguments[at + 1].toInt();
            arguments.remove(at, 2);
        }
    };
    option(QStringLiteral("--images"), images);
    option(QStringLiteral("--objects"), objects);
    QTemporaryDir temporary;
    const QString work = arguments.isEmpty() ? temporary.path() : arguments.front();
    QDir().mkpath(work);
    const QString path = QDir(work).filePath(QStringLiteral("bench_checks.assay"));
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(path + QString::fromLatin1(suffix));

    QElapsedTimer timer;
    timer.start();
    const ImportPlan plan = generatePlan(images, objects);
    std::printf("generated %zu images, %zu objects in %.2f s\n", plan.items.size(),
                plan.annotations.size(), double(timer.elapsed()) / 1000);
    store::OpenOptions options;
    options.create = true;
    options.bulkLoad = true;
    auto project = store::Project::open(path, options);
    jobs::Progress progress;
    timer.restart();
    project->applyImport(plan, progress);
    project->finishBulkLoad();
    std::printf("applied to a new project in %.2f s\n", double(timer.elapsed()) / 1000);

    for (int run = 0; run < 3; ++run) {
        // CPU seconds beside wall seconds: a busy machine stretches only the latter.
        timer.restart();
        std::clock_t cpu = std::clock();
        const std::vector<Issue> issues = analysis::computeAnnotationIssues(*project, {});
        const double check = double(timer.elapsed()) / 1000;
        const double checkCpu = double(std::clock() - cpu) / CLOCKS_PER_SEC;
        timer.restart();
        cpu = std::clock();
        analysis::refreshAnnotationChecks(*project, &plan);
        const double refresh = double(timer.elapsed()) / 1000;
        const double refreshCpu = double(std::clock() - cpu) / CLOCKS_PER_SEC;
        std::map<QString, int> perKind;
        for (const Issue &issue : issues)
            ++perKind[issue.kind];
        std::printf("run %d: check %.2f s (%.2f s CPU), refresh with store %.2f s (%.2f s CPU); "
                    "%zu issues:",
                    run + 1, check, checkCpu, refresh, refreshCpu, issues.size());
        for (const auto &[kind, count] : perKind)
            std::printf(" %s %d", qPrintable(kind), count);
        std::printf("\n");
    }
    return 0;
}
