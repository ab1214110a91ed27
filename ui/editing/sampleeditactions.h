#pragma once

#include <QObject>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <vector>

class QMenu;
class QWidget;

namespace assay::ui {

class EditController;

// The edits a person makes on a set of samples — from the grid's context menu, the review mode,
// the duplicates panel — each applied through the EditController as one undo step. The ones
// that need an answer (which class, tag or split) ask it (editprompts.h). Each returns whether
// something was changed; refusals are reported by the controller.
class SampleEditActions : public QObject
{
    Q_OBJECT
public:
    using Ids = std::vector<std::int64_t>;

    SampleEditActions(EditController *edits, QWidget *dialogParent);

    EditController *controller() const { return m_edits; }
    // The project's classes in its order (the review mode's keys 1–9 follow it).
    QStringList classNames() const;

    bool chooseClass(const Ids &ids);
    bool setClass(const Ids &ids, const QString &className);
    bool addTag(const Ids &ids); // asks which
    bool setTag(const Ids &ids, const QString &tag, bool on);
    bool setExcluded(const Ids &ids, bool on);
    bool setReviewed(const Ids &ids, bool on);
    bool moveToSplit(const Ids &ids); // asks which (a new name creates the split)
    bool moveToSplit(const Ids &ids, const QString &split);

    // Adds the actions to `menu`, for the samples `ids()` returns when one is chosen; `tags`
    // (the project's) are offered for removal.
    void addTo(QMenu *menu, std::function<Ids()> ids, const QStringList &tags);

private:
    EditController *m_edits;
    QWidget *m_parent;
};

} // namespace assay::ui
