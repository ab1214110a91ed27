// Writes the seed corpus of every fuzz target: `fuzz_seeds OUTDIR` makes OUTDIR/<target>/ with
// small valid inputs (and a few broken ones), so the fuzzers start from what the readers accept.

#include "fuzztargets.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_seeds OUTDIR\n");
        return 2;
    }
    const QDir out(QString::fromLocal8Bit(argv[1]));
    int written = 0;
    for (const auto &[target, inputs] : assay::fuzz::seedInputs()) {
        out.mkpath(target);
        for (size_t i = 0; i < inputs.size(); ++i) {
            QFile file(out.filePath(QStringLiteral("%1/seed_%2").arg(target).arg(i)));
            if (!file.open(QIODevice::WriteOnly) || file.write(inputs[i]) != inputs[i].size())
                qFatal("fuzz_seeds: cannot write %s", qPrintable(file.fileName()));
            ++written;
        }
    }
    std::printf("%d seeds in %s\n", written, argv[1]);
    return 0;
}
