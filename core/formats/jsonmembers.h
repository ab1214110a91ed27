#pragma once

#include <QString>

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace assay::formats {

// Reads a JSON file whose top level is an object one member at a time, without holding the file
// or a structural index of all of it: a member's value comes in windows that simdjson On-Demand
// parses one after the other — an array value as arrays of some of its whole elements (about
// `windowBytes` each), any other value whole. A 450 MB COCO file then costs a few megabytes
// instead of the file plus four bytes per token.
//
// Only the nesting of brackets and strings is checked here; each window is parsed (and
// validated) by simdjson. Errors name the file, line and column.
class JsonMembers
{
public:
    // Opens `path`; `shownName` names it in messages. Throws Error when it cannot be read.
    JsonMembers(const QString &path, QString shownName, size_t windowBytes = 2 << 20);
    ~JsonMembers();
    JsonMembers(const JsonMembers &) = delete;
    JsonMembers &operator=(const JsonMembers &) = delete;

    // Moves to the next member of the top-level object (skipping what is left of the current
    // value) and returns its key, unescaped. False after the last member.
    bool nextMember(std::string &key);
    bool valueIsArray() const { return m_valueIsArray; }
    // The next window of the current value (see above); false when the value is done.
    bool nextWindow(simdjson::padded_string_view &window);
    // Skips what is left of the current value without parsing it.
    void skipValue();

    // Where the current value starts, to read it after the members behind it.
    struct Mark
    {
        std::int64_t offset = -1; // file offset of the value's first byte; -1: none
        std::int64_t line = 1;
        std::int64_t lineStart = 0; // file offset of that line's first byte
        bool isArray = false;
    };
    Mark valueMark();
    // Makes the value at `mark` the current value; the members after it are not read again.
    void rewindTo(const Mark &mark);
    // The array value of `key` when it is the last member of the top-level object, found in the
    // file's last megabytes without reading the rest (COCO's own files list their categories
    // last); nothing when it is not found there. Its line is unknown (0). Only a well-formed file
    // guarantees that the value found is that member: the caller checks it when the member comes.
    std::optional<Mark> lastArrayMember(std::string_view key, size_t tailBytes = 4 << 20) const;

    // Throws Error "name:line:column: message" for a simdjson error at `at` inside the current
    // window (its start when `at` is null or outside it).
    [[noreturn]] void fail(simdjson::error_code code, const char *at = nullptr) const;
    const QString &name() const { return m_name; }

private:
    enum class State { Start, Members, Value, Elements, Done };

    size_t refill();
    bool more(size_t &shifted);
    void countLinesTo(size_t index);
    int peekNonSpace();
    size_t valueEnd();
    void skipContainer(int depth);
    std::string readKey();
    void finishValue();
    void setWindow(size_t begin, size_t end, bool asArray);
    [[noreturn]] void failAt(simdjson::error_code code, size_t index) const;
    [[noreturn]] void failWith(simdjson::error_code code, std::int64_t line,
                               std::int64_t column) const;

    QString m_name;
    int m_fd = -1;
    size_t m_windowBytes;
    std::vector<char> m_buffer; // file bytes [m_base, m_base + m_size), padded
    size_t m_size = 0;
    std::int64_t m_base = 0;
    size_t m_pos = 0;        // scan position in m_buffer
    size_t m_keep = 0;       // the first byte a refill keeps (the window being gathered, or m_pos)
    bool m_building = false; // gathering elements into a window from m_keep to m_windowEnd
    size_t m_windowEnd = 0;
    bool m_eof = false;
    // Lines counted up to m_buffer[m_counted]: the line there and the offset its line starts at.
    size_t m_counted = 0;
    std::int64_t m_line = 1;
    std::int64_t m_lineStart = 0;

    State m_state = State::Start;
    bool m_firstMember = true;
    bool m_firstElement = true;
    bool m_valueIsArray = false;
    bool m_stopAfterValue = false;

    std::vector<char> m_window; // what nextWindow handed out, padded
    size_t m_windowSize = 0;
    bool m_windowSynthetic = false; // m_window starts with a '[' of its own
    std::int64_t m_windowLine = 1;
    std::int64_t m_windowColumn = 1;
    simdjson::ondemand::parser m_keyParser; // for keys with escapes
};

} // namespace assay::formats
