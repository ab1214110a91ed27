#include "sampleinspector.h"

#include "boxeditbar.h"
#include "boxeditor.h"
#include "imageviewer.h"
#include "viewerimage.h"

#include "common/classcolors.h"
#include "panels/qualitypanel.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <map>

namespace assay::ui {

namespace {

constexpr int loadingDelayMs = 150; // "Loading…" only when it takes long enough to notice

QString translate(const char *text)
{
    return QCoreApplication::translate("assay::ui::SampleInspector", text);
}

QIcon dotIcon(const QColor &color)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(color.darker(130));
    painter.setBrush(color);
    painter.drawEllipse(QRectF(1.5, 1.5, 9, 9));
    return QIcon(pixmap);
}

QColor severityColor(Severity severity)
{
    return severity == Severity::Error     ? QColor(0xd3, 0x2f, 0x2f)
           : severity == Severity::Warning ? QColor(0xf0, 0x9a, 0x00)
                                           : QColor(0x3b, 0x82, 0xc4);
}

QString statusText(ScanStatus status)
{
    static const char *const names[] = {"ok",      "zero bytes", "unsupported", "too large",
                                        "corrupt", "missing",    "unreadable"};
    const auto index = size_t(status);
    return index < std::size(names) ? translate(names[index]) : QString();
}

} // namespace

SampleInspector::SampleInspector(QWidget *parent)
    : QWidget(parent), m_viewer(new ImageViewer(this)), m_boxEditor(new BoxEditor(m_viewer)),
      m_editBar(new BoxEditBar(m_boxEditor, this)), m_splitter(new QSplitter(Qt::Vertical, this)), m_path(new QLabel(this)),
      m_meta(new QLabel(this)), m_legend(new QScrollArea(this)), m_legendLayout(nullptr),
      m_tree(new QTreeWidget(this)), m_loadingDelay(new QTimer(this)),
      m_generation(std::make_shared<std::atomic<int>>(0))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);

    auto *info = new QWidget(this);
    auto *infoLayout = new QVBoxLayout(info);
    infoLayout->setContentsMargins(6, 4, 6, 4);
    infoLayout->setSpacing(4);
    auto *header = new QHBoxLayout;
    QFont bold = m_path->font();
    bold.setBold(true);
    m_path->setFont(bold);
    m_path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_path->setMinimumWidth(40);
    m_path->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_path->installEventFilter(this);
    m_meta->setTextInteractionFlags(Qt::TextSelectableByMouse);
    header->addWidget(m_path, 1);
    header->addWidget(m_meta);
    infoLayout->addLayout(header);

    auto *chips = new QWidget;
    m_legendLayout = new QHBoxLayout(chips);
    m_legendLayout->setContentsMargins(0, 0, 0, 0);
    m_legendLayout->setSpacing(10);
    m_legendLayout->addStretch(1);
    m_legend->setWidget(chips);
    m_legend->setWidgetResizable(true);
    m_legend->setFrameShape(QFrame::NoFrame);
    m_legend->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_legend->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_legend->installEventFilter(this);
    m_legend->hide();
    infoLayout->addWidget(m_legend);

    m_tree->setObjectName(QStringLiteral("inspectorInfo"));
    m_tree->setColumnCount(2);
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(false);
    m_tree->setItemsExpandable(false);
    m_tree->setIndentation(8);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setFocusPolicy(Qt::ClickFocus);
    m_tree->setTextElideMode(Qt::ElideMiddle);
    m_tree->header()->setStretchLastSection(true);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->installEventFilter(this);
    infoLayout->addWidget(m_tree, 1);

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->setSpacing(0);
    topLayout->addWidget(m_editBar);
    topLayout->addWidget(m_viewer, 1);
    addAction(m_editBar->drawAction()); // B anywhere in the inspector
    connect(m_editBar, &BoxEditBar::failed, this, &SampleInspector::editFailed);
    connect(this, &SampleInspector::imageShown, this, [this](qint64 sampleId) {
        if (m_pendingSample != 0 && sampleId == m_pendingSample) {
            m_pendingSample = 0;
            m_boxEditor->setSelection({m_pendingAnnotation});
        }
    });

    m_splitter->addWidget(top);
    m_splitter->addWidget(info);
    m_splitter->setCollapsible(0, false);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 0);
    m_splitter->setSizes({520, 200}); // the image first; the info rows scroll

    setFocusProxy(m_viewer);
    m_loadingDelay->setSingleShot(true);
    connect(m_loadingDelay, &QTimer::timeout, this,
            [this] { m_viewer->showPlaceholder(tr("Loading…")); });
    clear();
}

SampleInspector::~SampleInspector()
{
    ++*m_generation; // queued loads that have not started yet skip their work
}

void SampleInspector::setEditController(EditController *controller)
{
    m_editBar->setEditController(controller);
    m_editBar->setSample(m_sampleId);
}

void SampleInspector::selectAnnotationWhenShown(qint64 sampleId, qint64 annotationId)
{
    m_pendingSample = 0;
    if (annotationId <= 0)
        return;
    if (sampleId == m_sampleId && m_viewer->hasImage()) {
        m_boxEditor->setSelection({annotationId});
        return;
    }
    m_pendingSample = sampleId;
    m_pendingAnnotation = annotationId;
}

void SampleInspector::clear()
{
    ++*m_generation;
    m_loadingDelay->stop();
    m_sampleId = 0;
    m_record = {};
    m_editBar->setSample(0);
    m_annotations.clear();
    m_viewer->showPlaceholder(tr("No sample selected"));
    m_pathText.clear();
    m_path->clear();
    m_path->setToolTip(QString());
    m_meta->clear();
    fillLegend({});
    m_tree->clear();
}

void SampleInspector::showSample(const store::SampleDetails &details, const QString &datasetRoot)
{
    const SampleRecord &record = details.record;
    const bool sameImage = m_viewer->hasImage() && record.id == m_sampleId
                           && record.path == m_record.path && record.member == m_record.member
                           && record.size == m_record.size && record.mtime == m_record.mtime;
    m_sampleId = record.id;
    m_record = record;
    m_annotations = details.annotations;
    fillHeader(details);
    fillLegend(details.annotations);
    fillTree(details);
    m_editBar->setSample(m_sampleId);
    if (sameImage) {
        m_viewer->setAnnotations(m_annotations);
        const int generation = m_generation->load();
        QTimer::singleShot(0, this, [this, generation] {
            if (generation == m_generation->load())
                emit imageShown(m_sampleId);
        });
        return;
    }
    m_viewer->showPlaceholder(QString());
    m_loadingDelay->start(loadingDelayMs);
    loadImage(datasetRoot, details.record);
}

void SampleInspector::loadImage(const QString &root, const SampleRecord &record)
{
    const int generation = ++*m_generation;
    auto *watcher = new QFutureWatcher<ViewerImage>(this);
    connect(watcher, &QFutureWatcherBase::finished, this,
            [this, watcher, generation, root, record] {
                watcher->deleteLater();
                if (generation != m_generation->load())
                    return; // the user has moved on
                const ViewerImage result = watcher->result();
                if (result.image.isNull() && result.error.isEmpty()) {
                    loadImage(root, record); // a decode offered by review mode, called off there
                    return;
                }
                m_loadingDelay->stop();
                if (result.image.isNull()) {
                    m_viewer->showPlaceholder(tr("Cannot show this image\n%1").arg(result.error));
                    emit imageFailed(m_sampleId, result.error);
                    return;
                }
                m_viewer->setImage(result.image);
                m_viewer->setAnnotations(m_annotations);
                emit imageShown(m_sampleId);
            });
    watcher->setFuture(loadViewerImage(root, record.path, record.member, m_generation, generation));
}

void SampleInspector::fillHeader(const store::SampleDetails &details)
{
    const SampleRecord &record = details.record;
    m_pathText = record.member >= 0
                     ? QStringLiteral("%1#%2").arg(record.path).arg(record.member)
                     : record.path;
    m_path->setToolTip(m_pathText);
    elidePath();
    QStringList meta;
    if (!record.label.isNull())
        meta << record.label;
    else if (!details.annotations.empty())
        meta << (details.annotations.size() == 1
                     ? tr("1 object")
                     : tr("%1 objects").arg(details.annotations.size()));
    else
        meta << tr("unlabeled");
    meta << (record.split.isNull() ? tr("no split") : record.split);
    if (record.status == SampleStatus::Missing)
        meta << tr("missing");
    m_meta->setText(meta.join(QStringLiteral(" · ")));
}

QString SampleInspector::headerText() const
{
    return m_pathText.isEmpty() ? QString()
                                : QStringLiteral("%1 — %2").arg(m_pathText, m_meta->text());
}

void SampleInspector::elidePath()
{
    m_path->setText(m_path->fontMetrics().elidedText(m_pathText, Qt::ElideMiddle,
                                                     std::max(40, m_path->width())));
}

void SampleInspector::fillLegend(const std::vector<Annotation> &annotations)
{
    for (QCheckBox *chip : m_legend->widget()->findChildren<QCheckBox *>())
        delete chip;
    std::map<QString, int> counts;
    for (const Annotation &annotation : annotations)
        ++counts[annotation.category];
    int index = 0;
    for (const auto &[className, count] : counts) {
        const QString name = className.isEmpty() ? tr("(no class)") : className;
        auto *chip = new QCheckBox(count > 1 ? tr("%1 ×%2").arg(name).arg(count) : name);
        chip->setProperty("className", className);
        chip->setIcon(dotIcon(classColor(className)));
        chip->setChecked(m_viewer->isClassVisible(className));
        chip->setFocusPolicy(Qt::NoFocus); // stepping keys stay with the viewer
        chip->setToolTip(tr("Show or hide the %1 overlays").arg(name));
        connect(chip, &QCheckBox::toggled, this, [this, className](bool visible) {
            m_viewer->setClassVisible(className, visible);
        });
        m_legendLayout->insertWidget(index++, chip);
    }
    m_legend->setVisible(!counts.empty());
    fitLegendHeight();
}

void SampleInspector::fitLegendHeight()
{
    // One row of chips, plus room for the scroll bar when they are wider than the inspector.
    const QSize content = m_legend->widget()->sizeHint();
    const bool scrolls = content.width() > m_legend->width();
    m_legend->setFixedHeight(content.height() +
                             (scrolls ? m_legend->horizontalScrollBar()->sizeHint().height() : 0));
}

QTreeWidgetItem *SampleInspector::addSection(const QString &title)
{
    auto *section = new QTreeWidgetItem(m_tree, {title});
    QFont font = section->font(0);
    font.setBold(true);
    section->setFont(0, font);
    section->setFirstColumnSpanned(true);
    section->setFlags(Qt::ItemIsEnabled);
    section->setExpanded(true);
    return section;
}

void SampleInspector::fillTree(const store::SampleDetails &details)
{
    m_tree->clear();
    const QLocale locale;
    auto row = [](QTreeWidgetItem *section, const QString &name, const QString &value) {
        auto *item = new QTreeWidgetItem(section, {name, value});
        item->setToolTip(1, value);
        return item;
    };
    auto note = [](QTreeWidgetItem *section, const QString &text) {
        auto *item = new QTreeWidgetItem(section, {text});
        item->setFirstColumnSpanned(true);
        item->setForeground(0, QColor(0x80, 0x80, 0x80));
        item->setFlags(Qt::ItemIsEnabled);
    };

    QTreeWidgetItem *issues = addSection(tr("Issues"));
    for (const Issue &issue : details.issues) {
        auto *item = row(issues, issueKindTitle(issue.kind), issue.detail);
        item->setIcon(0, dotIcon(severityColor(issue.severity)));
        item->setData(0, Qt::UserRole, int(issue.severity));
        item->setToolTip(0, issueKindExplanation(issue.kind));
    }
    if (details.issues.empty())
        note(issues, details.scanned ? tr("none found") : tr("not scanned yet"));

    QTreeWidgetItem *features = addSection(tr("Features"));
    if (!details.scanned) {
        note(features, tr("not scanned yet"));
    } else {
        const SampleFeatures &f = details.features;
        auto number = [&locale](double value, int decimals) {
            return locale.toString(value, 'f', decimals);
        };
        if (f.status != ScanStatus::Ok) {
            auto *item = row(features, tr("Status"),
                             QStringLiteral("%1: %2").arg(statusText(f.status), f.detail));
            item->setIcon(0, dotIcon(severityColor(Severity::Error)));
        }
        row(features, tr("Size"), tr("%1 × %2 px").arg(f.width).arg(f.height));
        row(features, tr("Channels"), QString::number(f.channels));
        row(features, tr("Type"), f.realType.isEmpty() ? tr("unknown") : f.realType);
        row(features, tr("File size"), locale.formattedDataSize(f.fileSize));
        row(features, tr("Brightness"), number(f.brightness, 1));
        row(features, tr("Contrast"), number(f.contrast, 1));
        row(features, tr("Sharpness"), number(f.sharpness, 1));
        row(features, tr("Entropy"), tr("%1 bits").arg(number(f.entropy, 2)));
        row(features, tr("Colourfulness"), number(f.colorfulness, 1));
        row(features, tr("Grayscale"), f.grayscale ? tr("yes") : tr("no"));
        row(features, tr("pHash"),
            QStringLiteral("%1").arg(qulonglong(f.phash), 16, 16, QLatin1Char('0')));
    }

    QTreeWidgetItem *attributes = addSection(tr("Attributes"));
    for (const auto &[name, value] : details.attributes)
        row(attributes, name, value);
    if (details.attributes.empty())
        note(attributes, tr("none"));
    m_tree->expandAll();
}

int SampleInspector::stepFor(const QKeyEvent *event)
{
    if ((event->modifiers() & ~Qt::KeypadModifier) != Qt::NoModifier)
        return 0;
    switch (event->key()) {
    case Qt::Key_Left:
    case Qt::Key_J: return -1;
    case Qt::Key_Right:
    case Qt::Key_K: return +1;
    default: return 0;
    }
}

void SampleInspector::keyPressEvent(QKeyEvent *event)
{
    if (const int step = stepFor(event)) {
        emit stepRequested(step);
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

bool SampleInspector::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_tree && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (const int step = stepFor(key)) {
            emit stepRequested(step);
            return true;
        }
        if (key->matches(QKeySequence::Copy) && m_tree->currentItem()) {
            const QTreeWidgetItem *item = m_tree->currentItem();
            const QString value = item->text(1);
            QApplication::clipboard()->setText(
                value.isEmpty() ? item->text(0)
                                : QStringLiteral("%1: %2").arg(item->text(0), value));
            return true;
        }
    } else if (watched == m_path && event->type() == QEvent::Resize) {
        elidePath();
    } else if (watched == m_legend && event->type() == QEvent::Resize) {
        fitLegendHeight();
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace assay::ui
