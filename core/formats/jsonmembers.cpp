#include "jsonmembers.h"

#include "util/error.h"

#include <QFile>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace assay::formats {

namespace {

constexpr size_t npos = size_t(-1);

bool isSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool endsScalar(char c)
{
    return isSpace(c) || c == ',' || c == ']' || c == '}' || c == '[' || c == '{' || c == '"' ||
           c == ':';
}

// From just after an opening quote: the index past the closing one, or npos.
size_t stringEnd(const char *p, size_t n, size_t at)
{
    for (size_t i = at; i < n;) {
        const void *found = std::memchr(p + i, '"', n - i);
        if (!found)
            return npos;
        const size_t quote = size_t(static_cast<const char *>(found) - p);
        size_t slashes = quote;
        while (slashes > at && p[slashes - 1] == '\\')
            --slashes;
        if ((quote - slashes) % 2 == 0)
            return quote + 1;
        i = quote + 1;
    }
    return npos;
}

// Inside containers `depth` deep from `at`: the index past the bracket closing the outermost,
// or npos when the data ends first — then `at` is where to go on (never inside a string) and
// `depth` the depth there. Brackets are counted, not matched: simdjson checks them later.
size_t containerEnd(const char *p, size_t n, size_t &at, int &depth)
{
    size_t i = at;
    while (i < n) {
#if defined(__SSE2__)
        // Skip 16 bytes at a time while they hold no quote and no bracket ('[' | 0x20 is '{',
        // ']' | 0x20 is '}'): most of an annotation file is numbers and commas.
        const __m128i quote = _mm_set1_epi8('"');
        const __m128i open = _mm_set1_epi8('{');
        const __m128i close = _mm_set1_epi8('}');
        const __m128i fold = _mm_set1_epi8(0x20);
        while (i + 16 <= n) {
            const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i));
            const __m128i folded = _mm_or_si128(bytes, fold);
            const __m128i hits = _mm_or_si128(
                _mm_cmpeq_epi8(bytes, quote),
                _mm_or_si128(_mm_cmpeq_epi8(folded, open), _mm_cmpeq_epi8(folded, close)));
            const int mask = _mm_movemask_epi8(hits);
            if (mask != 0) {
                i += size_t(__builtin_ctz(unsigned(mask)));
                break;
            }
            i += 16;
        }
        if (i >= n)
            break;
#endif
        const char c = p[i];
        if (c == '"') {
            const size_t end = stringEnd(p, n, i + 1);
            if (end == npos) {
                at = i;
                return npos;
            }
            i = end;
            continue;
        }
        if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return i + 1;
        }
        ++i;
    }
    at = i;
    return npos;
}

// Newlines in [begin, end) (most annotation files have a handful: memchr skips the rest), and
// the last of them (null when none).
std::int64_t countNewlines(const char *begin, const char *end, const char *&last)
{
    std::int64_t count = 0;
    last = nullptr;
    for (const char *p = begin; p < end;) {
        const void *found = std::memchr(p, '\n', size_t(end - p));
        if (!found)
            break;
        last = static_cast<const char *>(found);
        ++count;
        p = last + 1;
    }
    return count;
}

QString systemError(int code)
{
    return QString::fromStdString(std::generic_category().message(code));
}

} // namespace

JsonMembers::JsonMembers(const QString &path, QString shownName, size_t windowBytes)
    : m_name(std::move(shownName)), m_windowBytes(std::max<size_t>(windowBytes, 1))
{
    m_fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0)
        throw Error(QStringLiteral("cannot read %1: %2").arg(m_name, systemError(errno)));
    ::posix_fadvise(m_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    // A window, what its last element may run over, and room to read ahead; it grows for an
    // element larger than that.
    m_buffer.resize(std::max<size_t>(4 * m_windowBytes, 256) + simdjson::SIMDJSON_PADDING);
}

JsonMembers::~JsonMembers()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

// --- the buffer -------------------------------------------------------------------------------

// Drops the bytes before m_keep (counting their lines), then reads as much as fits; the buffer
// doubles when it is full from m_keep on. Returns how far indices into it moved back.
size_t JsonMembers::refill()
{
    const size_t shift = m_keep;
    if (shift > 0) {
        countLinesTo(shift);
        std::memmove(m_buffer.data(), m_buffer.data() + shift, m_size - shift);
        m_size -= shift;
        m_base += std::int64_t(shift);
        m_pos -= shift;
        m_keep = 0;
        m_counted -= shift;
        m_windowEnd -= std::min(m_windowEnd, shift);
    }
    size_t capacity = m_buffer.size() - simdjson::SIMDJSON_PADDING;
    if (m_size == capacity) {
        capacity *= 2;
        m_buffer.resize(capacity + simdjson::SIMDJSON_PADDING);
    }
    while (m_size < capacity && !m_eof) {
        const ssize_t got = ::read(m_fd, m_buffer.data() + m_size, capacity - m_size);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            throw Error(QStringLiteral("cannot read %1: %2").arg(m_name, systemError(errno)));
        if (got == 0)
            m_eof = true;
        m_size += size_t(got);
    }
    return shift;
}

// Reads more of the file; false at its end. Indices the caller holds move back by `shifted`.
bool JsonMembers::more(size_t &shifted)
{
    shifted = 0;
    if (m_eof)
        return false;
    const size_t had = m_size - m_keep;
    shifted = refill();
    return m_size - m_keep > had;
}

void JsonMembers::countLinesTo(size_t index)
{
    if (index <= m_counted)
        return;
    const char *last = nullptr;
    m_line += countNewlines(m_buffer.data() + m_counted, m_buffer.data() + index, last);
    if (last)
        m_lineStart = m_base + (last - m_buffer.data()) + 1;
    m_counted = index;
}

// The byte at the next non-space position (m_pos moves there), or -1 at the end of the file.
int JsonMembers::peekNonSpace()
{
    for (;;) {
        while (m_pos < m_size && isSpace(m_buffer[m_pos]))
            ++m_pos;
        if (m_pos < m_size)
            return static_cast<unsigned char>(m_buffer[m_pos]);
        if (!m_building)
            m_keep = m_pos;
        size_t shifted = 0;
        if (!more(shifted))
            return -1;
    }
}

// --- scanning -----------------------------------------------------------------------------------

// The index past the value starting at m_pos, reading more of the file as needed (keeping the
// bytes from m_keep on).
size_t JsonMembers::valueEnd()
{
    size_t shifted = 0;
    const char first = m_buffer[m_pos];
    if (first == '{' || first == '[') {
        size_t at = m_pos + 1;
        int depth = 1;
        for (;;) {
            const size_t end = containerEnd(m_buffer.data(), m_size, at, depth);
            if (end != npos)
                return end;
            if (!more(shifted))
                failAt(simdjson::INCOMPLETE_ARRAY_OR_OBJECT, m_pos);
            at -= shifted;
        }
    }
    if (first == '"') {
        for (;;) {
            const size_t end = stringEnd(m_buffer.data(), m_size, m_pos + 1);
            if (end != npos)
                return end;
            if (!more(shifted))
                failAt(simdjson::UNCLOSED_STRING, m_pos);
        }
    }
    for (size_t i = m_pos;;) {
        while (i < m_size && !endsScalar(m_buffer[i]))
            ++i;
        if (i == m_pos)
            failAt(simdjson::TAPE_ERROR, m_pos);
        if (i < m_size)
            return i;
        if (!more(shifted))
            return m_size;
        i -= shifted;
    }
}

// Skips to the end of the containers `depth` deep that m_pos is inside of.
void JsonMembers::skipContainer(int depth)
{
    size_t at = m_pos;
    for (;;) {
        const size_t end = containerEnd(m_buffer.data(), m_size, at, depth);
        if (end != npos) {
            m_pos = end;
            return;
        }
        m_pos = m_keep = at;
        size_t shifted = 0;
        if (!more(shifted))
            failAt(simdjson::INCOMPLETE_ARRAY_OR_OBJECT, m_pos);
        at = m_pos;
    }
}

// --- members ------------------------------------------------------------------------------------

std::string JsonMembers::readKey()
{
    m_keep = m_pos;
    size_t end = 0;
    size_t shifted = 0;
    while ((end = stringEnd(m_buffer.data(), m_size, m_pos + 1)) == npos) {
        if (!more(shifted))
            failAt(simdjson::UNCLOSED_STRING, m_pos);
    }
    const std::string_view raw(m_buffer.data() + m_pos + 1, end - m_pos - 2);
    std::string key(raw);
    if (raw.find('\\') != std::string_view::npos) {
        const simdjson::padded_string quoted('"' + key + '"');
        simdjson::ondemand::document doc;
        std::string_view text;
        if (m_keyParser.iterate(quoted).get(doc) != simdjson::SUCCESS ||
            doc.get_string().get(text) != simdjson::SUCCESS)
            failAt(simdjson::STRING_ERROR, m_pos);
        key = std::string(text);
    }
    m_pos = end;
    return key;
}

bool JsonMembers::nextMember(std::string &key)
{
    if (m_state == State::Value || m_state == State::Elements)
        skipValue();
    if (m_state == State::Done)
        return false;
    m_building = false;
    int c = peekNonSpace();
    if (m_state == State::Start) {
        if (c < 0)
            failAt(simdjson::EMPTY, m_pos);
        if (c != '{')
            failAt(simdjson::INCORRECT_TYPE, m_pos);
        ++m_pos;
        m_state = State::Members;
        m_firstMember = true;
        c = peekNonSpace();
    }
    if (c < 0)
        failAt(simdjson::INCOMPLETE_ARRAY_OR_OBJECT, m_pos);
    if (c == '}') {
        ++m_pos;
        m_state = State::Done;
        return false;
    }
    if (!m_firstMember) {
        if (c != ',')
            failAt(simdjson::TAPE_ERROR, m_pos);
        ++m_pos;
        c = peekNonSpace();
    }
    if (c != '"')
        failAt(c < 0 ? simdjson::INCOMPLETE_ARRAY_OR_OBJECT : simdjson::TAPE_ERROR, m_pos);
    key = readKey();
    if (peekNonSpace() != ':')
        failAt(simdjson::TAPE_ERROR, m_pos);
    ++m_pos;
    c = peekNonSpace();
    if (c < 0)
        failAt(simdjson::INCOMPLETE_ARRAY_OR_OBJECT, m_pos);
    m_firstMember = false;
    m_state = State::Value;
    m_valueIsArray = c == '[';
    return true;
}

void JsonMembers::finishValue()
{
    m_building = false;
    m_state = m_stopAfterValue ? State::Done : State::Members;
}

void JsonMembers::skipValue()
{
    if (m_state == State::Value) {
        const int c = peekNonSpace();
        if (c < 0)
            failAt(simdjson::INCOMPLETE_ARRAY_OR_OBJECT, m_pos);
        if (c == '{' || c == '[') {
            ++m_pos;
            skipContainer(1);
        } else {
            m_keep = m_pos;
            m_pos = valueEnd();
        }
        finishValue();
    } else if (m_state == State::Elements) {
        m_building = false;
        skipContainer(1);
        finishValue();
    }
}

bool JsonMembers::nextWindow(simdjson::padded_string_view &window)
{
    auto handOut = [&] {
        window = simdjson::padded_string_view(m_window.data(), m_windowSize, m_window.size());
        return true;
    };
    if (m_state == State::Value) {
        m_building = false;
        const int c = peekNonSpace();
        if (c < 0)
            failAt(simdjson::INCOMPLETE_ARRAY_OR_OBJECT, m_pos);
        if (c != '[') {
            m_keep = m_pos;
            const size_t end = valueEnd();
            setWindow(m_pos, end, false);
            m_pos = end;
            finishValue();
            return handOut();
        }
        ++m_pos;
        m_state = State::Elements;
        m_firstElement = true;
    }
    if (m_state != State::Elements)
        return false;
    m_building = false;
    for (;;) {
        if (!m_building)
            m_keep = m_pos;
        int c = peekNonSpace();
        if (c < 0)
            failAt(simdjson::INCOMPLETE_ARRAY_OR_OBJECT, m_pos);
        if (c == ']') {
            ++m_pos;
            const bool gathered = m_building;
            finishValue();
            if (!gathered)
                return false;
            setWindow(m_keep, m_windowEnd, true);
            return handOut();
        }
        if (!m_firstElement) {
            if (c != ',')
                failAt(simdjson::TAPE_ERROR, m_pos);
            ++m_pos;
            c = peekNonSpace();
            if (c < 0)
                failAt(simdjson::INCOMPLETE_ARRAY_OR_OBJECT, m_pos);
            if (c == ']')
                failAt(simdjson::TAPE_ERROR, m_pos);
        }
        if (!m_building) {
            m_building = true;
            m_keep = m_pos;
        }
        m_pos = valueEnd();
        m_windowEnd = m_pos;
        m_firstElement = false;
        if (m_windowEnd - m_keep >= m_windowBytes) {
            m_building = false;
            setWindow(m_keep, m_windowEnd, true);
            return handOut();
        }
    }
}

// Copies bytes [begin, end) of the buffer into the window, as an array of their own when they
// are elements of one.
void JsonMembers::setWindow(size_t begin, size_t end, bool asArray)
{
    countLinesTo(begin);
    m_windowLine = m_line;
    m_windowColumn = m_base + std::int64_t(begin) - m_lineStart + 1;
    const size_t length = end - begin;
    m_windowSize = length + (asArray ? 2 : 0);
    if (m_window.size() < m_windowSize + simdjson::SIMDJSON_PADDING)
        m_window.resize(m_windowSize + simdjson::SIMDJSON_PADDING);
    char *out = m_window.data();
    if (asArray)
        *out++ = '[';
    std::memcpy(out, m_buffer.data() + begin, length);
    if (asArray)
        out[length] = ']';
    m_windowSynthetic = asArray;
}

JsonMembers::Mark JsonMembers::valueMark()
{
    Mark mark;
    if (m_state != State::Value || peekNonSpace() < 0)
        return mark;
    countLinesTo(m_pos);
    mark.offset = m_base + std::int64_t(m_pos);
    mark.line = m_line;
    mark.lineStart = m_lineStart;
    mark.isArray = m_valueIsArray;
    return mark;
}

void JsonMembers::rewindTo(const Mark &mark)
{
    if (::lseek(m_fd, mark.offset, SEEK_SET) < 0)
        throw Error(QStringLiteral("cannot read %1: %2").arg(m_name, systemError(errno)));
    m_size = m_pos = m_keep = m_counted = m_windowEnd = 0;
    m_building = false;
    m_base = mark.offset;
    m_eof = false;
    m_line = mark.line;
    m_lineStart = mark.lineStart;
    m_state = State::Value;
    m_valueIsArray = mark.isArray;
    m_stopAfterValue = true;
}

std::optional<JsonMembers::Mark> JsonMembers::lastArrayMember(std::string_view key,
                                                              size_t tailBytes) const
{
    struct stat info
    {
    };
    if (::fstat(m_fd, &info) != 0 || info.st_size <= 0)
        return std::nullopt;
    const auto start = std::max<std::int64_t>(0, info.st_size - std::int64_t(tailBytes));
    std::vector<char> tail(size_t(info.st_size - start));
    if (::pread(m_fd, tail.data(), tail.size(), start) != ssize_t(tail.size()))
        return std::nullopt;
    const std::string_view text(tail.data(), tail.size());
    const std::string quoted = '"' + std::string(key) + '"';
    const size_t at = text.rfind(quoted);
    if (at == std::string_view::npos || (at == 0 && start > 0))
        return std::nullopt;
    size_t slashes = at;
    while (slashes > 0 && text[slashes - 1] == '\\')
        --slashes;
    if ((at - slashes) % 2 != 0)
        return std::nullopt; // an escaped quote: inside a string
    size_t i = at + quoted.size();
    auto skipSpace = [&] {
        while (i < text.size() && isSpace(text[i]))
            ++i;
    };
    auto expect = [&](char c) {
        skipSpace();
        if (i >= text.size() || text[i] != c)
            return false;
        ++i;
        return true;
    };
    if (!expect(':') || !expect('['))
        return std::nullopt;
    const size_t value = i - 1;
    int depth = 1;
    const size_t end = containerEnd(text.data(), text.size(), i, depth);
    if (end == npos)
        return std::nullopt;
    i = end;
    // Then exactly the top-level object's end: a nested object would need a second brace.
    if (!expect('}'))
        return std::nullopt;
    skipSpace();
    if (i != text.size())
        return std::nullopt;
    Mark mark;
    mark.offset = start + std::int64_t(value);
    mark.line = 0;
    mark.isArray = true;
    return mark;
}

// --- errors -------------------------------------------------------------------------------------

void JsonMembers::failAt(simdjson::error_code code, size_t index) const
{
    const size_t end = std::min(index, m_size);
    std::int64_t line = m_line;
    std::int64_t lineStart = m_lineStart;
    if (end > m_counted) {
        const char *last = nullptr;
        line += countNewlines(m_buffer.data() + m_counted, m_buffer.data() + end, last);
        if (last)
            lineStart = m_base + (last - m_buffer.data()) + 1;
    }
    failWith(code, line, m_base + std::int64_t(index) - lineStart + 1);
}

void JsonMembers::fail(simdjson::error_code code, const char *at) const
{
    const char *begin = m_window.data() + (m_windowSynthetic ? 1 : 0);
    const char *end = m_window.data() + m_windowSize - (m_windowSynthetic ? 1 : 0);
    const char *where = at && at > begin ? std::min(at, end) : begin;
    const char *last = nullptr;
    const std::int64_t newlines = countNewlines(begin, where, last);
    const std::int64_t column = last ? where - last : m_windowColumn + (where - begin);
    failWith(code, m_windowLine + newlines, column);
}

void JsonMembers::failWith(simdjson::error_code code, std::int64_t line, std::int64_t column) const
{
    throw Error(QStringLiteral("%1:%2:%3: %4")
                    .arg(m_name)
                    .arg(line)
                    .arg(column)
                    .arg(QString::fromUtf8(simdjson::error_message(code))));
}

} // namespace assay::formats
