#include "screenshotter.h"

#include "browser/samplegrid.h"
#include "editing/editprompts.h"
#include "editing/reviewview.h"
#include "editing/sampleeditactions.h"
#include "inspector/sampleinspector.h"
#include "mainwindow/mainwindow.h"
#include "mainwindow/scancontroller.h"

#include <QApplication>
#include <QFile>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QScreen>
#include <QTimer>

#include <cstdio>

Screenshotter::Screenshotter(assay::ui::MainWindow *window, QString file, QString panel,
                             qint64 select, QString show)
    : QObject(window), m_window(window), m_file(std::move(file)), m_panel(std::move(panel)),
      m_show(std::move(show)), m_select(select), m_selected(select <= 0)
{
    using assay::ui::MainWindow;
    connect(window, &MainWindow::projectOpened, this, [this] {
        m_opened = true;
        m_scanned = !m_window->scanner()->isRunning();
        check();
    });
    connect(window, &MainWindow::scanFinished, this, [this] {
        m_scanned = true;
        check();
    });
    connect(window, &MainWindow::resultShown, this, [this] {
        m_shown = true;
        if (m_select > 0 && !m_selected && !m_window->selectSample(m_select)) {
            std::fprintf(stderr, "sample %lld is not in the project\n",
                         static_cast<long long>(m_select));
            m_selected = true;
        }
        check();
    });
    connect(window->inspector(), &assay::ui::SampleInspector::imageShown, this,
            [this](qint64 id) {
                m_selected = m_selected || id == m_select;
                check();
            });
    connect(window, &MainWindow::importFailed, this, [] { QApplication::exit(1); });
}

void Screenshotter::shootStartPage()
{
    shoot();
}

void Screenshotter::check()
{
    if (m_opened && m_scanned && m_shown && m_selected)
        shoot();
}

void Screenshotter::shoot()
{
    if (m_shot)
        return;
    m_shot = true;
    if (!m_panel.isEmpty())
        m_window->showPanel(m_panel);
    const bool screen = showExtra();
    // Give thumbnails and charts a moment to arrive and paint; a review step's stand-in is shot
    // before the full image's decode can end.
    QTimer::singleShot(m_show == u"review-step" ? 60 : 1500, m_window, [this, screen] {
        const QRect frame = m_window->frameGeometry();
        const QPixmap shot = screen ? QGuiApplication::primaryScreen()->grabWindow(
                                          0, frame.x(), frame.y(), frame.width(), frame.height())
                                    : m_window->grab();
        const bool saved = shot.save(m_file);
        std::fprintf(stderr, "%s %s\n", saved ? "wrote" : "could not write",
                     QFile::encodeName(m_file).constData());
        QApplication::exit(saved ? 0 : 1);
    });
}

bool Screenshotter::showExtra()
{
    if (m_show == u"review" || m_show == u"review-step") {
        m_window->setReviewMode(true);
        if (m_show == u"review-step") // the next sample, shown while its full image decodes
            m_window->review()->setPosition(m_window->review()->position() + 5);
        return false;
    }
    if (m_show == u"grid-menu") {
        QListView *view = m_window->grid()->view();
        const int rows = std::min(view->model()->rowCount(), 6);
        if (rows > 0)
            view->selectionModel()->select(
                QItemSelection(view->model()->index(0, 0), view->model()->index(rows - 1, 0)),
                QItemSelectionModel::ClearAndSelect);
        QMenu *menu = m_window->createGridMenu(m_window);
        const QRect cell = view->visualRect(view->model()->index(rows > 0 ? rows - 1 : 0, 0));
        menu->popup(view->viewport()->mapToGlobal(cell.center()));
        return true;
    }
    if (m_show == u"class-picker") {
        auto *picker = new assay::ui::ClassPicker(m_window->sampleEdits()->classNames(),
                                                  QObject::tr("Set the class of 6 samples"),
                                                  m_window);
        picker->show();
        picker->move(m_window->geometry().center() - picker->rect().center());
        picker->searchBox()->setText(QStringLiteral("sh"));
        return true;
    }
    return false;
}

