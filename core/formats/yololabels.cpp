// YOLO label files: one per image, one object per line, normalised to [0, 1]; read on a few
// threads and converted to pixels with the size from the image's header.

#include "yololabels.h"
#include "text.h"

#include "jobs/progress.h"
#include "scan/imageheader.h"
#include "util/error.h"

#include <QFile>
#include <QScopeGuard>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstring>
#include <thread>

namespace assay::formats::yolo {

namespace {

// What one worker keeps between files.
struct Scratch
{
    std::string bytes;
    std::vector<double> values;
    struct Object
    {
        int line;
        std::int64_t classId;
        size_t first, count; // into values
    };
    std::vector<Object> objects;
};

// Where files are opened: relative to the root, opened once (a shorter lookup than the whole
// path each time), or by their whole path when the root cannot be opened.
struct Root
{
    int fd = AT_FDCWD;
    std::string prefix; // with a trailing '/'
    std::string scratch;

    const char *path(const std::string &relative)
    {
        if (fd != AT_FDCWD)
            return relative.c_str();
        scratch.assign(prefix).append(relative);
        return scratch.c_str();
    }
};

// Reads a whole small file (a root-relative path); false when it does not exist. `info` gets
// its fstat.
bool readFile(Root &root, const std::string &path, std::string &out, size_t limit = SIZE_MAX,
              struct stat *info = nullptr)
{
    const int fd = ::openat(root.fd, root.path(path), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return false;
        throw Error(QStringLiteral("cannot read %1: %2")
                        .arg(QFile::decodeName((root.prefix + path).c_str()),
                             QString::fromLocal8Bit(std::strerror(errno))));
    }
    if (info && ::fstat(fd, info) != 0)
        *info = {};
    out.clear();
    char chunk[65536];
    for (;;) {
        const size_t want = std::min(sizeof chunk, limit - out.size());
        const ssize_t n = want ? ::read(fd, chunk, want) : 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        out.append(chunk, size_t(n));
    }
    ::close(fd);
    return true;
}

// The label file candidates of an image: the last "images" folder swapped for "labels", then
// the same stem beside the image.
bool toNumber(std::string_view text, double &value)
{
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

// Parses a label file into scratch.objects; returns an empty string or the problem.
QString parseLabel(std::string_view data, const std::string &shown, Scratch &scratch)
{
    scratch.values.clear();
    scratch.objects.clear();
    int line = 0;
    auto problem = [&](const QString &what) {
        return QStringLiteral("%1:%2: %3").arg(fromUtf8(shown)).arg(line).arg(what);
    };
    std::string_view classField;
    while (!data.empty()) {
        ++line;
        const size_t end = data.find('\n');
        std::string_view text = trimmed(data.substr(0, end));
        data.remove_prefix(end == std::string_view::npos ? data.size() : end + 1);
        if (text.empty())
            continue;
        size_t count = 0;
        const size_t first = scratch.values.size();
        while (!text.empty()) {
            size_t cut = 0;
            while (cut < text.size() && text[cut] != ' ' && text[cut] != '\t')
                ++cut;
            const std::string_view field = text.substr(0, cut);
            if (count == 0)
                classField = field;
            double value = 0;
            if (!toNumber(field, value))
                return problem(QStringLiteral("'%1' is not a number").arg(fromUtf8(field)));
            if (count > 0 && (value < 0 || value > 1))
                return problem(QStringLiteral("value %1 is outside [0, 1]").arg(fromUtf8(field)));
            scratch.values.push_back(value);
            ++count;
            text = trimmed(text.substr(cut));
        }
        if (count != 5 && (count < 7 || count % 2 == 0))
            return problem(QStringLiteral("expected 5 fields (class cx cy w h) or an odd number "
                                          "of at least 7 (class and polygon points), found %1")
                               .arg(count));
        const double classId = scratch.values[first];
        if (classId < 0)
            return problem(QStringLiteral("negative class id %1").arg(fromUtf8(classField)));
        if (classId != std::floor(classId))
            return problem(
                QStringLiteral("class id %1 is not a whole number").arg(fromUtf8(classField)));
        scratch.objects.push_back(
            {line, std::int64_t(std::min(classId, 1e15)), first + 1, count - 1});
    }
    return {};
}

// Reads width and height from the image header (the first 64 KiB, then up to 256 KiB).
scan::ImageHeader imageSize(Root &root, const std::string &path, std::int64_t fileSize,
                            std::string &bytes)
{
    scan::ImageHeader header;
    for (const size_t limit : {size_t(65536), size_t(262144)}) {
        if (!readFile(root, path, bytes, limit))
            return header;
        header = scan::readImageHeader(bytes);
        if ((header.width > 0 && header.height > 0) || std::int64_t(bytes.size()) >= fileSize)
            break;
    }
    return header;
}

void readItem(Root &root, ImportItem &item, ItemResult &result, Scratch &scratch)
{
    struct stat info {};
    if (::fstatat(root.fd, root.path(item.path), &info, 0) == 0 && S_ISREG(info.st_mode)) {
        item.size = info.st_size;
        item.mtime = info.st_mtime;
    } else {
        item.exists = false;
    }
    bool found = false;
    for (std::string candidate : {labelsTwin(item.path), besideLabel(item.path)}) {
        if (candidate.empty())
            continue;
        struct stat labelInfo {};
        if (readFile(root, candidate, scratch.bytes, SIZE_MAX, &labelInfo)) {
            result.labelFile = std::move(candidate);
            result.labelSize = labelInfo.st_size;
            result.labelMtime = labelInfo.st_mtime;
            found = true;
            break;
        }
    }
    if (!found)
        return;
    result.error = parseLabel(scratch.bytes, result.labelFile, scratch);
    if (!result.error.isEmpty())
        return;
    result.state = scratch.objects.empty() ? LabelState::Empty : LabelState::Present;
    if (scratch.objects.empty())
        return;
    if (!item.exists) {
        result.imageMissing = true;
        return;
    }
    const scan::ImageHeader header = imageSize(root, item.path, item.size, scratch.bytes);
    if (header.width <= 0 || header.height <= 0) {
        result.error = QStringLiteral("%1:%2: cannot tell the size of %3 from its header")
                           .arg(fromUtf8(result.labelFile))
                           .arg(scratch.objects.front().line)
                           .arg(fromUtf8(item.path));
        return;
    }
    item.width = header.width;
    item.height = header.height;
    const double width = double(header.width);
    const double height = double(header.height);
    result.annotations.reserve(scratch.objects.size());
    for (const Scratch::Object &object : scratch.objects) {
        ImportAnnotation annotation;
        annotation.category = int(std::min<std::int64_t>(object.classId, INT_MAX));
        annotation.sourceFile = result.labelFile;
        annotation.sourceIndex = object.line;
        const double *v = scratch.values.data() + object.first;
        if (object.count == 4) {
            annotation.kind = AnnotationKind::Box;
            annotation.x = (v[0] - v[2] / 2) * width;
            annotation.y = (v[1] - v[3] / 2) * height;
            annotation.w = v[2] * width;
            annotation.h = v[3] * height;
        } else {
            annotation.kind = AnnotationKind::Polygon;
            std::vector<float> ring(object.count);
            double minX = width, minY = height, maxX = 0, maxY = 0;
            for (size_t k = 0; k + 1 < object.count; k += 2) {
                const double x = v[k] * width;
                const double y = v[k + 1] * height;
                ring[k] = float(x);
                ring[k + 1] = float(y);
                minX = std::min(minX, x);
                maxX = std::max(maxX, x);
                minY = std::min(minY, y);
                maxY = std::max(maxY, y);
            }
            annotation.x = minX;
            annotation.y = minY;
            annotation.w = maxX - minX;
            annotation.h = maxY - minY;
            annotation.polygons.push_back(std::move(ring));
        }
        result.annotations.push_back(std::move(annotation));
    }
}

} // namespace

std::string besideLabel(std::string_view image)
{
    const size_t slash = image.rfind('/');
    size_t dot = image.rfind('.');
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
        dot = image.size();
    std::string label(image.substr(0, dot));
    label += ".txt";
    return label;
}

std::string labelsTwin(std::string_view image)
{
    size_t pos = image.rfind('/');
    while (pos != std::string_view::npos && pos >= 6) {
        const size_t start = pos - 6;
        if (image.compare(start, 6, "images") == 0 && (start == 0 || image[start - 1] == '/')) {
            std::string label = besideLabel(image);
            label.replace(start, 6, "labels");
            return label;
        }
        pos = image.rfind('/', pos - 1);
    }
    return {};
}


// Workers take chunks in order and stop past the first failing item, so the error reported is
// the first in item order.
void readLabels(const QString &root, std::vector<ImportItem> &items,
                std::vector<ItemResult> &results, jobs::Progress &progress)
{
    const std::string rootPrefix = QFile::encodeName(root).toStdString() + '/';
    const int rootFd = ::open(rootPrefix.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    const auto closeRoot = qScopeGuard([rootFd] {
        if (rootFd >= 0)
            ::close(rootFd);
    });
    constexpr size_t chunk = 64;
    std::atomic<size_t> next{0};
    std::atomic<size_t> firstError{SIZE_MAX};
    auto work = [&] {
        Root opened{rootFd >= 0 ? rootFd : AT_FDCWD, rootPrefix, {}};
        Scratch scratch;
        std::exception_ptr failure;
        for (;;) {
            const size_t begin = next.fetch_add(chunk);
            if (begin >= items.size() || begin > firstError.load() || progress.isCanceled())
                return;
            const size_t end = std::min(items.size(), begin + chunk);
            for (size_t i = begin; i < end; ++i) {
                try {
                    readItem(opened, items[i], results[i], scratch);
                } catch (const Error &error) {
                    results[i].error = error.message();
                }
                progress.advance();
                if (!results[i].error.isEmpty()) {
                    size_t seen = firstError.load();
                    while (i < seen && !firstError.compare_exchange_weak(seen, i)) {
                    }
                    break;
                }
                if ((i & 1023) == 0 && progress.isCanceled())
                    return;
            }
        }
    };
    const unsigned threads = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(work);
    work();
    for (std::thread &thread : pool)
        thread.join();
    jobs::throwIfCanceled(progress);
    if (firstError.load() != SIZE_MAX)
        throw Error(results[firstError.load()].error);
}

} // namespace assay::formats::yolo
