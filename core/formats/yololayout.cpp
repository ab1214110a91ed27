// Finding a YOLO dataset's description: Ultralytics data.yaml, Darknet obj.data, or a bare tree.

#include "yololayout.h"

#include "planbuilder.h"
#include "yoloyaml.h"

#include "util/datasetpath.h"
#include "util/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace assay::formats::yolo {

namespace {

QByteArray readWhole(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    return file.readAll();
}

QString absoluteClean(const QString &path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

QString joined(const QString &base, const QString &path)
{
    if (QDir::isAbsolutePath(path))
        return QDir::cleanPath(path);
    return QDir::cleanPath(base + u'/' + path);
}

// A data.yaml or obj.data path entry that names a folder or a list file.
void addSource(Layout &layout, const QString &split, const QString &path, const QString &origin,
               const QString &spelled)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        layout.skipped.push_back(
            {spelled, QStringLiteral("%1: %2: no such folder or file").arg(origin, split)});
        return;
    }
    SplitSource source;
    source.split = split;
    source.path = path;
    source.list = !info.isDir();
    source.origin = origin;
    layout.sources.push_back(std::move(source));
}

Layout ultralytics(const QString &yamlPath, const ReadOptions &options)
{
    const QString fileName = QFileInfo(yamlPath).fileName();
    const QByteArray text = readWhole(yamlPath);
    const yaml::Node top =
        yaml::parse(std::string_view(text.constData(), size_t(text.size())), fileName);
    if (!top.isMap())
        throw Error(QStringLiteral("%1: expected a mapping with names and train/val entries")
                        .arg(fileName));
    const QString yamlDir = QFileInfo(yamlPath).absolutePath();
    Layout layout;
    layout.config = absoluteClean(yamlPath);
    QString base = yamlDir;
    if (const yaml::Node *path = top.find(QStringLiteral("path")); path && !path->isNull()) {
        if (!path->isScalar())
            throw Error(
                QStringLiteral("%1:%2: path must be a folder").arg(fileName).arg(path->line));
        // A path written on another machine does not exist here: the yaml's folder stands in.
        const QString candidate = joined(yamlDir, path->text);
        if (QFileInfo(candidate).isDir())
            base = candidate;
    }
    layout.root = options.root.isEmpty() ? base : absoluteClean(options.root);

    for (const auto &[key, node] : top.entries) {
        if (key != u"train" && key != u"val" && key != u"valid" && key != u"test")
            continue;
        const QString origin = QStringLiteral("%1:%2").arg(fileName).arg(node.line);
        std::vector<const yaml::Node *> paths;
        if (node.isScalar())
            paths.push_back(&node);
        else if (node.isList())
            for (const yaml::Node &item : node.items)
                paths.push_back(&item);
        else if (node.isMap())
            throw Error(
                QStringLiteral("%1: %2 must be a path or a list of paths").arg(origin, key));
        for (const yaml::Node *path : paths) {
            if (!path->isScalar())
                throw Error(QStringLiteral("%1:%2: %3 must name a folder or a list file")
                                .arg(fileName)
                                .arg(path->line)
                                .arg(key));
            QString resolved = joined(base, path->text);
            // Ultralytics' own fallback for "../train/images" written next to the data.
            if (!QFileInfo::exists(resolved) && path->text.startsWith(u"../"))
                resolved = joined(base, path->text.mid(3));
            addSource(layout, key, resolved, origin, path->text);
        }
    }

    const yaml::Node *names = top.find(QStringLiteral("names"));
    if (names && names->isList()) {
        for (const yaml::Node &item : names->items) {
            if (!item.isScalar())
                throw Error(QStringLiteral("%1:%2: a class name must be a plain or quoted value")
                                .arg(fileName)
                                .arg(item.line));
            layout.names << item.text;
        }
        layout.namesKnown = true;
    } else if (names && names->isMap()) {
        std::vector<std::pair<int, QString>> byId;
        for (const auto &[key, value] : names->entries) {
            bool ok = false;
            const int id = key.toInt(&ok);
            if (!ok || id < 0 || id > 1000000)
                throw Error(QStringLiteral("%1:%2: '%3' is not a class id (0, 1, ...)")
                                .arg(fileName)
                                .arg(value.line)
                                .arg(key));
            if (!value.isScalar())
                throw Error(QStringLiteral("%1:%2: a class name must be a plain or quoted value")
                                .arg(fileName)
                                .arg(value.line));
            byId.emplace_back(id, value.text);
        }
        int count = 0;
        for (const auto &entry : byId)
            count = std::max(count, entry.first + 1);
        for (int id = 0; id < count; ++id)
            layout.names << QString::number(id); // ids the mapping leaves out keep their number
        for (const auto &[id, name] : byId)
            layout.names[id] = name;
        layout.namesKnown = true;
    } else if (names && !names->isNull()) {
        throw Error(QStringLiteral("%1:%2: names must be a list or a mapping")
                        .arg(fileName)
                        .arg(names->line));
    }
    if (const yaml::Node *nc = top.find(QStringLiteral("nc")); nc && nc->isScalar()) {
        bool ok = false;
        const int count = nc->text.toInt(&ok);
        if (!ok || count < 0)
            throw Error(QStringLiteral("%1:%2: nc must be a number of classes")
                            .arg(fileName)
                            .arg(nc->line));
        if (layout.namesKnown && count != layout.names.size())
            throw Error(QStringLiteral("%1:%2: nc is %3 but names lists %4 classes")
                            .arg(fileName)
                            .arg(nc->line)
                            .arg(count)
                            .arg(layout.names.size()));
        if (!layout.namesKnown) {
            for (int id = 0; id < count; ++id)
                layout.names << QString::number(id);
            layout.namesKnown = true;
        }
    }
    if (layout.sources.empty())
        throw Error(QStringLiteral("%1: no train, val or test entry names an existing folder or "
                                   "list file")
                        .arg(fileName));
    return layout;
}

QStringList readNames(const QString &path)
{
    QStringList names = QString::fromUtf8(readWhole(path)).split(u'\n');
    for (QString &name : names)
        name = name.trimmed();
    while (!names.isEmpty() && names.back().isEmpty())
        names.removeLast();
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (names[i].isEmpty())
            names[i] = QString::number(i);
    }
    return names;
}

Layout darknet(const QString &dataPath, const ReadOptions &options)
{
    const QString fileName = QFileInfo(dataPath).fileName();
    const QString dataDir = QFileInfo(dataPath).absolutePath();
    const QString parentDir = QDir::cleanPath(dataDir + QStringLiteral("/.."));
    const QStringList lines = QString::fromUtf8(readWhole(dataPath)).split(u'\n');
    Layout layout;
    layout.darknet = true;
    layout.config = absoluteClean(dataPath);
    bool viaParent = false;
    QString namesFile;
    struct Entry
    {
        QString key, value, origin;
    };
    std::vector<Entry> entries;
    // Darknet resolves these paths against its working folder: usually the obj.data folder or
    // its parent (data/obj.data naming data/train.txt).
    auto resolve = [&](const QString &value) {
        const QString here = joined(dataDir, value);
        if (QFileInfo::exists(here) || QDir::isAbsolutePath(value))
            return here;
        const QString above = joined(parentDir, value);
        if (QFileInfo::exists(above)) {
            viaParent = true;
            return above;
        }
        return here;
    };
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const qsizetype equals = line.indexOf(u'=');
        const QString origin = QStringLiteral("%1:%2").arg(fileName).arg(i + 1);
        if (equals <= 0)
            throw Error(QStringLiteral("%1: expected 'key = value'").arg(origin));
        const QString key = line.left(equals).trimmed().toLower();
        const QString value = line.mid(equals + 1).trimmed();
        if (key == u"names") {
            namesFile = resolve(value);
            if (!QFileInfo(namesFile).isFile())
                throw Error(QStringLiteral("%1: names file %2 does not exist").arg(origin, value));
        } else if (key == u"train" || key == u"valid" || key == u"val" || key == u"test") {
            entries.push_back({key, value, origin});
        }
    }
    if (namesFile.isEmpty() && QFileInfo(dataDir + QStringLiteral("/obj.names")).isFile())
        namesFile = dataDir + QStringLiteral("/obj.names");
    for (const Entry &entry : entries)
        addSource(layout, entry.key, resolve(entry.value), entry.origin, entry.value);
    if (!namesFile.isEmpty()) {
        layout.names = readNames(namesFile);
        layout.namesKnown = true;
    }
    if (layout.sources.empty())
        throw Error(QStringLiteral("%1: no train, valid or test entry names an existing list file")
                        .arg(fileName));
    layout.root =
        !options.root.isEmpty() ? absoluteClean(options.root) : (viaParent ? parentDir : dataDir);
    return layout;
}

// images/<split>/... beside labels/<split>/..., no description.
Layout bareTree(const QString &folder, const ReadOptions &options)
{
    Layout layout;
    layout.root = options.root.isEmpty() ? folder : absoluteClean(options.root);
    const QDir images(folder + QStringLiteral("/images"));
    QStringList splits = images.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(splits.begin(), splits.end(), splitNameLess);
    for (const QString &split : splits)
        layout.sources.push_back({split, images.filePath(split), false, true, QString()});
    // Images directly in images/ belong to no split.
    layout.sources.push_back({QString(), images.path(), false, false, QString()});
    return layout;
}

} // namespace

QString shownPath(const QString &root, const QString &absolutePath)
{
    const auto relative = datasetpath::relativeInsideRoot(root, absolutePath);
    return relative ? *relative : absolutePath;
}

Layout findLayout(const QString &source, const ReadOptions &options)
{
    const QFileInfo info(source);
    if (!info.exists())
        throw Error(QStringLiteral("%1 does not exist").arg(source));
    const QString path = absoluteClean(source);
    if (!info.isDir()) {
        const QString suffix = info.suffix().toLower();
        if (suffix == u"yaml" || suffix == u"yml")
            return ultralytics(path, options);
        if (suffix == u"data")
            return darknet(path, options);
        throw Error(QStringLiteral("%1: a YOLO dataset is a folder, a data.yaml or an obj.data "
                                   "file")
                        .arg(source));
    }
    const QDir dir(path);
    for (const char *name : {"data.yaml", "data.yml"}) {
        if (dir.exists(QString::fromLatin1(name)))
            return ultralytics(dir.filePath(QString::fromLatin1(name)), options);
    }
    if (dir.exists(QStringLiteral("obj.data")))
        return darknet(dir.filePath(QStringLiteral("obj.data")), options);
    const QStringList yamls =
        dir.entryList({QStringLiteral("*.yaml"), QStringLiteral("*.yml")}, QDir::Files);
    if (yamls.size() == 1)
        return ultralytics(dir.filePath(yamls.front()), options);
    if (QFileInfo(dir.filePath(QStringLiteral("images"))).isDir())
        return bareTree(path, options);
    throw Error(QStringLiteral("%1 holds no data.yaml, obj.data or images/ folder: not a YOLO "
                               "dataset")
                    .arg(source));
}

} // namespace assay::formats::yolo
