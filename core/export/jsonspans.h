#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

// Byte ranges of JSON values inside a document that is known to be well formed (it was parsed
// at import). Export patches these ranges and copies every other byte as it was, so keys,
// spacing and number spellings Assay does not touch survive unchanged.
namespace assay::exporting::json {

struct Span
{
    size_t begin = 0;
    size_t end = 0; // one past the last byte
    std::string_view of(std::string_view text) const { return text.substr(begin, end - begin); }
};

struct Member
{
    std::string_view key; // as spelled between the quotes (escapes not decoded)
    Span value;
};

// The end of the value starting at `at` (after whitespace). Throws Error on a truncated value.
size_t valueEnd(std::string_view text, size_t at);

// The members of the object whose '{' is at `span.begin`.
std::vector<Member> members(std::string_view text, Span object);

// The elements of the array whose '[' is at `span.begin`.
std::vector<Span> elements(std::string_view text, Span array);

// The members of `object`, a text that is one JSON object (none when it is empty or not one).
std::vector<Member> objectMembers(std::string_view object);

// Whether an object's extra fields (annotations' `extra`) hold anything but the source's own
// bookkeeping, which every format regenerates: COCO's "id" and "area".
bool hasOwnFields(std::string_view extra);

// The value of `key` in the top-level object, or an empty span.
Span topLevelValue(std::string_view text, std::string_view key);

} // namespace assay::exporting::json
