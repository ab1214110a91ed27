#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <variant>

namespace assay {

// One value of an edited field as the edit journal stores it: NULL, an integer (row ids, flags),
// a real, text (names, boxes, whole rows as JSON) or bytes (geometry). Equal values compare equal
// with ==; the journal keeps each in its own SQLite storage class.
using FieldValue = std::variant<std::monostate, std::int64_t, double, QString, QByteArray>;

inline bool isNullValue(const FieldValue &value)
{
    return std::holds_alternative<std::monostate>(value);
}

} // namespace assay
