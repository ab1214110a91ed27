#include "duplicateresolutions.h"

#include "editing/editcontroller.h"
#include "editing/sampleeditactions.h"

#include "edit/commands.h"
#include "store/project.h"

#include <QCoreApplication>
#include <QMap>
#include <QMenu>

#include <algorithm>

namespace assay::ui {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("DuplicateResolutions", text, nullptr, n);
}

std::vector<std::int64_t> memberIds(const analysis::StoredDuplicateCluster &cluster)
{
    std::vector<std::int64_t> ids;
    for (const analysis::StoredDuplicateMember &member : cluster.members)
        ids.push_back(member.sampleId);
    std::sort(ids.begin(), ids.end());
    return ids;
}

// Labels that are class names, with how many members have each, most first (ties: the
// representative's, then in member order).
std::vector<std::pair<QString, int>> labelCounts(const analysis::StoredDuplicateCluster &cluster,
                                                 const QStringList &classes)
{
    std::vector<std::pair<QString, int>> counts;
    for (const analysis::StoredDuplicateMember &member : cluster.members) {
        if (!classes.contains(member.label))
            continue;
        auto found = std::find_if(counts.begin(), counts.end(),
                                  [&](const auto &entry) { return entry.first == member.label; });
        if (found == counts.end())
            counts.emplace_back(member.label, 1);
        else
            ++found->second;
    }
    // Stable: equal counts keep member order, and the representative comes first.
    std::stable_sort(counts.begin(), counts.end(),
                     [](const auto &a, const auto &b) { return a.second > b.second; });
    return counts;
}

void keepRepresentative(const analysis::StoredDuplicateCluster &cluster, SampleEditActions *edits)
{
    EditController *controller = edits->controller();
    store::Project *project = controller->project();
    if (!project)
        return;
    std::vector<std::int64_t> others;
    std::int64_t keep = 0;
    QString keptPath;
    for (const analysis::StoredDuplicateMember &member : cluster.members) {
        if (member.representative && keep == 0) {
            keep = member.sampleId;
            keptPath = member.path;
        } else {
            others.push_back(member.sampleId);
        }
    }
    if (keep == 0 || others.empty())
        return;
    std::sort(others.begin(), others.end());
    edit::EditBatch batch = edit::setExcluded(project->db(), others, true);
    edit::EditBatch include = edit::setExcluded(project->db(), {keep}, false);
    batch.changes.insert(batch.changes.end(), include.changes.begin(), include.changes.end());
    batch.text = tr("Keep %1, exclude %n copy(ies)", int(others.size())).arg(keptPath);
    controller->apply(std::move(batch));
}

} // namespace

QString majorityLabel(const analysis::StoredDuplicateCluster &cluster)
{
    QStringList labels;
    for (const analysis::StoredDuplicateMember &member : cluster.members) {
        if (!member.label.isEmpty())
            labels << member.label;
    }
    const auto counts = labelCounts(cluster, labels);
    return counts.empty() ? QString() : counts.front().first;
}

void fillResolutionMenu(QMenu *menu, const analysis::StoredDuplicateCluster &cluster,
                        SampleEditActions *edits)
{
    const bool editable = edits->controller()->isEditable();
    const int n = int(cluster.members.size());
    QAction *keep = menu->addAction(tr("&Keep the Representative, Exclude the Other %n", n - 1));
    keep->setObjectName(QStringLiteral("keepRepresentative"));
    keep->setToolTip(tr("Excluded samples stay in the project and are left out of exports"));
    keep->setEnabled(editable && n > 1);
    QObject::connect(keep, &QAction::triggered, edits,
                     [cluster, edits] { keepRepresentative(cluster, edits); });

    QAction *move = menu->addAction(tr("&Move All %n to One Split…", n));
    move->setObjectName(QStringLiteral("moveAllToSplit"));
    move->setEnabled(editable);
    const std::vector<std::int64_t> ids = memberIds(cluster);
    QObject::connect(move, &QAction::triggered, edits, [ids, edits] { edits->moveToSplit(ids); });

    const auto counts = labelCounts(cluster, edits->classNames());
    if (counts.size() > 1 || cluster.conflict) {
        menu->addSeparator();
        for (size_t i = 0; i < counts.size(); ++i) {
            const auto &[label, count] = counts[i];
            const bool majority = i == 0 && (counts.size() == 1 || count > counts[1].second);
            const QString text = majority ? tr("Apply the Majority Label \u201c%1\u201d (%2 of %3)")
                                          : tr("Apply the Label \u201c%1\u201d (%2 of %3)");
            QAction *apply = menu->addAction(text.arg(label).arg(count).arg(n));
            apply->setObjectName(majority ? QStringLiteral("applyMajorityLabel")
                                          : QStringLiteral("applyLabel:") + label);
            apply->setEnabled(editable);
            QObject::connect(apply, &QAction::triggered, edits,
                             [ids, edits, label] { edits->setClass(ids, label); });
        }
    }
}

} // namespace assay::ui
