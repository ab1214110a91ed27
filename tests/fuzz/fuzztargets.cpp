#include "fuzztargets.h"

#include "formats/datasetreader.h"
#include "formats/idxfile.h"
#include "jobs/progress.h"
#include "scan/decoder.h"
#include "scan/features.h"
#include "scan/imageheader.h"
#include "util/error.h"

#include "testdata.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

namespace assay::fuzz {

namespace {

// A small PNG for the images the readers find on disk (YOLO reads their headers for the size).
const QByteArray &smallPng()
{
    static const QByteArray png = test::texturedPng(8, 6, 1);
    return png;
}

// One folder for the whole run, with the fixed files each target needs; the fuzzed file is
// written into it for every input.
class Workspace
{
public:
    Workspace()
    {
        if (!m_dir.isValid())
            qFatal("fuzz: cannot create a temporary folder");
        for (const char *image : {"images/a.png", "images/b.png", "JPEGImages/a.png",
                                  "yolo/images/train/a.png", "yolo/images/train/b.png",
                                  "csv/a.png", "csv/b.png"})
            write(QString::fromLatin1(image), smallPng());
        write(QStringLiteral("yolo/data.yaml"),
              "path: .\ntrain: images/train\nval: images/train\nnames:\n  0: cat\n  1: dog\n");
        write(QStringLiteral("yolo/labels/train/b.txt"), "0 0.5 0.5 0.2 0.2\n");
    }

    QString path(const QString &relative) const { return m_dir.filePath(relative); }

    void write(const QString &relative, const QByteArray &bytes) const
    {
        const QString file = path(relative);
        QDir().mkpath(QFileInfo(file).absolutePath());
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(bytes) != bytes.size())
            qFatal("fuzz: cannot write %s", qPrintable(file));
    }

    void write(const QString &relative, const std::uint8_t *data, std::size_t size) const
    {
        write(relative, QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    }

private:
    QTemporaryDir m_dir;
};

Workspace &workspace()
{
    static Workspace space;
    return space;
}

// Reads `source` as `format`; a refusal (assay::Error) is a fine outcome.
void read(const QString &source, formats::Format format)
{
    formats::ReadOptions options;
    options.format = format;
    jobs::Progress progress;
    try {
        formats::readDataset(source, options, progress);
    } catch (const Error &) {
    }
}

} // namespace

const std::map<QString, Target> &targets()
{
    static const std::map<QString, Target> all = {
        {QStringLiteral("coco"),
         [](const std::uint8_t *data, std::size_t size) {
             Workspace &space = workspace();
             space.write(QStringLiteral("annotations/instances_train.json"), data, size);
             read(space.path(QStringLiteral("annotations/instances_train.json")),
                  formats::Format::Coco);
         }},
        {QStringLiteral("voc"),
         [](const std::uint8_t *data, std::size_t size) {
             Workspace &space = workspace();
             space.write(QStringLiteral("voc/Annotations/a.xml"), data, size);
             space.write(QStringLiteral("voc/JPEGImages/a.png"), smallPng());
             read(space.path(QStringLiteral("voc")), formats::Format::Voc);
         }},
        {QStringLiteral("yolo_labels"),
         [](const std::uint8_t *data, std::size_t size) {
             Workspace &space = workspace();
             space.write(QStringLiteral("yolo/labels/train/a.txt"), data, size);
             read(space.path(QStringLiteral("yolo")), formats::Format::Yolo);
         }},
        {QStringLiteral("yolo_yaml"),
         [](const std::uint8_t *data, std::size_t size) {
             Workspace &space = workspace();
             space.write(QStringLiteral("yaml/data.yaml"), data, size);
             space.write(QStringLiteral("yaml/images/train/a.png"), smallPng());
             space.write(QStringLiteral("yaml/labels/train/a.txt"), "1 0.5 0.5 0.5 0.5\n");
             read(space.path(QStringLiteral("yaml")), formats::Format::Yolo);
         }},
        {QStringLiteral("csv"),
         [](const std::uint8_t *data, std::size_t size) {
             Workspace &space = workspace();
             space.write(QStringLiteral("csv/labels.csv"), data, size);
             read(space.path(QStringLiteral("csv/labels.csv")), formats::Format::Csv);
         }},
        {QStringLiteral("idx"),
         [](const std::uint8_t *data, std::size_t size) {
             Workspace &space = workspace();
             space.write(QStringLiteral("mnist/train-images-idx3-ubyte"), data, size);
             try {
                 formats::readIdxFile(space.path(QStringLiteral("mnist/train-images-idx3-ubyte")));
             } catch (const Error &) {
             }
             read(space.path(QStringLiteral("mnist")), formats::Format::Mnist);
         }},
        {QStringLiteral("image"),
         [](const std::uint8_t *data, std::size_t size) {
             const std::string_view bytes(reinterpret_cast<const char *>(data), size);
             scan::readImageHeader(bytes);
             scan::checkPngStructure(bytes);
             scan::DecodeLimits limits;
             limits.maxPixels = 4'000'000; // the fuzzer's memory limit, not the product's
             const scan::Decoded decoded = scan::decodeImage(bytes, limits);
             if (decoded.status == scan::DecodeStatus::Ok) {
                 SampleFeatures features;
                 scan::computeFeatures(decoded, features);
             }
         }},
    };
    return all;
}

} // namespace assay::fuzz
