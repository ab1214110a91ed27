// YOLO: Ultralytics (data.yaml; images/<split> beside labels/<split>) and Darknet (obj.data,
// obj.names, image lists). One label file per image, one object per line, normalised to [0, 1]:
// "class cx cy w h" (a box) or "class x1 y1 x2 y2 x3 y3 ..." (a polygon).

#include "datasetreader.h"
#include "text.h"
#include "imagetypes.h"
#include "planbuilder.h"
#include "yololabels.h"
#include "yololayout.h"

#include "jobs/progress.h"
#include "util/datasetpath.h"
#include "util/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <unordered_set>

namespace fs = std::filesystem;

namespace assay::formats {

namespace {

using yolo::ItemResult;
using yolo::LabelState;

struct Collector
{
    ImportPlan &plan;
    jobs::Progress &progress;
    std::unordered_set<std::string> seen;

    void add(std::string path, int split, const QString &origin)
    {
        if (!hasImageExtension(std::string_view(path))) {
            plan.skipped.push_back(
                {fromUtf8(path), origin.isEmpty() ? QStringLiteral("not an image")
                                                  : origin + QStringLiteral(": not an image")});
            return;
        }
        if (!seen.insert(path).second) {
            const QString where = origin.isEmpty() ? QString() : origin + QStringLiteral(": ");
            plan.skipped.push_back({fromUtf8(path), where + QStringLiteral("listed again")});
            return;
        }
        ImportItem item;
        item.path = std::move(path);
        item.split = split;
        plan.items.push_back(std::move(item));
        progress.advance();
        if ((plan.items.size() & 1023) == 0)
            jobs::throwIfCanceled(progress);
    }
};

void listFolder(const yolo::SplitSource &source, int split, Collector &collector)
{
    const ImportPlan &plan = collector.plan;
    std::string prefix;
    if (QDir::cleanPath(source.path) != plan.root) {
        const auto relative = datasetpath::relativeInsideRoot(plan.root, source.path);
        if (!relative) {
            collector.plan.refused.push_back(
                {source.path, QStringLiteral("%1: outside the dataset root").arg(source.origin)});
            return;
        }
        prefix = relative->toStdString() + '/';
    }
    const fs::path folder(QFile::encodeName(source.path).toStdString());
    std::vector<std::string> names;
    std::error_code ec;
    auto take = [&](const fs::directory_entry &entry) {
        if (!entry.is_regular_file(ec))
            return;
        names.push_back(prefix + entry.path().lexically_relative(folder).generic_string());
    };
    if (source.recursive) {
        fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied,
                                            ec);
        for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (it->path().filename().string().starts_with('.')) {
                it.disable_recursion_pending();
                continue;
            }
            take(*it);
        }
    } else {
        for (fs::directory_iterator it(folder, ec); !ec && it != fs::directory_iterator();
             it.increment(ec)) {
            if (!it->path().filename().string().starts_with('.'))
                take(*it);
        }
    }
    if (ec)
        throw Error(QStringLiteral("cannot list %1: %2")
                        .arg(source.path, QString::fromStdString(ec.message())));
    std::sort(names.begin(), names.end());
    for (std::string &name : names)
        collector.add(std::move(name), split, QString());
}

void listFile(const yolo::SplitSource &source, int split, Collector &collector)
{
    const QString root = collector.plan.root;
    const QString shown = yolo::shownPath(root, source.path);
    const QString listDir = QFileInfo(source.path).absolutePath();
    const bool atRoot = QDir::cleanPath(listDir) == root;
    const std::string rootPrefix = QFile::encodeName(root).toStdString() + '/';
    QFile file(source.path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("cannot read %1: %2").arg(source.path, file.errorString()));
    const QByteArray data = file.readAll();
    std::string_view rest(data.constData(), size_t(data.size()));
    int line = 0;
    while (!rest.empty()) {
        ++line;
        const size_t end = rest.find('\n');
        std::string_view entry = trimmed(rest.substr(0, end));
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
        if (entry.empty() || entry.front() == '#')
            continue;
        const QString origin = QStringLiteral("%1:%2").arg(shown).arg(line);
        const bool dotted = entry.starts_with("./");
        while (entry.starts_with("./"))
            entry.remove_prefix(2);
        if (atRoot && isPlainRelative(entry)) {
            collector.add(std::string(entry), split, origin);
            continue;
        }
        // Relative to the list's folder ("./x" always); else to the root when only it exists.
        const QString spelled = fromUtf8(entry);
        std::optional<QString> relative = datasetpath::relativeInsideRoot(
            root, QDir::isAbsolutePath(spelled) ? spelled : listDir + u'/' + spelled);
        if (!dotted && !atRoot && !QDir::isAbsolutePath(spelled)) {
            struct stat info {};
            const bool here =
                relative && ::stat((rootPrefix + relative->toStdString()).c_str(), &info) == 0;
            const auto fromRoot = datasetpath::relativeInsideRoot(root, spelled);
            if (!here && fromRoot &&
                ::stat((rootPrefix + fromRoot->toStdString()).c_str(), &info) == 0)
                relative = fromRoot;
        }
        if (!relative) {
            collector.plan.refused.push_back(
                {spelled, QStringLiteral("%1: %2").arg(origin, datasetpath::refusalReason(spelled))});
            continue;
        }
        collector.add(relative->toStdString(), split, origin);
    }
}

} // namespace

ImportPlan readYolo(const QString &source, const ReadOptions &options, jobs::Progress &progress)
{
    progress.setPhase(QStringLiteral("Reading the YOLO description"));
    const yolo::Layout layout = yolo::findLayout(source, options);
    ImportPlan plan;
    plan.format = QStringLiteral("yolo");
    plan.root = QDir::cleanPath(layout.root);
    plan.source = QFileInfo(source).absoluteFilePath();
    plan.labelSource = QStringLiteral("YOLO label files");
    plan.skipped = layout.skipped;

    progress.setPhase(QStringLiteral("Listing images"));
    PlanBuilder builder;
    Collector collector{plan, progress, {}};
    for (const yolo::SplitSource &split : layout.sources) {
        const int index =
            split.split.isEmpty() ? -1 : builder.splitIndex(split.split.toStdString());
        if (split.list)
            listFile(split, index, collector);
        else
            listFolder(split, index, collector);
    }
    std::unordered_set<std::string>().swap(collector.seen);
    if (plan.items.empty())
        throw Error(QStringLiteral("%1: no images found (%2 entries skipped, %3 refused)")
                        .arg(source)
                        .arg(plan.skipped.size())
                        .arg(plan.refused.size()));

    progress.setPhase(QStringLiteral("Reading labels"));
    progress.setTotal(std::int64_t(plan.items.size()));
    progress.setDone(0);
    std::vector<ItemResult> results(plan.items.size());
    yolo::readLabels(plan.root, plan.items, results, progress);

    // Class names: the description's, else the ids seen ("0", "1", ... up to the highest).
    QStringList names = layout.names;
    if (!layout.namesKnown) {
        int highest = -1;
        for (const ItemResult &result : results)
            for (const ImportAnnotation &annotation : result.annotations)
                highest = std::max(highest, std::min(annotation.category, 9999));
        for (int id = 0; id <= highest; ++id)
            names << QString::number(id);
    }
    AttributeColumn state;
    state.name = QStringLiteral("yolo_labels");
    state.type = AttributeType::Text;
    state.origin = QStringLiteral("yolo");
    state.texts.reserve(results.size());
    size_t annotationCount = 0;
    for (const ItemResult &result : results)
        annotationCount += result.annotations.size();
    plan.annotations.reserve(annotationCount);
    for (size_t i = 0; i < results.size(); ++i) {
        ItemResult &result = results[i];
        state.texts.emplace_back(result.state == LabelState::Missing ? "missing"
                                 : result.state == LabelState::Empty ? "empty"
                                                                     : "present");
        if (!result.labelFile.empty())
            plan.sourceFiles.push_back({result.labelFile, result.labelSize, result.labelMtime});
        if (result.imageMissing)
            plan.skipped.push_back({fromUtf8(result.labelFile),
                                    QStringLiteral("the image %1 is missing: its objects are "
                                                   "not imported")
                                        .arg(fromUtf8(plan.items[i].path))});
        for (ImportAnnotation &annotation : result.annotations) {
            if (annotation.category >= names.size()) {
                plan.skipped.push_back({fromUtf8(result.labelFile),
                                        QStringLiteral("line %1: class id %2 has no name (%3 "
                                                       "names)")
                                            .arg(annotation.sourceIndex)
                                            .arg(annotation.category)
                                            .arg(names.size())});
                // Kept with the object, so the checks (and an export) still have it.
                annotation.extra = "{\"class_id\": " + std::to_string(annotation.category) + "}";
                annotation.category = -1;
            }
            annotation.item = i;
            plan.annotations.push_back(std::move(annotation));
        }
        std::vector<ImportAnnotation>().swap(result.annotations);
    }
    plan.attributes.push_back(std::move(state));
    builder.finish(plan);
    plan.categories = names;
    return plan;
}

} // namespace assay::formats
