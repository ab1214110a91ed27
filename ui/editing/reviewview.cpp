#include "reviewview.h"

#include "editcontroller.h"
#include "reviewimages.h"
#include "sampleeditactions.h"

#include "common/classcolors.h"
#include "inspector/imageviewer.h"
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

ReviewView::ReviewView(EditController *edits, SampleEditActions *actions, QWidget *parent)
    : QWidget(parent), m_edits(edits), m_actions(actions), m_viewer(new ImageViewer),
      m_counter(new QLabel), m_state(new QLabel), m_path(new QLabel), m_legend(new QLabel),
      m_keys(new QLabel), m_loadingHint(new QLabel), m_images(new ReviewImages(edits, this))
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

    m_loadingHint->setObjectName(QStringLiteral("reviewLoadingHint"));
    m_loadingHint->setText(tr("loading full resolution…"));
    m_loadingHint->setStyleSheet(QStringLiteral("color: palette(placeholder-text)"));
    // Hidden, it keeps its room: the header does not shift as stand-ins come and go.
    QSizePolicy hintPolicy = m_loadingHint->sizePolicy();
    hintPolicy.setRetainSizeWhenHidden(true);
    m_loadingHint->setSizePolicy(hintPolicy);
    m_loadingHint->hide();

    auto *header = new QHBoxLayout;
    header->addWidget(m_counter);
    header->addSpacing(16);
    header->addWidget(m_state, 1);
    header->addWidget(m_loadingHint);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_path);
    layout->addWidget(m_viewer, 1);
    layout->addWidget(m_legend);
    layout->addWidget(m_keys);

    connect(m_edits, &EditController::samplesChanged, this, &ReviewView::onSamplesChanged);
    connect(m_images, &ReviewImages::fullReady, this, &ReviewView::onFullReady);
    connect(m_images, &ReviewImages::previewReady, this, &ReviewView::onPreviewReady);
}

ReviewView::~ReviewView()
{
    stop();
}

void ReviewView::setThumbnails(ThumbnailProvider *thumbnails)
{
    m_images->setThumbnails(thumbnails);
}

void ReviewView::start(std::vector<std::int64_t> samples, size_t position,
                       const QString &datasetRoot)
{
    stop();
    m_images->start(datasetRoot);
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
    m_images->stop();
    setShown(0, false);
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
        setShown(0, false);
        refreshState();
        return;
    }
    refreshState(); // reads the annotations too
    m_images->focus(m_samples, m_position); // the current sample's decode is asked for first
    if (const QImage full = m_images->full(id); !full.isNull())
        showFull(id, full, {});
    else if (const QString error = m_images->error(id); !error.isEmpty())
        showFull(id, {}, error);
    else
        showPreview(id);
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
    if (m_viewer->hasImage() && m_shownSample == id)
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

void ReviewView::setShown(std::int64_t sampleId, bool full)
{
    m_shownSample = sampleId;
    m_shownFull = full;
    m_loadingHint->setVisible(sampleId != 0 && !full);
}

// The full image, or why there is none. When the viewer holds this sample's stand-in at the
// same size the pixels are swapped in place: the zoom, the scroll and the overlays stay.
void ReviewView::showFull(std::int64_t sampleId, const QImage &image, const QString &error)
{
    if (image.isNull()) {
        m_viewer->showPlaceholder(tr("Cannot show this image\n%1").arg(error));
    } else if (m_shownSample == sampleId && !m_shownFull && m_viewer->hasImage()
               && m_viewer->imageRect().size() == QSizeF(image.size())) {
        m_viewer->replacePixels(image);
    } else {
        m_viewer->setImage(image);
        m_viewer->setAnnotations(m_annotations);
    }
    setShown(sampleId, true); // an error stays: a late thumbnail does not cover it
    emit imageShown(sampleId);
    emit fullImageShown(sampleId);
}

// The sample's stand-in stretched to the image's size; without one (a PNG never scanned, whose
// thumbnail is still being made) a placeholder — never the previous sample's picture.
void ReviewView::showPreview(std::int64_t sampleId)
{
    const QImage preview = m_images->preview(sampleId);
    const QSize size = preview.isNull() ? QSize() : m_images->logicalSize(sampleId);
    if (preview.isNull() || !size.isValid()) {
        if (m_shownSample != sampleId) {
            m_viewer->showPlaceholder(tr("Loading…"));
            setShown(0, false);
            m_loadingHint->show();
        }
        return;
    }
    m_viewer->setImage(preview, size);
    m_viewer->setAnnotations(m_annotations);
    setShown(sampleId, false);
    emit imageShown(sampleId);
}

// Results for samples the review has left are kept for later (ReviewImages) but not shown.
void ReviewView::onFullReady(qint64 sampleId, const QImage &image, const QString &error)
{
    if (sampleId == currentSampleId() && !(m_shownSample == sampleId && m_shownFull))
        showFull(sampleId, image, error);
}

void ReviewView::onPreviewReady(qint64 sampleId)
{
    if (sampleId == currentSampleId() && m_shownSample != sampleId)
        showPreview(sampleId);
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
