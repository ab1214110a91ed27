// The grid's thumbnail provider: answers from memory, loads off the UI thread, and asks again
// for what was missing once the cache file has it (a scan creating the file meanwhile).

#include "browser/thumbnailprovider.h"
#include "store/thumbnailcache.h"
#include "testdata.h"

#include <QBuffer>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace assay;

class TestThumbnailProvider : public QObject
{
    Q_OBJECT
private slots:
    void loadsOnceTheCacheFileExists();
    void makesThumbnailsOnDemandBeforeTheScan();
};

void TestThumbnailProvider::loadsOnceTheCacheFileExists()
{
    QTemporaryDir dir;
    const QString cachePath = dir.filePath(QStringLiteral("p.assay-cache"));
    ui::ThumbnailProvider provider;
    QSignalSpy ready(&provider, &ui::ThumbnailProvider::ready);
    provider.setProject(cachePath, {}); // the file does not exist yet
    QVERIFY(provider.thumbnail(7).isNull());
    QTest::qWait(200); // the worker answers "not there"
    QVERIFY(provider.thumbnail(7).isNull());
    QCOMPARE(ready.count(), 0);

    QImage image(40, 30, QImage::Format_RGB32);
    image.fill(Qt::red);
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(image.save(&buffer, "JPEG"));
    {
        store::ThumbnailCache cache(cachePath, store::ThumbnailCache::Mode::ReadWrite);
        cache.put({{7, QByteArray(16, 'h'), jpeg}});
    }
    provider.retryMissing();
    QVERIFY(provider.thumbnail(7).isNull()); // queued again
    QTRY_COMPARE(ready.count(), 1);
    QCOMPARE(ready.first().first().toLongLong(), 7);
    const QImage loaded = provider.thumbnail(7); // now from memory
    QCOMPARE(loaded.size(), QSize(40, 30));
}

void TestThumbnailProvider::makesThumbnailsOnDemandBeforeTheScan()
{
    QTemporaryDir dir;
    test::writeFile(dir.filePath(QStringLiteral("data/cat/a.png")),
                    test::texturedPng(400, 200, 3));
    ui::ThumbnailProvider provider;
    QSignalSpy ready(&provider, &ui::ThumbnailProvider::ready);
    provider.setProject(dir.filePath(QStringLiteral("none.assay-cache")),
                        dir.filePath(QStringLiteral("data")));
    QVERIFY(provider.thumbnail(1, QStringLiteral("cat/a.png")).isNull());
    QTRY_COMPARE(ready.count(), 1);
    const QImage made = provider.thumbnail(1);
    QCOMPARE(made.size(), QSize(160, 80)); // longest side 160, aspect kept
    // A file that cannot be read stays "missing" without a crash.
    QVERIFY(provider.thumbnail(2, QStringLiteral("cat/gone.png")).isNull());
    QTest::qWait(200);
    QCOMPARE(ready.count(), 1);
}

QTEST_MAIN(TestThumbnailProvider)
#include "tst_thumbnailprovider.moc"
