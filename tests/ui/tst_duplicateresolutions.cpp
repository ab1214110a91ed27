// The Duplicates panel's one-click resolutions (issue #6), each one undoable edit: apply the
// majority label to a label-conflict cluster, keep the representative and exclude the rest,
// move every member of a leaking cluster to one split. The clusters' flags follow once the
// analyses are refreshed after the edit, and again after the undo.

#include "analysis/duplicatestore.h"
#include "analysis/storedduplicates.h"
#include "browser/browsercontroller.h"
#include "duplicates/duplicateclustermodel.h"
#include "duplicates/duplicateresolutions.h"
#include "duplicates/duplicatespanel.h"
#include "editing/editcontroller.h"
#include "editing/editprompts.h"
#include "formats/importer.h"
#include "jobs/jobregistry.h"
#include "jobs/progress.h"
#include "mainwindow/mainwindow.h"
#include "scan/scanner.h"
#include "store/project.h"
#include "testdata.h"

#include <QMenu>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

using namespace assay;

class TestDuplicateResolutions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void majorityLabelResolvesAConflict();
    void keepRepresentativeExcludesTheRest();
    void moveAllToOneSplitEndsALeak();

private:
    // Makes the cluster whose first member's file name starts with `name` current; its row.
    static int chooseCluster(ui::MainWindow &window, const QString &name)
    {
        ui::DuplicateClusterModel *model = window.duplicatesPanel()->model();
        for (int row = 0; row < model->rowCount(); ++row) {
            for (const auto &member : model->cluster(row)->members) {
                if (member.path.section(u'/', -1).startsWith(name)) {
                    window.duplicatesPanel()->view()->setCurrentIndex(model->index(row, 0));
                    return row;
                }
            }
        }
        return -1;
    }
    static const analysis::StoredDuplicateCluster *cluster(ui::MainWindow &window,
                                                           const QString &name)
    {
        const int row = chooseCluster(window, name);
        return row < 0 ? nullptr : window.duplicatesPanel()->model()->cluster(row);
    }
    static QAction *resolution(ui::MainWindow &window, const QString &name)
    {
        for (QAction *action : window.duplicatesPanel()->resolveMenu()->actions()) {
            if (action->objectName() == name)
                return action;
        }
        return nullptr;
    }
    // Runs `edit`, then waits until the analyses were refreshed and the panel reloaded.
    template<typename Edit> static void andRefresh(ui::MainWindow &window, Edit edit)
    {
        QSignalSpy refreshed(window.edits(), &ui::EditController::analysesRefreshed);
        edit();
        QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 1, 30000);
        QTRY_VERIFY(!window.edits()->isRefreshingAnalyses());
        QTRY_VERIFY(!window.browser()->isBusy());
    }
    std::int64_t value(ui::MainWindow &window, const QString &sql)
    {
        return window.project()->db().queryInt(sql.toStdString());
    }

    QTemporaryDir m_dir;
    QString m_pristine;
    QString m_project;
    std::unique_ptr<jobs::JobRegistry> m_registry;
    std::unique_ptr<ui::MainWindow> m_window;
};

void TestDuplicateResolutions::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    const QString data = m_dir.filePath(QStringLiteral("data"));
    auto write = [&](const QString &relative, const QByteArray &bytes) {
        test::writeFile(data + u'/' + relative, bytes);
    };
    const QByteArray a = test::texturedPng(64, 48, 11), b = test::texturedPng(64, 48, 12);
    write(QStringLiteral("train/cat/a.png"), a);
    write(QStringLiteral("test/cat/a_copy.png"), a); // leaks
    write(QStringLiteral("train/cat/b.png"), b);     // a conflict: one cat, two dogs
    write(QStringLiteral("train/dog/b_again.png"), b);
    write(QStringLiteral("train/dog/b_more.png"), b);
    for (std::uint32_t seed = 20; seed < 24; ++seed)
        write(QStringLiteral("train/cat/u%1.png").arg(seed), test::texturedPng(64, 48, seed));
    m_pristine = m_dir.filePath(QStringLiteral("pristine.assay"));
    jobs::Progress progress;
    formats::importDataset(data, m_pristine, {}, progress);
    scan::scanProject(m_pristine, {}, progress);
    auto opened = store::Project::open(m_pristine);
    analysis::refreshDuplicates(*opened, analysis::storedDuplicateOptions(*opened), progress);
}

void TestDuplicateResolutions::init()
{
    static int n = 0;
    m_project = m_dir.filePath(QStringLiteral("p%1.assay").arg(++n));
    QVERIFY(QFile::copy(m_pristine, m_project));
    m_window.reset();
    m_registry = std::make_unique<jobs::JobRegistry>();
    m_window = std::make_unique<ui::MainWindow>(m_registry.get());
    m_window->show();
    m_window->setScanOnOpen(false);
    QVERIFY(m_window->openProject(m_project));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->duplicatesPanel()->model()->rowCount() == 2, 20000);
    QTRY_VERIFY(!m_window->browser()->isBusy());
    QVERIFY(m_window->duplicatesPanel()->resolveButton()->isEnabled());
}

void TestDuplicateResolutions::majorityLabelResolvesAConflict()
{
    ui::MainWindow &window = *m_window;
    const auto *conflict = cluster(window, QStringLiteral("b"));
    QVERIFY(conflict && conflict->conflict);
    QCOMPARE(ui::majorityLabel(*conflict), QStringLiteral("dog"));
    QVERIFY(resolution(window, QStringLiteral("applyLabel:cat")));
    // (Each call fills the menu again: take the action last.)
    QAction *majority = resolution(window, QStringLiteral("applyMajorityLabel"));
    QVERIFY(majority);
    QVERIFY(majority->text().contains(QStringLiteral("dog")));
    QVERIFY(majority->text().contains(QStringLiteral("2 of 3")));
    const QString dogs =
        QStringLiteral("SELECT count(*) FROM samples s JOIN categories c ON c.id = s.category_id "
                       "WHERE c.name = 'dog' AND s.path LIKE '%b%'");
    andRefresh(window, [&] { majority->trigger(); });
    QCOMPARE(value(window, dogs), std::int64_t(3));
    QCOMPARE(window.edits()->undoStack()->count(), 1);
    QTRY_VERIFY(!cluster(window, QStringLiteral("b"))->conflict);

    andRefresh(window, [&] { window.edits()->undo(); });
    QCOMPARE(value(window, dogs), std::int64_t(2));
    QTRY_VERIFY(cluster(window, QStringLiteral("b"))->conflict);
}

void TestDuplicateResolutions::keepRepresentativeExcludesTheRest()
{
    ui::MainWindow &window = *m_window;
    const auto *conflict = cluster(window, QStringLiteral("b"));
    QVERIFY(conflict);
    std::int64_t representative = 0;
    for (const auto &member : conflict->members) {
        if (member.representative)
            representative = member.sampleId;
    }
    QVERIFY(representative != 0);
    QAction *keep = resolution(window, QStringLiteral("keepRepresentative"));
    QVERIFY(keep && keep->isEnabled());
    keep->trigger(); // exclusion changes no analysis: nothing is refreshed
    QCOMPARE(value(window, QStringLiteral("SELECT count(*) FROM samples WHERE excluded = 1")),
             std::int64_t(2));
    QCOMPARE(
        value(window,
              QStringLiteral("SELECT excluded FROM samples WHERE id = %1").arg(representative)),
        std::int64_t(0));
    QCOMPARE(window.edits()->undoStack()->count(), 1);
    QVERIFY(window.edits()->undoStack()->undoText().startsWith(QStringLiteral("Keep ")));
    window.edits()->undo();
    QCOMPARE(value(window, QStringLiteral("SELECT count(*) FROM samples WHERE excluded = 1")),
             std::int64_t(0));
    QTRY_VERIFY(!window.browser()->isBusy());
}

void TestDuplicateResolutions::moveAllToOneSplitEndsALeak()
{
    ui::MainWindow &window = *m_window;
    const auto *leak = cluster(window, QStringLiteral("a"));
    QVERIFY(leak && leak->leaks);
    const QString inTest =
        QStringLiteral("SELECT count(*) FROM samples s JOIN splits p ON p.id = s.split_id "
                       "WHERE p.name = 'test'");
    QCOMPARE(value(window, inTest), std::int64_t(1));
    ui::presetEditAnswers({QStringLiteral("train")});
    andRefresh(window, [&] { resolution(window, QStringLiteral("moveAllToSplit"))->trigger(); });
    QCOMPARE(value(window, inTest), std::int64_t(0));
    QCOMPARE(window.edits()->undoStack()->count(), 1);
    QTRY_VERIFY(!cluster(window, QStringLiteral("a"))->leaks);

    andRefresh(window, [&] { window.edits()->undo(); });
    QCOMPARE(value(window, inTest), std::int64_t(1));
    QTRY_VERIFY(cluster(window, QStringLiteral("a"))->leaks);
    m_window.reset();
}

QTEST_MAIN(TestDuplicateResolutions)
#include "tst_duplicateresolutions.moc"
