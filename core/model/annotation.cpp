#include "annotation.h"

#include <QSysInfo>
#include <QtEndian>

#include <bit>
#include <cstring>

namespace assay {

namespace {

// Writes little-endian words into a blob sized in advance (one allocation for a whole polygon).
class Writer
{
public:
    explicit Writer(size_t words) : m_blob(qsizetype(words * 4), Qt::Uninitialized) {}
    void put(std::uint32_t value)
    {
        char *p = m_blob.data() + m_at;
        p[0] = char(value);
        p[1] = char(value >> 8);
        p[2] = char(value >> 16);
        p[3] = char(value >> 24);
        m_at += 4;
    }
    void put(float value)
    {
        std::uint32_t bits = 0;
        std::memcpy(&bits, &value, 4);
        put(bits);
    }
    // Floats as they are: on a little-endian machine they are already the blob's bytes.
    void put(const float *values, size_t count)
    {
        if constexpr (std::endian::native == std::endian::little) {
            std::memcpy(m_blob.data() + m_at, values, count * 4);
            m_at += qsizetype(count * 4);
        } else {
            for (size_t i = 0; i < count; ++i)
                put(values[i]);
        }
    }
    QByteArray take() { return std::move(m_blob); }

private:
    QByteArray m_blob;
    qsizetype m_at = 0;
};

// Reads little-endian words from a blob; a short or damaged blob reads as zeros and stops.
class Reader
{
public:
    explicit Reader(const QByteArray &blob) : m_blob(blob) {}
    bool ok() const { return m_ok; }
    std::uint32_t word()
    {
        if (m_at + 4 > size_t(m_blob.size())) {
            m_ok = false;
            return 0;
        }
        const auto *p = reinterpret_cast<const unsigned char *>(m_blob.constData()) + m_at;
        m_at += 4;
        return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16)
               | (std::uint32_t(p[3]) << 24);
    }
    float real()
    {
        const std::uint32_t bits = word();
        float value = 0;
        std::memcpy(&value, &bits, 4);
        return value;
    }
    size_t remainingWords() const { return (size_t(m_blob.size()) - m_at) / 4; }

private:
    const QByteArray &m_blob;
    size_t m_at = 0;
    bool m_ok = true;
};

} // namespace

QByteArray encodePolygons(const std::vector<std::vector<float>> &polygons)
{
    size_t words = 1;
    for (const auto &ring : polygons)
        words += 1 + ring.size() / 2 * 2;
    Writer out(words);
    out.put(std::uint32_t(polygons.size()));
    for (const auto &ring : polygons) {
        out.put(std::uint32_t(ring.size() / 2));
        out.put(ring.data(), ring.size() / 2 * 2);
    }
    return out.take();
}

std::vector<std::vector<float>> decodePolygons(const QByteArray &blob)
{
    Reader reader(blob);
    std::vector<std::vector<float>> polygons;
    const std::uint32_t rings = reader.word();
    for (std::uint32_t r = 0; r < rings && reader.ok(); ++r) {
        const std::uint32_t points = reader.word();
        if (points * 2 > reader.remainingWords())
            break;
        std::vector<float> ring;
        ring.reserve(points * 2);
        for (std::uint32_t p = 0; p < points * 2; ++p)
            ring.push_back(reader.real());
        polygons.push_back(std::move(ring));
    }
    return polygons;
}

PolygonRings::PolygonRings(std::string_view blob) : m_blob(blob)
{
    std::uint32_t rings = 0;
    if (blob.size() >= 4) {
        std::memcpy(&rings, blob.data(), 4);
        m_at = 4;
    }
    m_count = qFromLittleEndian(rings);
}

bool PolygonRings::next(std::vector<float> &ring)
{
    ring.clear();
    if (m_read >= m_count || m_at + 4 > m_blob.size())
        return false;
    std::uint32_t points = 0;
    std::memcpy(&points, m_blob.data() + m_at, 4);
    points = qFromLittleEndian(points);
    if (size_t(points) * 8 > m_blob.size() - m_at - 4)
        return false;
    m_at += 4;
    ring.resize(size_t(points) * 2);
    std::memcpy(ring.data(), m_blob.data() + m_at, size_t(points) * 8);
    if constexpr (QSysInfo::ByteOrder == QSysInfo::BigEndian) {
        for (float &value : ring) {
            std::uint32_t bits = 0;
            std::memcpy(&bits, &value, 4);
            bits = qFromLittleEndian(bits);
            std::memcpy(&value, &bits, 4);
        }
    }
    m_at += size_t(points) * 8;
    ++m_read;
    return true;
}

QByteArray encodeMask(const RleMask &mask)
{
    Writer out(3 + mask.counts.size());
    out.put(std::uint32_t(mask.height));
    out.put(std::uint32_t(mask.width));
    out.put(std::uint32_t(mask.counts.size()));
    for (std::uint32_t count : mask.counts)
        out.put(count);
    return out.take();
}

RleMask decodeMask(const QByteArray &blob)
{
    Reader reader(blob);
    RleMask mask;
    mask.height = int(reader.word());
    mask.width = int(reader.word());
    const std::uint32_t runs = reader.word();
    if (!reader.ok() || runs > reader.remainingWords())
        return {};
    mask.counts.reserve(runs);
    for (std::uint32_t i = 0; i < runs; ++i)
        mask.counts.push_back(reader.word());
    return mask;
}

} // namespace assay
