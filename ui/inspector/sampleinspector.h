#pragma once

#include "store/sampledetails.h"

#include <QString>
#include <QWidget>

#include <atomic>
#include <memory>

class QHBoxLayout;
class QLabel;
class QScrollArea;
class QSplitter;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace assay::ui {

class BoxEditBar;
class BoxEditor;
class EditController;
class ImageViewer;

// The right-hand view of the main window: one sample large (the image with its annotations)
// above a compact info area — the header (path, class, split), a legend of the classes present
// with a checkbox each, and the sample's issues, features and attributes.
// The image is loaded off the UI thread; a result for a sample no longer shown is dropped.
// Keys (with focus in the inspector): Left/J and Right/K ask to step to the previous/next
// sample; the viewer's own keys (F, 0, +, -) zoom.
// With an EditController, boxes are edited in the viewer (BoxEditor, BoxEditBar). Showing the
// sample already shown again (after an edit) keeps the image, its zoom and the selection and
// replaces only the annotations and the info.
class SampleInspector : public QWidget
{
    Q_OBJECT
public:
    explicit SampleInspector(QWidget *parent = nullptr);
    ~SampleInspector() override;

    // `datasetRoot` is the project's dataset root (record.path is relative to it).
    void showSample(const store::SampleDetails &details, const QString &datasetRoot);
    void clear();

    // Box editing through `controller` (nullptr: none, the default).
    void setEditController(EditController *controller);
    // Selects the object in the viewer once the sample is shown (now, if it is).
    void selectAnnotationWhenShown(qint64 sampleId, qint64 annotationId);

    qint64 currentSampleId() const { return m_sampleId; } // 0 when nothing is shown
    ImageViewer *viewer() const { return m_viewer; }
    BoxEditor *boxEditor() const { return m_boxEditor; }
    BoxEditBar *editBar() const { return m_editBar; }
    QTreeWidget *infoTree() const { return m_tree; }
    // The header as plain text: "path#member — class · split".
    QString headerText() const;

signals:
    void imageShown(qint64 sampleId);
    void imageFailed(qint64 sampleId, const QString &error);
    void stepRequested(int delta);
    void editFailed(const QString &message); // a box edit could not be made

protected:
    void keyPressEvent(QKeyEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fillHeader(const store::SampleDetails &details);
    void fillLegend(const std::vector<Annotation> &annotations);
    void elidePath();
    void fitLegendHeight();
    void fillTree(const store::SampleDetails &details);
    QTreeWidgetItem *addSection(const QString &title);
    void loadImage(const QString &root, const SampleRecord &record);
    // -1/+1 for the stepping keys, 0 for any other key.
    static int stepFor(const QKeyEvent *event);

    ImageViewer *m_viewer;
    BoxEditor *m_boxEditor;
    BoxEditBar *m_editBar;
    QSplitter *m_splitter;
    QLabel *m_path;
    QLabel *m_meta;
    QScrollArea *m_legend;
    QHBoxLayout *m_legendLayout;
    QTreeWidget *m_tree;
    QTimer *m_loadingDelay;
    QString m_pathText; // the header's path in full (the label elides it)
    std::vector<Annotation> m_annotations; // drawn once the image is there
    qint64 m_sampleId = 0;
    SampleRecord m_record; // of the sample shown: the same file again keeps the image
    qint64 m_pendingSample = 0;     // selectAnnotationWhenShown
    qint64 m_pendingAnnotation = 0;
    // Bumped for every sample shown; shared with the loading tasks, which skip stale work.
    std::shared_ptr<std::atomic<int>> m_generation;
};

} // namespace assay::ui
