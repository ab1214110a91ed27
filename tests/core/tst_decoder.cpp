// The image decoder's refusals: what a header claims is checked before anything is decoded.

#include "scan/decoder.h"
#include "testdata.h"

#include <QFile>
#include <QTest>

using namespace assay;

class TestDecoder : public QObject
{
    Q_OBJECT

private slots:
    void decodesAPng();
    void refusesEmptyAndUnknownBytes();
    void hugeClaimedSizeIsTooLargeNotAnOverflow();
};

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
    QFile file(qEnvironmentVariable("ASSAY_TEST_DATA")
               + QStringLiteral("/fuzz-regressions/image/png-dimensions-overflow"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    const scan::Decoded decoded =
        scan::decodeImage(std::string_view(bytes.constData(), size_t(bytes.size())), {});
    QCOMPARE(decoded.status, scan::DecodeStatus::TooLarge);
    QVERIFY2(decoded.reason.contains(QStringLiteral("exceeds")), qPrintable(decoded.reason));
}

QTEST_GUILESS_MAIN(TestDecoder)
#include "tst_decoder.moc"
