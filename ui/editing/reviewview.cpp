#include "reviewview.h"

#include "editcontroller.h"
#include "sampleeditactions.h"

#include "common/classcolors.h"
#include "inspector/imageviewer.h"
#include "inspector/viewerimage.h"
#include "store/project.h"
#include "store/sampledetails.h"
#include "util/error.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

#include <algorithm>

namespace assay::ui {

namespace {
constexpr int prefetchAhead = 4; // images decoded ahead of the current one
constexpr int keepBehind = 2;    // and kept behind it
} // namespace

ReviewView::ReviewView(EditController *edits, SampleEditActions *actions, QWidget *parent)
    : QWidget(parent), m_edits(edits), m_actions(actions), m_viewer(new ImageViewer),
      m_counter(new QLabel), m_state(new QLabel), m_path(new QLabel), m_legend(new QLabel),
      m_keys(new QLabel), m_alive(std::make_shared<std::atomic<int>>(0))
{
    setObjectName(QStringLiteral("reviewView"));
    setFocusPolicy(Qt::StrongFocus);
    m_viewer->setFocusPolicy(Qt::NoFocus); // every key comes here; zoom keys are passed on
    QFont big = m_counter->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_counter->setFont(big);
    m_counter->setObjectName(QStringLiteral("reviewPosition"));
    m_state->setFont(big);
    m_state->setTextFormat(Qt::RichText);
    m_state->setObjectName(QStringLiteral("reviewState"));
    m_path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_path->setStyleSheet(QStringLiteral("color: palette(placeholder-text)"));
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setWordWrap(true);
    m_keys->setTextFormat(Qt::RichText);
    m_keys->setWordWrap(true);
    m_keys->setText(tr("<b>1–9</b> set class &amp; next · <b>C</b> or <b>/</b> pick a class · "
                       "<b>Space</b> reviewed &amp; next · <b>X</b> exclude &amp; next · "
                       "<b>←/→</b> move · <b>Ctrl+Z</b> undo · <b>Esc</b> back to the grid"));

    auto *header = new QHBoxLayout;
    header->addWidget(m_counter);
    header->addSpacing(16);
    header->addWidget(m_state, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_path);
    layout->addWidget(m_viewer, 1);
    layout->addWidget(m_legend);
    layout->addWidget(m_keys);

    connect(m_edits, &EditController::samplesChanged, this, &ReviewView::onSamplesChanged);
}

ReviewView::~ReviewView()
{
    stop();
}

void ReviewView::start(std::vector<std::int64_t> samples, size_t position,
                       const QString &datasetRoot)
{
    stop();
    m_alive = std::make_shared<std::atomic<int>>(0);
    m_root = datasetRoot;
    m_samples = std::move(samples);
    m_positionOf.clear();
    m_positionOf.reserve(qsizetype(m_samples.size()));
    for (size_t i = 0; i < m_samples.size(); ++i)
        m_positionOf.insert(m_samples[i], i);
    m_classes = m_actions->classNames();
    fillLegend();
    m_position = std::min(position, m_samples.empty() ? 0 : m_samples.size() - 1);
    showCurrent();
    setFocus();
}

void ReviewView::stop()
{
    m_alive->store(1); // loads not started yet skip their work
    for (QFutureWatcher<ViewerImage> *watcher : std::as_const(m_loading)) {
        watcher->disconnect(this);
        watcher->deleteLater();
    }
    m_loading.clear();
    m_cache.clear();
}

std::int64_t ReviewView::currentSampleId() const
{
    return m_position < m_samples.size() ? m_samples[m_position] : 0;
}

void ReviewView::setPosition(size_t position)
{
    if (m_samples.empty())
        return;
    position = std::min(position, m_samples.size() - 1);
    if (position == m_position)
        return;
    m_position = position;
    showCurrent();
}

void ReviewView::step(int delta)
{
    if (m_samples.empty())
        return;
    const auto target = std::clamp<std::int64_t>(std::int64_t(m_position) + delta, 0,
                                                 std::int64_t(m_samples.size()) - 1);
    setPosition(size_t(target));
}

void ReviewView::showCurrent()
{
    const std::int64_t id = currentSampleId();
    m_annotations.clear();
    if (id == 0) {
        m_viewer->showPlaceholder(tr("No samples match the filters."));
        refreshState();
        return;
    }
    refreshState(); // reads the annotations too
    if (const auto cached = m_cache.constFind(id); cached != m_cache.constEnd())
        showImage(id, *cached, {});
    else if (!m_loading.contains(id))
        request(id);
    prefetch();
    emit currentSampleChanged(id);
}

// The header and the annotations from the project: after every change, here or elsewhere.
void ReviewView::refreshState()
{
    const QLocale locale;
    m_counter->setText(m_samples.empty() ? tr("0 / 0")
                                         : QStringLiteral("%1 / %2").arg(
                                               locale.toString(qulonglong(m_position + 1)),
                                               locale.toString(qulonglong(m_samples.size()))));
    const std::int64_t id = currentSampleId();
    store::Project *project = m_edits->project();
    m_reviewed = m_excluded = false;
    m_stateText.clear();
    if (id == 0 || !project) {
        m_state->clear();
        m_path->clear();
        return;
    }
    try {
        const auto details = store::loadSampleDetails(project->db(), id);
        if (!details) {
            m_state->setText(tr("<i>this sample is no longer in the project</i>"));
            return;
        }
        m_annotations = details->annotations;
        const SampleRecord &record = details->record;
        m_path->setText(record.member >= 0
                            ? QStringLiteral("%1#%2").arg(record.path).arg(record.member)
                            : record.path);
        store::Statement flags(project->db(),
                               "SELECT reviewed, excluded FROM samples WHERE id = ?");
        flags.bind(1, id);
        const bool found = flags.step();
        m_reviewed = found && flags.int64(0) != 0;
        m_excluded = found && flags.int64(1) != 0;
        QStringList parts, plain;
        if (!record.label.isNull()) {
            parts << QStringLiteral("<span style='color:%1'>\u25cf</span> %2")
                         .arg(classColor(record.label).name(), record.label.toHtmlEscaped());
            plain << record.label;
        } else if (!m_annotations.empty()) {
            plain << tr("%n object(s)", nullptr, int(m_annotations.size()));
            parts << plain.back();
        } else {
            plain << tr("unlabeled");
            parts << QStringLiteral("<i>%1</i>").arg(plain.back());
        }
        if (!record.split.isNull()) {
            plain << record.split;
            parts << record.split.toHtmlEscaped();
        }
        if (m_reviewed) {
            plain << tr("reviewed");
            parts
                << QStringLiteral("<span style='color:#2a8a3a'>\u2713 %1</span>").arg(plain.back());
        }
        if (m_excluded) {
            plain << tr("excluded");
            parts << QStringLiteral("<span style='color:#b00'>%1</span>").arg(plain.back());
        }
        m_stateText = plain.join(QStringLiteral(" · "));
        m_state->setText(parts.join(QStringLiteral(" · ")));
    } catch (const Error &error) {
        m_state->setText(error.message().toHtmlEscaped());
    }
    if (m_viewer->hasImage())
        m_viewer->setAnnotations(m_annotations);
}

QString ReviewView::headerText() const
{
    return QStringLiteral("%1 — %2").arg(m_counter->text(), m_stateText);
}

void ReviewView::fillLegend()
{
    QStringList items;
    for (qsizetype i = 0; i < m_classes.size() && i < 9; ++i)
        items << QStringLiteral("<b>%1</b>&nbsp;<span style='color:%2'>\u25cf</span>&nbsp;%3")
                     .arg(i + 1)
                     .arg(classColor(m_classes[i]).name(), m_classes[i].toHtmlEscaped());
    if (m_classes.size() > 9)
        items << tr("<b>C</b>&nbsp;%n&nbsp;more…", nullptr, int(m_classes.size() - 9));
    m_legend->setText(items.join(QStringLiteral(" &nbsp; ")));
}

void ReviewView::request(std::int64_t sampleId)
{
    store::Project *project = m_edits->project();
    if (!project)
        return;
    store::Statement row(project->db(), "SELECT path, member FROM samples WHERE id = ?");
    row.bind(1, sampleId);
    if (!row.step())
        return;
    const QString path = row.text(0);
    const std::int64_t member = row.isNull(1) ? -1 : row.int64(1);
    auto *watcher = new QFutureWatcher<ViewerImage>(this);
    m_loading.insert(sampleId, watcher);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, sampleId] {
        watcher->deleteLater();
        m_loading.remove(sampleId);
        const ViewerImage result = watcher->result();
        if (!result.image.isNull())
            m_cache.insert(sampleId, result.image);
        if (sampleId == currentSampleId())
            showImage(sampleId, result.image, result.error);
    });
    watcher->setFuture(loadViewerImage(m_root, path, member, m_alive, 0));
}

void ReviewView::showImage(std::int64_t sampleId, const QImage &image, const QString &error)
{
    if (image.isNull()) {
        m_viewer->showPlaceholder(tr("Cannot show this image\n%1").arg(error));
    } else {
        m_viewer->setImage(image);
        m_viewer->setAnnotations(m_annotations);
    }
    emit imageShown(sampleId);
}

// Decodes the next images ahead and forgets those far behind.
void ReviewView::prefetch()
{
    const size_t first = m_position >= size_t(keepBehind) ? m_position - keepBehind : 0;
    const size_t last = std::min(m_samples.size(), m_position + 1 + prefetchAhead);
    for (auto it = m_cache.begin(); it != m_cache.end();) {
        const size_t at = m_positionOf.value(it.key(), m_samples.size());
        it = at < first || at >= last ? m_cache.erase(it) : std::next(it);
    }
    for (size_t i = m_position + 1; i < last; ++i) {
        const std::int64_t id = m_samples[i];
        if (!m_cache.contains(id) && !m_loading.contains(id))
            request(id);
    }
}

void ReviewView::onSamplesChanged(const edit::ChangeEvent &event)
{
    if (!isVisible() || m_samples.empty())
        return;
    const std::int64_t current = currentSampleId();
    const bool touchesCurrent =
        std::binary_search(event.sampleIds.begin(), event.sampleIds.end(), current);
    // An undo goes back to the sample it changed, so the review can go on from there.
    if (event.kind == edit::ChangeEvent::Kind::Undone && !touchesCurrent) {
        for (const std::int64_t id : event.sampleIds) {
            if (const auto found = m_positionOf.constFind(id); found != m_positionOf.constEnd()) {
                setPosition(*found);
                return;
            }
        }
    }
    if (touchesCurrent || event.fields.touchesCategories())
        refreshState();
    if (event.fields.touchesCategories()) {
        m_classes = m_actions->classNames();
        fillLegend();
    }
}

void ReviewView::setClassByKey(int key)
{
    const int index = key - Qt::Key_1;
    if (index < 0 || index >= m_classes.size())
        return;
    m_actions->setClass({currentSampleId()}, m_classes[index]);
    step(1);
}

bool ReviewView::handlesKey(const QKeyEvent *event) const
{
    const auto modifiers = event->modifiers() & ~Qt::KeypadModifier;
    if (modifiers != Qt::NoModifier && modifiers != Qt::ShiftModifier)
        return false;
    const int key = event->key();
    if (key >= Qt::Key_1 && key <= Qt::Key_9)
        return true;
    switch (key) {
    case Qt::Key_Space:
    case Qt::Key_X:
    case Qt::Key_C:
    case Qt::Key_Slash:
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down:
    case Qt::Key_PageUp:
    case Qt::Key_PageDown:
    case Qt::Key_Home:
    case Qt::Key_End:
    case Qt::Key_J:
    case Qt::Key_K:
    case Qt::Key_Escape:
        return true;
    default:
        return false;
    }
}

// The review's keys win over the window's single-key shortcuts (J/K step the grid there).
bool ReviewView::event(QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride && handlesKey(static_cast<QKeyEvent *>(event))) {
        event->accept();
        return true;
    }
    return QWidget::event(event);
}

void ReviewView::keyPressEvent(QKeyEvent *event)
{
    if (!handlesKey(event)) {
        const bool plain = (event->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier;
        switch (plain ? event->key() : 0) {
        case Qt::Key_F:
        case Qt::Key_0:
            m_viewer->fitToWindow();
            break;
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            m_viewer->zoomIn();
            break;
        case Qt::Key_Minus:
            m_viewer->zoomOut();
            break;
        default:
            QWidget::keyPressEvent(event);
        }
        return;
    }
    const std::int64_t id = currentSampleId();
    const int key = event->key();
    if (key >= Qt::Key_1 && key <= Qt::Key_9) {
        if (id)
            setClassByKey(key);
        return;
    }
    switch (key) {
    case Qt::Key_Space:
        if (id) {
            m_actions->setReviewed({id}, true);
            step(1);
        }
        break;
    case Qt::Key_X:
        if (id && m_excluded) {
            m_actions->setExcluded({id}, false);
        } else if (id) {
            m_actions->setExcluded({id}, true);
            step(1);
        }
        break;
    case Qt::Key_C:
    case Qt::Key_Slash:
        if (id && m_actions->chooseClass({id}))
            step(1);
        break;
    case Qt::Key_Left:
    case Qt::Key_Up:
    case Qt::Key_J:
        step(-1);
        break;
    case Qt::Key_Right:
    case Qt::Key_Down:
    case Qt::Key_K:
        step(1);
        break;
    case Qt::Key_PageUp:
        step(-10);
        break;
    case Qt::Key_PageDown:
        step(10);
        break;
    case Qt::Key_Home:
        setPosition(0);
        break;
    case Qt::Key_End:
        setPosition(m_samples.empty() ? 0 : m_samples.size() - 1);
        break;
    case Qt::Key_Escape:
        emit leaveRequested();
        break;
    default:
        break;
    }
}

} // namespace assay::ui
