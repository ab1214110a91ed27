#pragma once

#include <QString>

#include <string_view>
#include <utility>
#include <vector>

namespace assay::formats::yaml {

// A node of the small YAML subset dataset descriptions use (Ultralytics' data.yaml): plain and
// quoted scalars, flow lists and maps (`[a, b]`, `{0: a}`, may span lines), block lists
// (`- a`), block mappings (`key: value`), literal and folded block scalars (`|`, `>`) and
// comments. Anchors, aliases, tags, complex keys and multi-document streams are refused.
struct MapEntry;

struct Node
{
    enum class Kind { Null, Scalar, List, Map };
    Kind kind = Kind::Null;
    QString text; // Scalar
    bool quoted = false;
    std::vector<Node> items;                       // List
    std::vector<MapEntry> entries; // Map, in file order
    int line = 0;                                  // 1-based line where the node starts

    bool isNull() const { return kind == Kind::Null; }
    bool isScalar() const { return kind == Kind::Scalar; }
    bool isList() const { return kind == Kind::List; }
    bool isMap() const { return kind == Kind::Map; }
    // The value of `key` in a map, or nullptr.
    const Node *find(const QString &key) const;
};

// A key and its value (a pair with a complete type: std::pair<QString, Node> inside Node is
// refused by clang's standard library checks).
struct MapEntry
{
    MapEntry(QString key, Node value) : first(std::move(key)), second(std::move(value)) {}
    QString first;
    Node second;
};

// Parses a whole document. Throws Error "<fileName>:<line>: <problem>" on anything outside the
// subset or malformed.
Node parse(std::string_view text, const QString &fileName);

} // namespace assay::formats::yaml
