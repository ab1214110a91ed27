// Review mode's pictures (issue #8: the next image within 50 ms, also for large photos): a step
// to a sample whose full image is not decoded yet shows its thumbnail at once, stretched to the
// image's size so its annotations land where they will on the full image; the full image then
// replaces it; a decode finishing for a sample the user has left is not shown; the next samples
// are decoded ahead. Timing itself is measured by bench_review, not here.

#include "browser/samplegrid.h"
#include "editing/reviewimages.h"
#include "editing/reviewview.h"
#include "formats/importer.h"
#include "inspector/imageviewer.h"
#include "inspector/sampleinspector.h"
#include "inspector/viewerimage.h"
#include "jobs/jobregistry.h"
#include "jobs/progress.h"
#include "mainwindow/mainwindow.h"
#include "store/project.h"
#include "store/thumbnailcache.h"
#include "testdata.h"
#include "windowwait.h"

#include <QBuffer>
#include <QGraphicsItem>
#include <QGraphicsPixmapItem>
#include <QGraphicsRectItem>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace assay;

namespace {
constexpr int imageWidth = 900;
constexpr int imageHeight = 600;
const QRectF box(300, 200, 240, 160); // every image's one object, in image pixels
} // namespace

class TestReviewImages : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void showsTheThumbnailAtOnceThenTheFullImage();
    void dropsTheDecodeOfASampleLeftBehind();
    void decodesTheNextSamplesAhead();
    void offersItsDecodesToTheInspector();
    void theInspectorFollowsTheReviewNotTheGrid();
    void aDamagedImageShowsWhy();

private:
    // Opens the project in review mode at the first sample, without running the event loop
    // after the key press (no decode has been delivered yet).
    static ui::ReviewView *startReview(ui::MainWindow &window, const QString &project);
    // Two steps on without running the event loop: the samples passed and reached.
    static std::pair<std::int64_t, std::int64_t> stepTwice(ui::ReviewView *review)
    {
        QTest::keyClick(review, Qt::Key_K);
        const std::int64_t passed = review->currentSampleId();
        QTest::keyClick(review, Qt::Key_K);
        return {passed, review->currentSampleId()};
    }
    static QString pathOf(ui::MainWindow &window, std::int64_t sampleId)
    {
        store::Statement row(window.project()->db(), "SELECT path FROM samples WHERE id = ?");
        row.bind(1, sampleId);
        return row.step() ? row.text(0) : QString();
    }
    // Where the object's drawn box lands in the viewer's widget coordinates.
    static QRect drawnBox(const ui::ImageViewer *viewer);

    QTemporaryDir m_dir;
    QString m_project;
};

void TestReviewImages::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    const QString data = m_dir.filePath(QStringLiteral("data"));
    QString images, annotations;
    for (int i = 0; i < 7; ++i) {
        const QString name = QStringLiteral("photo%1.png").arg(i);
        // The last one is damaged: its thumbnail exists, its full image cannot be decoded.
        test::writeFile(data + QStringLiteral("/images/") + name,
                        i == 6 ? test::texturedPng(imageWidth, imageHeight, 46).left(900)
                               : test::texturedPng(imageWidth, imageHeight, std::uint32_t(40 + i)));
        images += QStringLiteral("%1{\"id\":%2,\"file_name\":\"%3\",\"width\":%4,\"height\":%5}")
                      .arg(i ? QStringLiteral(",") : QString())
                      .arg(i + 1)
                      .arg(name)
                      .arg(imageWidth)
                      .arg(imageHeight);
        annotations += QStringLiteral("%1{\"id\":%2,\"image_id\":%2,\"category_id\":1,"
                                      "\"bbox\":[%3,%4,%5,%6],\"iscrowd\":0}")
                           .arg(i ? QStringLiteral(",") : QString())
                           .arg(i + 1)
                           .arg(box.x())
                           .arg(box.y())
                           .arg(box.width())
                           .arg(box.height());
    }
    test::writeFile(data + QStringLiteral("/annotations/instances_train.json"),
                    QStringLiteral("{\"images\":[%1],\"annotations\":[%2],"
                                   "\"categories\":[{\"id\":1,\"name\":\"cat\"}]}")
                        .arg(images, annotations)
                        .toUtf8());
    m_project = m_dir.filePath(QStringLiteral("p.assay"));
    jobs::Progress progress;
    formats::importDataset(data, m_project, {}, progress);

    // The scan's thumbnails (a tenth of each side), as the cache file beside the project holds
    // them: the stand-ins a PNG has before its full decode.
    QImage thumbnail(imageWidth / 10, imageHeight / 10, QImage::Format_RGB32);
    thumbnail.fill(QColor(200, 120, 40));
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(thumbnail.save(&buffer, "JPEG"));
    std::vector<store::ThumbnailCache::Entry> entries;
    const auto project = store::Project::open(m_project);
    store::Statement ids(project->db(), "SELECT id FROM samples");
    while (ids.step())
        entries.push_back({ids.int64(0), QByteArray(16, 'h'), jpeg});
    QCOMPARE(entries.size(), size_t(7));
    store::ThumbnailCache(store::ThumbnailCache::pathFor(m_project),
                          store::ThumbnailCache::Mode::ReadWrite)
        .put(entries);
}

ui::ReviewView *TestReviewImages::startReview(ui::MainWindow &window, const QString &project)
{
    window.show();
    test::openWithoutScan(window, project);
    QTest::keyClick(&window, Qt::Key_R);
    return window.review();
}

QRect TestReviewImages::drawnBox(const ui::ImageViewer *viewer)
{
    const auto &annotations = viewer->annotations();
    if (annotations.size() != 1)
        return {};
    for (QGraphicsItem *item : viewer->overlayItemsOf(annotations.front().id))
        if (const auto *rect = qgraphicsitem_cast<QGraphicsRectItem *>(item))
            return viewer->mapFromScene(rect->mapRectToScene(rect->rect())).boundingRect();
    return {};
}

void TestReviewImages::showsTheThumbnailAtOnceThenTheFullImage()
{
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    ui::ReviewView *review = startReview(window, m_project);
    QVERIFY(window.isReviewMode());
    const std::int64_t first = review->currentSampleId();
    QTest::keyClick(review, Qt::Key_K);

    // Right after the key press, before the event loop ran: the next sample's thumbnail,
    // stretched to the image's size, with its object.
    const std::int64_t second = review->currentSampleId();
    QVERIFY(second != first);
    QCOMPARE(review->shownSampleId(), second);
    QVERIFY(!review->showsFullImage());
    const ui::ImageViewer *viewer = review->viewer();
    QVERIFY(viewer->hasImage());
    QVERIFY(!viewer->imageItem()->pixmap().isNull());
    QVERIFY(viewer->pixelSize().width() < imageWidth);
    QCOMPARE(viewer->imageRect(), QRectF(0, 0, imageWidth, imageHeight));
    QCOMPARE(viewer->imageItem()->sceneBoundingRect(), QRectF(0, 0, imageWidth, imageHeight));
    QVERIFY(window.findChild<QLabel *>(QStringLiteral("reviewLoadingHint"))->isVisibleTo(review));
    const QRect onThumbnail = drawnBox(viewer);
    QVERIFY(!onThumbnail.isEmpty());
    QCOMPARE(onThumbnail, viewer->mapFromScene(box).boundingRect());

    // The full image replaces the thumbnail; the box stays where it was on screen.
    QTRY_VERIFY_WITH_TIMEOUT(review->showsFullImage(), 20000);
    QCOMPARE(review->shownSampleId(), second);
    QCOMPARE(viewer->pixelSize(), QSize(imageWidth, imageHeight));
    QCOMPARE(viewer->imageRect(), QRectF(0, 0, imageWidth, imageHeight));
    QCOMPARE(drawnBox(viewer), onThumbnail);
    QVERIFY(!window.findChild<QLabel *>(QStringLiteral("reviewLoadingHint"))->isVisibleTo(review));
}

void TestReviewImages::dropsTheDecodeOfASampleLeftBehind()
{
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    ui::ReviewView *review = startReview(window, m_project);
    const auto [left, third] = stepTwice(review);
    QVERIFY(third != left);
    QCOMPARE(review->shownSampleId(), third);

    QSignalSpy decoded(review->images(), &ui::ReviewImages::fullReady);
    QSignalSpy shown(review, &ui::ReviewView::fullImageShown);
    const auto arrived = [&](std::int64_t id) {
        for (const auto &signal : decoded)
            if (signal.first().toLongLong() == id && !signal.at(1).value<QImage>().isNull())
                return true;
        return false;
    };
    // The sample left behind finishes decoding after the user moved on: it is not shown.
    QTRY_VERIFY_WITH_TIMEOUT(arrived(left) && review->showsFullImage(), 20000);
    QCOMPARE(review->currentSampleId(), third);
    QCOMPARE(review->shownSampleId(), third);
    for (const auto &signal : shown)
        QCOMPARE(signal.first().toLongLong(), third);
    // It is kept for a step back, which then needs no stand-in.
    QTest::keyClick(review, Qt::Key_Left);
    QCOMPARE(review->shownSampleId(), left);
    QVERIFY(review->showsFullImage());
}

void TestReviewImages::decodesTheNextSamplesAhead()
{
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    ui::ReviewView *review = startReview(window, m_project);
    QCOMPARE(review->position(), size_t(0));
    QVERIFY(review->images()->fullAhead() >= 2); // small images: several ahead
    QTRY_VERIFY_WITH_TIMEOUT(review->showsFullImage(), 20000);
    QTest::keyClick(review, Qt::Key_K); // which sample is next
    const std::int64_t next = review->currentSampleId();
    QTest::keyClick(review, Qt::Key_J);
    QCOMPARE(review->position(), size_t(0));
    QVERIFY(next != 0);
    QTRY_VERIFY_WITH_TIMEOUT(!review->images()->full(next).isNull(), 20000);
    QTest::keyClick(review, Qt::Key_K);
    QCOMPARE(review->shownSampleId(), next);
    QVERIFY(review->showsFullImage()); // no stand-in: it was decoded while the user looked
}

void TestReviewImages::offersItsDecodesToTheInspector()
{
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    ui::ReviewView *review = startReview(window, m_project);
    QTRY_VERIFY_WITH_TIMEOUT(review->showsFullImage(), 20000);
    const QString root = window.project()->datasetRoot();
    const QString path = pathOf(window, review->currentSampleId());
    QVERIFY(!path.isEmpty());
    // The inspector beside the review asks for the same file: answered without a decode.
    QCOMPARE(ui::offeredImage(root, path, -1).size(), QSize(imageWidth, imageHeight));
    const QFuture<ui::ViewerImage> load =
        ui::loadViewerImage(root, path, -1, std::make_shared<std::atomic<int>>(0), 0);
    QVERIFY(load.isFinished());
    QCOMPARE(load.result().image.size(), QSize(imageWidth, imageHeight));
    QTRY_VERIFY(window.inspector()->viewer()->hasImage());
    QCOMPARE(window.inspector()->viewer()->pixelSize(), QSize(imageWidth, imageHeight));
    // Leaving review mode lets the images go.
    QTest::keyClick(review, Qt::Key_Escape);
    QVERIFY(!window.isReviewMode());
    QVERIFY(ui::offeredImage(root, path, -1).isNull());
}

void TestReviewImages::theInspectorFollowsTheReviewNotTheGrid()
{
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    ui::ReviewView *review = startReview(window, m_project);
    const std::int64_t second = stepTwice(review).first;
    const QString reviewed = pathOf(window, review->currentSampleId());
    QVERIFY(!reviewed.isEmpty());
    const auto inspectorShows = [&](const QString &path) {
        const auto labels = window.inspector()->findChildren<QLabel *>();
        return std::any_of(labels.begin(), labels.end(),
                           [&](const QLabel *label) { return label->text() == path; });
    };
    QVERIFY(inspectorShows(reviewed));
    // The grid behind the review moves (as when its result reloads): the inspector stays.
    QVERIFY(window.grid()->selectSample(second));
    QCOMPARE(window.grid()->currentSampleId(), second);
    QTest::qWait(50);
    QVERIFY(inspectorShows(reviewed));
}

void TestReviewImages::aDamagedImageShowsWhy()
{
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    ui::ReviewView *review = startReview(window, m_project);
    QTest::keyClick(review, Qt::Key_End);
    QCOMPARE(review->position(), review->count() - 1);
    QVERIFY(!review->showsFullImage()); // its thumbnail first
    QVERIFY(review->viewer()->hasImage());
    QTRY_VERIFY_WITH_TIMEOUT(review->showsFullImage(), 20000);
    QVERIFY(!review->viewer()->hasImage());
    QVERIFY(review->viewer()->placeholderText().startsWith(QStringLiteral("Cannot show")));
    QTest::qWait(100); // a thumbnail arriving late does not cover the reason
    QVERIFY(!review->viewer()->hasImage());
    QTest::keyClick(review, Qt::Key_Left);
    QTest::keyClick(review, Qt::Key_Right); // back again: the reason at once
    QVERIFY(review->showsFullImage());
    QVERIFY(review->viewer()->placeholderText().startsWith(QStringLiteral("Cannot show")));
}

QTEST_MAIN(TestReviewImages)
#include "tst_reviewimages.moc"
