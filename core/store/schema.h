#pragma once

#include "database.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace assay::store {

inline constexpr std::int64_t applicationId = 0x41535359; // "ASSY"

// One step v-1 -> toVersion. `minReaderVersion` is the oldest program schema that can still read
// a file after this step (additive steps keep the previous value).
struct Migration
{
    int toVersion = 0;
    int minReaderVersion = 0;
    std::function<void(Database &)> apply;
};

// The steps compiled into this build, ordered; the last one's toVersion is the schema version.
const std::vector<Migration> &builtinMigrations();
int currentSchemaVersion();

// Brings a connection's file up to the newest schema in `steps`: creates it when empty, refuses
// files that are not Assay projects or need a newer reader, copies the file to a backup before
// the first step of an upgrade, and runs each step in its own transaction.
class SchemaMigrator
{
public:
    explicit SchemaMigrator(std::vector<Migration> steps = builtinMigrations());

    int targetVersion() const;
    // Returns the backup path when an upgrade made one, otherwise an empty string.
    QString prepare(Database &db);
    // Reads (without changing anything) the version a file declares; 0 for a new file.
    static int fileSchemaVersion(Database &db);

private:
    std::vector<Migration> m_steps;
};

} // namespace assay::store
