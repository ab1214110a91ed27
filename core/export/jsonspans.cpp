#include "jsonspans.h"

#include "util/error.h"

namespace assay::exporting::json {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

size_t skipSpace(std::string_view text, size_t at)
{
    while (at < text.size() && isSpace(text[at]))
        ++at;
    return at;
}

[[noreturn]] void truncated(size_t at)
{
    throw Error(QStringLiteral("the JSON text ends inside a value (byte %1)").arg(at));
}

// Past the closing quote of the string whose opening quote is at `at`.
size_t stringEnd(std::string_view text, size_t at)
{
    for (size_t p = at + 1; p < text.size(); ++p) {
        if (text[p] == '\\')
            ++p;
        else if (text[p] == '"')
            return p + 1;
    }
    truncated(at);
}

} // namespace

size_t valueEnd(std::string_view text, size_t at)
{
    at = skipSpace(text, at);
    if (at >= text.size())
        truncated(at);
    const char first = text[at];
    if (first == '"')
        return stringEnd(text, at);
    if (first != '{' && first != '[') {
        size_t p = at;
        while (p < text.size() && !isSpace(text[p]) && text[p] != ',' && text[p] != '}'
               && text[p] != ']')
            ++p;
        return p;
    }
    int depth = 0;
    for (size_t p = at; p < text.size(); ++p) {
        const char c = text[p];
        if (c == '"') {
            p = stringEnd(text, p) - 1;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return p + 1;
        }
    }
    truncated(at);
}

std::vector<Member> members(std::string_view text, Span object)
{
    std::vector<Member> out;
    size_t p = skipSpace(text, object.begin + 1);
    while (p < object.end && text[p] == '"') {
        const size_t keyEnd = stringEnd(text, p);
        Member member;
        member.key = text.substr(p + 1, keyEnd - p - 2);
        p = skipSpace(text, keyEnd);
        if (p >= text.size() || text[p] != ':')
            truncated(p);
        member.value.begin = skipSpace(text, p + 1);
        member.value.end = valueEnd(text, member.value.begin);
        out.push_back(member);
        p = skipSpace(text, member.value.end);
        if (p < text.size() && text[p] == ',')
            p = skipSpace(text, p + 1);
    }
    return out;
}

std::vector<Span> elements(std::string_view text, Span array)
{
    std::vector<Span> out;
    size_t p = skipSpace(text, array.begin + 1);
    while (p < array.end && text[p] != ']') {
        Span element{p, valueEnd(text, p)};
        out.push_back(element);
        p = skipSpace(text, element.end);
        if (p < text.size() && text[p] == ',')
            p = skipSpace(text, p + 1);
    }
    return out;
}

std::vector<Member> objectMembers(std::string_view object)
{
    const size_t start = skipSpace(object, 0);
    if (start >= object.size() || object[start] != '{')
        return {};
    return members(object, {start, valueEnd(object, start)});
}

bool hasOwnFields(std::string_view extra)
{
    for (const Member &member : objectMembers(extra)) {
        if (member.key != "id" && member.key != "area")
            return true;
    }
    return false;
}

Span topLevelValue(std::string_view text, std::string_view key)
{
    const size_t start = skipSpace(text, 0);
    if (start >= text.size() || text[start] != '{')
        return {};
    for (const Member &member : members(text, {start, text.size()})) {
        if (member.key == key)
            return member.value;
    }
    return {};
}

} // namespace assay::exporting::json
