#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QTimer;
class QToolButton;

namespace assay::jobs {
class JobRegistry;
}

namespace assay::ui {

// Status-bar view of the job registry: the running job's title, progress, rate and a cancel
// button. Hidden while nothing runs.
class JobStatusWidget : public QWidget
{
    Q_OBJECT
public:
    explicit JobStatusWidget(jobs::JobRegistry *registry, QWidget *parent = nullptr);

    QToolButton *cancelButton() const { return m_cancel; }

private:
    void refresh();

    jobs::JobRegistry *m_registry;
    QLabel *m_label;
    QProgressBar *m_bar;
    QToolButton *m_cancel;
    QTimer *m_timer;
};

} // namespace assay::ui
