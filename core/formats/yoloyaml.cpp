// A strict parser for the subset of YAML that dataset descriptions use; see yoloyaml.h.

#include "yoloyaml.h"
#include "yoloyamlparts.h"

#include <string>

namespace assay::formats::yaml {

namespace {

using detail::trim;

struct Line
{
    int number = 0;        // 1-based
    int indent = 0;        // leading spaces
    std::string_view text; // after the indentation, '\r' removed
};

bool isBlank(std::string_view text)
{
    text = trim(text);
    return text.empty() || text.front() == '#';
}

// Whether a quote at `i` opens a quoted scalar (at the start of a token, not inside a word).
bool opensQuote(std::string_view s, size_t i)
{
    return i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '[' || s[i - 1] == '{' ||
           s[i - 1] == ',';
}

// Walks `s` outside quotes, calling `visit(i, depth)` for each such character; stops when it
// returns true and gives that index (or npos).
template<typename Visit> size_t scanOutsideQuotes(std::string_view s, Visit visit)
{
    char quote = 0;
    int depth = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (quote) {
            if ((quote == '"' && c == '\\') ||
                (quote == '\'' && c == '\'' && i + 1 < s.size() && s[i + 1] == '\''))
                ++i;
            else if (c == quote)
                quote = 0;
            continue;
        }
        if ((c == '"' || c == '\'') && opensQuote(s, i)) {
            quote = c;
            continue;
        }
        if (visit(i, depth))
            return i;
        if (c == '[' || c == '{')
            ++depth;
        else if ((c == ']' || c == '}') && depth > 0)
            --depth;
    }
    return std::string_view::npos;
}

std::string_view stripComment(std::string_view s)
{
    const size_t hash = scanOutsideQuotes(s, [&](size_t i, int) {
        return s[i] == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t');
    });
    return trim(hash == std::string_view::npos ? s : s.substr(0, hash));
}

// The ':' that ends a block mapping key (followed by a space or the end), or npos.
size_t findKeyColon(std::string_view s)
{
    return scanOutsideQuotes(s, [&](size_t i, int depth) {
        return depth == 0 && s[i] == ':' &&
               (i + 1 == s.size() || s[i + 1] == ' ' || s[i + 1] == '\t');
    });
}

bool isDash(std::string_view text)
{
    return !text.empty() && text.front() == '-' && (text.size() == 1 || text[1] == ' ');
}

class Parser
{
public:
    Parser(std::string_view text, const QString &fileName) : m_file(fileName) { split(text); }

    Node document()
    {
        size_t i = 0;
        Node root = block(i, -1);
        const size_t next = nextContent(i);
        if (next < m_lines.size())
            fail(m_lines[next].number, QStringLiteral("unexpected content"));
        return root;
    }

private:
    [[noreturn]] void fail(int line, const QString &problem) const
    {
        detail::fail(m_file, line, problem);
    }

    void split(std::string_view text)
    {
        if (text.starts_with("\xEF\xBB\xBF"))
            text.remove_prefix(3);
        bool content = false;
        int number = 0;
        while (!text.empty()) {
            const size_t end = text.find('\n');
            std::string_view raw = text.substr(0, end);
            text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
            ++number;
            if (!raw.empty() && raw.back() == '\r')
                raw.remove_suffix(1);
            if (raw == "---" || raw.starts_with("--- ")) {
                if (content)
                    fail(number, QStringLiteral("more than one document is not supported"));
                if (!isBlank(raw.substr(3)))
                    fail(number, QStringLiteral("content after '---' is not supported"));
                continue;
            }
            if (raw == "..." || raw.starts_with("... "))
                break;
            if (!content && raw.starts_with('%'))
                fail(number, QStringLiteral("directives are not supported"));
            Line line;
            line.number = number;
            while (size_t(line.indent) < raw.size() && raw[size_t(line.indent)] == ' ')
                ++line.indent;
            line.text = raw.substr(size_t(line.indent));
            content = content || !isBlank(line.text);
            m_lines.push_back(line);
        }
    }

    // The index of the next line with content at or after `i` (or the number of lines).
    size_t nextContent(size_t i) const
    {
        for (; i < m_lines.size(); ++i) {
            if (isBlank(m_lines[i].text))
                continue;
            if (m_lines[i].text.front() == '\t')
                fail(m_lines[i].number, QStringLiteral("tab character in the indentation"));
            return i;
        }
        return i;
    }

    // A block node more indented than `parent`, or Null when there is none.
    Node block(size_t &i, int parent)
    {
        const size_t j = nextContent(i);
        if (j == m_lines.size() || m_lines[j].indent <= parent)
            return {};
        const std::string_view text = stripComment(m_lines[j].text);
        if (isDash(text))
            return list(i = j, m_lines[j].indent);
        if (text.front() != '[' && text.front() != '{' && findKeyColon(text) != text.npos)
            return map(i = j, m_lines[j].indent);
        i = j;
        return value(text, i, parent);
    }

    Node list(size_t &i, int indent)
    {
        Node node;
        node.kind = Node::Kind::List;
        node.line = m_lines[i].number;
        for (;;) {
            const size_t j = nextContent(i);
            if (j == m_lines.size() || m_lines[j].indent < indent)
                break;
            Line &line = m_lines[j];
            if (line.indent > indent)
                fail(line.number, QStringLiteral("unexpected indentation"));
            if (!isDash(stripComment(line.text)))
                break; // the end of an indentless list inside a mapping
            size_t offset = 1;
            while (offset < line.text.size() && line.text[offset] == ' ')
                ++offset;
            const std::string_view rest = line.text.substr(offset);
            const std::string_view stripped = stripComment(rest);
            if (stripped.empty()) {
                i = j + 1;
                Node item = block(i, indent);
                item.line = item.isNull() ? line.number : item.line;
                node.items.push_back(std::move(item));
                continue;
            }
            const bool nested =
                isDash(stripped) || (stripped.front() != '[' && stripped.front() != '{' &&
                                     findKeyColon(stripped) != stripped.npos);
            if (nested) { // "- - a" or "- key: value": a compact node starting on this line
                line.indent += int(offset);
                line.text = rest;
                i = j;
                node.items.push_back(block(i, indent));
                continue;
            }
            i = j;
            node.items.push_back(value(stripped, i, indent));
        }
        return node;
    }

    Node map(size_t &i, int indent)
    {
        Node node;
        node.kind = Node::Kind::Map;
        node.line = m_lines[i].number;
        for (;;) {
            const size_t j = nextContent(i);
            if (j == m_lines.size() || m_lines[j].indent < indent)
                break;
            const Line &line = m_lines[j];
            if (line.indent > indent)
                fail(line.number, QStringLiteral("unexpected indentation"));
            const std::string_view text = stripComment(line.text);
            if (isDash(text))
                fail(line.number, QStringLiteral("a list item where a 'key: value' was expected"));
            if (text.starts_with("? "))
                fail(line.number, QStringLiteral("complex keys are not supported"));
            const size_t colon = findKeyColon(text);
            if (colon == text.npos || text.front() == '[' || text.front() == '{')
                fail(line.number, QStringLiteral("expected 'key: value'"));
            const QString key = keyText(trim(text.substr(0, colon)), line.number);
            for (const auto &entry : node.entries) {
                if (entry.first == key)
                    fail(line.number, QStringLiteral("duplicate key '%1' (first on line %2)")
                                          .arg(key)
                                          .arg(entry.second.line));
            }
            const std::string_view rest = trim(text.substr(colon + 1));
            Node item;
            if (rest.empty()) {
                i = j + 1;
                const size_t k = nextContent(i);
                if (k < m_lines.size() && m_lines[k].indent == indent &&
                    isDash(stripComment(m_lines[k].text)))
                    item = list(i = k, indent); // "key:\n- a\n- b"
                else
                    item = block(i, indent);
            } else {
                i = j;
                item = value(rest, i, indent);
            }
            item.line = line.number;
            node.entries.emplace_back(key, std::move(item));
        }
        return node;
    }

    QString keyText(std::string_view key, int line) const
    {
        if (key.empty())
            fail(line, QStringLiteral("empty key"));
        if (key.front() == '"' || key.front() == '\'') {
            size_t pos = 0;
            QString text;
            if (!detail::quoted(key, pos, text, m_file, line) || pos != key.size())
                fail(line, QStringLiteral("malformed quoted key"));
            return text;
        }
        checkPlain(key, line);
        return QString::fromUtf8(key.data(), qsizetype(key.size()));
    }

    void checkPlain(std::string_view text, int line) const
    {
        detail::checkPlain(text, m_file, line);
    }

    // An inline value on line `i` (a scalar, a flow collection, or a block scalar header); moves
    // `i` past the lines it used.
    Node value(std::string_view text, size_t &i, int parent)
    {
        const int number = m_lines[i].number;
        Node node;
        node.line = number;
        ++i;
        const char c = text.front();
        if (c == '|' || c == '>')
            return blockScalar(c == '|', i, parent, number);
        if (c == '[' || c == '{')
            return flowLines(text, i, number);
        if (c == '"' || c == '\'') {
            size_t pos = 0;
            node.kind = Node::Kind::Scalar;
            node.quoted = true;
            if (!detail::quoted(text, pos, node.text, m_file, number))
                fail(number, QStringLiteral("unterminated quoted value"));
            if (pos != text.size())
                fail(number, QStringLiteral("unexpected text after the quoted value"));
            return node;
        }
        checkPlain(text, number);
        if (isDash(text) || findKeyColon(text) != text.npos)
            fail(number, QStringLiteral("a nested list or mapping must start on its own line"));
        if (text == "~" || text == "null" || text == "Null" || text == "NULL")
            return node;
        node.kind = Node::Kind::Scalar;
        node.text = QString::fromUtf8(text.data(), qsizetype(text.size()));
        return node;
    }

    Node blockScalar(bool literal, size_t &i, int parent, int number)
    {
        Node node;
        node.kind = Node::Kind::Scalar;
        node.line = number;
        int indent = -1;
        QString text;
        for (; i < m_lines.size(); ++i) {
            const Line &line = m_lines[i];
            if (trim(line.text).empty()) {
                text += u'\n';
                continue;
            }
            if (line.indent <= parent)
                break;
            if (indent < 0)
                indent = line.indent;
            if (line.indent < indent)
                fail(line.number, QStringLiteral("less indented than the block above"));
            const std::string_view part = line.text;
            if (!text.isEmpty() && !text.endsWith(u'\n'))
                text += literal ? u'\n' : u' ';
            text += QString(qsizetype(line.indent - indent), u' ');
            text += QString::fromUtf8(part.data(), qsizetype(part.size()));
        }
        node.text = text.trimmed();
        return node;
    }

    // A flow collection starting in `text` (line `number`); following lines are appended while
    // it is open.
    Node flowLines(std::string_view text, size_t &i, int number)
    {
        std::string buffer(text);
        m_offsets.assign(1, {0, number});
        for (;;) {
            try {
                size_t pos = 0;
                Node node = detail::parseFlow(buffer, pos, m_offsets, m_file);
                detail::skipSpaces(buffer, pos);
                if (pos != buffer.size())
                    fail(detail::lineAt(m_offsets, pos),
                         QStringLiteral("unexpected text after the closing bracket"));
                return node;
            } catch (const detail::NeedMore &) {
                const size_t j = nextContent(i);
                if (j == m_lines.size())
                    fail(number,
                         QStringLiteral("unterminated '%1'").arg(QLatin1Char(text.front())));
                buffer += ' ';
                m_offsets.push_back({buffer.size(), m_lines[j].number});
                buffer += stripComment(m_lines[j].text);
                i = j + 1;
            }
        }
    }

    QString m_file;
    std::vector<Line> m_lines;
    detail::LineOffsets m_offsets;
};

} // namespace

const Node *Node::find(const QString &key) const
{
    for (const auto &entry : entries) {
        if (entry.first == key)
            return &entry.second;
    }
    return nullptr;
}

Node parse(std::string_view text, const QString &fileName)
{
    return Parser(text, fileName).document();
}

} // namespace assay::formats::yaml
