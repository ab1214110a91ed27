#pragma once

#include "datasheetexport.h"
#include "report/datasheet.h"

#include <QFutureWatcher>
#include <QWidget>

#include <functional>

class QLabel;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTextBrowser;
class QTreeWidget;
class QTreeWidgetItem;

namespace assay::store {
class Project;
}

namespace assay::ui {

// The Datasheet panel (issue #9): the 59 questions (and the Croissant fields) by section with
// their AUTO / SEMI / HUMAN state, an editor for the chosen answer (save pins it; confirm accepts
// Assay's draft; refresh shows Assay's draft again), progress ("41 of 59 answered"), a preview of
// the rendered datasheet, and export buttons for the five forms.
class DatasheetPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DatasheetPanel(QWidget *parent = nullptr);

    // The project to document (null: none). The datasheet is gathered when the panel is shown,
    // or with reload().
    void setProject(store::Project *project);
    // Regathers the facts and drafts (after a scan or an edit) in the background, on a
    // connection of its own (70,000 samples: about a second); `loaded` follows. A reload asked
    // for while one runs starts when it ends.
    void reload();
    bool isLoading() const { return m_loading; }
    void markStale();

    const report::Datasheet &datasheet() const { return m_sheet; }
    QTreeWidget *questions() const { return m_tree; }
    QPlainTextEdit *editor() const { return m_editor; }
    QLabel *progressLabel() const { return m_progressLabel; }
    QTextBrowser *preview() const { return m_preview; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *confirmButton() const { return m_confirm; }
    QPushButton *refreshButton() const { return m_refresh; }
    QTabWidget *tabs() const { return m_tabs; }

    bool selectQuestion(const QString &id);
    QString currentId() const;

    // Asks where to write (a file dialog unless a chooser is set), then writes. Returns the file
    // written, empty when cancelled or failed (the error is shown).
    QString exportAs(DatasheetFormat format);
    // File → Export Datasheet: one entry per form, each asking where to write.
    QMenu *createExportMenu(QWidget *parent);
    // For tests: answers the file dialog.
    void setPathChooser(std::function<QString(DatasheetFormat)> chooser);

signals:
    void exported(const QString &path);
    void loaded(); // a reload() finished (the questions show its results)

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct Loaded
    {
        report::Datasheet sheet;
        QString error;
        quint64 generation = 0;
    };

    void rebuildTree();
    void updateItem(QTreeWidgetItem *item, const report::DatasheetAnswer &answer);
    void showCurrent();
    void updateProgress();
    void updatePreview();
    void saveCurrent();
    void confirmCurrent();
    void refreshCurrent();
    // Re-reads the one answer from the project after a change (no full regeneration).
    void applyChange(const std::function<void()> &change);
    void onLoaded();
    void loadNow(); // on the project's own connection, waiting for a load that runs
    void showLoaded(Loaded loaded);

    store::Project *m_project = nullptr;
    QFutureWatcher<Loaded> m_loader;
    quint64 m_generation = 0; // a load's results show only if nothing superseded it since
                              // (another project, or a load made now by an export)
    bool m_reloadOwed = false;
    bool m_loading = false; // from reload() to its results shown (the watcher's isRunning()
                            // turns false before `finished` arrives)
    report::Datasheet m_sheet;
    bool m_stale = true;
    std::function<QString(DatasheetFormat)> m_chooser;
    QLabel *m_progressLabel;
    QProgressBar *m_progress;
    QTabWidget *m_tabs;
    QTreeWidget *m_tree;
    QLabel *m_question;
    QLabel *m_state;
    QLabel *m_hint;
    QPlainTextEdit *m_editor;
    QPushButton *m_save;
    QPushButton *m_confirm;
    QPushButton *m_refresh;
    QTextBrowser *m_preview;
};

} // namespace assay::ui
