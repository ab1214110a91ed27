#include "sampleeditactions.h"

#include "editcontroller.h"
#include "editprompts.h"

#include "edit/commands.h"
#include "store/names.h"
#include "store/project.h"
#include "util/error.h"

#include <QMenu>

namespace assay::ui {

SampleEditActions::SampleEditActions(EditController *edits, QWidget *dialogParent)
    : QObject(dialogParent), m_edits(edits), m_parent(dialogParent)
{}

QStringList SampleEditActions::classNames() const
{
    QStringList names;
    if (store::Project *project = m_edits->project())
        store::loadCategoryNames(project->db(), names);
    return names;
}

bool SampleEditActions::chooseClass(const Ids &ids)
{
    if (ids.empty() || !m_edits->project())
        return false;
    const QString name = askClass(m_parent, classNames(),
                                  tr("Set the class of %n sample(s)", nullptr, int(ids.size())));
    return !name.isEmpty() && setClass(ids, name);
}

bool SampleEditActions::setClass(const Ids &ids, const QString &className)
{
    store::Project *project = m_edits->project();
    if (ids.empty() || !project)
        return false;
    const std::int64_t category = edit::findCategory(project->db(), className);
    if (category == 0) {
        emit m_edits->failed(
            tr("%1 has no class named \u201c%2\u201d.").arg(project->path(), className));
        return false;
    }
    return m_edits->apply(edit::setSampleClass(project->db(), ids, category));
}

bool SampleEditActions::addTag(const Ids &ids)
{
    store::Project *project = m_edits->project();
    if (ids.empty() || !project)
        return false;
    QStringList tags;
    store::Statement query(project->db(), "SELECT name FROM tags ORDER BY name");
    while (query.step())
        tags << query.text(0);
    const QString tag = askName(m_parent, tr("Add a tag"),
                                tr("Tag for %n sample(s):", nullptr, int(ids.size())), tags);
    return !tag.isEmpty() && setTag(ids, tag, true);
}

bool SampleEditActions::setTag(const Ids &ids, const QString &tag, bool on)
{
    store::Project *project = m_edits->project();
    return !ids.empty() && project && m_edits->apply(edit::setTag(project->db(), ids, tag, on));
}

bool SampleEditActions::setExcluded(const Ids &ids, bool on)
{
    store::Project *project = m_edits->project();
    return !ids.empty() && project && m_edits->apply(edit::setExcluded(project->db(), ids, on));
}

bool SampleEditActions::setReviewed(const Ids &ids, bool on)
{
    store::Project *project = m_edits->project();
    return !ids.empty() && project && m_edits->apply(edit::setReviewed(project->db(), ids, on));
}

bool SampleEditActions::moveToSplit(const Ids &ids)
{
    store::Project *project = m_edits->project();
    if (ids.empty() || !project)
        return false;
    QStringList splits;
    store::loadSplitNames(project->db(), splits);
    const QString split = askName(
        m_parent, tr("Move to split"),
        tr("Split for %n sample(s) (a new name creates it):", nullptr, int(ids.size())), splits);
    return !split.isEmpty() && moveToSplit(ids, split);
}

bool SampleEditActions::moveToSplit(const Ids &ids, const QString &split)
{
    store::Project *project = m_edits->project();
    if (ids.empty() || !project)
        return false;
    if (!m_edits->isEditable())
        return m_edits->apply(edit::EditBatch()); // refused: says why (read-only)
    try {
        const std::int64_t splitId = edit::ensureSplit(project->db(), split);
        return m_edits->apply(edit::moveToSplit(project->db(), ids, splitId));
    } catch (const Error &error) {
        emit m_edits->failed(error.message());
        return false;
    }
}

void SampleEditActions::addTo(QMenu *menu, std::function<Ids()> ids, const QStringList &tags)
{
    const bool editable = m_edits->isEditable();
    auto add = [&](const QString &text, const QString &name, std::function<void(const Ids &)> f) {
        QAction *action = menu->addAction(text, this, [ids, f] { f(ids()); });
        action->setObjectName(name);
        action->setEnabled(editable);
        return action;
    };
    add(tr("Set &Class…"), QStringLiteral("setClass"), [this](const Ids &s) { chooseClass(s); });
    menu->addSeparator();
    add(tr("Add &Tag…"), QStringLiteral("addTag"), [this](const Ids &s) { addTag(s); });
    if (!tags.isEmpty()) {
        QMenu *remove = menu->addMenu(tr("&Remove Tag"));
        remove->setEnabled(editable);
        for (const QString &tag : tags) {
            QAction *action =
                remove->addAction(tag, this, [this, ids, tag] { setTag(ids(), tag, false); });
            action->setObjectName(QStringLiteral("removeTag:") + tag);
        }
    }
    menu->addSeparator();
    add(tr("&Exclude"), QStringLiteral("exclude"), [this](const Ids &s) { setExcluded(s, true); });
    add(tr("&Include"), QStringLiteral("include"), [this](const Ids &s) { setExcluded(s, false); });
    add(tr("Mark Re&viewed"), QStringLiteral("markReviewed"),
        [this](const Ids &s) { setReviewed(s, true); });
    add(tr("Mark &Not Reviewed"), QStringLiteral("markNotReviewed"),
        [this](const Ids &s) { setReviewed(s, false); });
    menu->addSeparator();
    add(tr("&Move to Split…"), QStringLiteral("moveToSplit"),
        [this](const Ids &s) { moveToSplit(s); });
}

} // namespace assay::ui
