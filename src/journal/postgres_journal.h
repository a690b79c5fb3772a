// PostgresJournal: the Journal kept in a PostgreSQL database (libpqxx), for a clinic's server or
// several rollcoach processes sharing one store.
//
// The location is a libpq connection URI, "postgresql://user@host:port/dbname" (a socket folder
// goes in ?host=/run/postgresql). The database must exist; open() creates the journal's tables in
// it. Like the SQLite backend it looks before it changes anything: a database holding tables that
// are not a rollcoach journal, or a schema newer than this build, is refused untouched. Pending
// migrations (data/migrations/postgresql/) run in one transaction, under a lock, so a failed one
// leaves the schema as it was and two processes opening a new database at once migrate it once.
//
// Every write commits before it returns (the server's synchronous_commit decides durability; it
// is on by default). Profile updates and in_write_transaction take a transaction-level advisory
// lock, so read-modify-write from several processes never loses an update.
//
// Losing the server: connecting gives up after `connect_timeout`; a call made while the server is
// down returns a Storage error saying so (nothing is saved), and the next call reconnects. A
// statement cut off before its commit is retried once on a new connection; a commit cut off
// mid-way is reported as "may not have been saved", never silently retried.
//
//   auto journal = PostgresJournal::open("postgresql://rollcoach@localhost/rollcoach", {});
//   if (!journal) return report(journal.error());
#pragma once

#include "journal/journal.h"
#include "journal/migrations.h"
#include "journal/sqlite_journal.h"

#include <chrono>
#include <memory>
#include <string>

namespace pqxx {
class transaction_base;
}

namespace rc::journal {

// True for "postgresql://..." and "postgres://..." (the two URI schemes libpq accepts).
bool is_postgres_location(std::string const& location);

struct PostgresOptions {
    // CreateIfMissing and CreateFileOnly create the tables in an empty database; MustExist
    // refuses a database without a journal. The database itself is never created.
    Creation creation { Creation::CreateIfMissing };
    OpenMode mode { OpenMode::ReadWrite };
    std::chrono::seconds connect_timeout { 5 };
    // Migrate only up to this version (tests of migrating from older versions); default: all.
    std::optional<int> target_version;
    std::vector<Migration> migrations = embedded_postgres_migrations();
    // The PostgreSQL schema that holds this journal's tables (the clinic keeps one per patient,
    // "patient_12"); empty: the connection's default (public). The schema must exist: like the
    // database, the journal never creates it.
    std::string schema;
};

class PostgresJournal final : public Journal {
public:
    static Result<std::unique_ptr<PostgresJournal>> open(std::string const& location, PostgresOptions options = {});
    ~PostgresJournal() override;

    // The location with any password replaced by "***", for messages and logs.
    std::string const& display_location() const { return m_display; }

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
    // Writes a consistent copy as an SQLite journal file (readable with --db PATH anywhere).
    Result<void> backup_to(std::filesystem::path const& destination) override;

private:
    enum class Access { Read, Write };
    struct Connection;   // holds the pqxx::connection (postgres_support.h)

    PostgresJournal(std::string conninfo, std::string display, OpenMode mode, std::string schema);

    Result<void> connect(char const* action);
    // Forgets a broken connection so the next call reconnects; inside in_write_transaction the
    // outer transaction still holds it and drops it once it has unwound.
    void drop_connection(bool nested);
    // Runs `body` in a transaction (REPEATABLE READ READ ONLY for reads), or inside the open
    // in_write_transaction; maps every failure to a Result error.
    template<typename F>
    auto run(char const* action, Access access, F&& body) -> Result<std::invoke_result_t<F, pqxx::transaction_base&>>;

    std::string m_conninfo;
    std::string m_display;
    OpenMode m_mode { OpenMode::ReadWrite };
    std::string m_schema;
    std::unique_ptr<Connection> m_connection;
    pqxx::transaction_base* m_open_transaction { nullptr };
};

}
