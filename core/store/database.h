#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace assay::store {

class Database;

// A prepared statement. Bind by 1-based index, step, read columns by 0-based index.
class Statement
{
public:
    Statement(Database &db, std::string_view sql);
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    Statement(Statement &&other) noexcept;

    void bind(int index, std::int64_t value);
    void bind(int index, int value) { bind(index, static_cast<std::int64_t>(value)); }
    void bind(int index, double value);
    void bind(int index, const QString &value); // a null QString binds NULL
    void bind(int index, std::string_view utf8);
    void bindBlob(int index, const QByteArray &blob);
    // Without a copy: the bytes must stay as they are until the statement is reset.
    void bindUnowned(int index, std::string_view utf8);
    void bindUnownedBlob(int index, const QByteArray &blob);
    void bindNull(int index);

    // Runs one step: true when a row is ready, false when done. Throws on error.
    bool step();
    // Steps to completion, then resets so the statement can be bound again.
    void run();
    void reset();

    std::int64_t int64(int column) const;
    double real(int column) const;
    QString text(int column) const;
    std::string_view utf8(int column) const;
    QByteArray blob(int column) const;
    // A blob's bytes without a copy: valid until the next step, reset or column read.
    std::string_view blobView(int column) const;
    bool isNull(int column) const;
    // The storage class of a column's value in the current row (SQLite's dynamic typing).
    enum class ColumnType { Integer = 1, Real = 2, Text = 3, Blob = 4, Null = 5 };
    ColumnType columnType(int column) const;
    int columnCount() const;

private:
    Database *m_db;
    sqlite3_stmt *m_stmt = nullptr;
};

// One connection to an SQLite file. Errors throw assay::Error with the file name in the message.
class Database
{
public:
    enum class Mode { ReadWrite, ReadWriteCreate, ReadOnly };

    Database(const QString &path, Mode mode);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql) { return Statement(*this, sql); }

    // Single-value helpers for the common one-row query.
    std::int64_t queryInt(std::string_view sql);
    QString queryText(std::string_view sql);

    std::int64_t lastInsertId() const;
    int changes() const;
    const QString &path() const { return m_path; }
    sqlite3 *handle() const { return m_db; }
    bool isReadOnly() const { return m_mode == Mode::ReadOnly; }

    [[noreturn]] void fail(int code, const QString &what) const;

private:
    QString m_path;
    Mode m_mode;
    sqlite3 *m_db = nullptr;
};

} // namespace assay::store
