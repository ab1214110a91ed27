#include "jobstatuswidget.h"

#include "jobs/jobregistry.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QTimer>
#include <QToolButton>

namespace assay::ui {

JobStatusWidget::JobStatusWidget(jobs::JobRegistry *registry, QWidget *parent)
    : QWidget(parent), m_registry(registry), m_label(new QLabel(this)),
      m_bar(new QProgressBar(this)), m_cancel(new QToolButton(this)), m_timer(new QTimer(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    m_bar->setFixedWidth(220);
    m_bar->setTextVisible(false);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Cancel the running jobs; finished work is kept"));
    m_cancel->setAutoRaise(true);
    connect(m_cancel, &QToolButton::clicked, m_registry, &jobs::JobRegistry::cancelAll);
    m_timer->setInterval(200);
    connect(m_timer, &QTimer::timeout, this, &JobStatusWidget::refresh);
    connect(m_registry, &jobs::JobRegistry::jobStarted, this, [this] {
        m_timer->start();
        refresh();
    }, Qt::QueuedConnection);
    connect(m_registry, &jobs::JobRegistry::jobFinished, this, &JobStatusWidget::refresh,
            Qt::QueuedConnection);
    setVisible(false);
}

void JobStatusWidget::refresh()
{
    const auto jobs = m_registry->running();
    if (jobs.empty()) {
        m_timer->stop();
        setVisible(false);
        return;
    }
    setVisible(true);
    const auto &job = jobs.front();
    const auto &progress = job->progress();
    const QLocale locale;
    QString text = progress.phase().isEmpty() ? job->title() : progress.phase();
    if (progress.total() > 0) {
        m_bar->setRange(0, 1000);
        m_bar->setValue(int(1000.0 * double(progress.done()) / double(progress.total())));
        text += QStringLiteral(" — %1 of %2")
                    .arg(locale.toString(qlonglong(progress.done())),
                         locale.toString(qlonglong(progress.total())));
    } else {
        m_bar->setRange(0, 0); // busy indicator
    }
    if (progress.rate() > 0)
        text += tr(", %1/s").arg(locale.toString(progress.rate(), 'f', 0));
    if (jobs.size() > 1)
        text += tr(" (+%1 more)").arg(jobs.size() - 1);
    m_label->setText(text);
    m_cancel->setEnabled(!progress.isCanceled());
}

} // namespace assay::ui
