#include "xmlspans.h"

#include "util/error.h"

namespace assay::exporting::xml {

namespace {

[[noreturn]] void cutShort(size_t at)
{
    throw Error(QStringLiteral("the XML text ends inside a tag (byte %1)").arg(at));
}

size_t find(std::string_view text, std::string_view what, size_t from)
{
    const size_t at = text.find(what, from);
    if (at == std::string_view::npos)
        cutShort(from);
    return at;
}

// One past the '>' closing the tag that starts at `at`, skipping quoted attribute values.
size_t tagEnd(std::string_view text, size_t at)
{
    char quote = 0;
    for (size_t p = at + 1; p < text.size(); ++p) {
        const char c = text[p];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            return p + 1;
        }
    }
    cutShort(at);
}

bool isNameEnd(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '>' || c == '/';
}

} // namespace

std::vector<Element> elements(std::string_view text)
{
    std::vector<Element> out;
    std::vector<int> open;
    size_t p = 0;
    while ((p = text.find('<', p)) != std::string_view::npos) {
        const std::string_view rest = text.substr(p);
        if (rest.starts_with("<!--")) {
            p = find(text, "-->", p + 4) + 3;
        } else if (rest.starts_with("<![CDATA[")) {
            p = find(text, "]]>", p + 9) + 3;
        } else if (rest.starts_with("<?")) {
            p = find(text, "?>", p + 2) + 2;
        } else if (rest.starts_with("<!")) {
            const size_t bracket = text.find('[', p);
            const size_t close = text.find('>', p);
            if (close == std::string_view::npos)
                cutShort(p);
            p = (bracket != std::string_view::npos && bracket < close)
                    ? find(text, "]>", bracket) + 2
                    : close + 1;
        } else if (rest.starts_with("</")) {
            const size_t end = tagEnd(text, p);
            if (!open.empty()) {
                Element &element = out[size_t(open.back())];
                element.contentEnd = p;
                element.end = end;
                open.pop_back();
            }
            p = end;
        } else {
            size_t n = p + 1;
            while (n < text.size() && !isNameEnd(text[n]))
                ++n;
            const size_t end = tagEnd(text, p);
            Element element;
            element.name = text.substr(p + 1, n - p - 1);
            element.begin = p;
            element.contentBegin = end;
            element.depth = int(open.size());
            element.parent = open.empty() ? -1 : open.back();
            if (text[end - 2] == '/') {
                element.contentEnd = end;
                element.end = end;
                out.push_back(element);
            } else {
                open.push_back(int(out.size()));
                out.push_back(element);
            }
            p = end;
        }
    }
    if (!open.empty())
        cutShort(text.size());
    return out;
}

std::vector<int> children(const std::vector<Element> &all, int parent, std::string_view name)
{
    std::vector<int> out;
    for (size_t i = size_t(parent) + 1; i < all.size() && all[i].begin < all[size_t(parent)].end;
         ++i) {
        if (all[i].parent == parent && all[i].name == name)
            out.push_back(int(i));
    }
    return out;
}

} // namespace assay::exporting::xml
