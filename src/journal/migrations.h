// The journal's schema migrations: data/migrations/NNNN_name.sql for SQLite and
// data/migrations/postgresql/NNNN_name.sql for PostgreSQL (two dialects, numbered separately),
// forward-only, applied in order. Migration N takes a journal from version N-1 to N (PRAGMA
// user_version in SQLite, the rollcoach_schema table in PostgreSQL).
//
// The build embeds the .sql files into the library (embedded_migrations()), so an installed
// binary always carries exactly the schema it was built for; load_migrations() reads a directory
// (rc::shipped_data_dir()/"migrations") and a test checks both agree.
#pragma once

#include "common/result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace rc::journal {

struct Migration {
    int version { 0 };
    std::string name;   // file name, e.g. "0001_init.sql"
    std::string sql;
    bool operator==(Migration const&) const = default;
};

// Sorted by version, numbered 1, 2, 3... without gaps (checked at load).
std::vector<Migration> const& embedded_migrations();
std::vector<Migration> const& embedded_postgres_migrations();
Result<std::vector<Migration>> load_migrations(std::filesystem::path const& directory);

// The version the newest migration produces.
int latest_schema_version(std::vector<Migration> const& migrations);

}
