// The sample inspector: the image loaded off the UI thread and shown with its overlays, class
// toggles, the info area, errors shown instead of crashing, stale loads dropped, stepping keys;
// and the RLE mask decoder. With ASSAY_SCREENSHOT_DIR set, also saves inspector.png there.

#include "inspector/imageviewer.h"
#include "inspector/sampleinspector.h"
#include "inspector/viewerimage.h"

#include <QCheckBox>
#include <QFile>
#include <QGraphicsPixmapItem>
#include <QGraphicsPolygonItem>
#include <QGraphicsRectItem>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cmath>

using namespace assay;

namespace {

void writePng(const QString &path, int width, int height)
{
    cv::Mat pixels(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            pixels.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x), uchar(y * 2), uchar(x + y));
    QVERIFY(cv::imwrite(path.toStdString(), pixels));
}

Annotation box(const char *className, double x, double y, double w, double h)
{
    Annotation annotation;
    annotation.kind = AnnotationKind::Box;
    annotation.category = QString::fromUtf8(className);
    annotation.x = x, annotation.y = y, annotation.w = w, annotation.h = h;
    return annotation;
}

Annotation polygon(const char *className, std::vector<float> ring)
{
    Annotation annotation;
    annotation.kind = AnnotationKind::Polygon;
    annotation.category = QString::fromUtf8(className);
    annotation.polygons = {std::move(ring)};
    return annotation;
}

store::SampleDetails details(std::int64_t id, const QString &path)
{
    store::SampleDetails details;
    details.record.id = id;
    details.record.path = path;
    details.record.label = QStringLiteral("cat");
    details.record.split = QStringLiteral("train");
    details.annotations = {box("cat", 10, 10, 50, 40),
                           polygon("dog", {120, 20, 180, 30, 160, 90, 110, 70})};
    details.annotations[1].x = 110, details.annotations[1].y = 20;
    details.annotations[1].w = 70, details.annotations[1].h = 70;
    Issue issue;
    issue.sampleId = id;
    issue.kind = QStringLiteral("dark");
    issue.severity = Severity::Error;
    issue.detail = QStringLiteral("99th percentile luma 40 < 81.6");
    details.issues = {issue};
    details.attributes = {{QStringLiteral("source"), QStringLiteral("camera 2")},
                          {QStringLiteral("weight"), QStringLiteral("0.5")}};
    return details;
}

QCheckBox *chip(ui::SampleInspector &inspector, const QString &className)
{
    for (QCheckBox *box : inspector.findChildren<QCheckBox *>())
        if (box->property("className").toString() == className)
            return box;
    return nullptr;
}

QStringList treeTexts(const QTreeWidget *tree)
{
    QStringList texts;
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *section = tree->topLevelItem(i);
        texts << section->text(0);
        for (int j = 0; j < section->childCount(); ++j)
            texts << section->child(j)->text(0) + QLatin1Char('=') + section->child(j)->text(1);
    }
    return texts;
}

// A filled circle as COCO RLE (column-major runs, 0s first).
RleMask circleMask(int width, int height, double cx, double cy, double r)
{
    RleMask mask{width, height, {}};
    bool inside = false;
    std::uint32_t run = 0;
    for (int x = 0; x < width; ++x)
        for (int y = 0; y < height; ++y) {
            const bool set = std::hypot(x - cx, y - cy) <= r;
            if (set != inside) {
                mask.counts.push_back(run);
                run = 0;
                inside = set;
            }
            ++run;
        }
    mask.counts.push_back(run);
    return mask;
}

} // namespace

class TestInspector : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void showsImageOverlaysAndInfo();
    void togglesClassesAndReportsHover();
    void unreadableImageShowsTheError();
    void onlyTheLastSampleIsShown();
    void stepKeys();
    void decodesRleMasks();
    void convertsPixels();
    void screenshot();

private:
    QTemporaryDir m_dir;
};

void TestInspector::init()
{
    QVERIFY(m_dir.isValid());
    writePng(m_dir.filePath(QStringLiteral("a.png")), 200, 100);
    writePng(m_dir.filePath(QStringLiteral("b.png")), 50, 80);
}

void TestInspector::showsImageOverlaysAndInfo()
{
    ui::SampleInspector inspector;
    inspector.resize(600, 700);
    inspector.show();
    QSignalSpy shown(&inspector, &ui::SampleInspector::imageShown);
    inspector.showSample(details(1, QStringLiteral("a.png")), m_dir.path());
    QVERIFY(shown.wait(10000));
    QCOMPARE(shown.count(), 1);
    QCOMPARE(shown.first().first().toLongLong(), 1);
    QCOMPARE(inspector.currentSampleId(), 1);

    ui::ImageViewer *viewer = inspector.viewer();
    QVERIFY(viewer->hasImage());
    QCOMPARE(viewer->imageItem()->pixmap().size(), QSize(200, 100));
    const auto cats = viewer->overlayItems(QStringLiteral("cat"));
    const auto dogs = viewer->overlayItems(QStringLiteral("dog"));
    QVERIFY(std::any_of(cats.begin(), cats.end(), [](QGraphicsItem *item) {
        auto *rect = qgraphicsitem_cast<QGraphicsRectItem *>(item);
        return rect && rect->rect() == QRectF(10, 10, 50, 40);
    }));
    QVERIFY(std::any_of(dogs.begin(), dogs.end(), [](QGraphicsItem *item) {
        auto *poly = qgraphicsitem_cast<QGraphicsPolygonItem *>(item);
        return poly && poly->polygon().size() == 4;
    }));

    QVERIFY(inspector.headerText().contains(QStringLiteral("a.png")));
    QVERIFY(inspector.headerText().contains(QStringLiteral("cat")));
    QVERIFY(inspector.headerText().contains(QStringLiteral("train")));

    const QStringList texts = treeTexts(inspector.infoTree());
    QVERIFY2(texts.contains(QStringLiteral("Dark=99th percentile luma 40 < 81.6")),
             qPrintable(texts.join(QLatin1Char('|'))));
    QVERIFY(texts.contains(QStringLiteral("source=camera 2")));
    QVERIFY(texts.contains(QStringLiteral("not scanned yet=")));
    const QTreeWidgetItem *issue = inspector.infoTree()->topLevelItem(0)->child(0);
    const QColor dot = issue->icon(0).pixmap(12, 12).toImage().pixelColor(6, 6);
    QVERIFY2(dot.red() > 180 && dot.green() < 80, qPrintable(dot.name()));

    // Scanned: the features, pHash as 16 hex digits.
    store::SampleDetails scanned = details(1, QStringLiteral("a.png"));
    scanned.scanned = true;
    scanned.features.width = 200;
    scanned.features.height = 100;
    scanned.features.phash = 0x00ab'cdef'0123'4567ULL;
    inspector.showSample(scanned, m_dir.path());
    QVERIFY(shown.wait(10000));
    const QStringList features = treeTexts(inspector.infoTree());
    QVERIFY2(features.contains(QStringLiteral("pHash=00abcdef01234567")),
             qPrintable(features.join(QLatin1Char('|'))));
    QVERIFY(features.contains(QStringLiteral("Size=200 × 100 px")));

    inspector.clear();
    QVERIFY(!viewer->hasImage());
    QCOMPARE(inspector.currentSampleId(), 0);
    QVERIFY(inspector.headerText().isEmpty());
}

void TestInspector::togglesClassesAndReportsHover()
{
    ui::SampleInspector inspector;
    inspector.resize(600, 700);
    inspector.show();
    QVERIFY(QTest::qWaitForWindowExposed(&inspector));
    QSignalSpy shown(&inspector, &ui::SampleInspector::imageShown);
    inspector.showSample(details(1, QStringLiteral("a.png")), m_dir.path());
    QVERIFY(shown.wait(10000));
    ui::ImageViewer *viewer = inspector.viewer();

    QCheckBox *cat = chip(inspector, QStringLiteral("cat"));
    QVERIFY(cat);
    QVERIFY(cat->isChecked());
    QVERIFY(chip(inspector, QStringLiteral("dog")));
    cat->click();
    for (QGraphicsItem *item : viewer->overlayItems(QStringLiteral("cat")))
        QVERIFY(!item->isVisible());
    for (QGraphicsItem *item : viewer->overlayItems(QStringLiteral("dog")))
        QVERIFY(item->isVisible());
    cat->click();
    for (QGraphicsItem *item : viewer->overlayItems(QStringLiteral("cat")))
        QVERIFY(item->isVisible());

    QSignalSpy hovered(viewer, &ui::ImageViewer::hovered);
    QTest::mouseMove(viewer->viewport(), viewer->mapFromScene(QPointF(35, 40)));
    QTRY_VERIFY(!hovered.isEmpty());
    QCOMPARE(hovered.last().first().toString(), QStringLiteral("cat — 50 × 40 px"));

    // Without annotations there is no legend.
    store::SampleDetails plain = details(2, QStringLiteral("b.png"));
    plain.annotations.clear();
    inspector.showSample(plain, m_dir.path());
    QVERIFY(shown.wait(10000));
    QVERIFY(!chip(inspector, QStringLiteral("cat")));
    QVERIFY(viewer->overlayItems(QStringLiteral("cat")).isEmpty());
}

void TestInspector::unreadableImageShowsTheError()
{
    ui::SampleInspector inspector;
    inspector.resize(400, 500);
    inspector.show();
    QSignalSpy failed(&inspector, &ui::SampleInspector::imageFailed);
    QSignalSpy shown(&inspector, &ui::SampleInspector::imageShown);
    inspector.showSample(details(3, QStringLiteral("nope/missing.png")), m_dir.path());
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.first().first().toLongLong(), 3);
    QVERIFY(!inspector.viewer()->hasImage());
    const QString text = inspector.viewer()->placeholderText();
    QVERIFY2(text.contains(QStringLiteral("missing.png")), qPrintable(text));
    QVERIFY(text.contains(failed.first().at(1).toString()));

    // Not an image at all.
    QFile junk(m_dir.filePath(QStringLiteral("junk.png")));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("this is not a png");
    junk.close();
    inspector.showSample(details(4, QStringLiteral("junk.png")), m_dir.path());
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.last().first().toLongLong(), 4);
    QVERIFY(!inspector.viewer()->placeholderText().isEmpty());
    QCOMPARE(shown.count(), 0);
}

void TestInspector::onlyTheLastSampleIsShown()
{
    ui::SampleInspector inspector;
    inspector.resize(400, 500);
    inspector.show();
    QSignalSpy shown(&inspector, &ui::SampleInspector::imageShown);
    // Both loads are under way before either result can arrive: A's must be dropped.
    inspector.showSample(details(10, QStringLiteral("a.png")), m_dir.path());
    inspector.showSample(details(11, QStringLiteral("b.png")), m_dir.path());
    QVERIFY(shown.wait(10000));
    QTest::qWait(300); // room for a late result for A
    QCOMPARE(shown.count(), 1);
    QCOMPARE(shown.first().first().toLongLong(), 11);
    QCOMPARE(inspector.viewer()->imageItem()->pixmap().size(), QSize(50, 80));
    QCOMPARE(inspector.currentSampleId(), 11);
}

void TestInspector::stepKeys()
{
    ui::SampleInspector inspector;
    inspector.resize(400, 500);
    inspector.show();
    QSignalSpy step(&inspector, &ui::SampleInspector::stepRequested);
    QTest::keyClick(inspector.viewer(), Qt::Key_Right);
    QCOMPARE(step.count(), 1);
    QCOMPARE(step.last().first().toInt(), +1);
    QTest::keyClick(inspector.viewer(), Qt::Key_Left);
    QCOMPARE(step.last().first().toInt(), -1);
    QTest::keyClick(inspector.viewer(), Qt::Key_K);
    QCOMPARE(step.last().first().toInt(), +1);
    QTest::keyClick(inspector.infoTree(), Qt::Key_J);
    QCOMPARE(step.last().first().toInt(), -1);
    QTest::keyClick(&inspector, Qt::Key_Right);
    QCOMPARE(step.count(), 5);
    QCOMPARE(step.last().first().toInt(), +1);
    QTest::keyClick(inspector.viewer(), Qt::Key_Right, Qt::ControlModifier);
    QCOMPARE(step.count(), 5);

    // The viewer's own keys zoom and fit.
    QSignalSpy shown(&inspector, &ui::SampleInspector::imageShown);
    inspector.showSample(details(1, QStringLiteral("a.png")), m_dir.path());
    QVERIFY(shown.wait(10000));
    ui::ImageViewer *viewer = inspector.viewer();
    const double fitted = viewer->zoom();
    QTest::keyClick(viewer, Qt::Key_Plus);
    QVERIFY(viewer->zoom() > fitted * 1.2);
    QTest::keyClick(viewer, Qt::Key_F);
    QCOMPARE(viewer->zoom(), fitted);
    for (int i = 0; i < 40; ++i)
        viewer->zoomIn();
    QCOMPARE(viewer->zoom(), ui::ImageViewer::maxZoom);
    QCOMPARE(viewer->imageItem()->transformationMode(), Qt::FastTransformation);
    for (int i = 0; i < 80; ++i)
        viewer->zoomOut();
    QCOMPARE(viewer->zoom(), ui::ImageViewer::minZoom);
    QCOMPARE(viewer->imageItem()->transformationMode(), Qt::SmoothTransformation);
}

void TestInspector::decodesRleMasks()
{
    // 4 wide, 3 high; column-major: 2 zeros, 3 ones (x0y2, x1y0, x1y1), 7 zeros.
    const RleMask mask{4, 3, {2, 3, 7}};
    const QImage image = ui::maskToImage(mask, QColor(255, 0, 0, 102));
    QCOMPARE(image.size(), QSize(4, 3));
    QList<QPoint> set;
    for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 4; ++x)
            if (qAlpha(image.pixel(x, y)) != 0)
                set << QPoint(x, y);
    QCOMPARE(set, (QList<QPoint>{{1, 0}, {1, 1}, {0, 2}}));
    QCOMPARE(image.pixelColor(1, 0), QColor(255, 0, 0, 102));

    // Runs that claim more pixels than the mask has are cut, not written past the end.
    const QImage over = ui::maskToImage(RleMask{2, 2, {1, 100}}, Qt::blue);
    QCOMPARE(qAlpha(over.pixel(0, 0)), 0);
    QCOMPARE(qAlpha(over.pixel(1, 1)), 255);
    QVERIFY(ui::maskToImage(RleMask{}, Qt::blue).isNull());
}

void TestInspector::convertsPixels()
{
    QString error;
    const cv::Mat bgr(1, 2, CV_8UC3, cv::Scalar(255, 0, 10)); // blue, as OpenCV orders it
    QImage image = ui::matToImage(bgr, error);
    QCOMPARE(image.size(), QSize(2, 1));
    QCOMPARE(image.pixelColor(1, 0), QColor(10, 0, 255));
    image = ui::matToImage(cv::Mat(3, 1, CV_8UC1, cv::Scalar(77)), error);
    QCOMPARE(image.pixelColor(0, 2), QColor(77, 77, 77));
    QVERIFY(ui::matToImage(cv::Mat(1, 1, CV_16UC1), error).isNull());
    QVERIFY(!error.isEmpty());
}

void TestInspector::screenshot()
{
    const QString out = qEnvironmentVariable("ASSAY_SCREENSHOT_DIR");
    if (out.isEmpty())
        QSKIP("set ASSAY_SCREENSHOT_DIR to save inspector.png");
    const QString photo = QStringLiteral("/usr/share/doc/opencv-doc/examples/data/baboon.jpg");
    if (!QFile::exists(photo))
        QSKIP("no opencv-doc photo");
    QFile::remove(m_dir.filePath(QStringLiteral("baboon.jpg")));
    QVERIFY(QFile::copy(photo, m_dir.filePath(QStringLiteral("baboon.jpg"))));

    store::SampleDetails sample = details(7, QStringLiteral("baboon.jpg"));
    sample.record.label = QStringLiteral("baboon");
    sample.annotations = {box("eye", 120, 40, 110, 90), box("eye", 300, 40, 110, 90),
                          polygon("nose", {230, 110, 290, 110, 320, 330, 256, 380, 195, 330})};
    sample.annotations[2].x = 195, sample.annotations[2].y = 110;
    sample.annotations[2].w = 125, sample.annotations[2].h = 270;
    Annotation mouth;
    mouth.kind = AnnotationKind::Mask;
    mouth.category = QStringLiteral("mouth");
    mouth.mask = circleMask(512, 512, 256, 440, 45);
    mouth.x = 211, mouth.y = 395, mouth.w = 91, mouth.h = 91;
    sample.annotations.push_back(mouth);
    sample.scanned = true;
    SampleFeatures &f = sample.features;
    f.width = 512, f.height = 512, f.channels = 3, f.realType = QStringLiteral("jpeg");
    f.fileSize = 179920, f.brightness = 124.6, f.contrast = 52.3, f.sharpness = 2210.4;
    f.entropy = 7.41, f.colorfulness = 61.2, f.phash = 0x9c3e61f08a5b7d24ULL;
    sample.issues[0].kind = QStringLiteral("odd_size");
    sample.issues[0].severity = Severity::Warning;
    sample.issues[0].detail = QStringLiteral("√(w·h) 512 is 18.3× the median 28");

    ui::SampleInspector inspector;
    inspector.resize(700, 800);
    inspector.show();
    QSignalSpy shown(&inspector, &ui::SampleInspector::imageShown);
    inspector.showSample(sample, m_dir.path());
    QVERIFY(shown.wait(10000));
    QTest::qWait(200);
    QVERIFY(inspector.grab().save(QDir(out).filePath(QStringLiteral("inspector.png"))));

    // A tiny image zoomed in: crisp pixels.
    writePng(m_dir.filePath(QStringLiteral("tiny.png")), 28, 28);
    store::SampleDetails tiny = details(8, QStringLiteral("tiny.png"));
    tiny.annotations.clear();
    inspector.showSample(tiny, m_dir.path());
    QVERIFY(shown.wait(10000));
    QTest::qWait(200);
    QVERIFY(inspector.grab().save(QDir(out).filePath(QStringLiteral("inspector-tiny.png"))));

    // Narrow, many classes (the legend scrolls), then an error.
    inspector.resize(380, 700);
    for (int i = 0; i < 8; ++i)
        sample.annotations.push_back(box(QStringLiteral("class %1").arg(i).toUtf8().constData(),
                                         20 + i * 50, 200, 40, 40));
    sample.record.path = QStringLiteral("some/rather/long/folder/name/baboon.jpg");
    QDir(m_dir.path()).mkpath(QStringLiteral("some/rather/long/folder/name"));
    QFile::copy(photo, m_dir.filePath(sample.record.path));
    inspector.showSample(sample, m_dir.path());
    QVERIFY(shown.wait(10000));
    QTest::qWait(200);
    QVERIFY(inspector.grab().save(QDir(out).filePath(QStringLiteral("inspector-narrow.png"))));
    QSignalSpy failed(&inspector, &ui::SampleInspector::imageFailed);
    inspector.showSample(details(9, QStringLiteral("gone.png")), m_dir.path());
    QVERIFY(failed.wait(10000));
    QTest::qWait(200);
    QVERIFY(inspector.grab().save(QDir(out).filePath(QStringLiteral("inspector-error.png"))));
}

QTEST_MAIN(TestInspector)
#include "tst_inspector.moc"
