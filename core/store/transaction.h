#pragma once

#include "database.h"

namespace assay::store {

// Begins a transaction; rolls it back on destruction unless commit() was called. (Committing on
// destruction would commit half of an operation that threw.)
class Transaction
{
public:
    explicit Transaction(Database &db) : m_db(db) { m_db.exec("BEGIN IMMEDIATE"); }
    ~Transaction()
    {
        if (!m_done) {
            try {
                m_db.exec("ROLLBACK");
            } catch (...) {
                // Nothing sensible to do in a destructor: SQLite rolls back on close anyway.
            }
        }
    }
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    void commit()
    {
        m_db.exec("COMMIT");
        m_done = true;
    }

private:
    Database &m_db;
    bool m_done = false;
};

} // namespace assay::store
