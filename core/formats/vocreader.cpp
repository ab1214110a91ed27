// Pascal VOC: ROOT/Annotations/*.xml (one file per image), ROOT/JPEGImages/<image>, optional
// ROOT/ImageSets/Main/{train,val,trainval,test}.txt listing image ids.

#include "datasetreader.h"
#include "imagetypes.h"
#include "planbuilder.h"
#include "vocxml.h"

#include "jobs/progress.h"
#include "scan/imageheader.h"
#include "util/datasetpath.h"
#include "util/error.h"

#include <QFile>
#include <QScopeGuard>
#include <QXmlStreamReader>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <exception>
#include <filesystem>
#include <limits>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace fs = std::filesystem;

namespace assay::formats {

namespace {

constexpr size_t headerBytes = 256 * 1024;
constexpr size_t chunkSize = 64; // files a worker claims at once; cancellation checked per chunk

// One annotation file, as a worker read it.
struct VocFile
{
    std::string xml;   // name inside Annotations/
    std::string image; // root-relative image path; empty when the file was refused
    QString refused;   // <filename> as spelled, when it escapes the images folder
    QString error;     // the complete message when the file cannot be read
    bool exists = false;
    std::int64_t size = 0, mtime = 0, width = 0, height = 0;
    std::int64_t xmlSize = 0, xmlMtime = 0;
    std::vector<VocObject> objects;
};

// What every worker shares (read-only).
struct Context
{
    std::string root; // with a trailing '/'
    std::string canonicalRoot;
    int rootFd = -1; // the root, opened: files are opened relative to it (a shorter lookup)
    QString imagesDir; // absolute ROOT/JPEGImages
    std::unordered_set<std::string> images;              // names listed in JPEGImages
    std::unordered_map<std::string, std::string> byStem; // stem -> smallest name with that stem
};

QString fromStd(const std::string &text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

std::string stemOf(std::string_view name)
{
    const size_t slash = name.rfind('/');
    if (slash != std::string_view::npos)
        name.remove_prefix(slash + 1);
    const size_t dot = name.rfind('.');
    return std::string(dot == std::string_view::npos || dot == 0 ? name : name.substr(0, dot));
}

// Reads at most `limit` bytes of `path` (relative to `dirFd`) into `buffer`, which only grows
// (no zeroing from file to file): `size` bytes of it are the file's; `info` gets its fstat.
bool readFileAt(int dirFd, const std::string &path, std::string &buffer, size_t &size,
                size_t limit, struct stat *info = nullptr)
{
    const int fd = ::openat(dirFd, path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    if (info && ::fstat(fd, info) != 0)
        *info = {};
    size = 0;
    if (buffer.size() < std::min<size_t>(limit, 16384))
        buffer.resize(std::min<size_t>(limit, 16384));
    for (;;) {
        if (size == buffer.size()) {
            if (size >= limit)
                break;
            buffer.resize(std::min(limit, buffer.size() * 2));
        }
        const ssize_t got = ::read(fd, buffer.data() + size, buffer.size() - size);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            const int saved = errno;
            ::close(fd);
            errno = saved;
            return false;
        }
        if (got == 0)
            break;
        size += size_t(got);
    }
    ::close(fd);
    return true;
}

bool readFile(const std::string &path, std::string &out, size_t limit)
{
    size_t size = 0;
    if (!readFileAt(AT_FDCWD, path, out, size, limit))
        return false;
    out.resize(size);
    return true;
}

// lstat of a root-relative path, following a symbolic link only when it stays inside the root.
// False when the file is missing, not a regular file or a link leading out of the root.
bool statInside(const Context &ctx, const std::string &relative, struct stat &info)
{
    if (::fstatat(ctx.rootFd, relative.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0)
        return false;
    if (S_ISLNK(info.st_mode)) {
        const std::string full = ctx.root + relative;
        std::error_code ec;
        const std::string target = fs::canonical(fs::path(full), ec).string();
        if (ec || !target.starts_with(ctx.root) || ::stat(full.c_str(), &info) != 0)
            return false;
    }
    return S_ISREG(info.st_mode);
}

// --- one annotation file ------------------------------------------------------------------------

struct Buffers
{
    std::string data; // grown as needed, never shrunk: `size` bytes of it are the file's
    size_t size = 0;
    std::string path;
    QXmlStreamReader xml;
};

void readOne(const Context &ctx, VocFile &file, Buffers &buffers)
{
    const QString shown = QStringLiteral("Annotations/") + fromStd(file.xml);
    buffers.path.assign("Annotations/").append(file.xml);
    struct stat xmlInfo {};
    if (!readFileAt(ctx.rootFd, buffers.path, buffers.data, buffers.size,
                    std::numeric_limits<size_t>::max(), &xmlInfo))
        throw Error(QStringLiteral("cannot read %1: %2")
                        .arg(shown, QString::fromStdString(
                                        std::generic_category().message(errno))));
    file.xmlSize = xmlInfo.st_size;
    file.xmlMtime = xmlInfo.st_mtime;
    VocAnnotation parsed = parseVocAnnotation(
        buffers.xml, std::string_view(buffers.data.data(), buffers.size), shown);
    file.width = parsed.width;
    file.height = parsed.height;
    file.objects = std::move(parsed.objects);
    const QString &filename = parsed.filename;

    // The image: JPEGImages/<filename>, else <annotation stem>.<any extension found there>.
    std::string name;
    if (!filename.isEmpty()) {
        if (filename.contains(u'/') || filename.contains(u'\\') || filename == u"."
            || filename == u"..") {
            const auto relative = datasetpath::relativeInsideRoot(ctx.imagesDir, filename);
            if (!relative) {
                file.refused = filename;
                file.objects.clear();
                return;
            }
            name = relative->toStdString();
        } else {
            name = filename.toStdString();
        }
    }
    const std::string stem = stemOf(file.xml);
    if (name.empty() || (!ctx.images.contains(name) && name.find('/') == std::string::npos)) {
        if (const auto found = ctx.byStem.find(stem); found != ctx.byStem.end())
            name = found->second;
        else if (name.empty())
            name = stem + ".jpg";
    }
    file.image = "JPEGImages/" + name;
    struct stat info {};
    file.exists = statInside(ctx, file.image, info);
    if (!file.exists)
        return;
    file.size = info.st_size;
    file.mtime = info.st_mtime;
    if ((file.width <= 0 || file.height <= 0)
        && readFileAt(ctx.rootFd, file.image, buffers.data, buffers.size, headerBytes)) {
        const scan::ImageHeader header =
            scan::readImageHeader(std::string_view(buffers.data.data(), buffers.size));
        file.width = header.width;
        file.height = header.height;
    }
}

// Reads every annotation file on up to four threads. Files are claimed in chunks in order, and a
// worker finishes the chunk it holds, so when one fails every earlier file has been read: the
// error reported is always the first in name order.
void readAll(const Context &ctx, std::vector<VocFile> &files, jobs::Progress &progress)
{
    std::atomic<size_t> next{0};
    std::atomic<bool> stop{false};
    const size_t chunks = (files.size() + chunkSize - 1) / chunkSize;
    const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
    std::vector<std::exception_ptr> failures(std::min(threads, std::max<size_t>(chunks, 1)));
    auto work = [&](size_t slot) {
        Buffers buffers;
        try {
            while (!stop.load(std::memory_order_relaxed) && !progress.isCanceled()) {
                const size_t begin = next.fetch_add(chunkSize);
                if (begin >= files.size())
                    break;
                for (size_t i = begin; i < std::min(files.size(), begin + chunkSize); ++i) {
                    try {
                        readOne(ctx, files[i], buffers);
                    } catch (const Error &error) {
                        files[i].error = error.message();
                        stop.store(true);
                    }
                    progress.advance();
                }
            }
        } catch (...) {
            failures[slot] = std::current_exception();
            stop.store(true);
        }
    };
    std::vector<std::thread> pool;
    for (size_t t = 1; t < failures.size(); ++t)
        pool.emplace_back(work, t);
    work(0);
    for (std::thread &thread : pool)
        thread.join();
    for (const std::exception_ptr &failure : failures) {
        if (failure)
            std::rethrow_exception(failure);
    }
    jobs::throwIfCanceled(progress);
    for (const VocFile &file : files) {
        if (!file.error.isEmpty())
            throw Error(file.error);
    }
}

// --- listings -----------------------------------------------------------------------------------

bool endsWithNoCase(std::string_view text, std::string_view suffix)
{
    if (text.size() <= suffix.size())
        return false;
    text.remove_prefix(text.size() - suffix.size());
    return std::equal(text.begin(), text.end(), suffix.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == b;
    });
}

// The regular files directly in `dir` whose name ends in `keep` (or is an image, when `keep` is
// empty); others are listed as skipped with `why`.
std::vector<std::string> listFolder(const fs::path &dir, const QString &shownDir,
                                    std::string_view keep, const QString &why, ImportPlan &plan)
{
    std::vector<std::string> names;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return names;
    fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (name.empty() || name.front() == '.')
            continue;
        auto shown = [&] { return shownDir + u'/' + fromStd(name); };
        std::error_code typeError;
        if (it->is_directory(typeError)) {
            plan.skipped.push_back({shown(), QStringLiteral("folder (not read)")});
            continue;
        }
        const bool wanted = keep.empty() ? hasImageExtension(std::string_view(name))
                                         : endsWithNoCase(name, keep);
        if (!wanted || !it->is_regular_file(typeError)) {
            plan.skipped.push_back({shown(), wanted ? QStringLiteral("not a regular file") : why});
            continue;
        }
        names.push_back(std::move(name));
    }
    if (ec)
        throw Error(QStringLiteral("cannot list %1: %2")
                        .arg(shownDir, QString::fromStdString(ec.message())));
    std::sort(names.begin(), names.end());
    return names;
}

// Image id -> split rank (0 train, 1 val, 2 test, 3 trainval): the first list naming it wins.
std::unordered_map<std::string, int> readSplitLists(const std::string &root)
{
    std::unordered_map<std::string, int> ranks;
    const char *lists[] = {"train", "val", "test", "trainval"};
    std::string data;
    for (int rank = 0; rank < 4; ++rank) {
        if (!readFile(root + "ImageSets/Main/" + lists[rank] + ".txt", data,
                      std::numeric_limits<size_t>::max()))
            continue;
        for (size_t start = 0; start < data.size();) {
            size_t end = data.find('\n', start);
            if (end == std::string::npos)
                end = data.size();
            size_t a = start;
            while (a < end && std::isspace(static_cast<unsigned char>(data[a])))
                ++a;
            size_t b = a;
            while (b < end && !std::isspace(static_cast<unsigned char>(data[b])))
                ++b;
            if (b > a && data[a] != '#')
                ranks.try_emplace(data.substr(a, b - a), rank);
            start = end + 1;
        }
    }
    return ranks;
}

} // namespace

ImportPlan readVoc(const QString &rootPath, const ReadOptions &options, jobs::Progress &progress)
{
    Q_UNUSED(options); // the layout is fixed: everything is relative to the folder
    const fs::path root(QFile::encodeName(rootPath).toStdString());
    std::error_code ec;
    if (!fs::is_directory(root, ec))
        throw Error(QStringLiteral("%1 is not a folder").arg(rootPath));
    Context ctx;
    ctx.canonicalRoot = fs::canonical(root, ec).string();
    ctx.root = ctx.canonicalRoot + (ctx.canonicalRoot.ends_with('/') ? "" : "/");
    ctx.rootFd = ::open(ctx.canonicalRoot.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (ctx.rootFd < 0)
        throw Error(QStringLiteral("cannot read %1: %2")
                        .arg(rootPath, QString::fromStdString(
                                           std::generic_category().message(errno))));
    const auto closeRoot = qScopeGuard([&ctx] { ::close(ctx.rootFd); });
    ctx.imagesDir = QFile::decodeName(QByteArray::fromStdString(ctx.root + "JPEGImages"));
    if (!fs::is_directory(root / "Annotations", ec) && !fs::is_directory(root / "JPEGImages", ec))
        throw Error(QStringLiteral("%1 is not a Pascal VOC folder: it has neither Annotations/ "
                                   "nor JPEGImages/")
                        .arg(rootPath));

    ImportPlan plan;
    plan.format = QStringLiteral("voc");
    plan.root = QFile::decodeName(QByteArray::fromStdString(ctx.canonicalRoot));
    plan.source = rootPath;
    plan.labelSource = QStringLiteral("Pascal VOC annotations");
    progress.setPhase(QStringLiteral("Reading VOC annotations in %1").arg(rootPath));

    const std::vector<std::string> imageNames =
        listFolder(root / "JPEGImages", QStringLiteral("JPEGImages"), {},
                   QStringLiteral("not an image"), plan);
    for (const std::string &name : imageNames) {
        ctx.images.insert(name);
        ctx.byStem.try_emplace(stemOf(name), name); // names are sorted: the smallest wins
    }
    std::vector<VocFile> files;
    for (std::string &name : listFolder(root / "Annotations", QStringLiteral("Annotations"),
                                        ".xml", QStringLiteral("not an annotation file (.xml)"),
                                        plan)) {
        files.emplace_back();
        files.back().xml = std::move(name);
    }
    if (files.empty() && imageNames.empty())
        throw Error(QStringLiteral("%1 holds no annotation files and no images").arg(rootPath));
    progress.setTotal(std::int64_t(files.size()));
    progress.setDone(0);
    readAll(ctx, files, progress);

    // Items: every annotated image and every image of JPEGImages, sorted by path.
    std::vector<std::pair<std::string, size_t>> candidates; // path, file index (or npos)
    candidates.reserve(files.size() + imageNames.size());
    for (size_t f = 0; f < files.size(); ++f) {
        if (!files[f].image.empty())
            candidates.emplace_back(files[f].image, f);
    }
    for (const std::string &name : imageNames)
        candidates.emplace_back("JPEGImages/" + name, std::string::npos);
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end(),
                                 [](const auto &a, const auto &b) { return a.first == b.first; }),
                     candidates.end());

    const std::unordered_map<std::string, int> splitRanks = readSplitLists(ctx.root);
    auto rankOf = [&](const std::string &id) {
        const auto found = splitRanks.find(id);
        return found == splitRanks.end() ? 4 : found->second;
    };
    PlanBuilder builder;
    std::vector<int> ranks(candidates.size(), 4);
    plan.items.reserve(candidates.size());
    for (size_t i = 0; i < candidates.size(); ++i) {
        auto &[path, f] = candidates[i];
        ImportItem item;
        if (f != std::string::npos) {
            const VocFile &file = files[f];
            item.exists = file.exists;
            item.size = file.size;
            item.mtime = file.mtime;
            if (file.width > 0 && file.height > 0) { // from <size>, else the image header
                item.width = int(std::min<std::int64_t>(file.width, INT_MAX));
                item.height = int(std::min<std::int64_t>(file.height, INT_MAX));
            }
        } else {
            struct stat info {};
            item.exists = statInside(ctx, path, info);
            item.size = item.exists ? info.st_size : 0;
            item.mtime = item.exists ? info.st_mtime : 0;
            if (!item.exists) // listed as a regular file: a link leading out of the root
                plan.refused.push_back(
                    {fromStd(path), QStringLiteral("symbolic link pointing outside the dataset "
                                                   "root")});
        }
        ranks[i] = rankOf(stemOf(path));
        item.path = std::move(path);
        if (item.exists || f != std::string::npos) {
            plan.items.push_back(std::move(item));
        } else {
            ranks[i] = -1; // dropped
        }
    }
    ranks.erase(std::remove(ranks.begin(), ranks.end(), -1), ranks.end());

    // Objects, in file order; names interned now, renumbered once the class order is fixed.
    auto itemOf = [&](const std::string &path) {
        const auto found = std::lower_bound(
            plan.items.begin(), plan.items.end(), path,
            [](const ImportItem &item, const std::string &key) { return item.path < key; });
        return size_t(found - plan.items.begin());
    };
    std::vector<int> interned;
    std::vector<std::string> internedNames;
    for (VocFile &file : files) {
        const std::string source = "Annotations/" + file.xml;
        plan.sourceFiles.push_back({source, file.xmlSize, file.xmlMtime});
        if (file.image.empty()) {
            plan.refused.push_back(
                {file.refused,
                 fromStd(source) + QStringLiteral(": ") + datasetpath::refusalReason(file.refused)});
            continue;
        }
        const size_t item = itemOf(file.image);
        ranks[item] = std::min(ranks[item], rankOf(stemOf(file.xml)));
        if (!file.exists)
            plan.skipped.push_back(
                {fromStd(file.image),
                 fromStd(source) + QStringLiteral(": annotation points at a missing image")});
        for (size_t o = 0; o < file.objects.size(); ++o) {
            VocObject &object = file.objects[o];
            ImportAnnotation annotation;
            annotation.item = item;
            annotation.kind = AnnotationKind::Box;
            annotation.x = object.x;
            annotation.y = object.y;
            annotation.w = object.w;
            annotation.h = object.h;
            annotation.crowd = false;
            annotation.sourceFile = source;
            annotation.sourceIndex = std::int64_t(o);
            annotation.extra = std::move(object.extra);
            interned.push_back(object.name.empty() ? -1 : builder.categoryIndex(object.name));
            if (interned.back() >= int(internedNames.size()))
                internedNames.push_back(object.name);
            plan.annotations.push_back(std::move(annotation));
        }
        std::vector<VocObject>().swap(file.objects);
    }
    static const std::string_view splitNames[] = {"train", "val", "test", "train"};
    for (size_t i = 0; i < plan.items.size(); ++i) {
        if (ranks[i] < 4)
            plan.items[i].split = builder.splitIndex(splitNames[ranks[i]]);
    }
    builder.finish(plan);
    std::vector<int> categoryOf(internedNames.size());
    for (size_t c = 0; c < internedNames.size(); ++c)
        categoryOf[c] = int(plan.categories.indexOf(fromStd(internedNames[c])));
    for (size_t a = 0; a < plan.annotations.size(); ++a)
        plan.annotations[a].category = interned[a] < 0 ? -1 : categoryOf[size_t(interned[a])];
    return plan;
}

} // namespace assay::formats
