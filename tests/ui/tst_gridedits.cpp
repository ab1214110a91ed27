// Edits from the grid's context menu: a bulk relabel of every sample a filter matches is one
// undo step; exclude, tag and move-to-split act on the selection; the class picker searches.

#include "browser/browsercontroller.h"
#include "browser/filterpanel.h"
#include "browser/samplegrid.h"
#include "browser/samplegridmodel.h"
#include "browser/thumbnaildelegate.h"
#include "editing/editcontroller.h"
#include "editing/editprompts.h"
#include "editing/sampleeditactions.h"
#include "jobs/jobregistry.h"
#include "mainwindow/mainwindow.h"
#include "projectfixture.h"
#include "store/project.h"
#include "windowwait.h"

#include <QComboBox>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QPainter>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace assay;

class TestGridEdits : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void relabelOfAThousandSampleFilterIsOneStep();
    void selectionEditsFromTheMenu();
    void classPickerSearches();
    void editedSamplesShowABadgeAndAFilter();

private:
    static QAction *action(QMenu *menu, const QString &name)
    {
        for (QAction *action : menu->actions()) {
            if (action->objectName() == name)
                return action;
        }
        return nullptr;
    }
    std::int64_t count(ui::MainWindow &window, const std::string &sql)
    {
        return window.project()->db().queryInt(sql);
    }

    QTemporaryDir m_dir;
};

void TestGridEdits::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestGridEdits::relabelOfAThousandSampleFilterIsOneStep()
{
    const QString path = m_dir.filePath(QStringLiteral("relabel.assay"));
    const std::vector<std::int64_t> original = test::createLabelledProject(path, 3000, 3);
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    window.show();
    test::openWithoutScan(window, path);
    test::changeAndWait(window, [&] { window.filterBy(QStringLiteral("class0"), {}, {}); });
    QCOMPARE(window.filteredSampleIds().size(), size_t(1000));

    // The current sample is selected: the whole filter is in the submenu.
    std::unique_ptr<QMenu> menu(window.createGridMenu(&window));
    auto *all = menu->findChild<QMenu *>(QStringLiteral("allInFilterMenu"));
    QVERIFY(all);
    QVERIFY(all->title().contains(QStringLiteral("1,000")));
    QAction *setClass = action(all, QStringLiteral("setClass"));
    QVERIFY(setClass);
    QVERIFY(setClass->isEnabled());
    ui::presetEditAnswers({QStringLiteral("class1")});
    test::changeAndWait(window, [&] { setClass->trigger(); });
    QCOMPARE(count(window, "SELECT count(*) FROM samples s JOIN categories c ON "
                           "c.id = s.category_id WHERE c.name = 'class1'"),
             std::int64_t(2000));
    QCOMPARE(window.edits()->undoStack()->count(), 1);
    QVERIFY(window.edits()->undoStack()->undoText().contains(QStringLiteral("1000")));
    // The grid follows: the filter "class0" matches nothing now.
    QCOMPARE(window.grid()->model()->rowCount(), 0);

    test::changeAndWait(window, [&] { window.edits()->undo(); });
    QCOMPARE(test::sampleClasses(path), original);
    QCOMPARE(window.grid()->model()->rowCount(), 1000);
    QTRY_VERIFY_WITH_TIMEOUT(!window.edits()->isRefreshingAnalyses(), 30000);
}

void TestGridEdits::selectionEditsFromTheMenu()
{
    const QString path = m_dir.filePath(QStringLiteral("selection.assay"));
    test::createLabelledProject(path, 60, 3);
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    window.show();
    test::openWithoutScan(window, path);
    QListView *view = window.grid()->view();
    QItemSelectionModel *selection = view->selectionModel();
    selection->select(QItemSelection(view->model()->index(2, 0), view->model()->index(4, 0)),
                      QItemSelectionModel::ClearAndSelect);
    std::vector<qint64> selected = window.grid()->selectedSampleIds();
    QCOMPARE(selected.size(), size_t(3));
    const std::string ids = QStringLiteral("(%1, %2, %3)")
                                .arg(selected[0])
                                .arg(selected[1])
                                .arg(selected[2])
                                .toStdString();

    std::unique_ptr<QMenu> menu(window.createGridMenu(&window));
    QVERIFY(menu->findChild<QMenu *>(QStringLiteral("allInFilterMenu")));
    test::changeAndWait(window, [&] { action(menu.get(), QStringLiteral("exclude"))->trigger(); });
    QCOMPARE(count(window, "SELECT count(*) FROM samples WHERE excluded = 1"), std::int64_t(3));
    QCOMPARE(count(window, "SELECT count(*) FROM samples WHERE excluded = 1 AND id IN " + ids),
             std::int64_t(3));

    ui::presetEditAnswers({QStringLiteral("checked")});
    test::changeAndWait(window, [&] { action(menu.get(), QStringLiteral("addTag"))->trigger(); });
    QCOMPARE(count(window, "SELECT count(*) FROM sample_tags st JOIN tags t ON t.id = st.tag_id "
                           "WHERE t.name = 'checked' AND st.sample_id IN " +
                               ids),
             std::int64_t(3));

    ui::presetEditAnswers({QStringLiteral("holdout")});
    test::changeAndWait(window,
                        [&] { action(menu.get(), QStringLiteral("moveToSplit"))->trigger(); });
    QCOMPARE(count(window, "SELECT count(*) FROM samples s JOIN splits p ON p.id = s.split_id "
                           "WHERE p.name = 'holdout'"),
             std::int64_t(3));

    // The menu built now offers the tag for removal.
    std::unique_ptr<QMenu> again(window.createGridMenu(&window));
    auto *remove = again->findChild<QAction *>(QStringLiteral("removeTag:checked"));
    QVERIFY(remove);
    test::changeAndWait(window, [&] { remove->trigger(); });
    QCOMPARE(count(window, "SELECT count(*) FROM sample_tags"), std::int64_t(0));

    // Four steps; a canceled question adds none.
    QCOMPARE(window.edits()->undoStack()->count(), 4);
    ui::presetEditAnswers({QString()});
    action(again.get(), QStringLiteral("setClass"))->trigger();
    QCOMPARE(window.edits()->undoStack()->count(), 4);
    for (int i = 0; i < 4; ++i)
        window.edits()->undo();
    QCOMPARE(count(window, "SELECT count(*) FROM samples WHERE excluded = 1"), std::int64_t(0));
    QCOMPARE(count(window, "SELECT count(*) FROM samples s JOIN splits p ON p.id = s.split_id "
                           "WHERE p.name = 'holdout'"),
             std::int64_t(0));
    QTRY_VERIFY(!window.browser()->isBusy());
}

void TestGridEdits::classPickerSearches()
{
    ui::ClassPicker picker({QStringLiteral("T-shirt/top"), QStringLiteral("Trouser"),
                            QStringLiteral("Shirt"), QStringLiteral("Sneaker")},
                           QStringLiteral("Set class"));
    QCOMPARE(picker.chosenClass(), QStringLiteral("T-shirt/top"));
    QTest::keyClicks(picker.searchBox(), QStringLiteral("sh"));
    QCOMPARE(picker.chosenClass(), QStringLiteral("T-shirt/top")); // first match
    QTest::keyClick(picker.searchBox(), Qt::Key_Down);
    QCOMPARE(picker.chosenClass(), QStringLiteral("Shirt"));
    QTest::keyClicks(picker.searchBox(), QStringLiteral("xyz"));
    QCOMPARE(picker.chosenClass(), QString());
    picker.searchBox()->clear();
    QTest::keyClicks(picker.searchBox(), QStringLiteral("sneak"));
    QTest::keyClick(picker.searchBox(), Qt::Key_Return);
    QCOMPARE(picker.result(), int(QDialog::Accepted));
    QCOMPARE(picker.chosenClass(), QStringLiteral("Sneaker"));
}

// Whether the delegate draws the edited badge's blue in the cell of `row`.
static bool paintsBadge(ui::SampleGrid *grid, int row)
{
    ui::ThumbnailDelegate delegate;
    QStyleOptionViewItem option;
    option.initFrom(grid->view());
    option.rect = QRect(QPoint(0, 0), delegate.sizeHint(option, {}));
    QImage image(option.rect.size(), QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    delegate.paint(&painter, option, grid->model()->index(row, 0));
    painter.end();
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (image.pixelColor(x, y) == QColor(40, 110, 220))
                return true;
        }
    }
    return false;
}

void TestGridEdits::editedSamplesShowABadgeAndAFilter()
{
    const QString path = m_dir.filePath(QStringLiteral("edited.assay"));
    test::createLabelledProject(path, 60, 3);
    {
        jobs::JobRegistry registry;
        ui::MainWindow window(&registry);
        window.show();
        test::openWithoutScan(window, path);
        ui::SampleGridModel *model = window.grid()->model();
        QVERIFY(!model->index(model->rowOf(5), 0).data(ui::SampleGridModel::EditedRole).toBool());
        QVERIFY(!paintsBadge(window.grid(), model->rowOf(5)));
        test::changeAndWait(window, [&] { window.sampleEdits()->setReviewed({5, 6}, true); });
        QVERIFY(model->index(model->rowOf(5), 0).data(ui::SampleGridModel::EditedRole).toBool());
        QVERIFY(paintsBadge(window.grid(), model->rowOf(5)));
        QVERIFY(!paintsBadge(window.grid(), model->rowOf(7)));
        QTRY_VERIFY(!window.browser()->isBusy());
    }
    // After a restart the journal says which were edited; "edited in this session" is none yet.
    jobs::JobRegistry registry;
    ui::MainWindow window(&registry);
    window.show();
    test::openWithoutScan(window, path);
    ui::SampleGridModel *model = window.grid()->model();
    QVERIFY(model->index(model->rowOf(6), 0).data(ui::SampleGridModel::EditedRole).toBool());
    QComboBox *since = window.filterPanel()->editedChooser();
    const int session = since->findData(QStringLiteral("session"));
    const int ever = since->findData(QStringLiteral("ever"));
    emit since->activated(session);
    QCOMPARE(window.filteredSampleIds().size(), size_t(60)); // nothing to show: no change
    test::changeAndWait(window, [&] { emit since->activated(ever); });
    QCOMPARE(window.filteredSampleIds(), (std::vector<std::int64_t>{5, 6}));
    QVERIFY(window.filterPanel()->sampleSetRow()->isVisibleTo(window.filterPanel()));
    QCOMPARE(since->currentIndex(), 0);

    test::changeAndWait(window, [&] { window.setQuery({}); });
    test::changeAndWait(window, [&] { window.sampleEdits()->setExcluded({7}, true); });
    test::changeAndWait(window, [&] { emit since->activated(session); });
    QCOMPARE(window.filteredSampleIds(), (std::vector<std::int64_t>{7}));
    QTRY_VERIFY(!window.browser()->isBusy());
}

QTEST_MAIN(TestGridEdits)
#include "tst_gridedits.moc"
