// ImageFolder layouts, format detection and bad input.

#include "formats/datasetreader.h"
#include "jobs/progress.h"
#include "testdata.h"
#include "util/error.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace assay;
using namespace assay::formats;

class TestImageFolder : public QObject
{
    Q_OBJECT
private slots:
    void classLayout();
    void splitLayoutCaseInsensitive();
    void nonImagesSkippedAndCounted();
    void symlinkOutsideRootRefused();
    void emptyFolderIsAnError();
    void missingPathIsAnError();
    void detectsFormats();
    void undetectableFolderNamesTheOptions();

private:
    ImportPlan read(const QString &root)
    {
        jobs::Progress progress;
        return readImageFolder(root, progress);
    }
};

void TestImageFolder::classLayout()
{
    QTemporaryDir dir;
    test::writeImages(dir.filePath(QStringLiteral("cat")), 3);
    test::writeImages(dir.filePath(QStringLiteral("dog")), 2);
    test::writeImages(dir.filePath(QStringLiteral("10")), 1);
    test::writeImages(dir.filePath(QStringLiteral("2")), 1);
    test::writeImages(dir.path(), 1, QStringLiteral("loose_")); // no class folder
    const ImportPlan plan = read(dir.path());
    QCOMPARE(plan.items.size(), size_t(8));
    QCOMPARE(plan.categories, test::strings({"2", "10", "cat", "dog"}));
    QVERIFY(plan.splits.isEmpty());
    int unlabeled = 0;
    for (const ImportItem &item : plan.items) {
        QCOMPARE(item.split, -1);
        if (item.label < 0) {
            ++unlabeled;
            QCOMPARE(item.path, std::string("loose_0.png"));
        } else {
            QVERIFY(QString::fromStdString(item.path).startsWith(plan.categories[item.label]
                                                                 + u'/'));
        }
    }
    QCOMPARE(unlabeled, 1);
}

void TestImageFolder::splitLayoutCaseInsensitive()
{
    QTemporaryDir dir;
    test::writeImages(dir.filePath(QStringLiteral("Train/cat")), 4);
    test::writeImages(dir.filePath(QStringLiteral("Train/dog")), 3);
    test::writeImages(dir.filePath(QStringLiteral("VALID/cat")), 2);
    test::writeImages(dir.filePath(QStringLiteral("test/dog")), 1);
    test::writeFile(dir.filePath(QStringLiteral("test/dog/UPPER.JPG")), "x");
    const ImportPlan plan = read(dir.path());
    QCOMPARE(plan.items.size(), size_t(11));
    QCOMPARE(plan.splits, test::strings({"Train", "VALID", "test"}));
    QCOMPARE(plan.categories, test::strings({"cat", "dog"}));
    std::map<std::pair<int, int>, int> counts;
    for (const ImportItem &item : plan.items)
        ++counts[{item.split, item.label}];
    QCOMPARE(counts[std::make_pair(0, 0)], 4);
    QCOMPARE(counts[std::make_pair(0, 1)], 3);
    QCOMPARE(counts[std::make_pair(1, 0)], 2);
    QCOMPARE(counts[std::make_pair(2, 1)], 2);
}

void TestImageFolder::nonImagesSkippedAndCounted()
{
    QTemporaryDir dir;
    test::writeImages(dir.filePath(QStringLiteral("cat")), 2);
    test::writeFile(dir.filePath(QStringLiteral("cat/notes.txt")), "hello");
    test::writeFile(dir.filePath(QStringLiteral("cat/meta.json")), "{}");
    test::writeFile(dir.filePath(QStringLiteral(".hidden/x.png")), test::tinyPng());
    const ImportPlan plan = read(dir.path());
    QCOMPARE(plan.items.size(), size_t(2));
    QCOMPARE(plan.skipped.size(), size_t(2));
    for (const SkippedEntry &entry : plan.skipped)
        QCOMPARE(entry.reason, QStringLiteral("not an image"));
}

void TestImageFolder::symlinkOutsideRootRefused()
{
    QTemporaryDir outside;
    test::writeFile(outside.filePath(QStringLiteral("secret.png")), test::tinyPng());
    QTemporaryDir dir;
    test::writeImages(dir.filePath(QStringLiteral("cat")), 1);
    QVERIFY(QFile::link(outside.filePath(QStringLiteral("secret.png")),
                        dir.filePath(QStringLiteral("cat/link.png"))));
    const ImportPlan plan = read(dir.path());
    QCOMPARE(plan.items.size(), size_t(1));
    QCOMPARE(plan.refused.size(), size_t(1));
    QCOMPARE(plan.refused[0].path, QStringLiteral("cat/link.png"));
}

void TestImageFolder::emptyFolderIsAnError()
{
    QTemporaryDir dir;
    try {
        read(dir.path());
        QFAIL("no error");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QStringLiteral("is empty")),
                 qPrintable(error.message()));
    }
    jobs::Progress progress;
    QVERIFY_THROWS_EXCEPTION(Error, readDataset(dir.path(), {}, progress));
}

void TestImageFolder::missingPathIsAnError()
{
    jobs::Progress progress;
    try {
        readDataset(QStringLiteral("/nonexistent/dataset"), {}, progress);
        QFAIL("no error");
    } catch (const Error &error) {
        QCOMPARE(error.message(), QStringLiteral("/nonexistent/dataset does not exist"));
    }
}

void TestImageFolder::detectsFormats()
{
    QTemporaryDir images;
    test::writeImages(images.filePath(QStringLiteral("a/b")), 1);
    QCOMPARE(detectFormat(images.path()), Format::ImageFolder);

    QTemporaryDir csv;
    test::writeFile(csv.filePath(QStringLiteral("labels.csv")), "path\nx.png\n");
    test::writeImages(csv.path(), 1);
    QCOMPARE(detectFormat(csv.path()), Format::Csv);
    QCOMPARE(detectFormat(csv.filePath(QStringLiteral("labels.csv"))), Format::Csv);

    QTemporaryDir mnist;
    test::writeIdxImages(mnist.filePath(QStringLiteral("train-images-idx3-ubyte.gz")), 2, 4, 4);
    QCOMPARE(detectFormat(mnist.path()), Format::Mnist);
}

void TestImageFolder::undetectableFolderNamesTheOptions()
{
    QTemporaryDir dir;
    test::writeFile(dir.filePath(QStringLiteral("readme.txt")), "hi");
    try {
        detectFormat(dir.path());
        QFAIL("no error");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QStringLiteral("--format auto|imagefolder|csv|mnist")),
                 qPrintable(error.message()));
    }
}

QTEST_GUILESS_MAIN(TestImageFolder)
#include "tst_imagefolder.moc"
