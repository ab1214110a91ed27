#pragma once

#include <QMainWindow>

#include <memory>

class QLabel;
class QMenu;
class QStackedWidget;
class QTableView;

namespace assay::jobs {
class JobRegistry;
}
namespace assay::store {
class Project;
}

namespace assay::ui {

class CountsModel;
class ImportController;
class JobStatusWidget;
class SampleListModel;
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
    QTableView *sampleView() const { return m_samples; }
    QTableView *countsView() const { return m_counts; }
    JobStatusWidget *jobStatus() const { return m_jobStatus; }

signals:
    void projectOpened(const QString &path);
    void importFailed(const QString &message);

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

    jobs::JobRegistry *m_registry;
    std::unique_ptr<store::Project> m_project;
    ImportController *m_importer;
    QStackedWidget *m_pages;
    StartPage *m_startPage;
    QLabel *m_header;
    QTableView *m_samples;
    QTableView *m_counts;
    SampleListModel *m_sampleModel;
    CountsModel *m_countsModel;
    JobStatusWidget *m_jobStatus;
    QMenu *m_recentMenu = nullptr;
};

} // namespace assay::ui
