// The flow half of the YAML subset parser: `[a, b]`, `{k: v}` and quoted scalars.

#include "yoloyamlparts.h"

#include "util/error.h"

#include <QByteArray>

#include <string>

namespace assay::formats::yaml::detail {

void fail(const QString &file, int line, const QString &problem)
{
    throw Error(QStringLiteral("%1:%2: %3").arg(file).arg(line).arg(problem));
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

void checkPlain(std::string_view text, const QString &file, int line)
{
    const char c = text.front();
    if (c == '&' || c == '*' || c == '!')
        fail(file, line, QStringLiteral("anchors, aliases and tags are not supported"));
    if (c == '%' || c == '@' || c == '`')
        fail(file, line,
             QStringLiteral("a plain value cannot start with '%1'").arg(QLatin1Char(c)));
}

int lineAt(const LineOffsets &offsets, size_t pos)
{
    int line = offsets.front().second;
    for (const auto &[offset, number] : offsets) {
        if (offset <= pos)
            line = number;
    }
    return line;
}

void skipSpaces(std::string_view s, size_t &pos)
{
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t'))
        ++pos;
}

Node parseFlow(std::string_view s, size_t &pos, const LineOffsets &offsets, const QString &file)
{
    skipSpaces(s, pos);
    if (pos == s.size())
        throw NeedMore{};
    Node node;
    node.line = lineAt(offsets, pos);
    const char c = s[pos];
    if (c == '[' || c == '{') {
        const bool isList = c == '[';
        const char close = isList ? ']' : '}';
        node.kind = isList ? Node::Kind::List : Node::Kind::Map;
        ++pos;
        for (;;) {
            skipSpaces(s, pos);
            if (pos == s.size())
                throw NeedMore{};
            if (s[pos] == close) {
                ++pos;
                return node;
            }
            const int line = lineAt(offsets, pos);
            if (isList) {
                node.items.push_back(parseFlow(s, pos, offsets, file));
            } else {
                const Node key = parseFlow(s, pos, offsets, file);
                if (!key.isScalar())
                    fail(file, line, QStringLiteral("a key must be a plain or quoted value"));
                skipSpaces(s, pos);
                if (pos == s.size())
                    throw NeedMore{};
                if (s[pos] != ':')
                    fail(file, lineAt(offsets, pos), QStringLiteral("expected ':' after the key"));
                ++pos;
                skipSpaces(s, pos);
                Node item;
                if (pos < s.size() && (s[pos] == ',' || s[pos] == close))
                    item.line = line;
                else
                    item = parseFlow(s, pos, offsets, file);
                for (const auto &entry : node.entries) {
                    if (entry.first == key.text)
                        fail(file, line, QStringLiteral("duplicate key '%1'").arg(key.text));
                }
                node.entries.emplace_back(key.text, std::move(item));
            }
            skipSpaces(s, pos);
            if (pos == s.size())
                throw NeedMore{};
            if (s[pos] == ',')
                ++pos;
            else if (s[pos] != close)
                fail(file, lineAt(offsets, pos),
                     QStringLiteral("expected ',' or '%1'").arg(QLatin1Char(close)));
        }
    }
    if (c == '"' || c == '\'') {
        node.kind = Node::Kind::Scalar;
        node.quoted = true;
        if (!quoted(s, pos, node.text, file, node.line))
            throw NeedMore{};
        return node;
    }
    size_t end = pos;
    while (end < s.size() && s[end] != ',' && s[end] != ']' && s[end] != '}' && s[end] != '[' &&
           s[end] != '{' &&
           !(s[end] == ':' && (end + 1 == s.size() || s[end + 1] == ' ' || s[end + 1] == ',' ||
                               s[end + 1] == ']' || s[end + 1] == '}')))
        ++end;
    const std::string_view text = trim(s.substr(pos, end - pos));
    if (text.empty())
        fail(file, node.line, QStringLiteral("empty entry"));
    if (end < s.size() && (s[end] == '[' || s[end] == '{'))
        fail(file, node.line, QStringLiteral("unexpected bracket"));
    checkPlain(text, file, node.line);
    pos = end;
    if (text != "~" && text != "null" && text != "Null" && text != "NULL") {
        node.kind = Node::Kind::Scalar;
        node.text = QString::fromUtf8(text.data(), qsizetype(text.size()));
    }
    return node;
}

// A quoted scalar at `pos` (a quote); false when it does not end in `s`.
bool quoted(std::string_view s, size_t &pos, QString &out, const QString &file, int line)
{
    const char quote = s[pos];
    std::string text;
    for (size_t i = pos + 1; i < s.size(); ++i) {
        const char c = s[i];
        if (c == quote) {
            if (quote == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {
                text += '\'';
                ++i;
                continue;
            }
            pos = i + 1;
            out = QString::fromUtf8(text.data(), qsizetype(text.size()));
            return true;
        }
        if (quote == '"' && c == '\\') {
            if (++i == s.size())
                return false;
            switch (s[i]) {
            case 'n':
                text += '\n';
                break;
            case 't':
                text += '\t';
                break;
            case 'r':
                text += '\r';
                break;
            case '0':
                text += '\0';
                break;
            case '\\':
            case '"':
            case '/':
            case ' ':
                text += s[i];
                break;
            case 'u': {
                bool ok = false;
                const uint code =
                    i + 4 < s.size() ? QByteArray(s.data() + i + 1, 4).toUInt(&ok, 16) : 0;
                if (!ok)
                    fail(file, line, QStringLiteral("malformed \\u escape"));
                const char32_t codePoint = char32_t(code);
                text += QString::fromUcs4(&codePoint, 1).toStdString();
                i += 4;
                break;
            }
            default:
                fail(file, line,
                     QStringLiteral("unsupported escape '\\%1'").arg(QLatin1Char(s[i])));
            }
            continue;
        }
        text += c;
    }
    return false;
}

} // namespace assay::formats::yaml::detail
