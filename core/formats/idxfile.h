#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace assay::formats {

// An IDX file (MNIST and Fashion-MNIST), gzip'd or plain, fully read and checked.
struct IdxData
{
    int dimensions = 0;    // 3 for images, 1 for labels
    std::int64_t count = 0;
    int rows = 0;          // images only
    int columns = 0;       // images only
    QByteArray values;     // count * rows * columns bytes (or count bytes for labels)

    const uchar *item(std::int64_t index) const
    {
        return reinterpret_cast<const uchar *>(values.constData()) + index * rows * columns;
    }
};

// Reads and validates a whole IDX file of unsigned bytes. Throws Error naming the file and the
// problem (truncated gzip stream, wrong magic number, a size that does not match the header).
IdxData readIdxFile(const QString &path);

// Whether a file name looks like an IDX file: "...-images-idx3-ubyte[.gz]", "...idx1-ubyte".
bool isIdxFileName(const QString &fileName);

} // namespace assay::formats
