// The Datasheet panel: questions by section with their state, the editor (save pins an answer,
// confirm accepts a draft, "use Assay's text" unpins), progress, the preview, exports, and its
// dock and menu in the main window.

#include "clirun.h"
#include "datasheet/datasheetpanel.h"
#include "jobs/jobregistry.h"
#include "mainwindow/mainwindow.h"
#include "report/datasheet.h"
#include "store/project.h"
#include "testdata.h"

#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeWidget>

using namespace assay;

namespace {

// Shows the panel and waits for the datasheet it gathers in the background.
bool shownAndLoaded(ui::DatasheetPanel &panel)
{
    panel.show();
    return QTest::qWaitForWindowExposed(&panel)
           && QTest::qWaitFor([&] { return !panel.isLoading(); });
}

} // namespace

class TestDatasheetPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void listsQuestionsWithTheirState();
    void editorPinsConfirmsAndRefreshes();
    void previewAndExports();
    void dockAndMenuInTheWindow();

private:
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    QString project() const { return path("p.assay"); }
    QString stateOf(ui::DatasheetPanel &panel, const QString &id);
    QTemporaryDir m_dir;
};

QString TestDatasheetPanel::stateOf(ui::DatasheetPanel &panel, const QString &id)
{
    if (!panel.selectQuestion(id))
        return {};
    return panel.questions()->currentItem()->text(2);
}

void TestDatasheetPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    test::writeImages(path("data/train/cat"), 8, QStringLiteral("c"));
    test::writeImages(path("data/train/dog"), 4, QStringLiteral("d"));
    test::writeImages(path("data/val/cat"), 2, QStringLiteral("vc"));
    QCOMPARE(test::runCli(
                 {QStringLiteral("import"), path("data"), QStringLiteral("--project"), project()})
                 .exitCode,
             0);
    QCOMPARE(test::runCli({QStringLiteral("scan"), project()}).exitCode, 0);
}

void TestDatasheetPanel::listsQuestionsWithTheirState()
{
    auto p = store::Project::open(project());
    ui::DatasheetPanel panel;
    panel.setProject(p.get());
    QCOMPARE(panel.questions()->topLevelItemCount(), 0); // gathered when shown
    panel.resize(900, 700);
    QVERIFY(shownAndLoaded(panel));
    QCOMPARE(panel.questions()->topLevelItemCount(), 9); // 7 sections, Metadata, RAI
    int entries = 0;
    for (int s = 0; s < panel.questions()->topLevelItemCount(); ++s)
        entries += panel.questions()->topLevelItem(s)->childCount();
    QCOMPARE(entries, int(report::allDatasheetEntries().size()));
    QCOMPARE(panel.progressLabel()->text(), QStringLiteral("3 of 59 answered"));
    QCOMPARE(stateOf(panel, QStringLiteral("C2")), QStringLiteral("auto"));
    QVERIFY(
        panel.editor()->toPlainText().startsWith(QStringLiteral("14 images: train 12, val 2.")));
    QCOMPARE(stateOf(panel, QStringLiteral("C4")), QStringLiteral("needs review"));
    QVERIFY(panel.confirmButton()->isEnabled());
    QCOMPARE(stateOf(panel, QStringLiteral("M1")), QStringLiteral("unanswered"));
    QVERIFY(panel.editor()->toPlainText().isEmpty());
    QVERIFY(!panel.confirmButton()->isEnabled());
    QVERIFY(!panel.refreshButton()->isEnabled());
}

void TestDatasheetPanel::editorPinsConfirmsAndRefreshes()
{
    auto p = store::Project::open(project());
    ui::DatasheetPanel panel;
    panel.setProject(p.get());
    QVERIFY(shownAndLoaded(panel));

    // A HUMAN answer typed and saved.
    QVERIFY(panel.selectQuestion(QStringLiteral("M1")));
    QTest::keyClicks(panel.editor(), QStringLiteral("To test datasheets."));
    QTest::mouseClick(panel.saveButton(), Qt::LeftButton);
    QCOMPARE(stateOf(panel, QStringLiteral("M1")), QStringLiteral("answered"));
    QCOMPARE(panel.progressLabel()->text(), QStringLiteral("4 of 59 answered"));

    // A SEMI draft confirmed as it is.
    QVERIFY(panel.selectQuestion(QStringLiteral("C4")));
    const QString draft = panel.editor()->toPlainText();
    QTest::mouseClick(panel.confirmButton(), Qt::LeftButton);
    QCOMPARE(stateOf(panel, QStringLiteral("C4")), QStringLiteral("confirmed"));
    QCOMPARE(panel.editor()->toPlainText(), draft);
    QCOMPARE(panel.progressLabel()->text(), QStringLiteral("5 of 59 answered"));

    // An AUTO answer rewritten: pinned over a regeneration, then back to Assay's text.
    QVERIFY(panel.selectQuestion(QStringLiteral("C2")));
    panel.editor()->setPlainText(QStringLiteral("Fourteen."));
    QTest::mouseClick(panel.saveButton(), Qt::LeftButton);
    QCOMPARE(stateOf(panel, QStringLiteral("C2")), QStringLiteral("pinned"));
    panel.reload();
    QVERIFY(panel.isLoading()); // the window stays responsive while the facts are gathered
    QTRY_VERIFY(!panel.isLoading());
    QCOMPARE(stateOf(panel, QStringLiteral("C2")), QStringLiteral("pinned"));
    QCOMPARE(panel.editor()->toPlainText(), QStringLiteral("Fourteen."));
    QVERIFY(panel.refreshButton()->isEnabled());
    QTest::mouseClick(panel.refreshButton(), Qt::LeftButton);
    QCOMPARE(stateOf(panel, QStringLiteral("C2")), QStringLiteral("auto"));
    QVERIFY(panel.editor()->toPlainText().startsWith(QStringLiteral("14 images")));

    // All of it is in the project file.
    const report::Datasheet stored = report::loadDatasheet(*p);
    QCOMPARE(stored.text(QStringLiteral("M1")), QStringLiteral("To test datasheets."));
    QCOMPARE(stored.find(QStringLiteral("C4"))->state(), report::AnswerState::Confirmed);
    QCOMPARE(stored.find(QStringLiteral("C2"))->state(), report::AnswerState::Auto);
}

void TestDatasheetPanel::previewAndExports()
{
    auto p = store::Project::open(project());
    ui::DatasheetPanel panel;
    panel.setProject(p.get());
    QVERIFY(shownAndLoaded(panel));
    panel.tabs()->setCurrentIndex(1);
    QVERIFY(panel.preview()->toPlainText().contains(QStringLiteral("Datasheet for data")));
    QVERIFY(panel.preview()->toPlainText().contains(QStringLiteral("To test datasheets.")));

    QString asked;
    panel.setPathChooser([&](ui::DatasheetFormat format) {
        asked = ui::datasheetFormatName(format);
        return m_dir.filePath(QStringLiteral("out-") + asked + ui::datasheetFormatSuffix(format));
    });
    QSignalSpy exported(&panel, &ui::DatasheetPanel::exported);
    auto *pdf = panel.findChild<QPushButton *>(QStringLiteral("export-pdf"));
    QVERIFY(pdf);
    QTest::mouseClick(pdf, Qt::LeftButton);
    QCOMPARE(asked, QStringLiteral("pdf"));
    QCOMPARE(exported.count(), 1);
    QFile file(path("out-pdf.pdf"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.read(5) == "%PDF-");
    // Croissant with Required fields missing: a draft (the chooser stands for "yes, a draft").
    const QString croissant = panel.exportAs(ui::DatasheetFormat::Croissant);
    QCOMPARE(croissant, path("out-croissant.json"));
    QFile json(croissant);
    QVERIFY(json.open(QIODevice::ReadOnly));
    QVERIFY(json.readAll().contains("DRAFT"));
    const QString md = panel.exportAs(ui::DatasheetFormat::Markdown);
    QFile markdown(md);
    QVERIFY(markdown.open(QIODevice::ReadOnly));
    QVERIFY(markdown.readAll().contains("To test datasheets."));
}

void TestDatasheetPanel::dockAndMenuInTheWindow()
{
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    window.setScanOnOpen(false);
    window.show();
    auto *dock = window.findChild<QDockWidget *>(QStringLiteral("datasheetDock"));
    QVERIFY(dock);
    auto *menu = window.findChild<QMenu *>(QStringLiteral("exportDatasheetMenu"));
    QVERIFY(menu);
    QCOMPARE(menu->actions().size(), 5);
    QVERIFY(!menu->isEnabled());
    QVERIFY(window.openProject(project()));
    QVERIFY(menu->isEnabled());
    window.showPanel(QStringLiteral("datasheet"));
    QTRY_VERIFY(window.datasheetPanel()->isVisible());
    QTRY_COMPARE(window.datasheetPanel()->progressLabel()->text(),
                 QStringLiteral("5 of 59 answered"));
}

QTEST_MAIN(TestDatasheetPanel)
#include "tst_datasheetpanel.moc"
