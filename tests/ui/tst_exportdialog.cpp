// File → Export: the dialog's choices and guards, and the controller running an export in the
// background to its report.

#include "exporting/exportcontroller.h"
#include "exporting/exportdialog.h"
#include "formats/importer.h"
#include "jobs/jobregistry.h"
#include "jobs/progress.h"
#include "testdata.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace assay;

class TestExportDialog : public QObject
{
    Q_OBJECT
private slots:
    void guardsTheOutputFolder();
    void inPlaceOnlyForTheOwnFormat();
    void controllerExportsInTheBackground();
};

void TestExportDialog::guardsTheOutputFolder()
{
    QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("data"));
    QDir().mkpath(root);
    ui::ExportDialog dialog(QStringLiteral("yolo"), root);
    QCOMPARE(dialog.formatBox()->currentData().toString(), QStringLiteral("yolo"));
    QVERIFY(!dialog.exportButton()->isEnabled()); // no folder yet
    dialog.folderEdit()->setText(root + QStringLiteral("/out"));
    QVERIFY(!dialog.exportButton()->isEnabled());
    QVERIFY(dialog.problem().contains(QStringLiteral("outside the dataset")));
    test::writeFile(dir.filePath(QStringLiteral("full/x.txt")), "x");
    dialog.folderEdit()->setText(dir.filePath(QStringLiteral("full")));
    QVERIFY(dialog.problem().contains(QStringLiteral("not empty")));
    dialog.folderEdit()->setText(dir.filePath(QStringLiteral("new")));
    QVERIFY(dialog.exportButton()->isEnabled());
    const exporting::ExportOptions options = dialog.options();
    QCOMPARE(options.target, exporting::Target::Yolo);
    // ASSAY_SCREENSHOTS=DIR keeps a picture of the dialog (for looking at it, and the docs).
    if (const QString shots = qEnvironmentVariable("ASSAY_SCREENSHOTS"); !shots.isEmpty()) {
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.grab().save(shots + QStringLiteral("/export-dialog.png"));
    }
    QCOMPARE(options.outDir, dir.filePath(QStringLiteral("new")));
    QVERIFY(!options.inPlace);
}

void TestExportDialog::inPlaceOnlyForTheOwnFormat()
{
    ui::ExportDialog dialog(QStringLiteral("voc"), QStringLiteral("/data/voc"));
    QVERIFY(dialog.inPlaceBox()->isEnabled());
    dialog.inPlaceBox()->setChecked(true);
    QVERIFY(dialog.exportButton()->isEnabled()); // no folder needed
    QVERIFY(!dialog.folderEdit()->isEnabled());
    QVERIFY(dialog.options().inPlace);
    // Writing back asks first: refused, the dialog stays open; confirmed, it is accepted.
    QStringList asked;
    bool answer = false;
    dialog.setConfirm([&](const QString &question) {
        asked << question;
        return answer;
    });
    dialog.show();
    dialog.exportButton()->click();
    QCOMPARE(asked.size(), 1);
    QVERIFY(asked.first().contains(QStringLiteral("/data/voc/.assay-backup/")));
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    answer = true;
    dialog.exportButton()->click();
    QCOMPARE(asked.size(), 2);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    dialog.formatBox()->setCurrentIndex(dialog.formatBox()->findData(QStringLiteral("coco")));
    QVERIFY(!dialog.inPlaceBox()->isEnabled());
    QVERIFY(!dialog.options().inPlace);
    QVERIFY(!dialog.exportButton()->isEnabled());
}

void TestExportDialog::controllerExportsInTheBackground()
{
    QTemporaryDir dir;
    test::writeImages(dir.filePath(QStringLiteral("data/cat")), 2);
    test::writeImages(dir.filePath(QStringLiteral("data/dog")), 1);
    jobs::Progress progress;
    const QString project = dir.filePath(QStringLiteral("p.assay"));
    formats::importDataset(dir.filePath(QStringLiteral("data")), project, {}, progress);

    jobs::JobRegistry registry;
    ui::ExportController controller(&registry);
    QSignalSpy finished(&controller, &ui::ExportController::finished);
    QSignalSpy failed(&controller, &ui::ExportController::failed);
    exporting::ExportOptions options;
    options.target = exporting::Target::Csv;
    options.outDir = dir.filePath(QStringLiteral("out"));
    controller.start(project, options);
    QVERIFY(finished.wait(20000));
    QCOMPARE(failed.count(), 0);
    QVERIFY(finished.front().at(1).toString().contains(QStringLiteral("Exported 3 samples")));
    QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("out/labels.csv"))));

    controller.start(project, options); // the folder is now full: a clear failure
    QVERIFY(failed.wait(20000));
    QVERIFY(failed.front().at(0).toString().contains(QStringLiteral("not empty")));
}

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
