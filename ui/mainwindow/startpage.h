#pragma once

#include <QWidget>

class QListWidget;
class QPushButton;

namespace assay::ui {

// What the window shows with no project open: import, open, the demo, and recent projects.
class StartPage : public QWidget
{
    Q_OBJECT
public:
    explicit StartPage(QWidget *parent = nullptr);

    void setRecentProjects(const QStringList &paths);
    void setDemoAvailable(bool available);

signals:
    void importRequested();
    void openRequested();
    void demoRequested();
    void recentChosen(const QString &path);

private:
    QListWidget *m_recent;
    QPushButton *m_demo;
};

} // namespace assay::ui
