// SqliteJournal: the Journal kept in one SQLite file (SQLiteCpp).
//
// Opening checks before it changes anything: a missing directory, a file that is not a journal,
// a corrupt or read-only file, or a schema newer than this build all give a clear error and leave
// the file untouched. Then it applies the pending migrations (forward-only, in one transaction,
// version in PRAGMA user_version), and sets WAL, synchronous=FULL, foreign keys and a busy
// wait (LockWait). Writes use BEGIN IMMEDIATE and wait while another process holds the write lock,
// so the CLI and the web server can share a file; the wait is bounded, and whoever opened the
// journal is told once it lasts (the front-end says so to the user; the journal only reports).
//
//   auto journal = SqliteJournal::open(path, Creation::CreateIfMissing);
#pragma once

#include "journal/journal.h"
#include "journal/migrations.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

namespace SQLite { class Database; }

namespace rc::journal {

// Whether open() may create a journal (and its directory) that does not exist yet.
enum class Creation { CreateIfMissing, CreateFileOnly, MustExist };

// ReadOnly opens an existing journal for reading only (history, stats, export): a read-only file
// can still be read, nothing is created, migrated or changed, and every write is refused.
enum class OpenMode { ReadWrite, ReadOnly };

// How long one operation waits for a lock another process holds (another rollcoach writing, an
// sqlite3 shell in a transaction), and the two moments a front-end may want to tell its user
// about: the wait has lasted `notice_after` (on_waiting, once per wait, with the limit), and it
// reached `limit` (on_gave_up, once per wait): the operation then fails with a Storage error and
// has changed nothing. Both are called on the waiting thread, from inside SQLite: no journal call.
struct LockWait {
    std::chrono::milliseconds limit { std::chrono::minutes(2) };
    std::chrono::milliseconds notice_after { 1500 };
    std::function<void(std::chrono::milliseconds limit)> on_waiting;
    std::function<void(std::chrono::milliseconds waited)> on_gave_up;
};

struct SqliteOptions {
    Creation creation { Creation::CreateIfMissing };
    OpenMode mode { OpenMode::ReadWrite };
    LockWait lock_wait;
    // Migrate only up to this version (tests of migrating from older versions); default: all.
    std::optional<int> target_version;
    std::vector<Migration> migrations = embedded_migrations();
    // A cap on the file's size in pages (PRAGMA max_page_count) for this connection: writes past
    // it fail as "disk full". Tests use it to simulate a full disk without mounting one.
    std::optional<int> max_pages;
};

class SqliteJournal final : public Journal {
public:
    static Result<std::unique_ptr<SqliteJournal>> open(std::filesystem::path const& path,
        SqliteOptions options = {});
    static Result<std::unique_ptr<SqliteJournal>> open(std::filesystem::path const& path,
        Creation creation);
    ~SqliteJournal() override;

    std::filesystem::path const& path() const { return m_path; }

    Result<int> schema_version() override;
    Result<std::optional<Profile>> find_profile() override;
    Result<void> save_profile(Profile const& profile) override;
    Result<Profile> update_profile(WallTime at,
        std::function<nlohmann::json(nlohmann::json)> const& change) override;
    Result<RecordId> add_screening(ScreeningRecord const& screening) override;
    Result<RecordId> add_session(SessionRecord const& session) override;
    Result<RecordId> add_pain(PainRating const& rating) override;
    Result<RecordId> add_checkin(CheckIn const& checkin) override;
    Result<RecordId> add_note(Note const& note) override;
    Result<RecordId> add_clearance(Clearance const& clearance) override;
    Result<std::optional<SessionRecord>> find_session(RecordId id) override;
    Result<std::optional<SessionRecord>> find_latest_session() override;
    Result<std::optional<ScreeningRecord>> find_latest_screening() override;
    Result<std::optional<CheckIn>> find_uncleared_warning() override;
    Result<std::optional<CheckIn>> find_latest_checkin() override;
    Result<std::vector<Clearance>> find_clearances() override;
    using Journal::history;
    Result<std::vector<HistoryEntry>> history(HistoryQuery const& query) override;
    Result<Stats> compute_stats(StatsRequest const& request) override;
    Result<plan::History> history_for_planning(StatsRequest const& request) override;
    Result<int> count_records() override;
    Result<nlohmann::json> export_json() override;
    Result<void> visit_records(std::function<Result<void>(AnyRecord const&)> const& visit) override;
    Result<std::optional<RecordId>> find_id(RecordKey const& key) override;
    Result<RecordId> store(AnyRecord const& record, std::optional<RecordId> id) override;
    Result<void> in_write_transaction(std::function<Result<void>()> const& work) override;
    Result<void> backup_to(std::filesystem::path const& destination) override;

    struct LockWaiter;

private:
    SqliteJournal(std::filesystem::path path, std::unique_ptr<LockWaiter> waiter, std::unique_ptr<SQLite::Database> db);

    std::filesystem::path m_path;
    std::unique_ptr<LockWaiter> m_waiter;   // declared before m_db: SQLite calls it until closed
    std::unique_ptr<SQLite::Database> m_db;
};

}
