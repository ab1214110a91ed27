#include "change.h"

#include <QStringList>
#include <QtEndian>

#include <array>
#include <cstring>

namespace assay::edit {

namespace {
constexpr std::array<std::string_view, fieldCount> fieldNames = {
    "class", "split", "reviewed", "excluded", "tag", "annotation_class", "box", "geometry",
    "annotation", "category_name", "category"};

unsigned bitsOf(std::initializer_list<Field> fields)
{
    unsigned bits = 0;
    for (const Field field : fields)
        bits |= 1u << unsigned(field);
    return bits;
}
} // namespace

std::string_view fieldName(Field field)
{
    return fieldNames[size_t(field)];
}

std::optional<Field> parseField(std::string_view name)
{
    for (size_t i = 0; i < fieldNames.size(); ++i) {
        if (fieldNames[i] == name)
            return Field(i);
    }
    return std::nullopt;
}

bool FieldSet::touchesLabels() const
{
    return m_bits
           & ~bitsOf({Field::SampleReviewed, Field::SampleExcluded, Field::SampleTag});
}

bool FieldSet::touchesSamples() const
{
    return m_bits
           & bitsOf({Field::SampleClass, Field::SampleSplit, Field::SampleReviewed,
                     Field::SampleExcluded, Field::SampleTag});
}

bool FieldSet::touchesAnnotations() const
{
    return m_bits
           & bitsOf({Field::AnnotationClass, Field::AnnotationBox, Field::AnnotationGeometry,
                     Field::Annotation});
}

bool FieldSet::touchesCategories() const
{
    return m_bits & bitsOf({Field::CategoryName, Field::Category});
}

QString encodeBox(const Box &box)
{
    auto number = [](double v) { return QString::number(v, 'g', 17); };
    return number(box.x) + u',' + number(box.y) + u',' + number(box.w) + u',' + number(box.h);
}

std::optional<Box> decodeBox(const QString &text)
{
    const QStringList parts = text.split(u',');
    if (parts.size() != 4)
        return std::nullopt;
    double values[4];
    for (int i = 0; i < 4; ++i) {
        bool ok = false;
        values[i] = parts[i].toDouble(&ok);
        if (!ok)
            return std::nullopt;
    }
    return Box{values[0], values[1], values[2], values[3]};
}

QByteArray encodeGeometry(const Box &box, const QByteArray &geometry)
{
    QByteArray out(32, Qt::Uninitialized);
    const double values[4] = {box.x, box.y, box.w, box.h};
    for (int i = 0; i < 4; ++i) {
        std::uint64_t bits;
        std::memcpy(&bits, &values[i], sizeof bits);
        qToLittleEndian(bits, out.data() + 8 * i);
    }
    return out + geometry;
}

bool decodeGeometry(const QByteArray &value, Box &box, QByteArray &geometry)
{
    if (value.size() < 32)
        return false;
    double values[4];
    for (int i = 0; i < 4; ++i) {
        const std::uint64_t bits = qFromLittleEndian<std::uint64_t>(value.constData() + 8 * i);
        std::memcpy(&values[i], &bits, sizeof bits);
    }
    box = {values[0], values[1], values[2], values[3]};
    geometry = value.mid(32);
    return true;
}

std::int64_t idOf(const FieldValue &value)
{
    if (const auto *id = std::get_if<std::int64_t>(&value))
        return *id;
    return 0;
}

} // namespace assay::edit
