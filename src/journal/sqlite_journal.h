// SqliteJournal: the Journal kept in one SQLite file (SQLiteCpp).
//
// Opening checks before it changes anything: a missing directory, a file that is not a journal,
// a corrupt or read-only file, or a schema newer than this build all give a clear error and leave
// the file untouched. Then it applies the pending migrations (forward-only, in one transaction,
// version in PRAGMA user_version), and sets WAL, synchronous=FULL, foreign keys and a busy
// timeout. Writes use BEGIN IMMEDIATE and retry while another process holds the write lock, so
// the CLI and the web server can share a file.
//
//   auto journal = SqliteJournal::open(path, Creation::CreateIfMissing);
#pragma once

#include "journal/journal.h"
#include "journal/migrations.h"

#include <chrono>
#include <filesystem>
#include <memory>

namespace SQLite { class Database; }

namespace rc::journal {

// Whether open() may create a journal (and its directory) that does not exist yet.
enum class Creation { CreateIfMissing, CreateFileOnly, MustExist };

// ReadOnly opens an existing journal for reading only (history, stats, export): a read-only file
// can still be read, nothing is created, migrated or changed, and every write is refused.
enum class OpenMode { ReadWrite, ReadOnly };

struct SqliteOptions {
    Creation creation { Creation::CreateIfMissing };
    OpenMode mode { OpenMode::ReadWrite };
    std::chrono::milliseconds busy_timeout { 5000 };
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

private:
    SqliteJournal(std::filesystem::path path, std::unique_ptr<SQLite::Database> db);

    std::filesystem::path m_path;
    std::unique_ptr<SQLite::Database> m_db;
};

}
