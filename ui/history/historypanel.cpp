#include "historypanel.h"

#include "historymodel.h"

#include "edit/commands.h"
#include "edit/editsession.h"
#include "editing/editcontroller.h"
#include "store/project.h"
#include "util/error.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <set>

namespace assay::ui {

namespace {
constexpr int typingDelayMs = 300;
} // namespace

HistoryPanel::HistoryPanel(EditController *controller, QWidget *parent)
    : QWidget(parent), m_controller(controller), m_model(new HistoryModel(this)),
      m_sample(new QLineEdit(this)), m_user(new QComboBox(this)), m_since(new QComboBox(this)),
      m_sinceEdit(new QDateTimeEdit(this)), m_view(new QTableView(this)),
      m_summary(new QLabel(this)), m_revertRows(new QPushButton(tr("Revert Change"), this)),
      m_revertBatch(new QPushButton(tr("Revert Batch"), this)), m_typing(new QTimer(this))
{
    setObjectName(QStringLiteral("historyPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    auto *filters = new QHBoxLayout;
    m_sample->setPlaceholderText(tr("Sample path contains…"));
    m_sample->setClearButtonEnabled(true);
    filters->addWidget(m_sample, 2);
    filters->addWidget(new QLabel(tr("User:"), this));
    filters->addWidget(m_user, 1);
    filters->addWidget(new QLabel(tr("Since:"), this));
    m_since->addItems({tr("Any time"), tr("Last hour"), tr("Today"), tr("Last 7 days"),
                       tr("Chosen time")});
    filters->addWidget(m_since);
    m_sinceEdit->setCalendarPopup(true);
    m_sinceEdit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    m_sinceEdit->setDateTime(QDateTime::currentDateTime().addDays(-1));
    m_sinceEdit->setVisible(false);
    filters->addWidget(m_sinceEdit);
    layout->addLayout(filters);

    m_view->setObjectName(QStringLiteral("historyView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    QHeaderView *header = m_view->horizontalHeader();
    header->setStretchLastSection(true);
    const int widths[] = {150, 70, 170, 80, 70, 170, 240, 80};
    for (int column = 0; column < HistoryModel::ColumnCount; ++column)
        header->resizeSection(column, widths[column]);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setToolTip(tr("Double-click a change to show its sample"));
    layout->addWidget(m_view, 1);

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_summary, 1);
    m_revertRows->setToolTip(tr("Set the values of the selected changes back to what they "
                                "were, as one new edit (undoable)"));
    m_revertBatch->setToolTip(tr("Set back every value the batch of the current change set, as "
                                 "one new edit (undoable)"));
    bottom->addWidget(m_revertRows);
    bottom->addWidget(m_revertBatch);
    layout->addLayout(bottom);

    m_typing->setSingleShot(true);
    m_typing->setInterval(typingDelayMs);
    connect(m_typing, &QTimer::timeout, this, &HistoryPanel::applyFilters);
    connect(m_sample, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_user, &QComboBox::activated, this, &HistoryPanel::applyFilters);
    connect(m_since, &QComboBox::activated, this, [this] {
        m_sinceEdit->setVisible(m_since->currentIndex() == Custom);
        applyFilters();
    });
    connect(m_sinceEdit, &QDateTimeEdit::dateTimeChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_model, &HistoryModel::totalChanged, this, &HistoryPanel::updateSummary);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &HistoryPanel::updateSummary);
    connect(m_model, &HistoryModel::failed, m_summary, &QLabel::setText);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &HistoryPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &HistoryPanel::updateButtons);
    connect(m_revertRows, &QPushButton::clicked, this, &HistoryPanel::revertSelectedRows);
    connect(m_revertBatch, &QPushButton::clicked, this, &HistoryPanel::revertCurrentBatch);
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        const qint64 sample = index.data(HistoryModel::SampleIdRole).toLongLong();
        if (sample > 0)
            emit sampleActivated(sample, index.data(HistoryModel::AnnotationIdRole).toLongLong());
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &HistoryPanel::showMenu);
    connect(m_controller, &EditController::samplesChanged, this, &HistoryPanel::onChanged);
    reload();
}

void HistoryPanel::reload()
{
    store::Project *project = m_controller->project();
    fillUsers();
    m_model->setDatabase(project ? &project->db() : nullptr);
    updateButtons();
}

void HistoryPanel::onChanged(const edit::ChangeEvent &)
{
    store::Project *project = m_controller->project();
    if (!project || m_model->database() != &project->db()) {
        reload();
        return;
    }
    fillUsers();
    m_model->refresh();
}

void HistoryPanel::fillUsers()
{
    const QString chosen = m_user->currentIndex() > 0 ? m_user->currentText() : QString();
    m_user->clear();
    m_user->addItem(tr("Anyone"));
    if (store::Project *project = m_controller->project()) {
        try {
            m_user->addItems(edit::journalUsers(project->db()));
        } catch (const Error &error) {
            m_summary->setText(error.message());
        }
    }
    m_user->setCurrentIndex(std::max(0, chosen.isEmpty() ? 0 : m_user->findText(chosen)));
}

void HistoryPanel::applyFilters()
{
    m_typing->stop();
    edit::JournalFilter filter;
    filter.sampleText = m_sample->text().trimmed();
    if (m_user->currentIndex() > 0)
        filter.user = m_user->currentText();
    const QDateTime now = QDateTime::currentDateTime();
    QDateTime since;
    switch (m_since->currentIndex()) {
    case LastHour: since = now.addSecs(-3600); break;
    case Today: since = QDateTime(now.date(), QTime(0, 0)); break;
    case LastWeek: since = now.addDays(-7); break;
    case Custom: since = m_sinceEdit->dateTime(); break;
    default: break;
    }
    if (since.isValid()) // the journal's times are UTC, ISO 8601
        filter.since = since.toUTC().toString(Qt::ISODateWithMs);
    m_model->setFilter(filter);
}

void HistoryPanel::updateSummary()
{
    const QLocale locale;
    const std::int64_t total = m_model->totalCount();
    if (!m_model->database())
        m_summary->setText(tr("No project is open."));
    else if (total == 0)
        m_summary->setText(tr("No changes match."));
    else if (m_model->rowCount() < total)
        m_summary->setText(tr("%1 changes; the latest %2 are shown (scroll for more)")
                               .arg(locale.toString(qlonglong(total)),
                                    locale.toString(m_model->rowCount())));
    else
        m_summary->setText(total == 1 ? tr("1 change")
                                      : tr("%1 changes").arg(locale.toString(qlonglong(total))));
}

void HistoryPanel::updateButtons()
{
    const bool editable = m_controller->isEditable();
    const bool any = m_view->selectionModel()->hasSelection();
    m_revertRows->setEnabled(editable && any);
    m_revertBatch->setEnabled(editable && currentRow() >= 0);
    const QString why = editable ? QString() : tr("The project is open read-only.");
    for (QPushButton *button : {m_revertRows, m_revertBatch})
        button->setStatusTip(why);
}

std::vector<std::int64_t> HistoryPanel::selectedRows() const
{
    std::set<std::int64_t> ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        ids.insert(m_model->entry(index.row()).row);
    return {ids.begin(), ids.end()};
}

int HistoryPanel::currentRow() const
{
    const QModelIndex current = m_view->currentIndex();
    if (current.isValid())
        return current.row();
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.front().row();
}

bool HistoryPanel::revertSelectedRows()
{
    const std::vector<std::int64_t> rows = selectedRows();
    if (rows.empty() || !m_controller->isEditable())
        return false;
    try {
        return m_controller->apply(edit::revertRows(m_controller->project()->db(), rows));
    } catch (const Error &error) {
        m_summary->setText(error.message());
        return false;
    }
}

bool HistoryPanel::revertCurrentBatch()
{
    const int row = currentRow();
    if (row < 0 || !m_controller->isEditable())
        return false;
    try {
        return m_controller->apply(
            edit::revertBatch(m_controller->project()->db(), m_model->entry(row).batch));
    } catch (const Error &error) {
        m_summary->setText(error.message());
        return false;
    }
}

void HistoryPanel::showMenu(const QPoint &at)
{
    const QModelIndex index = m_view->indexAt(at);
    if (!index.isValid())
        return;
    QMenu menu(this);
    const bool editable = m_controller->isEditable();
    menu.addAction(tr("Revert This Change"), this, &HistoryPanel::revertSelectedRows)
        ->setEnabled(editable);
    menu.addAction(tr("Revert Its Batch (#%1)").arg(m_model->entry(index.row()).batch), this,
                   &HistoryPanel::revertCurrentBatch)
        ->setEnabled(editable);
    const qint64 sample = m_model->entry(index.row()).sampleId;
    const qint64 annotation = m_model->entry(index.row()).annotationId;
    if (sample > 0)
        menu.addAction(tr("Show the Sample"), this,
                       [this, sample, annotation] { emit sampleActivated(sample, annotation); });
    menu.exec(m_view->viewport()->mapToGlobal(at));
}

} // namespace assay::ui
