#pragma once

#include "edit/editsession.h"
#include "model/annotation.h"

#include <QFutureWatcher>
#include <QHash>
#include <QImage>
#include <QWidget>

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

class QLabel;

namespace assay::ui {

class EditController;
class ImageViewer;
class SampleEditActions;
struct ViewerImage;

// Review mode: one large image at a time, with its annotations, going through a fixed list of
// samples (the filtered set when review began). Keys: 1–9 set the class (in the legend's
// order: the project's) and advance; C or / opens a searchable class picker; Space marks
// reviewed and advances; X excludes and advances (on an excluded sample: includes it);
// arrows, Page Up/Down, J/K, Home/End move; Esc leaves. Undo and redo are the window's
// (Ctrl+Z, Ctrl+Shift+Z); an undo goes back to the sample it changed. The next images are
// decoded ahead of time.
class ReviewView : public QWidget
{
    Q_OBJECT
public:
    ReviewView(EditController *edits, SampleEditActions *actions, QWidget *parent = nullptr);
    ~ReviewView() override;

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

signals:
    void leaveRequested();
    void imageShown(qint64 sampleId);
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
    void showImage(std::int64_t sampleId, const QImage &image, const QString &error);
    void prefetch();
    void request(std::int64_t sampleId);
    void setClassByKey(int key);

    EditController *m_edits;
    SampleEditActions *m_actions;
    ImageViewer *m_viewer;
    QLabel *m_counter; // "37 / 1,204"
    QLabel *m_state;
    QLabel *m_path;
    QLabel *m_legend;
    QLabel *m_keys;
    QStringList m_classes;
    QString m_root;
    std::vector<std::int64_t> m_samples;
    QHash<std::int64_t, size_t> m_positionOf;
    size_t m_position = 0;
    std::vector<Annotation> m_annotations;
    QString m_stateText; // the header's state as plain text
    bool m_reviewed = false;
    bool m_excluded = false;
    // Decoded images around the current one, and the loads under way.
    QHash<std::int64_t, QImage> m_cache;
    QHash<std::int64_t, QFutureWatcher<ViewerImage> *> m_loading;
    std::shared_ptr<std::atomic<int>> m_alive; // loads run while it is 0
};

} // namespace assay::ui
