// ImageFolder: ROOT/<class>/<image> or ROOT/<split>/<class>/<image>.

#include "datasetreader.h"
#include "imagetypes.h"
#include "planbuilder.h"

#include "jobs/progress.h"
#include "util/error.h"

#include <QFile>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace assay::formats {

namespace {

struct FoundFile
{
    std::string relative;
    std::int64_t size = 0;
    std::int64_t mtime = 0;
};

bool isHidden(const fs::path &path)
{
    const std::string name = path.filename().string();
    return !name.empty() && name.front() == '.';
}

bool insideRoot(const fs::path &canonicalRoot, const fs::path &target)
{
    std::error_code ec;
    const fs::path resolved = fs::canonical(target, ec);
    if (ec)
        return false;
    auto rootIt = canonicalRoot.begin();
    auto it = resolved.begin();
    for (; rootIt != canonicalRoot.end(); ++rootIt, ++it) {
        if (it == resolved.end() || *it != *rootIt)
            return false;
    }
    return true;
}

std::vector<std::string_view> components(std::string_view path)
{
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (start <= path.size()) {
        const size_t slash = path.find('/', start);
        const size_t end = slash == std::string_view::npos ? path.size() : slash;
        parts.push_back(path.substr(start, end - start));
        if (slash == std::string_view::npos)
            break;
        start = slash + 1;
    }
    return parts;
}

} // namespace

ImportPlan readImageFolder(const QString &rootPath, jobs::Progress &progress)
{
    const fs::path root(QFile::encodeName(rootPath).toStdString());
    std::error_code ec;
    if (!fs::is_directory(root, ec))
        throw Error(QStringLiteral("%1 is not a folder").arg(rootPath));
    const fs::path canonicalRoot = fs::canonical(root, ec);
    const std::string rootString = root.string();
    const size_t prefixLength = rootString.size() + (rootString.ends_with('/') ? 0 : 1);

    ImportPlan plan;
    plan.format = formatName(Format::ImageFolder);
    plan.root = QFile::decodeName(QByteArray::fromStdString(canonicalRoot.string()));
    plan.source = rootPath;
    progress.setPhase(QStringLiteral("Listing %1").arg(rootPath));

    std::vector<FoundFile> files;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    if (ec)
        throw Error(QStringLiteral("cannot list %1: %2")
                        .arg(rootPath, QString::fromStdString(ec.message())));
    const fs::recursive_directory_iterator end;
    for (; it != end; it.increment(ec)) {
        if (ec) {
            // The iterator cannot go on after a failed step; say so rather than guess.
            throw Error(QStringLiteral("cannot list %1: %2")
                            .arg(rootPath, QString::fromStdString(ec.message())));
        }
        const fs::directory_entry &entry = *it;
        if (isHidden(entry.path())) {
            if (entry.is_directory(ec))
                it.disable_recursion_pending();
            continue;
        }
        const std::string full = entry.path().string();
        std::string relative = full.substr(std::min(prefixLength, full.size()));
        const QString shown = QFile::decodeName(QByteArray::fromStdString(relative));
        if (entry.is_symlink(ec)) {
            if (!insideRoot(canonicalRoot, entry.path())) {
                plan.refused.push_back({shown, QStringLiteral("symbolic link pointing outside "
                                                              "the dataset root")});
                continue;
            }
            if (entry.is_directory(ec)) {
                plan.skipped.push_back({shown, QStringLiteral("symbolic link to a folder "
                                                              "(not followed)")});
                continue;
            }
        }
        if (entry.is_directory(ec))
            continue;
        if (!entry.is_regular_file(ec)) {
            plan.skipped.push_back({shown, QStringLiteral("not a regular file")});
            continue;
        }
        if (!hasImageExtension(std::string_view(relative))) {
            plan.skipped.push_back({shown, QStringLiteral("not an image")});
            continue;
        }
        struct stat info {};
        if (::stat(full.c_str(), &info) != 0) {
            plan.skipped.push_back({shown, QStringLiteral("cannot be read")});
            continue;
        }
        files.push_back({std::move(relative), std::int64_t(info.st_size),
                         std::int64_t(info.st_mtime)});
        progress.advance();
        if ((files.size() & 1023) == 0)
            jobs::throwIfCanceled(progress);
    }
    if (ec)
        throw Error(QStringLiteral("cannot list %1: %2")
                        .arg(rootPath, QString::fromStdString(ec.message())));
    if (files.empty() && plan.skipped.empty() && plan.refused.empty())
        throw Error(QStringLiteral("%1 is empty: no images to import").arg(rootPath));
    if (files.empty())
        throw Error(QStringLiteral("%1 holds no images (%2 other files skipped)")
                        .arg(rootPath)
                        .arg(plan.skipped.size() + plan.refused.size()));
    std::sort(files.begin(), files.end(),
              [](const FoundFile &a, const FoundFile &b) { return a.relative < b.relative; });

    // The layout has splits when any top-level folder is named like one.
    bool splitLayout = false;
    for (const FoundFile &file : files) {
        const auto parts = components(file.relative);
        if (parts.size() >= 2 && isSplitFolderName(parts.front())) {
            splitLayout = true;
            break;
        }
    }

    PlanBuilder builder;
    plan.items.reserve(files.size());
    for (FoundFile &file : files) {
        const auto parts = components(file.relative);
        ImportItem item;
        size_t classPart = 0;
        if (splitLayout && parts.size() >= 2 && isSplitFolderName(parts.front())) {
            item.split = builder.splitIndex(parts.front());
            classPart = 1;
        }
        if (parts.size() >= classPart + 2)
            item.label = builder.categoryIndex(parts[classPart]);
        item.size = file.size;
        item.mtime = file.mtime;
        item.path = std::move(file.relative);
        plan.items.push_back(std::move(item));
    }
    builder.finish(plan);
    plan.labelSource = splitLayout ? QStringLiteral("folder name (ROOT/<split>/<class>/<image>)")
                                   : QStringLiteral("folder name (ROOT/<class>/<image>)");
    return plan;
}

} // namespace assay::formats
