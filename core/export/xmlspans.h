#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

// Byte ranges of the elements of an XML document known to be well formed (it was parsed at
// import), so an export can replace one element's text and keep every other byte.
namespace assay::exporting::xml {

struct Element
{
    std::string_view name;
    size_t begin = 0;        // the '<' of the start tag
    size_t end = 0;          // one past the '>' of the end tag (or of an empty-element tag)
    size_t contentBegin = 0; // one past the start tag's '>'
    size_t contentEnd = 0;   // the '<' of the end tag
    int depth = 0;           // 0 for the root element
    int parent = -1;         // index of the parent element
};

// Every element in document order. Throws Error when the text is cut short.
std::vector<Element> elements(std::string_view text);

// The children of element `parent` named `name`.
std::vector<int> children(const std::vector<Element> &all, int parent, std::string_view name);

} // namespace assay::exporting::xml
