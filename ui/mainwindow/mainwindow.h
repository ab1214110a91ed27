#pragma once

#include "store/samplequeries.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QMenu;
class QPushButton;
class QStackedWidget;
class QTableView;
class QTimer;
class QDockWidget;

namespace assay::jobs {
class JobRegistry;
}
namespace assay::store {
class Project;
}

namespace assay::ui {

class BalancePanel;
class CountsModel;
class ImportController;
class JobStatusWidget;
class QualityPanel;
class SampleGrid;
class ScanController;
class StartPage;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(jobs::JobRegistry *registry, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a project file; shows the error and returns false when it cannot.
    bool openProject(const QString &path);
    // Imports `source` into `projectPath` in the background, then opens the project.
    void importDataset(const QString &source, const QString &projectPath);
    // Opens the Fashion-MNIST demo project, importing it on first use.
    void openDemo();
    static QString demoDatasetPath();

    store::Project *project() const { return m_project.get(); }
    SampleGrid *grid() const { return m_grid; }
    QTableView *countsView() const { return m_counts; }
    QualityPanel *qualityPanel() const { return m_quality; }
    BalancePanel *balancePanel() const { return m_balance; }
    JobStatusWidget *jobStatus() const { return m_jobStatus; }
    ScanController *scanner() const { return m_scanner; }

    // What the grid shows; every panel's click ends here.
    void setFilter(const store::SampleFilter &filter);
    const store::SampleFilter &filter() const { return m_filter; }
    void startScan();
    // Brings a panel's dock to the front: "quality", "balance" or "counts".
    void showPanel(const QString &name);

signals:
    void projectOpened(const QString &path);
    void importFailed(const QString &message);
    void scanFinished();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void chooseDatasetToImport();
    void chooseProjectToOpen();
    void rememberRecent(const QString &path);
    void rebuildRecentMenu();
    void showError(const QString &title, const QString &message);
    void refreshHeader();
    void refreshAnalyses();
    void refreshGrid();
    QDockWidget *addPanel(const QString &title, const QString &name, QWidget *panel,
                          Qt::DockWidgetArea area);

    jobs::JobRegistry *m_registry;
    std::unique_ptr<store::Project> m_project;
    ImportController *m_importer;
    QStackedWidget *m_pages;
    StartPage *m_startPage;
    QLabel *m_header;
    SampleGrid *m_grid;
    QLabel *m_filterLabel;
    QPushButton *m_clearFilter;
    QTableView *m_counts;
    CountsModel *m_countsModel;
    QualityPanel *m_quality;
    BalancePanel *m_balance;
    JobStatusWidget *m_jobStatus;
    ScanController *m_scanner;
    QTimer *m_thumbnailRefresh;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    store::SampleFilter m_filter;
};

} // namespace assay::ui
