// The one place front-ends open a journal: picks the backend for a location and decides whether a
// missing journal may be created. A "postgresql://..." or "postgres://..." location (from --db or
// ROLLCOACH_DB) opens PostgresJournal; anything else is the path of an SQLite journal file.
//
//   auto journal = open_journal(context.journal_path(), Purpose::Write);
#pragma once

#include "common/result.h"
#include "journal/journal.h"
#include "journal/sqlite_journal.h"

#include <filesystem>
#include <memory>
#include <optional>

namespace rc::journal {

// Write: create the journal if missing (its folder too, but only at the default XDG location: a
// mistyped --db folder is reported, not created; in PostgreSQL the tables, never the database).
// Read: read-only (a read-only file can still be read); a missing journal is a NotFound error,
// and nothing is created.
enum class Purpose { Write, Read };

// `lock_wait`: how long an SQLite journal waits for another process's lock, and whom it tells
// (a PostgreSQL server queues writers itself).
Result<std::unique_ptr<Journal>> open_journal(std::optional<std::filesystem::path> const& location, Purpose purpose,
    LockWait lock_wait = {});

}
