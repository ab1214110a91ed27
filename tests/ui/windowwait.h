#pragma once

// Waiting for the main window in GUI tests of edits: a project opened without a scan, a change
// followed by the grid's new result.

#include "browser/browsercontroller.h"
#include "mainwindow/mainwindow.h"

#include <QSignalSpy>
#include <QTest>

namespace assay::test {

// Opens `project` without scanning it and waits until the grid shows its first result.
inline void openWithoutScan(ui::MainWindow &window, const QString &project)
{
    QSignalSpy shown(&window, &ui::MainWindow::resultShown);
    window.setScanOnOpen(false);
    QVERIFY(window.openProject(project));
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, 20000);
    QTRY_VERIFY(!window.browser()->isBusy());
}

// Runs `change` and waits for the grid to show the result it led to.
template<typename Change> void changeAndWait(ui::MainWindow &window, Change change)
{
    QSignalSpy shown(&window, &ui::MainWindow::resultShown);
    change();
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, 10000);
    QTRY_VERIFY(!window.browser()->isBusy());
}

} // namespace assay::test
