// OutputTree: the files an export writes, copied or replaced safely.

#include "outputtree.h"

#include "formats/text.h"
#include "util/datasetpath.h"
#include "util/error.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>

namespace assay::exporting {

namespace fs = std::filesystem;

namespace {

// Writes to a temporary name and renames it into place on commit. In place (replacing a file of
// the user's dataset) the data is also synced first (QSaveFile); a fresh output folder skips the
// sync, which would cost more than the writing for thousands of small files.
class FileSink : public Sink
{
public:
    FileSink(const QString &path, bool durable) : m_path(path)
    {
        if (durable)
            m_save.emplace(path);
        else
            m_plain.emplace(path + QStringLiteral(".part"));
        QFileDevice &file = device();
        if (!file.open(QIODevice::WriteOnly))
            throw Error(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        m_buffer.reserve(bufferSize);
    }
    ~FileSink() override
    {
        if (m_plain && m_plain->isOpen()) { // not committed: leave nothing behind
            m_plain->close();
            m_plain->remove();
        }
    }
    void write(std::string_view bytes) override
    {
        if (m_buffer.size() + bytes.size() > bufferSize)
            flush();
        if (bytes.size() >= bufferSize)
            put(bytes);
        else
            m_buffer.append(bytes);
    }
    void commit()
    {
        flush();
        if (m_save) {
            if (!m_save->commit())
                throw Error(QStringLiteral("cannot write %1: %2").arg(m_path, m_save->errorString()));
            return;
        }
        m_plain->close();
        if (m_plain->error() != QFileDevice::NoError)
            throw Error(QStringLiteral("cannot write %1: %2").arg(m_path, m_plain->errorString()));
        if (::rename(QFile::encodeName(m_plain->fileName()).constData(),
                     QFile::encodeName(m_path).constData())
            != 0)
            throw Error(QStringLiteral("cannot write %1: %2")
                            .arg(m_path, QString::fromLocal8Bit(std::strerror(errno))));
        m_plain.reset();
    }

private:
    static constexpr size_t bufferSize = 1 << 20;
    QFileDevice &device()
    {
        if (m_save)
            return *m_save;
        return *m_plain;
    }
    void flush()
    {
        put(m_buffer);
        m_buffer.clear();
    }
    void put(std::string_view bytes)
    {
        if (!bytes.empty() && device().write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size()))
            throw Error(QStringLiteral("cannot write %1: %2").arg(m_path, device().errorString()));
    }
    QString m_path;
    std::optional<QSaveFile> m_save;
    std::optional<QFile> m_plain;
    std::string m_buffer;
};

bool isInside(const QString &path, const QString &folder)
{
    const QString a = QDir::cleanPath(path);
    const QString b = QDir::cleanPath(folder);
    return a == b || a.startsWith(b + u'/');
}

QString canonicalOrClean(const QString &path)
{
    // The deepest existing ancestor, resolved; the rest appended (the folder may not exist yet).
    QFileInfo info(path);
    QString suffix;
    QString at = QDir::cleanPath(info.absoluteFilePath());
    while (!QFileInfo::exists(at) && at != u"/") {
        suffix = u'/' + QFileInfo(at).fileName() + suffix;
        at = QFileInfo(at).absolutePath();
    }
    const QString canonical = QFileInfo(at).canonicalFilePath();
    return QDir::cleanPath((canonical.isEmpty() ? at : canonical) + suffix);
}

} // namespace

void checkOutputFolder(const QString &outDir, const QString &datasetRoot)
{
    const QString out = canonicalOrClean(outDir);
    const QString root = canonicalOrClean(datasetRoot);
    if (isInside(out, root))
        throw Error(QStringLiteral("%1 is inside the dataset folder %2; export into another "
                                   "folder, or use --in-place to write back into the dataset "
                                   "(a backup is made first)")
                        .arg(outDir, datasetRoot));
    if (isInside(root, out))
        throw Error(QStringLiteral("%1 holds the dataset %2; export into another folder")
                        .arg(outDir, datasetRoot));
    const QDir dir(out);
    if (dir.exists() && !dir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
        throw Error(QStringLiteral("%1 is not empty; export into a new or empty folder")
                        .arg(outDir));
}

OutputTree::OutputTree(QString root, QString datasetRoot, ImageCopy images, bool inPlace)
    : m_root(QDir::cleanPath(QFileInfo(root).absoluteFilePath())),
      m_datasetRoot(QDir::cleanPath(datasetRoot)), m_images(images), m_inPlace(inPlace)
{
    if (m_inPlace) {
        m_backupDir = m_datasetRoot + QStringLiteral("/.assay-backup/")
                      + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    }
    if (!QDir().mkpath(m_root))
        throw Error(QStringLiteral("cannot create %1").arg(m_root));
}

QString OutputTree::target(const std::string &relative)
{
    const auto inside = datasetpath::relativeInsideRoot(m_root, formats::fromUtf8(relative));
    if (!inside)
        throw Error(QStringLiteral("refusing to write %1: it is outside %2")
                        .arg(formats::fromUtf8(relative), m_root));
    const QString path = m_root + u'/' + *inside;
    const QString folder = QFileInfo(path).absolutePath();
    if (!m_folders.contains(folder)) {
        if (!QDir().mkpath(folder))
            throw Error(QStringLiteral("cannot create %1").arg(folder));
        m_folders.insert(folder);
    }
    return path;
}

void OutputTree::backUp(const std::string &relative)
{
    if (!m_inPlace)
        return;
    const QString from = m_root + u'/' + formats::fromUtf8(relative);
    if (!QFileInfo::exists(from))
        return;
    const QString to = m_backupDir + u'/' + formats::fromUtf8(relative);
    if (QFileInfo::exists(to))
        return; // the first version is the one to keep
    QDir().mkpath(QFileInfo(to).absolutePath());
    if (!QFile::copy(from, to))
        throw Error(QStringLiteral("cannot back up %1 to %2; nothing was changed in place")
                        .arg(from, to));
}

void OutputTree::write(const std::string &relative, const std::function<void(Sink &)> &fill)
{
    const QString path = target(relative);
    backUp(relative);
    FileSink sink(path, m_inPlace);
    fill(sink);
    sink.commit();
    ++m_written;
}

void OutputTree::write(const std::string &relative, std::string_view content)
{
    write(relative, [content](Sink &sink) { sink.write(content); });
}

void OutputTree::copy(const QString &from, const QString &to, bool link)
{
    std::error_code ec;
    const fs::path source = QFile::encodeName(from).toStdString();
    const fs::path destination = QFile::encodeName(to).toStdString();
    if (link) {
        fs::create_hard_link(source, destination, ec);
        if (!ec) {
            ++m_copied;
            return;
        }
        ec.clear();
    }
    fs::copy_file(source, destination, fs::copy_options::overwrite_existing, ec);
    if (ec)
        throw Error(QStringLiteral("cannot copy %1 to %2: %3")
                        .arg(from, to, QString::fromStdString(ec.message())));
    ++m_copied;
}

bool OutputTree::copyImage(const std::string &datasetRelative, const std::string &relative)
{
    if (m_images == ImageCopy::None)
        return true;
    const QString from = m_datasetRoot + u'/' + formats::fromUtf8(datasetRelative);
    if (!QFileInfo(from).isFile())
        return false;
    const QString to = target(relative);
    if (m_inPlace && QFileInfo(from).canonicalFilePath() == QFileInfo(to).canonicalFilePath())
        return true;
    copy(from, to, m_images == ImageCopy::Link);
    return true;
}

void OutputTree::copyFile(const std::string &datasetRelative, const std::string &relative)
{
    const QString from = m_datasetRoot + u'/' + formats::fromUtf8(datasetRelative);
    copy(from, target(relative), false);
}

void OutputTree::move(const std::string &from, const std::string &to)
{
    const QString source = target(from);
    const QString destination = target(to);
    if (QFileInfo::exists(destination))
        throw Error(QStringLiteral("cannot move %1 to %2: a file of that name is there")
                        .arg(source, destination));
    if (m_inPlace) {
        QDir().mkpath(m_backupDir);
        QFile log(m_backupDir + QStringLiteral("/moves.tsv"));
        if (!log.open(QIODevice::Append | QIODevice::Text)
            || log.write(QByteArray::fromStdString(from + '\t' + to + '\n')) < 0)
            throw Error(QStringLiteral("cannot record the move of %1 in %2")
                            .arg(source, log.fileName()));
    }
    if (!QFile::rename(source, destination))
        throw Error(QStringLiteral("cannot move %1 to %2").arg(source, destination));
    ++m_written;
}

} // namespace assay::exporting
