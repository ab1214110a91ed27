#pragma once

#include <QObject>
#include <QString>

namespace assay::ui {
class MainWindow;
}

// `assay --screenshot FILE`: waits until the window shows a loaded project — its scan caught
// up, the grid filled, the selected sample's image on screen — then saves the window as a PNG
// and quits. With no project it shoots the start page.
class Screenshotter : public QObject
{
    Q_OBJECT
public:
    // `show`: "review", "grid-menu" or "class-picker" (empty: the window as it opens).
    Screenshotter(assay::ui::MainWindow *window, QString file, QString panel, qint64 select,
                  QString show = {});
    void shootStartPage();

private:
    void check();
    void shoot();
    // Opens what --show names; whether the shot is of the whole screen (a popup, a dialog).
    bool showExtra();

    assay::ui::MainWindow *m_window;
    QString m_file;
    QString m_panel;
    QString m_show;
    qint64 m_select;
    bool m_opened = false;
    bool m_scanned = false;
    bool m_shown = false;
    bool m_selected = false;
    bool m_shot = false;
};
