// The image decoder's refusals: what a header claims is checked before anything is decoded.

#include "scan/decoder.h"
#include "testdata.h"

#include <QFile>
#include <QTest>

#include <opencv2/imgcodecs.hpp>

using namespace assay;

class TestDecoder : public QObject
{
    Q_OBJECT

private slots:
    void decodesAPng();
    void refusesEmptyAndUnknownBytes();
    void hugeClaimedSizeIsTooLargeNotAnOverflow();
    void pnmSizeIsReadAsOpenCvReadsIt();
    void everyWritableTypeStatesItsSize_data();
    void everyWritableTypeStatesItsSize();
    void unstatedSizeIsNotDecoded();
};

namespace {

QByteArray regressionInput(const QString &name)
{
    QFile file(qEnvironmentVariable("ASSAY_TEST_DATA")
               + QStringLiteral("/fuzz-regressions/image/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read fuzz regression %s", qPrintable(name));
    return file.readAll();
}

scan::Decoded decode(const QByteArray &bytes)
{
    return scan::decodeImage(std::string_view(bytes.constData(), size_t(bytes.size())), {});
}

} // namespace

void TestDecoder::decodesAPng()
{
    const QByteArray png = test::texturedPng(40, 30, 3);
    const scan::Decoded decoded = scan::decodeImage(std::string_view(png.constData(),
                                                                     size_t(png.size())),
                                                    {});
    QCOMPARE(decoded.status, scan::DecodeStatus::Ok);
    QCOMPARE(decoded.width, 40);
    QCOMPARE(decoded.height, 30);
}

void TestDecoder::refusesEmptyAndUnknownBytes()
{
    QCOMPARE(scan::decodeImage({}, {}).status, scan::DecodeStatus::ZeroBytes);
    QCOMPARE(scan::decodeImage("definitely not an image", {}).status,
             scan::DecodeStatus::Unsupported);
}

// Found by fuzz_image: an IHDR claiming 4,282,003,247 × 4,294,947,072 pixels made the pixel count
// overflow (undefined behaviour) and slip past the limit.
void TestDecoder::hugeClaimedSizeIsTooLargeNotAnOverflow()
{
    const scan::Decoded decoded = decode(regressionInput(QStringLiteral("png-dimensions-overflow")));
    QCOMPARE(decoded.status, scan::DecodeStatus::TooLarge);
    QVERIFY2(decoded.reason.contains(QStringLiteral("exceeds")), qPrintable(decoded.reason));
}

// Found by fuzz_image: "P6\t666666-666&666&…" — OpenCV ends a number at any non-digit, so it read
// 666666 × 666 and allocated 1.3 GB, while the header reader stopped at '-' and checked nothing.
void TestDecoder::pnmSizeIsReadAsOpenCvReadsIt()
{
    const scan::Decoded decoded =
        decode(regressionInput(QStringLiteral("pnm-number-terminator-oom")));
    QCOMPARE(decoded.status, scan::DecodeStatus::TooLarge);
    QCOMPARE(decoded.width, 666666);
    QCOMPARE(decoded.height, 666);
    // Comments and odd separators, as OpenCV accepts them.
    const scan::ImageHeader header = scan::readImageHeader("P5\n# a comment\n12,7\n255\n");
    QCOMPARE(header.type, scan::ImageType::Pnm);
    QCOMPARE(header.width, 12);
    QCOMPARE(header.height, 7);
}

// Every type OpenCV writes decodes, at its own size: the header readers that guard the decoder
// must not refuse a well-formed file.
void TestDecoder::everyWritableTypeStatesItsSize_data()
{
    QTest::addColumn<QString>("extension");
    for (const char *extension : {".png", ".jpg", ".bmp", ".tif", ".webp", ".ppm", ".pgm", ".pbm",
                                  ".ras", ".hdr", ".jp2"})
        QTest::newRow(extension) << QString::fromLatin1(extension);
}

void TestDecoder::everyWritableTypeStatesItsSize()
{
    QFETCH(QString, extension);
    cv::Mat image(37, 53, CV_8UC3);
    cv::randu(image, 0, 255);
    if (extension == QStringLiteral(".pgm") || extension == QStringLiteral(".pbm"))
        cv::extractChannel(image, image, 0);
    std::vector<uchar> bytes;
    try {
        if (!cv::imencode(extension.toStdString(), image, bytes))
            QSKIP("this OpenCV build does not write the type");
    } catch (const cv::Exception &) {
        QSKIP("this OpenCV build does not write the type");
    }
    const QByteArray data(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size()));
    const scan::ImageHeader header =
        scan::readImageHeader(std::string_view(data.constData(), size_t(data.size())));
    QCOMPARE(header.width, 53);
    QCOMPARE(header.height, 37);
    const scan::Decoded decoded = decode(data);
    QCOMPARE(decoded.status, scan::DecodeStatus::Ok);
    QCOMPARE(decoded.width, 53);
    QCOMPARE(decoded.height, 37);
}

void TestDecoder::unstatedSizeIsNotDecoded()
{
    // A Sun raster header cut short, a PNM whose size is text: refused, nothing allocated.
    for (const QByteArray &bytes : {QByteArray("\x59\xA6\x6A\x95\0\0", 6),
                                    QByteArray("P6\nwide tall\n255\n")}) {
        const scan::Decoded decoded = decode(bytes);
        QCOMPARE(decoded.status, scan::DecodeStatus::Corrupt);
        QVERIFY2(decoded.reason.contains(QStringLiteral("does not state")),
                 qPrintable(decoded.reason));
    }
}

QTEST_GUILESS_MAIN(TestDecoder)
#include "tst_decoder.moc"
