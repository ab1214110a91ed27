// The fast path of parseVocAnnotation: VOC files as tools write them — plain elements without
// attributes, ASCII text without entity references, no comments, CDATA, DOCTYPE or processing
// instructions but the XML declaration. For such a file it gives what the QXmlStreamReader path
// gives, ten times faster (tst_vocreader compares the two); on anything else it gives up, and that
// path reads the file (and reports what is wrong with it).

#include "vocxml.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace assay::formats {

namespace {

constexpr int maxDepth = 64;

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isNameStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool isNameChar(char c)
{
    return isNameStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

// What QString::trimmed() leaves of ASCII text.
std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && isSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back()))
        text.remove_suffix(1);
    return text;
}

QString latin1(std::string_view text)
{
    return QString::fromLatin1(text.data(), qsizetype(text.size()));
}

// QString::toDouble of the text, without a QString for the common spellings ("53", "87.5",
// "-1"): both round correctly.
double toDouble(std::string_view text, bool &ok)
{
    size_t i = text.starts_with('-') ? 1 : 0;
    size_t digits = 0, dots = 0;
    for (size_t j = i; j < text.size(); ++j) {
        if (text[j] >= '0' && text[j] <= '9')
            ++digits;
        else if (text[j] == '.')
            ++dots;
        else
            dots = 2; // anything else: Qt's own parsing
    }
    if (digits > 0 && dots <= 1 && digits <= 17) {
        double value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        ok = error == std::errc() && end == text.data() + text.size();
        if (ok)
            return value;
    }
    return latin1(text).toDouble(&ok);
}

// QString::toLongLong of the text (base 10: an optional sign and digits).
qint64 toLongLong(std::string_view text, bool &ok)
{
    ok = false;
    size_t i = 0;
    const bool negative = !text.empty() && text[0] == '-';
    if (!text.empty() && (text[0] == '-' || text[0] == '+'))
        i = 1;
    if (i == text.size())
        return 0;
    std::uint64_t magnitude = 0;
    for (; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9')
            return 0;
        if (__builtin_mul_overflow(magnitude, 10u, &magnitude) ||
            __builtin_add_overflow(magnitude, std::uint64_t(text[i] - '0'), &magnitude))
            return 0;
    }
    const std::uint64_t limit = negative ? std::uint64_t(1) << 63 : (std::uint64_t(1) << 63) - 1;
    if (magnitude > limit)
        return 0;
    ok = true;
    return negative ? qint64(0 - magnitude) : qint64(magnitude);
}

// A string as QJsonDocument::toJson writes it (for the ASCII the fast path takes).
void appendJsonString(std::string &out, std::string_view text)
{
    out.push_back('"');
    for (const char c : text) {
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            out.push_back(c);
        }
    }
    out.push_back('"');
}

// Gives up by returning false; every reader below passes that on.
class SimpleVoc
{
public:
    explicit SimpleVoc(std::string_view data) : m_data(data) {}

    bool parse(VocAnnotation &file)
    {
        // The declaration, when there is one, comes first (no space before it).
        if (m_data.substr(0, 5) == "<?xml" && !declaration())
            return false;
        skipSpace();
        std::string_view root;
        if (!startTag(root) || root != "annotation")
            return false;
        for (;;) {
            std::string_view child;
            bool ended = false;
            if (!nextChild(root, child, ended))
                return false;
            if (ended)
                break;
            if (child == "filename") {
                std::string_view text;
                if (!leafText(child, text))
                    return false;
                file.filename = latin1(trimmed(text));
            } else if (child == "size") {
                if (!size(file))
                    return false;
            } else if (child == "object") {
                file.objects.emplace_back();
                if (!object(file.objects.back()))
                    return false;
            } else if (!skipElement(child, 1)) {
                return false;
            }
        }
        skipSpace();
        return m_at == m_data.size();
    }

private:
    void skipSpace()
    {
        while (m_at < m_data.size() && isSpace(m_data[m_at]))
            ++m_at;
    }

    // <?xml version="1.0" encoding="UTF-8" standalone="no"?>, each part as XML allows it.
    bool declaration()
    {
        m_at = 5;
        static constexpr std::string_view keys[] = {"version", "encoding", "standalone"};
        int next = 0; // the parts come in this order, the version first
        for (;;) {
            const size_t before = m_at;
            skipSpace();
            if (m_data.substr(m_at, 2) == "?>") {
                m_at += 2;
                return next > 0;
            }
            if (m_at == before)
                return false; // parts are separated by spaces
            int which = next;
            while (which < 3 && m_data.substr(m_at, keys[which].size()) != keys[which])
                ++which;
            if (which == 3 || (next == 0 && which != 0))
                return false;
            next = which + 1;
            const std::string_view key = keys[which];
            m_at += key.size();
            skipSpace();
            if (m_at >= m_data.size() || m_data[m_at] != '=')
                return false;
            ++m_at;
            skipSpace();
            if (m_at >= m_data.size() || (m_data[m_at] != '"' && m_data[m_at] != '\''))
                return false;
            const char quote = m_data[m_at++];
            const size_t end = m_data.find(quote, m_at);
            if (end == std::string_view::npos)
                return false;
            const std::string_view value = m_data.substr(m_at, end - m_at);
            m_at = end + 1;
            if (key == "version" && value != "1.0")
                return false;
            if (key == "encoding" && value != "UTF-8" && value != "utf-8")
                return false;
            if (key == "standalone" && value != "yes" && value != "no")
                return false;
        }
    }

    // <name> (spaces before '>' allowed; no attributes, not empty-element tags).
    bool startTag(std::string_view &name)
    {
        if (m_at + 1 >= m_data.size() || m_data[m_at] != '<' || !isNameStart(m_data[m_at + 1]))
            return false;
        const size_t begin = ++m_at;
        while (m_at < m_data.size() && isNameChar(m_data[m_at]))
            ++m_at;
        name = m_data.substr(begin, m_at - begin);
        skipSpace();
        if (m_at >= m_data.size() || m_data[m_at] != '>')
            return false;
        ++m_at;
        return true;
    }

    // At "</": the end tag of `name`.
    bool endTag(std::string_view name)
    {
        m_at += 2;
        if (m_data.substr(m_at, name.size()) != name)
            return false;
        m_at += name.size();
        skipSpace();
        if (m_at >= m_data.size() || m_data[m_at] != '>')
            return false;
        ++m_at;
        return true;
    }

    // Character data up to the next tag: ASCII, no entity reference, no "]]>", no control
    // character XML forbids (or that it would normalise inside the text: a carriage return).
    bool text(std::string_view &out)
    {
        const size_t begin = m_at;
        while (m_at < m_data.size() && m_data[m_at] != '<') {
            const auto c = static_cast<unsigned char>(m_data[m_at]);
            if (c >= 0x80 || c == '&' || (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))
                return false;
            if (c == '>' && m_at >= begin + 2 && m_data[m_at - 1] == ']' && m_data[m_at - 2] == ']')
                return false;
            ++m_at;
        }
        if (m_at >= m_data.size())
            return false;
        out = m_data.substr(begin, m_at - begin);
        return trimmed(out).find('\r') == std::string_view::npos;
    }

    // The next child element of `parent` (its start tag read), or the end of `parent` (`ended`).
    // Text between children is skipped, as QXmlStreamReader::readNextStartElement does.
    bool nextChild(std::string_view parent, std::string_view &child, bool &ended)
    {
        std::string_view ignored;
        if (!text(ignored))
            return false;
        if (m_data.substr(m_at, 2) == "</") {
            ended = true;
            return endTag(parent);
        }
        return startTag(child);
    }

    // The text of an element without child elements, up to and including its end tag.
    bool leafText(std::string_view name, std::string_view &out)
    {
        return text(out) && m_data.substr(m_at, 2) == "</" && endTag(name);
    }

    bool skipElement(std::string_view name, int depth)
    {
        if (depth > maxDepth)
            return false;
        for (;;) {
            std::string_view child;
            bool ended = false;
            if (!nextChild(name, child, ended))
                return false;
            if (ended)
                return true;
            if (!skipElement(child, depth + 1))
                return false;
        }
    }

    bool size(VocAnnotation &file)
    {
        for (;;) {
            std::string_view child;
            bool ended = false;
            if (!nextChild("size", child, ended))
                return false;
            if (ended)
                return true;
            const bool isWidth = child == "width";
            if (!isWidth && child != "height") {
                if (!skipElement(child, 2))
                    return false;
                continue;
            }
            std::string_view raw;
            if (!leafText(child, raw))
                return false;
            bool ok = false;
            const double value = toDouble(trimmed(raw), ok);
            if (ok && std::isfinite(value) && value >= 1 && value < 1e9)
                (isWidth ? file.width : file.height) = std::llround(value);
        }
    }

    bool box(VocObject &object)
    {
        static constexpr std::string_view names[4] = {"xmin", "ymin", "xmax", "ymax"};
        double value[4] = {};
        bool seen[4] = {};
        for (;;) {
            std::string_view child;
            bool ended = false;
            if (!nextChild("bndbox", child, ended))
                return false;
            if (ended)
                break;
            int which = 0;
            while (which < 4 && child != names[which])
                ++which;
            if (which == 4) {
                if (!skipElement(child, 3))
                    return false;
                continue;
            }
            std::string_view raw;
            if (!leafText(child, raw))
                return false;
            bool ok = false;
            value[which] = toDouble(trimmed(raw), ok);
            if (!ok || !std::isfinite(value[which]))
                return false; // an error: reported by the other path, with its line
            seen[which] = true;
        }
        for (bool s : seen) {
            if (!s)
                return false;
        }
        object.x = value[0] - 1;
        object.y = value[1] - 1;
        object.w = value[2] - value[0] + 1;
        object.h = value[3] - value[1] + 1;
        return true;
    }

    // One of an object's other children, for its extra JSON.
    struct Extra
    {
        std::string_view key;
        std::string_view text;
        bool isInteger = false;
        qint64 integer = 0;
    };

    // What QJsonDocument(object).toJson(Compact) writes for the QJsonObject the other path
    // builds: keys sorted, a repeated key's values in an array in file order.
    static std::string extraJson(std::vector<Extra> &extras)
    {
        std::stable_sort(extras.begin(), extras.end(),
                         [](const Extra &a, const Extra &b) { return a.key < b.key; });
        std::string json = "{";
        auto value = [&json](const Extra &e) {
            if (e.isInteger)
                json += std::to_string(e.integer);
            else
                appendJsonString(json, e.text);
        };
        for (size_t i = 0; i < extras.size();) {
            size_t j = i + 1;
            while (j < extras.size() && extras[j].key == extras[i].key)
                ++j;
            if (i > 0)
                json.push_back(',');
            appendJsonString(json, extras[i].key);
            json.push_back(':');
            if (j - i == 1) {
                value(extras[i]);
            } else {
                json.push_back('[');
                for (size_t k = i; k < j; ++k) {
                    if (k > i)
                        json.push_back(',');
                    value(extras[k]);
                }
                json.push_back(']');
            }
            i = j;
        }
        json.push_back('}');
        return json;
    }

    bool object(VocObject &object)
    {
        m_extras.clear();
        bool hasBox = false;
        for (;;) {
            std::string_view child;
            bool ended = false;
            if (!nextChild("object", child, ended))
                return false;
            if (ended)
                break;
            if (child == "bndbox" && !hasBox) {
                if (!box(object))
                    return false;
                hasBox = true;
                continue;
            }
            // Every other child is read as text; one with child elements of its own (kept as
            // XML) is for the other path.
            std::string_view raw;
            if (!leafText(child, raw))
                return false;
            const std::string_view value = trimmed(raw);
            if (child == "name") {
                object.name = std::string(value);
            } else {
                Extra extra{child, value};
                // difficult, truncated, occluded and pose are numbers when they are integers.
                if (child == "difficult" || child == "truncated" || child == "occluded" ||
                    child == "pose")
                    extra.integer = toLongLong(value, extra.isInteger);
                m_extras.push_back(extra);
            }
        }
        if (!hasBox)
            return false;
        if (!m_extras.empty())
            object.extra = extraJson(m_extras);
        return true;
    }

    std::string_view m_data;
    size_t m_at = 0;
    std::vector<Extra> m_extras;
};

} // namespace

std::optional<VocAnnotation> parseSimpleVocAnnotation(std::string_view data)
{
    VocAnnotation file;
    if (!SimpleVoc(data).parse(file))
        return std::nullopt;
    return file;
}

} // namespace assay::formats
