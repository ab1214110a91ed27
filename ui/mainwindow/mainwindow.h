#pragma once

#include "store/indexquery.h"

#include <QMainWindow>

#include <memory>

class QDockWidget;
class QLabel;
class QMenu;
class QStackedWidget;
class QTableView;
class QTimer;

namespace assay::jobs {
class JobRegistry;
}
namespace assay::store {
class Project;
}
namespace assay::edit {
struct ChangeEvent;
}

namespace assay::ui {

class BalancePanel;
class BiasPanel;
class DatasheetPanel;
class DuplicatesPanel;
class EditController;
class SampleEditActions;
class BrowserController;
class CountsModel;
class ExportController;
class FilterPanel;
class HistoryPanel;
class ImportController;
class JobStatusWidget;
class QualityPanel;
class ReviewView;
class SampleGrid;
class SampleInspector;
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
    // Where a new project for `source` goes by default: beside the dataset when that folder is
    // writable, else in the home folder.
    static QString defaultProjectPathFor(const QString &source);

    store::Project *project() const { return m_project.get(); }
    SampleGrid *grid() const { return m_grid; }
    FilterPanel *filterPanel() const { return m_filters; }
    SampleInspector *inspector() const { return m_inspector; }
    QTableView *countsView() const { return m_counts; }
    QualityPanel *qualityPanel() const { return m_quality; }
    BalancePanel *balancePanel() const { return m_balance; }
    DuplicatesPanel *duplicatesPanel() const { return m_duplicates; }
    BiasPanel *biasPanel() const { return m_bias; }
    DatasheetPanel *datasheetPanel() const { return m_datasheet; }
    JobStatusWidget *jobStatus() const { return m_jobStatus; }
    ScanController *scanner() const { return m_scanner; }
    ExportController *exporter() const { return m_exporter; }
    BrowserController *browser() const { return m_browser; }
    EditController *edits() const { return m_edits; }
    SampleEditActions *sampleEdits() const { return m_sampleEdits; }
    // The grid's context menu: edits of the selection, and of every sample the filters match.
    QMenu *createGridMenu(QWidget *parent);
    ReviewView *review() const { return m_review; }
    // Review mode: one large image at a time through the filtered set, from the grid's current
    // sample; leaving it makes the reviewed sample current in the grid.
    void setReviewMode(bool on);
    bool isReviewMode() const;
    // Filters to the samples edited since "session" (this project was opened), "hour", "today"
    // or "ever", within the current filters.
    void showEditedSince(const QString &since);
    // Every sample the current filters match, in display order.
    std::vector<std::int64_t> filteredSampleIds() const;
    HistoryPanel *historyPanel() const { return m_history; }

    // What the grid shows; every panel's click ends here. The filter dock follows.
    void setQuery(const store::IndexQuery &query);
    const store::IndexQuery &query() const;
    // Filters by names (empty: any), as the panels ask: class, split, issue kind.
    void filterBy(const QString &className, const QString &split, const QString &issueKind);
    void startScan();
    // Whether opening a project scans what is stale (on by default).
    void setScanOnOpen(bool on) { m_scanOnOpen = on; }
    // Brings a panel's dock to the front: "filters", "inspector", "quality", "balance", "counts".
    void showPanel(const QString &name);
    // Makes a sample current in the grid (and the inspector); false when it is filtered out.
    bool selectSample(qint64 sampleId);

signals:
    void projectOpened(const QString &path);
    void importFailed(const QString &message);
    void scanFinished();
    void exportFinished(const QString &report);
    void resultShown(); // the grid shows the result of the current query

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createPanels();
    void createActions();
    void connectJobs();
    void chooseDatasetToImport();
    // Asks where the project for `source` goes (beside it by default), then imports.
    void importWithProjectDialog(const QString &source);
    void chooseProjectToOpen();
    // File → Export: asks how, then exports in the background and shows the report.
    void chooseExport();
    void rememberRecent(const QString &path);
    void rebuildRecentMenu();
    void showError(const QString &title, const QString &message);
    void showShortcuts();
    void refreshHeader();
    void refreshAnalyses();
    void arrangeDocks();
    void refreshDuplicates();
    void refreshBias();
    // Shows exactly these samples in the grid (a cluster, a slice), named `name`.
    void showSampleSet(std::vector<std::int64_t> ids, const QString &name);
    void reclusterDuplicates(int bits);
    void onResult();
    void onCurrentSample(qint64 sampleId);
    void onSamplesEdited(const edit::ChangeEvent &event);
    QDockWidget *addPanel(const QString &title, const QString &name, QWidget *panel,
                          Qt::DockWidgetArea area);

    jobs::JobRegistry *m_registry;
    std::unique_ptr<store::Project> m_project;
    ImportController *m_importer;
    ScanController *m_scanner;
    ExportController *m_exporter;
    QAction *m_exportAction = nullptr;
    BrowserController *m_browser;
    EditController *m_edits;
    SampleEditActions *m_sampleEdits;
    QStackedWidget *m_pages;
    StartPage *m_startPage;
    QLabel *m_header;
    SampleGrid *m_grid;
    ReviewView *m_review;
    QStackedWidget *m_centre;
    QAction *m_reviewAction = nullptr;
    QLabel *m_resultLabel;
    FilterPanel *m_filters;
    SampleInspector *m_inspector;
    QTableView *m_counts;
    CountsModel *m_countsModel;
    QualityPanel *m_quality;
    BalancePanel *m_balance;
    DuplicatesPanel *m_duplicates;
    BiasPanel *m_bias;
    DatasheetPanel *m_datasheet;
    JobStatusWidget *m_jobStatus;
    QTimer *m_thumbnailRefresh;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    bool m_scanOnOpen = true;
    QString m_sessionStart; // UTC ISO time the project was opened ("edited in this session")
    HistoryPanel *m_history = nullptr;
};

} // namespace assay::ui
