#include "datasheetpanel.h"

#include "datasheetcharts.h"
#include "report/datasheetcroissant.h"
#include "report/datasheetrender.h"
#include "store/project.h"
#include "util/error.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace assay::ui {

namespace {

constexpr int idRole = Qt::UserRole + 1;

QColor stateColour(report::AnswerState state)
{
    switch (state) {
    case report::AnswerState::Auto:
        return QColor(0x2c, 0x7b, 0xb6);
    case report::AnswerState::Pinned:
        return QColor(0x5e, 0x3c, 0x99);
    case report::AnswerState::NeedsReview:
        return QColor(0xc0, 0x7a, 0x00);
    case report::AnswerState::Confirmed:
    case report::AnswerState::Answered:
        return QColor(0x1a, 0x8a, 0x3a);
    case report::AnswerState::Unanswered:
        break;
    }
    return QColor(0xb0, 0x30, 0x30);
}

QString fileFilter(DatasheetFormat format)
{
    switch (format) {
    case DatasheetFormat::Markdown:
        return QObject::tr("Markdown (*.md)");
    case DatasheetFormat::Html:
        return QObject::tr("HTML (*.html)");
    case DatasheetFormat::Pdf:
        return QObject::tr("PDF (*.pdf)");
    case DatasheetFormat::Croissant:
        return QObject::tr("Croissant JSON-LD (*.json)");
    case DatasheetFormat::HfCard:
        break;
    }
    return QObject::tr("Hugging Face dataset card (*.md)");
}

} // namespace

DatasheetPanel::DatasheetPanel(QWidget *parent)
    : QWidget(parent), m_progressLabel(new QLabel), m_progress(new QProgressBar),
      m_tabs(new QTabWidget), m_tree(new QTreeWidget), m_question(new QLabel), m_state(new QLabel),
      m_hint(new QLabel), m_editor(new QPlainTextEdit), m_save(new QPushButton(tr("Save"))),
      m_confirm(new QPushButton(tr("Confirm Draft"))),
      m_refresh(new QPushButton(tr("Use Assay's Text"))), m_preview(new QTextBrowser)
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_progressLabel->setObjectName(QStringLiteral("datasheetProgress"));
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(10);
    m_progress->setMaximumWidth(160);
    top->addWidget(m_progressLabel);
    top->addWidget(m_progress);
    top->addStretch();
    top->addWidget(new QLabel(tr("Export:")));
    const std::pair<DatasheetFormat, QString> buttons[] = {
        {DatasheetFormat::Markdown, tr("Markdown")},
        {DatasheetFormat::Html, tr("HTML")},
        {DatasheetFormat::Pdf, tr("PDF")},
        {DatasheetFormat::Croissant, tr("Croissant")},
        {DatasheetFormat::HfCard, tr("HF Card")}};
    for (const auto &[format, text] : buttons) {
        auto *button = new QPushButton(text);
        button->setObjectName(QStringLiteral("export-") + datasheetFormatName(format));
        const DatasheetFormat chosen = format;
        connect(button, &QPushButton::clicked, this, [this, chosen] { exportAs(chosen); });
        top->addWidget(button);
    }
    layout->addLayout(top);

    m_tree->setColumnCount(3);
    m_tree->setHeaderLabels({tr("Question"), tr("Fill"), tr("State")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this] { showCurrent(); });
    connect(&m_loader, &QFutureWatcher<Loaded>::finished, this, &DatasheetPanel::onLoaded);

    auto *editorPane = new QWidget;
    auto *editorLayout = new QVBoxLayout(editorPane);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    m_question->setWordWrap(true);
    m_question->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_question->font();
    bold.setBold(true);
    m_question->setFont(bold);
    m_hint->setWordWrap(true);
    m_state->setWordWrap(true);
    m_hint->setStyleSheet(QStringLiteral("color: #666;"));
    m_editor->setPlaceholderText(tr("Unanswered: write the answer here"));
    editorLayout->addWidget(m_question);
    editorLayout->addWidget(m_state);
    editorLayout->addWidget(m_editor, 1);
    editorLayout->addWidget(m_hint);
    auto *actions = new QHBoxLayout;
    m_save->setToolTip(tr("Keep this text: Assay will not overwrite it when it regenerates"));
    m_confirm->setToolTip(tr("Accept Assay's draft as the answer"));
    m_refresh->setToolTip(tr("Drop your text and show Assay's current text again"));
    actions->addWidget(m_save);
    actions->addWidget(m_confirm);
    actions->addWidget(m_refresh);
    actions->addStretch();
    editorLayout->addLayout(actions);
    connect(m_save, &QPushButton::clicked, this, &DatasheetPanel::saveCurrent);
    connect(m_confirm, &QPushButton::clicked, this, &DatasheetPanel::confirmCurrent);
    connect(m_refresh, &QPushButton::clicked, this, &DatasheetPanel::refreshCurrent);

    // The questions over the editor: both want the dock's width for their text.
    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_tree);
    splitter->addWidget(editorPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    m_editor->setMinimumHeight(60);
    m_tabs->addTab(splitter, tr("Questions"));
    m_preview->setOpenLinks(false);
    m_tabs->addTab(m_preview, tr("Preview"));
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int tab) {
        if (tab == 1)
            updatePreview();
    });
    layout->addWidget(m_tabs, 1);
    setProject(nullptr);
}

void DatasheetPanel::setProject(store::Project *project)
{
    m_project = project;
    ++m_generation;
    m_stale = true;
    m_sheet = {};
    rebuildTree();
    if (project && isVisible())
        reload();
}

void DatasheetPanel::markStale()
{
    m_stale = true;
    if (m_project && isVisible())
        reload();
}

void DatasheetPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_project && m_stale)
        reload();
}

void DatasheetPanel::reload()
{
    if (!m_project)
        return;
    if (m_loader.isRunning()) {
        m_reloadOwed = true;
        return;
    }
    m_reloadOwed = false;
    m_stale = false;
    m_loading = true;
    if (m_sheet.answers.empty())
        m_progressLabel->setText(tr("Gathering what Assay measured…"));
    store::OpenOptions options;
    options.readOnly = m_project->isReadOnly();
    const QString path = m_project->path();
    const quint64 generation = m_generation;
    m_loader.setFuture(QtConcurrent::run([path, options, generation] {
        Loaded loaded;
        loaded.generation = generation;
        try {
            const std::unique_ptr<store::Project> project = store::Project::open(path, options);
            loaded.sheet = report::loadDatasheet(*project);
        } catch (const Error &error) {
            loaded.error = error.message();
        }
        return loaded;
    }));
}

void DatasheetPanel::onLoaded()
{
    Loaded loaded = m_loader.result();
    m_loading = false;
    if (m_reloadOwed && m_project) {
        reload();
        return;
    }
    if (loaded.generation == m_generation && m_project)
        showLoaded(std::move(loaded));
}

void DatasheetPanel::loadNow()
{
    m_loader.waitForFinished();
    ++m_generation; // the waited-for load is superseded: onLoaded drops its results
    m_reloadOwed = false;
    m_stale = false;
    Loaded loaded;
    loaded.generation = m_generation;
    try {
        loaded.sheet = report::loadDatasheet(*m_project);
    } catch (const Error &error) {
        loaded.error = error.message();
    }
    showLoaded(std::move(loaded));
}

void DatasheetPanel::showLoaded(Loaded loaded)
{
    if (!loaded.error.isEmpty()) {
        m_progressLabel->setText(tr("Could not read the datasheet: %1").arg(loaded.error));
        emit this->loaded();
        return;
    }
    const QString current = currentId();
    m_sheet = std::move(loaded.sheet);
    rebuildTree();
    if (!selectQuestion(current.isEmpty() ? QStringLiteral("C2") : current))
        showCurrent();
    if (m_tabs->currentIndex() == 1)
        updatePreview();
    emit this->loaded();
}

void DatasheetPanel::rebuildTree()
{
    m_tree->clear();
    QTreeWidgetItem *section = nullptr;
    for (const report::DatasheetAnswer &answer : m_sheet.answers) {
        if (!section || section->text(0) != answer.question.section) {
            section = new QTreeWidgetItem(m_tree, {answer.question.section});
            QFont font = section->font(0);
            font.setBold(true);
            section->setFont(0, font);
            section->setFirstColumnSpanned(true);
            section->setExpanded(true);
        }
        auto *item = new QTreeWidgetItem(section);
        item->setData(0, idRole, answer.question.id);
        updateItem(item, answer);
    }
    updateProgress();
    const bool enabled = m_project && !m_project->isReadOnly();
    m_editor->setReadOnly(!enabled);
    if (!m_project)
        m_progressLabel->setText(tr("Open a project to write its datasheet."));
}

void DatasheetPanel::updateItem(QTreeWidgetItem *item, const report::DatasheetAnswer &answer)
{
    item->setText(0, QStringLiteral("%1  %2").arg(answer.question.id, answer.question.text));
    item->setToolTip(0, answer.question.text);
    item->setText(1, report::fillName(answer.question.fill));
    item->setText(2, report::stateName(answer.state()));
    item->setForeground(2, stateColour(answer.state()));
}

QString DatasheetPanel::currentId() const
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    return item ? item->data(0, idRole).toString() : QString();
}

bool DatasheetPanel::selectQuestion(const QString &id)
{
    for (int s = 0; s < m_tree->topLevelItemCount(); ++s) {
        QTreeWidgetItem *section = m_tree->topLevelItem(s);
        for (int i = 0; i < section->childCount(); ++i)
            if (section->child(i)->data(0, idRole).toString() == id) {
                m_tree->setCurrentItem(section->child(i));
                return true;
            }
    }
    return false;
}

void DatasheetPanel::showCurrent()
{
    const report::DatasheetAnswer *answer = m_sheet.find(currentId());
    const bool writable = m_project && !m_project->isReadOnly();
    if (!answer) {
        m_question->setText(m_project ? tr("Choose a question on the left.") : QString());
        m_state->clear();
        m_hint->clear();
        m_editor->clear();
        for (QPushButton *button : {m_save, m_confirm, m_refresh})
            button->setEnabled(false);
        return;
    }
    m_question->setText(QStringLiteral("%1. %2").arg(answer->question.id, answer->question.text));
    const report::AnswerState state = answer->state();
    QString note;
    switch (state) {
    case report::AnswerState::Auto:
        note = tr("Assay's answer, from the project; regenerated "
                  "after scans and edits.");
        break;
    case report::AnswerState::Pinned:
        note = tr("Your text (pinned): Assay will not overwrite "
                  "it.");
        break;
    case report::AnswerState::NeedsReview:
        note = tr("Assay's draft: review, edit and confirm "
                  "it.");
        break;
    case report::AnswerState::Confirmed:
        note = tr("Confirmed by %1.").arg(answer->user);
        break;
    case report::AnswerState::Unanswered:
        note = tr("Needs a person's answer.");
        break;
    case report::AnswerState::Answered:
        note = tr("Answered by %1.").arg(answer->user);
        break;
    }
    m_state->setText(QStringLiteral("<span style=\"color:%1\"><b>%2 · %3</b></span> — %4")
                         .arg(stateColour(state).name(), report::fillName(answer->question.fill),
                              report::stateName(state), note.toHtmlEscaped()));
    m_editor->setPlainText(answer->text());
    const bool hasHint = answer->question.fill == report::Fill::Human && !answer->draft.isEmpty();
    m_hint->setText(hasHint ? tr("Evidence from Assay: %1").arg(answer->draft)
                    : answer->pinned && answer->question.fill != report::Fill::Human
                        ? tr("Assay's current text: %1").arg(answer->draft)
                        : QString());
    m_save->setEnabled(writable);
    m_confirm->setEnabled(writable && state == report::AnswerState::NeedsReview);
    m_refresh->setEnabled(writable && answer->pinned);
    m_refresh->setText(answer->question.fill == report::Fill::Human ? tr("Clear")
                                                                    : tr("Use Assay's Text"));
}

void DatasheetPanel::updateProgress()
{
    const int answered = m_sheet.answeredQuestions();
    const int total = m_sheet.questionCount();
    m_progressLabel->setText(tr("%1 of %2 answered").arg(answered).arg(total));
    m_progress->setRange(0, total);
    m_progress->setValue(answered);
}

void DatasheetPanel::updatePreview()
{
    if (!m_project || m_sheet.answers.empty()) {
        m_preview->clear();
        return;
    }
    const auto charts = renderDatasheetCharts(m_sheet.facts, QSize(760, 320));
    for (const report::DatasheetChart &chart : charts)
        m_preview->document()->addResource(QTextDocument::ImageResource,
                                           QUrl(QStringLiteral("chart:%1.png").arg(chart.id)),
                                           QImage::fromData(chart.png, "PNG"));
    report::HtmlOptions options;
    options.embedImages = false;
    options.imagePrefix = QStringLiteral("chart:");
    options.print = true;
    options.imageWidth = 560;
    m_preview->setHtml(report::datasheetHtml(m_sheet, charts, options));
}

void DatasheetPanel::applyChange(const std::function<void()> &change)
{
    const QString id = currentId();
    if (!m_project || id.isEmpty())
        return;
    try {
        change();
    } catch (const Error &error) {
        QMessageBox::warning(this, tr("Datasheet"), error.message());
        return;
    }
    // Re-read the stored person answer for this entry; the drafts stay as gathered.
    store::Statement row(m_project->db(), "SELECT text, pinned, time, user FROM "
                                          "datasheet_answers WHERE id = ?");
    row.bind(1, id);
    for (report::DatasheetAnswer &answer : m_sheet.answers)
        if (answer.question.id == id) {
            const bool found = row.step();
            answer.person = found ? row.text(0) : QString();
            answer.pinned = found && row.int64(1) != 0;
            answer.time = found ? row.text(2) : QString();
            answer.user = found ? row.text(3) : QString();
            if (QTreeWidgetItem *item = m_tree->currentItem())
                updateItem(item, answer);
        }
    updateProgress();
    showCurrent();
}

void DatasheetPanel::saveCurrent()
{
    const QString text = m_editor->toPlainText();
    applyChange([&] { report::setDatasheetAnswer(*m_project, currentId(), text); });
}

void DatasheetPanel::confirmCurrent()
{
    const QString text = m_editor->toPlainText();
    const report::DatasheetAnswer *answer = m_sheet.find(currentId());
    // Confirming what the editor shows: the draft, or the person's edit of it.
    if (answer && text != answer->draft)
        applyChange([&] { report::setDatasheetAnswer(*m_project, currentId(), text); });
    else
        applyChange([&] { report::confirmDatasheetAnswer(*m_project, currentId()); });
}

void DatasheetPanel::refreshCurrent()
{
    applyChange([&] { report::refreshDatasheetAnswer(*m_project, currentId()); });
}

QMenu *DatasheetPanel::createExportMenu(QWidget *parent)
{
    auto *menu = new QMenu(tr("Export &Datasheet"), parent);
    menu->setObjectName(QStringLiteral("exportDatasheetMenu"));
    const std::pair<DatasheetFormat, QString> entries[] = {
        {DatasheetFormat::Markdown, tr("&Markdown…")},
        {DatasheetFormat::Html, tr("&HTML…")},
        {DatasheetFormat::Pdf, tr("&PDF…")},
        {DatasheetFormat::Croissant, tr("&Croissant JSON-LD…")},
        {DatasheetFormat::HfCard, tr("Hugging &Face Dataset Card…")}};
    for (const auto &[format, text] : entries) {
        const DatasheetFormat chosen = format;
        menu->addAction(text, this, [this, chosen] { exportAs(chosen); });
    }
    return menu;
}

void DatasheetPanel::setPathChooser(std::function<QString(DatasheetFormat)> chooser)
{
    m_chooser = std::move(chooser);
}

QString DatasheetPanel::exportAs(DatasheetFormat format)
{
    if (!m_project)
        return {};
    if (m_stale || m_sheet.answers.empty() || isLoading())
        loadNow(); // an export writes what the project holds now
    bool draft = false;
    if (format == DatasheetFormat::Croissant) {
        const QStringList missing = report::croissantMissing(m_sheet);
        if (!missing.isEmpty()) {
            if (!m_chooser &&
                QMessageBox::question(
                    this, tr("Croissant Export"),
                    tr("These Required fields are unanswered:\n\n%1\n\nWrite a draft (marked "
                       "as such in the file) anyway?")
                        .arg(missing.join(u'\n'))) != QMessageBox::Yes)
                return {};
            draft = true;
        }
    }
    QString path;
    if (m_chooser) {
        path = m_chooser(format);
    } else {
        const QString base = QFileInfo(m_project->path()).completeBaseName();
        const QString name =
            format == DatasheetFormat::HfCard
                ? QStringLiteral("README.md")
                : base + QStringLiteral("-datasheet") + datasheetFormatSuffix(format);
        path = QFileDialog::getSaveFileName(
            this, tr("Export Datasheet"), QFileInfo(m_project->path()).absoluteDir().filePath(name),
            fileFilter(format));
    }
    if (path.isEmpty())
        return {};
    try {
        exportDatasheet(m_sheet, m_project->datasetRoot(), format, path, draft);
    } catch (const Error &error) {
        QMessageBox::warning(this, tr("Export Datasheet"), error.message());
        return {};
    }
    emit exported(path);
    return path;
}

} // namespace assay::ui
