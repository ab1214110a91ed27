#pragma once

#include "edit/editsession.h"
#include "model/annotation.h"

#include <QHash>
#include <QImage>
#include <QWidget>

#include <cstdint>
#include <vector>

class QLabel;

namespace assay::ui {

class EditController;
class ImageViewer;
class ReviewImages;
class SampleEditActions;
class ThumbnailProvider;

// Review mode: one large image at a time, with its annotations, going through a fixed list of
// samples (the filtered set when review began). Keys: 1–9 set the class (in the legend's
// order: the project's) and advance; C or / opens a searchable class picker; Space marks
// reviewed and advances; X excludes and advances (on an excluded sample: includes it);
// arrows, Page Up/Down, J/K, Home/End move; Esc leaves. Undo and redo are the window's
// (Ctrl+Z, Ctrl+Shift+Z); an undo goes back to the sample it changed. The next images are
// decoded ahead of time; a sample whose full image is not decoded yet shows its thumbnail
// stretched to the image's size at once (annotations where they belong), and the full image
// replaces it when its decode ends — never another sample's image in the meantime.
class ReviewView : public QWidget
{
    Q_OBJECT
public:
    ReviewView(EditController *edits, SampleEditActions *actions, QWidget *parent = nullptr);
    ~ReviewView() override;

    // The grid's thumbnails, used as stand-ins while full images decode.
    void setThumbnails(ThumbnailProvider *thumbnails);

    // Starts on `samples` (in this order) at `position`; the dataset root resolves paths.
    void start(std::vector<std::int64_t> samples, size_t position, const QString &datasetRoot);
    void stop();

    std::int64_t currentSampleId() const;
    size_t position() const { return m_position; }
    size_t count() const { return m_samples.size(); }
    void setPosition(size_t position);
    void step(int delta);

    QString headerText() const; // "37 / 1,204 — Shirt · reviewed · excluded"
    ImageViewer *viewer() const { return m_viewer; }
    ReviewImages *images() const { return m_images; }
    // The sample the viewer shows (its picture, or why it has none; 0: nothing yet), and whether
    // that is the full image (or its error) rather than a stand-in.
    std::int64_t shownSampleId() const { return m_shownSample; }
    bool showsFullImage() const { return m_shownFull; }

signals:
    void leaveRequested();
    // Something of the sample is on screen: its full image or its stand-in.
    void imageShown(qint64 sampleId);
    void fullImageShown(qint64 sampleId);
    void currentSampleChanged(qint64 sampleId);

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    bool handlesKey(const QKeyEvent *event) const;
    void showCurrent();
    void refreshState();
    void fillLegend();
    void onSamplesChanged(const edit::ChangeEvent &event);
    void showFull(std::int64_t sampleId, const QImage &image, const QString &error);
    void showPreview(std::int64_t sampleId);
    void onFullReady(qint64 sampleId, const QImage &image, const QString &error);
    void onPreviewReady(qint64 sampleId);
    void setShown(std::int64_t sampleId, bool full);
    void setClassByKey(int key);

    EditController *m_edits;
    SampleEditActions *m_actions;
    ImageViewer *m_viewer;
    QLabel *m_counter; // "37 / 1,204"
    QLabel *m_state;
    QLabel *m_path;
    QLabel *m_legend;
    QLabel *m_keys;
    QLabel *m_loadingHint; // "loading full resolution…" over a stand-in
    ReviewImages *m_images;
    QStringList m_classes;
    std::vector<std::int64_t> m_samples;
    QHash<std::int64_t, size_t> m_positionOf;
    size_t m_position = 0;
    std::vector<Annotation> m_annotations;
    QString m_stateText; // the header's state as plain text
    bool m_reviewed = false;
    bool m_excluded = false;
    std::int64_t m_shownSample = 0;
    bool m_shownFull = false;
};

} // namespace assay::ui
