#pragma once

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

class QXmlStreamReader;

namespace assay::formats {

// One <object> of a Pascal VOC annotation file.
struct VocObject
{
    std::string name;                  // <name>, empty when absent
    double x = 0, y = 0, w = 0, h = 0; // 0-based pixels (see parseVocAnnotation)
    std::string extra; // the object's other children as compact JSON; empty when there are none
};

// What one annotation file says.
struct VocAnnotation
{
    QString filename;                    // <filename>, trimmed; empty when absent
    std::int64_t width = 0, height = 0; // <size>, 0 when absent or not a positive number
    std::vector<VocObject> objects;
};

// Parses one annotation file held in `data`, reusing `xml` from file to file. `shown` names the
// file in messages. Malformed XML throws Error("<shown>:<line>:<column>: <parser message>"); an
// object without a complete <bndbox> or with a non-numeric coordinate throws
// Error("<shown>:<line>: ...").
//
// `extra` keeps difficult, truncated, occluded and pose as they appear (integers as numbers,
// anything else as strings) and every other child element as its text or, when it has child
// elements of its own, as its XML re-serialised without the whitespace between tags. A child
// that repeats (<part> of the person layout) becomes an array of its values.
//
// Files in the shape tools write (plain elements, ASCII text) take a fast path that gives the
// same result (parseSimpleVocAnnotation); the others are read with QXmlStreamReader.
VocAnnotation parseVocAnnotation(QXmlStreamReader &xml, std::string_view data,
                                 const QString &shown);

// The fast path alone: nothing when the file is not in that shape (or is wrong in any way).
std::optional<VocAnnotation> parseSimpleVocAnnotation(std::string_view data);
// The QXmlStreamReader path alone.
VocAnnotation parseVocAnnotationXml(QXmlStreamReader &xml, std::string_view data,
                                    const QString &shown);

} // namespace assay::formats
