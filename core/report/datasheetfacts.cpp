#include "datasheetfacts.h"

#include "assay/version.h"
#include "edit/journalquery.h"
#include "formats/datasetreader.h"
#include "formats/idxfile.h"
#include "scanreport.h"
#include "store/project.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QMap>
#include <QSet>

#include <algorithm>

namespace assay::report {

namespace {

QString extensionOf(const QString &path)
{
    const int slash = path.lastIndexOf(u'/');
    const int dot = path.lastIndexOf(u'.');
    return dot > slash ? path.mid(dot + 1).toLower() : QString();
}

QJsonObject rangeJson(std::vector<std::int64_t> &values)
{
    if (values.empty())
        return {};
    std::sort(values.begin(), values.end());
    return {{QStringLiteral("min"), qint64(values.front())},
            {QStringLiteral("median"), qint64(values[values.size() / 2])},
            {QStringLiteral("max"), qint64(values.back())}};
}

void addImageFacts(store::Database &db, QJsonObject &facts)
{
    QMap<QString, std::int64_t> formats, channels, sizes;
    std::vector<std::int64_t> widths, heights;
    store::Statement rows(db, "SELECT s.path, f.real_type, f.width, f.height, f.channels "
                              "FROM samples s LEFT JOIN features f ON f.sample_id = s.id "
                              "WHERE s.status = 0");
    while (rows.step()) {
        QString type = rows.isNull(1) ? QString() : rows.text(1).toLower();
        if (type.isEmpty())
            type = extensionOf(rows.text(0));
        ++formats[type.isEmpty() ? QStringLiteral("(unknown)") : type];
        if (!rows.isNull(2) && rows.int64(2) > 0) {
            widths.push_back(rows.int64(2));
            heights.push_back(rows.int64(3));
            ++sizes[QStringLiteral("%1x%2").arg(rows.int64(2)).arg(rows.int64(3))];
            ++channels[QString::number(rows.int64(4))];
        }
    }
    QJsonObject formatJson, mimeJson, channelJson;
    for (auto it = formats.cbegin(); it != formats.cend(); ++it) {
        formatJson[it.key()] = qint64(it.value());
        const QString mime = mimeTypeFor(it.key());
        mimeJson[mime] = mimeJson[mime].toInteger() + it.value();
    }
    for (auto it = channels.cbegin(); it != channels.cend(); ++it)
        channelJson[it.key()] = qint64(it.value());
    facts[QStringLiteral("formats")] = formatJson;
    facts[QStringLiteral("mime_types")] = mimeJson;
    facts[QStringLiteral("channels")] = channelJson;
    QString common;
    std::int64_t commonCount = 0;
    for (auto it = sizes.cbegin(); it != sizes.cend(); ++it)
        if (it.value() > commonCount) {
            common = it.key();
            commonCount = it.value();
        }
    const auto measured = qint64(widths.size());
    facts[QStringLiteral("image_sizes")] =
        QJsonObject{{QStringLiteral("width"), rangeJson(widths)},
                    {QStringLiteral("height"), rangeJson(heights)},
                    {QStringLiteral("common"), common},
                    {QStringLiteral("common_count"), qint64(commonCount)},
                    {QStringLiteral("distinct"), qint64(sizes.size())},
                    {QStringLiteral("measured"), measured}};
}

void addByteFacts(store::Database &db, QJsonObject &facts)
{
    QJsonObject perSplit;
    std::int64_t total = 0;
    store::Statement rows(db, "SELECT coalesce(sp.name, '(none)'), sum(s.size) FROM samples s "
                              "LEFT JOIN splits sp ON sp.id = s.split_id WHERE s.status = 0 "
                              "GROUP BY 1 ORDER BY 1");
    while (rows.step()) {
        perSplit[rows.text(0)] = qint64(rows.int64(1));
        total += rows.int64(1);
    }
    facts[QStringLiteral("bytes")] = qint64(total);
    facts[QStringLiteral("split_bytes")] = perSplit;
}

void addEditFacts(store::Database &db, QJsonObject &facts)
{
    const std::vector<edit::JournalEntry> journal = edit::loadJournal(db);
    QMap<QString, std::int64_t> fields;
    QSet<std::int64_t> batches, samples;
    for (const edit::JournalEntry &entry : journal) {
        ++fields[entry.field];
        batches.insert(entry.batch);
        if (entry.sampleId)
            samples.insert(entry.sampleId);
    }
    QJsonObject fieldJson;
    for (auto it = fields.cbegin(); it != fields.cend(); ++it)
        fieldJson[it.key()] = qint64(it.value());
    QJsonObject edits{{QStringLiteral("changes"), qint64(journal.size())},
                      {QStringLiteral("batches"), qint64(batches.size())},
                      {QStringLiteral("samples"), qint64(samples.size())},
                      {QStringLiteral("fields"), fieldJson}};
    if (!journal.empty()) {
        edits[QStringLiteral("first")] = journal.front().time;
        edits[QStringLiteral("last")] = journal.back().time;
    }
    facts[QStringLiteral("edits")] = edits;
    facts[QStringLiteral("excluded")] =
        qint64(db.queryInt("SELECT count(*) FROM samples WHERE excluded != 0 AND status = 0"));
    facts[QStringLiteral("reviewed")] =
        qint64(db.queryInt("SELECT count(*) FROM samples WHERE reviewed != 0 AND status = 0"));
    facts[QStringLiteral("predictions")] = qint64(db.queryInt("SELECT count(*) FROM predictions"));
}

// The path component (0-based) that equals the split (or class) name on every labelled sample,
// or -1; "depth": the number of components when every sample has the same.
void addLayoutFacts(store::Database &db, QJsonObject &facts)
{
    constexpr int maxDepth = 8;
    std::vector<bool> splitOk(maxDepth, true), classOk(maxDepth, true);
    int depth = -1;
    bool anySplit = false, anyClass = false, members = false;
    store::Statement rows(db, "SELECT s.path, s.member, sp.name, c.name FROM samples s "
                              "LEFT JOIN splits sp ON sp.id = s.split_id "
                              "LEFT JOIN categories c ON c.id = s.category_id WHERE s.status = 0");
    while (rows.step()) {
        const QStringList parts = rows.text(0).split(u'/');
        members = members || rows.int64(1) >= 0;
        depth = depth == -1 || depth == int(parts.size()) ? int(parts.size()) : -2;
        const bool hasSplit = !rows.isNull(2), hasClass = !rows.isNull(3);
        anySplit = anySplit || hasSplit;
        anyClass = anyClass || hasClass;
        for (int level = 0; level < maxDepth; ++level) {
            const bool inside = level < int(parts.size()) - 1; // folders only, not the file name
            if (hasSplit)
                splitOk[level] = splitOk[level] && inside && parts[level] == rows.text(2);
            else
                splitOk[level] = false;
            if (hasClass)
                classOk[level] = classOk[level] && inside && parts[level] == rows.text(3);
            else
                classOk[level] = false;
        }
    }
    auto first = [&](const std::vector<bool> &ok, bool any) {
        if (!any || members)
            return -1;
        const auto found = std::find(ok.begin(), ok.end(), true);
        return found == ok.end() ? -1 : int(found - ok.begin());
    };
    facts[QStringLiteral("path_layout")] =
        QJsonObject{{QStringLiteral("split_level"), first(splitOk, anySplit)},
                    {QStringLiteral("class_level"), first(classOk, anyClass)},
                    {QStringLiteral("depth"), depth < 0 ? -1 : depth},
                    {QStringLiteral("containers"), members}};
}

void addFileFacts(store::Project &project, QJsonObject &facts)
{
    store::Database &db = project.db();
    QJsonArray sources;
    store::Statement files(db, "SELECT path, size FROM source_files ORDER BY position");
    while (files.step())
        sources.append(QJsonObject{{QStringLiteral("path"), files.text(0)},
                                   {QStringLiteral("size"), qint64(files.int64(1))}});
    facts[QStringLiteral("source_files")] = sources;
    // Container files (IDX): their images, the one split they all belong to (none when edits
    // mixed them) and, for IDX images, the labels file the reader paired with them.
    QJsonArray containers;
    store::Statement packed(db, "SELECT s.path, count(*), min(sp.name), "
                                "count(DISTINCT coalesce(sp.name, '')) FROM samples s "
                                "LEFT JOIN splits sp ON sp.id = s.split_id "
                                "WHERE s.member >= 0 AND s.status = 0 GROUP BY s.path "
                                "ORDER BY s.path");
    const QDir root(project.datasetRoot());
    while (packed.step()) {
        const QString path = packed.text(0);
        const QFileInfo info(root.filePath(path));
        QJsonObject container{{QStringLiteral("path"), path},
                              {QStringLiteral("size"), qint64(info.size())},
                              {QStringLiteral("members"), qint64(packed.int64(1))}};
        if (packed.int64(3) == 1 && !packed.isNull(2))
            container[QStringLiteral("split")] = packed.text(2);
        const QString labels = formats::isIdxFileName(info.fileName())
                                   ? formats::idxLabelsFileFor(info.absolutePath(), info.fileName())
                                   : QString();
        if (!labels.isEmpty()) {
            const QString labelsPath = root.relativeFilePath(info.dir().filePath(labels));
            container[QStringLiteral("labels")] = labelsPath;
            container[QStringLiteral("labels_size")] =
                qint64(QFileInfo(root.filePath(labelsPath)).size());
        }
        containers.append(container);
    }
    facts[QStringLiteral("containers")] = containers;

    // A licence file at the dataset root, and the SPDX id its text names when it is a common one.
    const QStringList licences =
        root.entryList({QStringLiteral("LICENSE*"), QStringLiteral("LICENCE*"),
                        QStringLiteral("COPYING*"), QStringLiteral("license*")},
                       QDir::Files, QDir::Name);
    if (!licences.isEmpty()) {
        facts[QStringLiteral("license_file")] = licences.front();
        QFile file(root.filePath(licences.front()));
        const QString text =
            file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.read(64 * 1024)) : QString();
        static const std::pair<const char *, const char *> known[] = {
            {"SPDX-License-Identifier: ", nullptr},
            {"MIT License", "MIT"},
            {"Apache License", "Apache-2.0"},
            {"Attribution 4.0 International", "CC-BY-4.0"},
            {"Attribution-ShareAlike 4.0", "CC-BY-SA-4.0"},
            {"Attribution-NonCommercial 4.0", "CC-BY-NC-4.0"},
            {"CC0 1.0", "CC0-1.0"},
            {"BSD 3-Clause", "BSD-3-Clause"},
        };
        for (const auto &[marker, spdx] : known) {
            const int at = text.indexOf(QLatin1String(marker));
            if (at < 0)
                continue;
            if (spdx) {
                facts[QStringLiteral("license_spdx")] = QString::fromLatin1(spdx);
            } else {
                const int start = at + int(qstrlen(marker));
                facts[QStringLiteral("license_spdx")] =
                    text.mid(start).section(u'\n', 0, 0).trimmed();
            }
            break;
        }
    }
    QJsonArray urls;
    store::Statement attributes(db, "SELECT name FROM attributes ORDER BY id");
    while (attributes.step()) {
        const QString name = attributes.text(0);
        if (name.contains(QStringLiteral("url"), Qt::CaseInsensitive) ||
            name.contains(QStringLiteral("link"), Qt::CaseInsensitive))
            urls.append(name);
    }
    facts[QStringLiteral("url_attributes")] = urls;
}

} // namespace

QString mimeTypeFor(const QString &typeOrExtension)
{
    static const QMap<QString, QString> types = {
        {QStringLiteral("jpg"), QStringLiteral("image/jpeg")},
        {QStringLiteral("jpeg"), QStringLiteral("image/jpeg")},
        {QStringLiteral("png"), QStringLiteral("image/png")},
        {QStringLiteral("bmp"), QStringLiteral("image/bmp")},
        {QStringLiteral("gif"), QStringLiteral("image/gif")},
        {QStringLiteral("tif"), QStringLiteral("image/tiff")},
        {QStringLiteral("tiff"), QStringLiteral("image/tiff")},
        {QStringLiteral("webp"), QStringLiteral("image/webp")},
        {QStringLiteral("pgm"), QStringLiteral("image/x-portable-graymap")},
        {QStringLiteral("ppm"), QStringLiteral("image/x-portable-pixmap")},
        {QStringLiteral("json"), QStringLiteral("application/json")},
        {QStringLiteral("csv"), QStringLiteral("text/csv")},
        {QStringLiteral("xml"), QStringLiteral("application/xml")},
        {QStringLiteral("txt"), QStringLiteral("text/plain")},
        {QStringLiteral("yaml"), QStringLiteral("application/yaml")},
        {QStringLiteral("yml"), QStringLiteral("application/yaml")},
        {QStringLiteral("gz"), QStringLiteral("application/gzip")},
    };
    const QString key = typeOrExtension.toLower();
    return types.value(key, QStringLiteral("application/octet-stream"));
}

QJsonObject datasheetFacts(store::Project &project)
{
    QJsonObject facts = projectReportJson(project);
    facts.remove(QStringLiteral("issues"));
    store::Database &db = project.db();
    addImageFacts(db, facts);
    addByteFacts(db, facts);
    addEditFacts(db, facts);
    addLayoutFacts(db, facts);
    addFileFacts(project, facts);
    facts[QStringLiteral("label_source")] = project.meta(QStringLiteral("label_source"));
    facts[QStringLiteral("dataset_format")] = project.meta(QStringLiteral("dataset_format"));
    facts[QStringLiteral("created_at")] = project.meta(QStringLiteral("created_at"));
    facts[QStringLiteral("imports")] = qint64(db.queryInt("SELECT count(*) FROM imports"));
    facts[QStringLiteral("assay_version")] = QString::fromLatin1(versionString);
    return facts;
}

} // namespace assay::report
