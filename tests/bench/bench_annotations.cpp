// Annotation-format import benchmark: a COCO instances file shaped like train2017's (120,000
// images, 900,000 annotations, about 450 MB), a 118,000-image YOLO tree and a 100,000-file VOC
// tree, generated into a temporary folder (/dev/shm when there is one) and each imported into a
// new project by `assay-cli import` in a child process. Prints the wall time, the child's peak
// memory (maximum RSS) and samples/s next to the budgets.
//
// Usage: bench_annotations [WORKDIR] [--only coco|yolo|voc] [--scale F] [--keep] [--cli PATH]

#include "annotationdatasets.h"

#include "store/project.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <simdjson.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cstdio>
#include <memory>
#include <optional>

extern char **environ;

using namespace assay;

namespace {

struct Run
{
    double seconds = 0;
    double cpuSeconds = 0; // user + system: steadier than wall time on a busy machine
    double peakMb = 0;     // the child's maximum resident set
    std::int64_t samples = 0, missing = 0, objects = 0;
};

// Runs `assay-cli import` as a child, its output into `log`; wall time and the child's own
// rusage (wait4), so the generator's memory never counts.
std::optional<Run> runImport(const QString &cli, const QString &dataset, const QString &format,
                             const QString &project, const QString &log)
{
    QFile::remove(project);
    const QByteArray args[] = {QFile::encodeName(cli),
                               "import",
                               QFile::encodeName(dataset),
                               "--project",
                               QFile::encodeName(project),
                               "--format",
                               format.toUtf8()};
    std::vector<char *> argv;
    for (const QByteArray &arg : args)
        argv.push_back(const_cast<char *>(arg.constData()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const QByteArray logPath = QFile::encodeName(log);
    posix_spawn_file_actions_addopen(&actions, 1, logPath.constData(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);

    QElapsedTimer timer;
    timer.start();
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
        std::fprintf(stderr, "cannot run %s\n", argv[0]);
        return std::nullopt;
    }
    int status = 0;
    rusage usage{};
    if (wait4(pid, &status, 0, &usage) != pid)
        return std::nullopt;
    Run run;
    run.seconds = double(timer.nsecsElapsed()) / 1e9;
    run.peakMb = double(usage.ru_maxrss) / 1024.0;
    auto seconds = [](const timeval &t) {
        return double(t.tv_sec) + double(t.tv_usec) / 1e6;
    };
    run.cpuSeconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        QFile output(log);
        output.open(QIODevice::ReadOnly);
        std::fprintf(stderr, "assay-cli import failed:\n%s\n",
                     output.readAll().right(4000).constData());
        return std::nullopt;
    }
    store::OpenOptions options;
    options.readOnly = true;
    const store::ProjectSummary summary = store::Project::open(project, options)->summary();
    run.samples = summary.samples;
    run.missing = summary.missing;
    for (auto it = summary.annotationKinds.begin(); it != summary.annotationKinds.end(); ++it) {
        if (it.key() != u"label")
            run.objects += it.value();
    }
    return run;
}

void printRun(const char *name, const Run &run, const bench::GeneratedSize &generated)
{
    std::printf("%s import: %.2f s (%.2f s CPU), peak RSS %.0f MB; %lld samples (%lld missing), "
                "%lld objects = %.0f samples/s, %.0f objects/s\n",
                name, run.seconds, run.cpuSeconds, run.peakMb, static_cast<long long>(run.samples),
                static_cast<long long>(run.missing), static_cast<long long>(run.objects),
                double(run.samples + run.missing) / run.seconds, double(run.objects) / run.seconds);
    if (run.samples + run.missing != generated.images || run.objects != generated.objects)
        std::printf("  MISMATCH: generated %lld images and %lld objects\n",
                    static_cast<long long>(generated.images),
                    static_cast<long long>(generated.objects));
}

QString defaultWorkParent()
{
    const QFileInfo shm(QStringLiteral("/dev/shm"));
    return shm.isDir() && shm.isWritable() ? shm.absoluteFilePath() : QDir::tempPath();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    QString work, only;
    QString cli = QString::fromUtf8(ASSAY_CLI_PATH);
    double scale = 1.0;
    bool keep = false;
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == u"--only" && i + 1 < args.size())
            only = args[++i];
        else if (args[i] == u"--scale" && i + 1 < args.size())
            scale = args[++i].toDouble();
        else if (args[i] == u"--cli" && i + 1 < args.size())
            cli = args[++i];
        else if (args[i] == u"--keep")
            keep = true;
        else
            work = args[i];
    }
    std::unique_ptr<QTemporaryDir> temp;
    if (work.isEmpty()) {
        temp = std::make_unique<QTemporaryDir>(defaultWorkParent() +
                                               QStringLiteral("/assay-bench-XXXXXX"));
        temp->setAutoRemove(!keep);
        work = temp->path();
    }
    QDir().mkpath(work);
    std::printf("work folder: %s (assay-cli: %s)\n", qPrintable(work), qPrintable(cli));
    // Stage 1 (the structural index of each window) runs the kernel the library picks at run
    // time; the On-Demand front end is compiled into the header's callers for the build target.
    std::printf("simdjson %s: stage 1 kernel '%s' (chosen at run time), On-Demand front end "
                "'%s' (compiled in)\n",
                SIMDJSON_STRINGIFY(SIMDJSON_VERSION), simdjson::get_active_implementation()->name().c_str(),
                SIMDJSON_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION));
    auto wanted = [&](const char *name) {
        return only.isEmpty() || only == QLatin1StringView(name);
    };
    auto cleanUp = [&](const QString &dir) {
        if (!keep)
            QDir(dir).removeRecursively();
    };
    auto count = [scale](int full) {
        return std::max(1, int(full * scale));
    };
    bool ok = true;
    QElapsedTimer timer;

    if (wanted("coco")) {
        const QString dir = work + QStringLiteral("/coco");
        timer.start();
        const bench::GeneratedSize generated =
            bench::generateCoco(dir, {count(120000), count(900000)});
        std::printf("coco: %lld images, %lld annotations, %.0f MB of JSON (generated in %.1f s)\n",
                    static_cast<long long>(generated.images),
                    static_cast<long long>(generated.objects), double(generated.bytes) / 1e6,
                    double(timer.elapsed()) / 1000.0);
        std::fflush(stdout);
        const auto run =
            runImport(cli, dir, QStringLiteral("coco"), work + QStringLiteral("/coco.assay"),
                      work + QStringLiteral("/coco.log"));
        if (run) {
            printRun("coco", *run, generated);
            std::printf("  budget: < 5 s end to end (%s), < 1024 MB peak (%s)\n",
                        run->seconds < 5 ? "met" : "MISSED", run->peakMb < 1024 ? "met" : "MISSED");
        }
        ok = ok && run;
        cleanUp(dir);
    }
    struct Tree
    {
        const char *name;
        int images;
        bench::GeneratedSize (*generate)(const QString &, int);
    };
    for (const Tree &tree :
         {Tree{"yolo", 118000, bench::generateYolo}, Tree{"voc", 100000, bench::generateVoc}}) {
        if (!wanted(tree.name))
            continue;
        const QString name = QLatin1StringView(tree.name);
        const QString dir = work + u'/' + name;
        QDir().mkpath(dir);
        timer.start();
        const bench::GeneratedSize generated = tree.generate(dir, count(tree.images));
        std::printf("%s: %lld images, %lld objects, %.0f MB of label files (generated in %.1f "
                    "s)\n",
                    tree.name, static_cast<long long>(generated.images),
                    static_cast<long long>(generated.objects), double(generated.bytes) / 1e6,
                    double(timer.elapsed()) / 1000.0);
        std::fflush(stdout);
        const auto run = runImport(cli, dir, name, work + u'/' + name + QStringLiteral(".assay"),
                                   work + u'/' + name + QStringLiteral(".log"));
        if (run) {
            printRun(tree.name, *run, generated);
            const double rate = double(run->samples + run->missing) / run->seconds;
            std::printf("  budget: >= 20,000 samples/s (%s)\n", rate >= 20000 ? "met" : "MISSED");
        }
        ok = ok && run;
        cleanUp(dir);
    }
    std::fflush(stdout);
    return ok ? 0 : 1;
}
