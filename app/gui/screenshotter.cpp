#include "screenshotter.h"

#include "inspector/sampleinspector.h"
#include "mainwindow/mainwindow.h"
#include "mainwindow/scancontroller.h"

#include <QApplication>
#include <QFile>
#include <QTimer>

#include <cstdio>

Screenshotter::Screenshotter(assay::ui::MainWindow *window, QString file, QString panel,
                             qint64 select)
    : QObject(window), m_window(window), m_file(std::move(file)), m_panel(std::move(panel)),
      m_select(select), m_selected(select <= 0)
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
    // Give thumbnails and charts a moment to arrive and paint.
    QTimer::singleShot(1000, m_window, [this] {
        const bool saved = m_window->grab().save(m_file);
        std::fprintf(stderr, "%s %s\n", saved ? "wrote" : "could not write",
                     QFile::encodeName(m_file).constData());
        QApplication::exit(saved ? 0 : 1);
    });
}
