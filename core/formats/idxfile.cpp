#include "idxfile.h"

#include "util/error.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <zlib.h>

namespace assay::formats {

namespace {

// Upper bound on what one IDX file may expand to: far above MNIST-like datasets, far below
// what would exhaust memory.
constexpr std::int64_t maxIdxBytes = std::int64_t(4) << 30;

class GzFile
{
public:
    explicit GzFile(const QString &path) : m_path(path)
    {
        m_file = gzopen(QFile::encodeName(path).constData(), "rb");
        if (!m_file)
            throw Error(QStringLiteral("cannot open %1").arg(path));
        gzbuffer(m_file, 1 << 18);
    }
    ~GzFile() { gzclose(m_file); }

    // Reads exactly `size` bytes or throws.
    void read(char *into, std::int64_t size, const char *what)
    {
        while (size > 0) {
            const unsigned chunk = unsigned(std::min<std::int64_t>(size, 1 << 30));
            const int got = gzread(m_file, into, chunk);
            if (got < 0) {
                int code = 0;
                const char *message = gzerror(m_file, &code);
                throw Error(QStringLiteral("%1: %2 while reading the %3")
                                .arg(m_path, QString::fromUtf8(message), QString::fromLatin1(what)));
            }
            if (got == 0)
                throw Error(QStringLiteral("%1: the file is truncated (it ends inside the %2)")
                                .arg(m_path, QString::fromLatin1(what)));
            into += got;
            size -= got;
        }
    }

    // True at a clean end of the stream; throws when the gzip stream was cut short.
    bool atEnd()
    {
        char extra = 0;
        const int got = gzread(m_file, &extra, 1);
        int code = Z_OK;
        const char *message = gzerror(m_file, &code);
        if (got < 0 || (code != Z_OK && code != Z_STREAM_END))
            throw Error(QStringLiteral("%1: the file is truncated or damaged (%2)")
                            .arg(m_path, QString::fromUtf8(message)));
        return got == 0;
    }

private:
    QString m_path;
    gzFile m_file = nullptr;
};

std::uint32_t bigEndian32(const unsigned char *p)
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8)
           | std::uint32_t(p[3]);
}

} // namespace

bool isIdxFileName(const QString &fileName)
{
    static const QRegularExpression pattern(QStringLiteral("idx[13]-ubyte(\\.gz)?$"),
                                            QRegularExpression::CaseInsensitiveOption);
    return pattern.match(fileName).hasMatch();
}

IdxData readIdxFile(const QString &path)
{
    GzFile file(path);
    unsigned char magic[4] = {};
    file.read(reinterpret_cast<char *>(magic), 4, "header");
    if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08)
        throw Error(QStringLiteral("%1: not an IDX file of unsigned bytes (magic number "
                                   "%2 %3 %4 %5)")
                        .arg(path)
                        .arg(magic[0], 2, 16, QChar(u'0'))
                        .arg(magic[1], 2, 16, QChar(u'0'))
                        .arg(magic[2], 2, 16, QChar(u'0'))
                        .arg(magic[3], 2, 16, QChar(u'0')));
    IdxData data;
    data.dimensions = magic[3];
    if (data.dimensions != 1 && data.dimensions != 3)
        throw Error(QStringLiteral("%1: IDX files with %2 dimensions are not supported (expected "
                                   "1 for labels or 3 for images)")
                        .arg(path)
                        .arg(data.dimensions));
    unsigned char dims[12] = {};
    file.read(reinterpret_cast<char *>(dims), 4 * data.dimensions, "header");
    data.count = bigEndian32(dims);
    std::int64_t itemSize = 1;
    if (data.dimensions == 3) {
        data.rows = int(bigEndian32(dims + 4));
        data.columns = int(bigEndian32(dims + 8));
        if (data.rows <= 0 || data.columns <= 0 || data.rows > 4096 || data.columns > 4096)
            throw Error(QStringLiteral("%1: implausible image size %2x%3 in the header")
                            .arg(path)
                            .arg(data.columns)
                            .arg(data.rows));
        itemSize = std::int64_t(data.rows) * data.columns;
    }
    const std::int64_t total = data.count * itemSize;
    if (total > maxIdxBytes)
        throw Error(QStringLiteral("%1: the header claims %2 bytes of data, more than the %3 "
                                   "allowed")
                        .arg(path)
                        .arg(total)
                        .arg(maxIdxBytes));
    // Grown as the data arrives (doubling from 64 MB), not to what the header claims: a
    // 20-byte file claiming 4 GB fails at its end instead of allocating 4 GB first.
    std::int64_t have = 0;
    while (have < total) {
        const std::int64_t step = std::min(total - have, std::max<std::int64_t>(64 << 20, have));
        data.values.resize(qsizetype(have + step));
        file.read(data.values.data() + have, step, "data");
        have += step;
    }
    if (!file.atEnd())
        throw Error(QStringLiteral("%1: more data than the header's %2 items")
                        .arg(path)
                        .arg(data.count));
    return data;
}

} // namespace assay::formats
