// CSV manifest: a header row, a path column, optional label and split columns; every other
// column becomes a typed sample attribute.

#include "csvparser.h"
#include "datasetreader.h"
#include "planbuilder.h"

#include "jobs/progress.h"
#include "util/datasetpath.h"
#include "util/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <thread>
#include <unordered_map>

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

// A relative path with no '.', '..' or empty segments and no backslash or NUL: accepted as is.
bool isPlainRelative(std::string_view path)
{
    if (path.empty() || path.front() == '/')
        return false;
    size_t segmentStart = 0;
    for (size_t i = 0; i <= path.size(); ++i) {
        if (i < path.size()) {
            const char c = path[i];
            if (c == '\\' || c == '\0')
                return false;
            if (c != '/')
                continue;
        }
        const std::string_view segment = path.substr(segmentStart, i - segmentStart);
        if (segment.empty() || segment == "." || segment == "..")
            return false;
        segmentStart = i + 1;
    }
    return true;
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
    if (labelColumn >= 0)
        plan.labelSource = QStringLiteral("CSV column '%1'").arg(header[labelColumn]);

    PlanBuilder builder;
    std::unordered_map<std::string, int> firstLine; // path -> line, for duplicate rows
    const size_t expected = fields.size();
    while (parser.next(fields, line)) {
        if (fields.size() != expected)
            throw Error(QStringLiteral("%1:%2: expected %3 fields, found %4")
                            .arg(shownName)
                            .arg(line)
                            .arg(expected)
                            .arg(fields.size()));
        const std::string_view rawPath = fields[size_t(pathColumn)];
        std::string path;
        if (isPlainRelative(rawPath)) {
            path.assign(rawPath);
        } else {
            const QString entry = QString::fromUtf8(rawPath.data(), qsizetype(rawPath.size()));
            const auto relative = datasetpath::relativeInsideRoot(root, entry);
            if (!relative) {
                plan.refused.push_back(
                    {entry, rawPath.empty()
                                ? QStringLiteral("line %1: empty path").arg(line)
                                : QStringLiteral("line %1: escapes the dataset root").arg(line)});
                continue;
            }
            path = relative->toStdString();
        }
        auto [seen, inserted] = firstLine.try_emplace(path, line);
        if (!inserted) {
            plan.skipped.push_back({QString::fromStdString(path),
                                    QStringLiteral("line %1: listed again (first on line %2)")
                                        .arg(line)
                                        .arg(seen->second)});
            continue;
        }
        ImportItem item;
        item.path = std::move(path);
        if (labelColumn >= 0 && !fields[size_t(labelColumn)].empty())
            item.label = builder.categoryIndex(fields[size_t(labelColumn)]);
        if (splitColumn >= 0 && !fields[size_t(splitColumn)].empty())
            item.split = builder.splitIndex(fields[size_t(splitColumn)]);
        plan.items.push_back(std::move(item));
        for (size_t a = 0; a < attributeColumns.size(); ++a)
            plan.attributes[a].texts.emplace_back(fields[size_t(attributeColumns[a])]);
        if ((plan.items.size() & 16383) == 0) {
            progress.setCurrent(QStringLiteral("line %1").arg(line));
            jobs::throwIfCanceled(progress);
        }
    }
    firstLine.clear();
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
