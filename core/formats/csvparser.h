#pragma once

#include "text.h"

#include <QString>

#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace assay::formats {

// RFC 4180 reader over a byte buffer: quoted fields, doubled quotes, delimiters and newlines
// inside quotes, CRLF or LF, a UTF-8 byte-order mark. Fields are views into the buffer, or into
// the parser's own storage for fields that had doubled quotes. Errors throw assay::Error with
// the file name and line.
class CsvParser
{
public:
    CsvParser(std::string_view data, QString fileName);

    // Reads the next non-blank row. Returns false at the end. `line` is the row's first line.
    bool next(std::vector<std::string_view> &fields, int &line);
    char delimiter() const { return m_delimiter; }
    // The byte where the next row (or the blank lines before it) starts.
    size_t offset() const { return m_pos; }
    double position() const { return double(m_pos) / double(std::max<size_t>(m_data.size(), 1)); }

private:
    std::string_view m_data;
    QString m_fileName;
    size_t m_pos = 0;
    int m_line = 1;
    char m_delimiter = ',';
    std::deque<std::string> m_unescaped; // storage for the current row's unescaped fields
};


} // namespace assay::formats
