// CSV manifest: a header row, a path column, optional label and split columns; every other
// column becomes a typed sample attribute.

#include "csvparser.h"
#include "datasetreader.h"
#include "text.h"
#include "planbuilder.h"

#include "jobs/progress.h"
#include "util/datasetpath.h"
#include "util/error.h"

#include <QDir>
#include <QFile>
#include <QDateTime>
#include <QFileInfo>

#include <sys/stat.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <thread>
#include <algorithm>

namespace assay::formats {

namespace {

const QStringList pathColumnNames = {
    QStringLiteral("path"),       QStringLiteral("filepath"),   QStringLiteral("file_path"),
    QStringLiteral("file"),       QStringLiteral("filename"),   QStringLiteral("file_name"),
    QStringLiteral("image"),      QStringLiteral("image_path"), QStringLiteral("img"),
    QStringLiteral("image_file"), QStringLiteral("relative_path")};
const QStringList labelColumnNames = {QStringLiteral("label"), QStringLiteral("class"),
                                      QStringLiteral("category"), QStringLiteral("class_name"),
                                      QStringLiteral("target"), QStringLiteral("labels")};
const QStringList splitColumnNames = {QStringLiteral("split"), QStringLiteral("subset"),
                                      QStringLiteral("set"), QStringLiteral("partition")};

// Finds a column: the one the user named (an error when absent), else the first default name.
int findColumn(const QStringList &header, const QString &chosen, const QStringList &defaults,
               const QString &fileName, const char *what, bool required)
{
    if (!chosen.isEmpty()) {
        const int index = int(header.indexOf(chosen));
        if (index < 0)
            throw Error(QStringLiteral("%1: no column named '%2' for the %3 (columns: %4)")
                            .arg(fileName, chosen, QString::fromLatin1(what),
                                 header.join(QStringLiteral(", "))));
        return index;
    }
    for (const QString &name : defaults) {
        for (qsizetype i = 0; i < header.size(); ++i) {
            if (header[i].compare(name, Qt::CaseInsensitive) == 0)
                return int(i);
        }
    }
    if (required)
        throw Error(QStringLiteral("%1: no path column: none of the columns (%2) is named %3; "
                                   "name it with --path-column")
                        .arg(fileName, header.join(QStringLiteral(", ")),
                             defaults.join(QStringLiteral(", "))));
    return -1;
}

bool parseNumber(std::string_view text, double &value)
{
    text = trimmed(text);
    if (text.empty())
        return false;
    if (text.front() == '+')
        text.remove_prefix(1);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

// Fills size, mtime and existence of every item, on as many threads as the machine has.
void statItems(const QString &root, std::vector<ImportItem> &items, jobs::Progress &progress)
{
    const std::string prefix = QFile::encodeName(root).toStdString() + '/';
    const unsigned threads = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
    auto work = [&](size_t begin, size_t end) {
        std::string full = prefix;
        for (size_t i = begin; i < end; ++i) {
            full.resize(prefix.size());
            full += items[i].path;
            struct stat info {};
            if (::stat(full.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
                items[i].size = info.st_size;
                items[i].mtime = info.st_mtime;
            } else {
                items[i].exists = false;
            }
            if ((i & 4095) == 0)
                progress.advance(4096);
        }
    };
    std::vector<std::thread> pool;
    const size_t chunk = (items.size() + threads - 1) / threads;
    for (unsigned t = 0; t < threads; ++t) {
        const size_t begin = t * chunk;
        const size_t end = std::min(items.size(), begin + chunk);
        if (begin < end)
            pool.emplace_back(work, begin, end);
    }
    for (std::thread &thread : pool)
        thread.join();
}

// Keeps the first row of each path; later rows are skipped with the line of the first. Sorting
// (hash, index) pairs is far cheaper than a node-based set of a million strings.
void dropDuplicateRows(ImportPlan &plan, const std::vector<int> &lines)
{
    const size_t count = plan.items.size();
    std::vector<std::pair<size_t, std::uint32_t>> keys(count);
    for (size_t i = 0; i < count; ++i)
        keys[i] = {std::hash<std::string>{}(plan.items[i].path), std::uint32_t(i)};
    std::sort(keys.begin(), keys.end());
    std::vector<bool> drop(count, false);
    std::vector<std::pair<int, SkippedEntry>> dropped;
    for (size_t i = 0; i < count;) {
        size_t end = i + 1;
        while (end < count && keys[end].first == keys[i].first)
            ++end;
        for (size_t a = i; a < end; ++a) { // equal hashes: compare the strings (rarely > 1)
            const std::uint32_t first = keys[a].second;
            if (drop[first])
                continue;
            for (size_t b = a + 1; b < end; ++b) {
                const std::uint32_t other = keys[b].second;
                if (!drop[other] && plan.items[other].path == plan.items[first].path) {
                    drop[other] = true;
                    dropped.push_back(
                        {lines[other],
                         {QString::fromStdString(plan.items[other].path),
                          QStringLiteral("line %1: listed again (first on line %2)")
                              .arg(lines[other])
                              .arg(lines[first])}});
                }
            }
        }
        i = end;
    }
    if (dropped.empty())
        return;
    std::sort(dropped.begin(), dropped.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    for (auto &entry : dropped)
        plan.skipped.push_back(std::move(entry.second));
    size_t kept = 0;
    for (size_t i = 0; i < count; ++i) {
        if (drop[i])
            continue;
        if (kept != i) {
            plan.items[kept] = std::move(plan.items[i]);
            for (AttributeColumn &column : plan.attributes)
                column.texts[kept] = std::move(column.texts[i]);
        }
        ++kept;
    }
    plan.items.resize(kept);
    for (AttributeColumn &column : plan.attributes)
        column.texts.resize(kept);
}

} // namespace

ImportPlan readCsvManifest(const QString &csvPath, const ReadOptions &options,
                           jobs::Progress &progress)
{
    QFile file(csvPath);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("cannot read %1: %2").arg(csvPath, file.errorString()));
    const qint64 fileSize = file.size();
    std::string_view data;
    QByteArray fallback;
    if (fileSize > 0) {
        if (uchar *mapped = file.map(0, fileSize)) {
            data = std::string_view(reinterpret_cast<const char *>(mapped), size_t(fileSize));
        } else {
            fallback = file.readAll();
            data = std::string_view(fallback.constData(), size_t(fallback.size()));
        }
    }
    const QString shownName = QFileInfo(csvPath).fileName();
    const QString root = QDir::cleanPath(QFileInfo(options.root.isEmpty()
                                                       ? QFileInfo(csvPath).absolutePath()
                                                       : options.root)
                                             .absoluteFilePath());

    ImportPlan plan;
    plan.format = formatName(Format::Csv);
    plan.root = root;
    plan.source = QFileInfo(csvPath).absoluteFilePath();
    const QFileInfo manifest(csvPath);
    plan.sourceFiles.push_back({QDir(root).relativeFilePath(plan.source).toStdString(),
                                manifest.size(), manifest.lastModified().toSecsSinceEpoch()});
    progress.setPhase(QStringLiteral("Reading %1").arg(shownName));

    CsvParser parser(data, shownName);
    std::vector<std::string_view> fields;
    int line = 0;
    if (!parser.next(fields, line))
        throw Error(QStringLiteral("%1: the file is empty (a header row is needed)").arg(shownName));
    QStringList header;
    for (std::string_view field : fields)
        header << QString::fromUtf8(field.data(), qsizetype(field.size()));
    const int pathColumn = findColumn(header, options.pathColumn, pathColumnNames, shownName,
                                      "image path", true);
    const int labelColumn = findColumn(header, options.labelColumn, labelColumnNames, shownName,
                                       "label", false);
    const int splitColumn = findColumn(header, options.splitColumn, splitColumnNames, shownName,
                                       "split", false);
    std::vector<int> attributeColumns;
    for (int c = 0; c < int(header.size()); ++c) {
        if (c != pathColumn && c != labelColumn && c != splitColumn && !header[c].isEmpty()) {
            attributeColumns.push_back(c);
            AttributeColumn column;
            column.name = header[c];
            column.origin = QStringLiteral("csv");
            plan.attributes.push_back(std::move(column));
        }
    }
    // Re-reading (for export) uses the columns found now, whatever detection would say then.
    ReadOptions resolved = options;
    resolved.format = Format::Csv;
    resolved.pathColumn = header[pathColumn];
    resolved.labelColumn = labelColumn >= 0 ? header[labelColumn] : QString();
    resolved.splitColumn = splitColumn >= 0 ? header[splitColumn] : QString();
    plan.readOptions = encodeReadOptions(resolved);
    if (labelColumn >= 0)
        plan.labelSource = QStringLiteral("CSV column '%1'").arg(header[labelColumn]);

    PlanBuilder builder;
    std::vector<int> lines; // each item's line, for messages about duplicates
    const size_t expected = fields.size();
    {
        // Reserve from the first rows' length, so a million rows do not regrow the vectors.
        const size_t estimate = data.size() / 48 + 16;
        plan.items.reserve(estimate);
        lines.reserve(estimate);
        for (AttributeColumn &column : plan.attributes)
            column.texts.reserve(estimate);
    }
    while (parser.next(fields, line)) {
        if (fields.size() != expected)
            throw Error(QStringLiteral("%1:%2: expected %3 fields, found %4")
                            .arg(shownName)
                            .arg(line)
                            .arg(expected)
                            .arg(fields.size()));
        const std::string_view rawPath = fields[size_t(pathColumn)];
        ImportItem item;
        if (isPlainRelative(rawPath)) {
            item.path.assign(rawPath);
        } else {
            const QString entry = QString::fromUtf8(rawPath.data(), qsizetype(rawPath.size()));
            const auto relative = datasetpath::relativeInsideRoot(root, entry);
            if (!relative) {
                plan.refused.push_back(
                    {entry, QStringLiteral("line %1: %2")
                                .arg(line)
                                .arg(datasetpath::refusalReason(entry))});
                continue;
            }
            item.path = relative->toStdString();
        }
        if (labelColumn >= 0 && !fields[size_t(labelColumn)].empty())
            item.label = builder.categoryIndex(fields[size_t(labelColumn)]);
        if (splitColumn >= 0 && !fields[size_t(splitColumn)].empty())
            item.split = builder.splitIndex(fields[size_t(splitColumn)]);
        plan.items.push_back(std::move(item));
        lines.push_back(line);
        for (size_t a = 0; a < attributeColumns.size(); ++a)
            plan.attributes[a].texts.emplace_back(fields[size_t(attributeColumns[a])]);
        if ((plan.items.size() & 16383) == 0) {
            progress.setCurrent(QStringLiteral("line %1").arg(line));
            jobs::throwIfCanceled(progress);
        }
    }
    dropDuplicateRows(plan, lines);
    if (plan.items.empty() && plan.refused.empty())
        throw Error(QStringLiteral("%1: no rows after the header").arg(shownName));

    // A column is numeric when every non-empty value is a number.
    for (AttributeColumn &column : plan.attributes) {
        bool numeric = false;
        std::vector<double> numbers(column.texts.size(),
                                    std::numeric_limits<double>::quiet_NaN());
        for (size_t i = 0; i < column.texts.size(); ++i) {
            if (trimmed(column.texts[i]).empty())
                continue;
            if (!parseNumber(column.texts[i], numbers[i])) {
                numeric = false;
                break;
            }
            numeric = true;
        }
        if (numeric) {
            column.type = AttributeType::Number;
            column.numbers = std::move(numbers);
            std::vector<std::string>().swap(column.texts);
        } else {
            column.type = AttributeType::Text;
        }
    }

    progress.setPhase(QStringLiteral("Checking files"));
    progress.setTotal(std::int64_t(plan.items.size()));
    progress.setDone(0);
    statItems(root, plan.items, progress);
    builder.finish(plan);
    return plan;
}

} // namespace assay::formats
