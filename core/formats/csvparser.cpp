#include "csvparser.h"

#include "util/error.h"

namespace assay::formats {

namespace {

// Picks the delimiter that occurs most in the header line outside quotes.
char sniffDelimiter(std::string_view data)
{
    int comma = 0, tab = 0, semicolon = 0;
    bool quoted = false;
    for (char c : data) {
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted && c == ',')
            ++comma;
        else if (!quoted && c == '\t')
            ++tab;
        else if (!quoted && c == ';')
            ++semicolon;
    }
    if (tab > comma && tab >= semicolon)
        return '\t';
    if (semicolon > comma)
        return ';';
    return ',';
}

} // namespace

CsvParser::CsvParser(std::string_view data, QString fileName)
    : m_data(data), m_fileName(std::move(fileName))
{
    if (m_data.starts_with("\xEF\xBB\xBF"))
        m_pos = 3;
    m_delimiter = sniffDelimiter(m_data.substr(m_pos));
}

bool CsvParser::next(std::vector<std::string_view> &fields, int &line)
{
    fields.clear();
    m_unescaped.clear();
    const size_t size = m_data.size();
    // Skip blank lines.
    while (m_pos < size && (m_data[m_pos] == '\n' || m_data[m_pos] == '\r')) {
        if (m_data[m_pos] == '\n')
            ++m_line;
        ++m_pos;
    }
    if (m_pos >= size)
        return false;
    line = m_line;
    const char *data = m_data.data();
    for (;;) {
        if (m_pos < size && data[m_pos] == '"') {
            const int startLine = m_line;
            size_t begin = ++m_pos;
            bool hasEscapes = false;
            for (;;) {
                if (m_pos >= size)
                    throw Error(QStringLiteral("%1:%2: unterminated quoted field")
                                    .arg(m_fileName)
                                    .arg(startLine));
                const char c = data[m_pos];
                if (c == '"') {
                    if (m_pos + 1 < size && data[m_pos + 1] == '"') {
                        hasEscapes = true;
                        m_pos += 2;
                        continue;
                    }
                    break;
                }
                if (c == '\n')
                    ++m_line;
                ++m_pos;
            }
            std::string_view raw(data + begin, m_pos - begin);
            ++m_pos; // closing quote
            if (hasEscapes) {
                std::string unescaped;
                unescaped.reserve(raw.size());
                for (size_t i = 0; i < raw.size(); ++i) {
                    unescaped.push_back(raw[i]);
                    if (raw[i] == '"')
                        ++i;
                }
                m_unescaped.push_back(std::move(unescaped));
                raw = m_unescaped.back();
            }
            fields.push_back(raw);
            // Only spaces may stand between a closing quote and the delimiter.
            while (m_pos < size && (data[m_pos] == ' ' || data[m_pos] == '\t'))
                ++m_pos;
            if (m_pos < size && data[m_pos] != m_delimiter && data[m_pos] != '\n'
                && data[m_pos] != '\r')
                throw Error(QStringLiteral("%1:%2: unexpected text after a quoted field")
                                .arg(m_fileName)
                                .arg(m_line));
        } else {
            const size_t begin = m_pos;
            while (m_pos < size && data[m_pos] != m_delimiter && data[m_pos] != '\n'
                   && data[m_pos] != '\r')
                ++m_pos;
            fields.push_back(trimmed(std::string_view(data + begin, m_pos - begin)));
        }
        if (m_pos >= size)
            return true;
        const char c = data[m_pos];
        if (c == m_delimiter) {
            ++m_pos;
            continue;
        }
        // End of row: CRLF, LF or a lone CR.
        if (c == '\r')
            ++m_pos;
        if (m_pos < size && data[m_pos] == '\n')
            ++m_pos;
        ++m_line;
        return true;
    }
}

} // namespace assay::formats
