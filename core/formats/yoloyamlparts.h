#pragma once

#include "yoloyaml.h"

#include <QString>

#include <string_view>
#include <utility>
#include <vector>

// Pieces shared by the block (yoloyaml.cpp) and flow (yoloyamlflow.cpp) halves of the YAML
// subset parser.
namespace assay::formats::yaml::detail {

// Thrown when a flow collection or a quoted value runs past the text it was given: the caller
// appends the next line and tries again.
struct NeedMore
{
};

// Offsets into a buffer joined from several lines, each with the line number it starts.
using LineOffsets = std::vector<std::pair<size_t, int>>;

// Without leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);

// Throws Error "<file>:<line>: <problem>".
[[noreturn]] void fail(const QString &file, int line, const QString &problem);

// Refuses plain values starting with what YAML reserves (anchors, aliases, tags, ...).
void checkPlain(std::string_view text, const QString &file, int line);

// A quoted scalar starting at s[pos] (a quote); false when it does not end inside `s`.
bool quoted(std::string_view s, size_t &pos, QString &out, const QString &file, int line);

int lineAt(const LineOffsets &offsets, size_t pos);
void skipSpaces(std::string_view s, size_t &pos);

// A flow node (collection or scalar) starting at `pos`; throws NeedMore when `s` ends inside it.
Node parseFlow(std::string_view s, size_t &pos, const LineOffsets &offsets, const QString &file);

} // namespace assay::formats::yaml::detail
