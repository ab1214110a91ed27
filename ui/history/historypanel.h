#pragma once

#include <QWidget>

#include <cstdint>
#include <vector>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace assay::edit {
struct ChangeEvent;
}

namespace assay::ui {

class EditController;
class HistoryModel;

// The History dock: every change the edit journal holds (HistoryModel, newest first), filtered
// by sample path, user and time; "Revert Change" sets the selected rows' values back and
// "Revert Batch" the whole batch of the current row, each one new edit (one undo step) through
// the EditController, refused where a value changed since. Double-clicking a row asks to show
// its sample. Follows the controller's changes (and another project being opened).
class HistoryPanel : public QWidget
{
    Q_OBJECT
public:
    enum Since { AnyTime, LastHour, Today, LastWeek, Custom };

    explicit HistoryPanel(EditController *controller, QWidget *parent = nullptr);

    // Reads the controller's project again (after another project was opened).
    void reload();
    // Reverts the selected rows / the current row's batch. False when nothing was reverted.
    bool revertSelectedRows();
    bool revertCurrentBatch();

    HistoryModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLineEdit *sampleFilter() const { return m_sample; }
    QComboBox *userFilter() const { return m_user; }
    QComboBox *sinceChoice() const { return m_since; }
    QDateTimeEdit *sinceEdit() const { return m_sinceEdit; }
    QLabel *summary() const { return m_summary; }
    // Applies the filter fields now (typing waits a moment).
    void applyFilters();

signals:
    void sampleActivated(qint64 sampleId, qint64 annotationId);

private:
    void onChanged(const edit::ChangeEvent &event);
    void updateSummary();
    void updateButtons();
    void fillUsers();
    std::vector<std::int64_t> selectedRows() const;
    int currentRow() const;
    void showMenu(const QPoint &at);

    EditController *m_controller;
    HistoryModel *m_model;
    QLineEdit *m_sample;
    QComboBox *m_user;
    QComboBox *m_since;
    QDateTimeEdit *m_sinceEdit;
    QTableView *m_view;
    QLabel *m_summary;
    QPushButton *m_revertRows;
    QPushButton *m_revertBatch;
    QTimer *m_typing;
};

} // namespace assay::ui
