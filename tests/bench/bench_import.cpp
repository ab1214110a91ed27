// Import benchmark: a generated 1,000,000-row CSV manifest with 3 attribute columns, and a
// 70,000-file ImageFolder tree. Prints rows/s and seconds (budgets: CSV < 5 s, folder < 2 s).
//
// Usage: bench_import [WORKDIR] [--rows N] [--files N]

#include "formats/importer.h"
#include "jobs/progress.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

using namespace assay;

namespace {

void generateCsv(const QString &path, int rows)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    static const char *const sources[] = {"web", "camera", "scan", "phone"};
    QByteArray chunk = "path,label,split,brightness,source,width\n";
    std::uint32_t state = 12345;
    for (int i = 0; i < rows; ++i) {
        state = state * 1664525u + 1013904223u;
        chunk += "images/" + QByteArray::number(i / 1000) + "/img_" + QByteArray::number(i)
                 + ".jpg,class_" + QByteArray::number(state % 10) + ","
                 + ((state >> 8) % 5 == 0 ? "test" : "train") + ","
                 + QByteArray::number(double((state >> 12) % 25500) / 100.0) + ","
                 + sources[(state >> 20) % 4] + "," + QByteArray::number(320 + (state % 5) * 64)
                 + "\n";
        if (chunk.size() > (1 << 20)) {
            file.write(chunk);
            chunk.clear();
        }
    }
    file.write(chunk);
}

void generateTree(const QString &root, int files)
{
    QByteArray png = QByteArray::fromBase64("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQV"
                                            "R4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==");
    for (const char *split : {"train", "test"}) {
        for (int c = 0; c < 10; ++c)
            QDir().mkpath(QStringLiteral("%1/%2/class_%3").arg(root, QString::fromLatin1(split)).arg(c));
    }
    for (int i = 0; i < files; ++i) {
        const QString dir = QStringLiteral("%1/%2/class_%3")
                                .arg(root, i % 7 == 0 ? QStringLiteral("test")
                                                      : QStringLiteral("train"))
                                .arg(i % 10);
        QFile file(QStringLiteral("%1/img_%2.png").arg(dir).arg(i));
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write");
        file.write(png);
    }
}

double timeImport(const QString &source, const QString &project, std::int64_t &samples)
{
    QFile::remove(project);
    jobs::Progress progress;
    QElapsedTimer timer;
    timer.start();
    const formats::ImportOutcome outcome = formats::importDataset(source, project, {}, progress);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    samples = outcome.result.added;
    return seconds;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments();
    int rows = 1000000;
    int files = 70000;
    QString work;
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == u"--rows" && i + 1 < args.size())
            rows = args[++i].toInt();
        else if (args[i] == u"--files" && i + 1 < args.size())
            files = args[++i].toInt();
        else
            work = args[i];
    }
    QTemporaryDir temp;
    if (work.isEmpty())
        work = temp.path();
    QDir().mkpath(work);

    const QString csv = work + QStringLiteral("/manifest/manifest.csv");
    QDir().mkpath(work + QStringLiteral("/manifest"));
    generateCsv(csv, rows);
    std::int64_t samples = 0;
    const double csvSeconds = timeImport(csv, work + QStringLiteral("/csv.assay"), samples);
    std::printf("csv import: %lld rows (3 attribute columns) in %.2f s = %.0f rows/s "
                "(budget: 1,000,000 rows < 5 s)\n",
                static_cast<long long>(samples), csvSeconds, double(samples) / csvSeconds);

    const QString tree = work + QStringLiteral("/tree");
    generateTree(tree, files);
    const double treeSeconds = timeImport(tree, work + QStringLiteral("/tree.assay"), samples);
    std::printf("imagefolder import: %lld files in %.2f s = %.0f files/s "
                "(budget: 70,000 files < 2 s)\n",
                static_cast<long long>(samples), treeSeconds, double(samples) / treeSeconds);
    return 0;
}
