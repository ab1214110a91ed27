#include "testdata.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <zlib.h>

namespace assay::test {

QStringList strings(std::initializer_list<const char *> items)
{
    QStringList list;
    for (const char *item : items)
        list << QString::fromUtf8(item);
    return list;
}

QByteArray tinyPng()
{
    return QByteArray::fromBase64(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==");
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(bytes);
}

namespace {

QByteArray bigEndian(std::uint32_t value)
{
    QByteArray out(4, '\0');
    out[0] = char(value >> 24);
    out[1] = char(value >> 16);
    out[2] = char(value >> 8);
    out[3] = char(value);
    return out;
}

void writeMaybeGz(const QString &path, const QByteArray &bytes)
{
    if (!path.endsWith(QStringLiteral(".gz"))) {
        writeFile(path, bytes);
        return;
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    gzFile file = gzopen(QFile::encodeName(path).constData(), "wb");
    if (!file)
        qFatal("cannot write %s", qPrintable(path));
    gzwrite(file, bytes.constData(), unsigned(bytes.size()));
    gzclose(file);
}

} // namespace

void writeIdxImages(const QString &path, int count, int rows, int columns, std::uint8_t seed)
{
    QByteArray bytes = bigEndian(0x00000803) + bigEndian(std::uint32_t(count))
                       + bigEndian(std::uint32_t(rows)) + bigEndian(std::uint32_t(columns));
    QByteArray pixels(qsizetype(count) * rows * columns, '\0');
    std::uint32_t state = seed;
    for (char &pixel : pixels) {
        state = state * 1664525u + 1013904223u;
        pixel = char(state >> 24);
    }
    writeMaybeGz(path, bytes + pixels);
}

void writeIdxLabels(const QString &path, const std::vector<std::uint8_t> &labels)
{
    QByteArray bytes = bigEndian(0x00000801) + bigEndian(std::uint32_t(labels.size()));
    bytes.append(reinterpret_cast<const char *>(labels.data()), qsizetype(labels.size()));
    writeMaybeGz(path, bytes);
}

QByteArray texturedPng(int width, int height, std::uint32_t seed)
{
    cv::Mat image(height, width, CV_8UC3);
    cv::RNG rng(seed);
    rng.fill(image, cv::RNG::UNIFORM, cv::Scalar::all(30), cv::Scalar::all(225));
    cv::GaussianBlur(image, image, cv::Size(0, 0), 1.0);
    cv::rectangle(image, cv::Point(width / 4, height / 4), cv::Point(width / 2, height / 2),
                  cv::Scalar(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)), -1);
    std::vector<uchar> bytes;
    cv::imencode(".png", image, bytes);
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size()));
}

void writeImages(const QString &dir, int count, const QString &prefix)
{
    // A fixed hash (qHash is seeded per process): the same files on every run.
    std::uint32_t base = 2166136261u;
    for (const QChar c : QDir(dir).dirName() + prefix)
        base = (base ^ c.unicode()) * 16777619u;
    for (int i = 0; i < count; ++i)
        writeFile(QDir(dir).filePath(QStringLiteral("%1%2.png").arg(prefix).arg(i)),
                  texturedPng(32, 32, base + std::uint32_t(i)));
}

QString binaryPath(const QString &name)
{
    const QString dir = qEnvironmentVariable("ASSAY_BIN_DIR");
    return QDir(dir).filePath(name);
}

} // namespace assay::test
