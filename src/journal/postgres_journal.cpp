#include "journal/postgres_journal.h"

#include "journal/postgres_support.h"

#include <fmt/core.h>
#include <regex>

namespace rc::journal {

using namespace pg;

// Opening (checks, migrations), the connection, and the single-record reads and writes; history,
// statistics, export, import and backup are in postgres_queries.cpp.

bool is_postgres_location(std::string const& location)
{
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

namespace {

// "postgresql://me:secret@host/db?password=x" -> "postgresql://me:***@host/db?password=***".
std::string redact(std::string const& location)
{
    static std::regex const in_authority(R"(^(postgres(?:ql)?://[^:/@?]*):[^@/?]*@)");
    static std::regex const in_query(R"(([?&]password=)[^&]*)");
    auto text = std::regex_replace(location, in_authority, "$1:***@");
    return std::regex_replace(text, in_query, "$1***");
}

// The URI plus the parameters rollcoach relies on, unless the user set them: a bounded connect
// timeout (a down server is reported, never waited on forever) and a name in pg_stat_activity.
std::string with_defaults(std::string const& location, std::chrono::seconds connect_timeout)
{
    std::string conninfo = location;
    auto add = [&](char const* key, std::string const& value) {
        if (conninfo.find(fmt::format("{}=", key)) != std::string::npos)
            return;
        conninfo += conninfo.find('?') == std::string::npos ? '?' : '&';
        conninfo += fmt::format("{}={}", key, value);
    };
    add("connect_timeout", std::to_string(std::max<long long>(1, connect_timeout.count())));
    add("application_name", "rollcoach");
    return conninfo;
}

}

PostgresJournal::PostgresJournal(std::string conninfo, std::string display, OpenMode mode, std::string schema)
    : m_conninfo(std::move(conninfo))
    , m_display(std::move(display))
    , m_mode(mode)
    , m_schema(std::move(schema))
{
}

PostgresJournal::~PostgresJournal() = default;

Result<void> PostgresJournal::connect(char const* action)
{
    if (m_connection && m_connection->handle.is_open())
        return {};
    m_connection.reset();
    try {
        m_connection = std::make_unique<Connection>(m_conninfo);
        // Quiet: libpq's notices ("relation already exists, skipping") are not for the user.
        m_connection->handle.set_variable("client_min_messages", "warning");
        // Only this journal's schema is visible, so every query of the backend reads and writes
        // it unchanged (and pg_catalog, always searched, still answers).
        if (!m_schema.empty())
            m_connection->handle.set_variable("search_path", m_connection->handle.quote_name(m_schema));
    } catch (pqxx::broken_connection const& e) {
        m_connection.reset();
        return unreachable_error(m_display, action, e.what());
    } catch (std::exception const& e) {
        m_connection.reset();
        return Error::storage(fmt::format("Could not {}: cannot connect to {} ({}). Check the address in --db or ROLLCOACH_DB.",
            action, m_display, e.what()));
    }
    return {};
}

void PostgresJournal::drop_connection(bool nested)
{
    if (!nested)
        m_connection.reset();
}

Result<std::unique_ptr<PostgresJournal>> PostgresJournal::open(std::string const& location, PostgresOptions options)
{
    if (!is_postgres_location(location))
        return Error::invalid_argument(fmt::format("{} is not a PostgreSQL address; it must start with postgresql://.", location));
    bool const read_only = options.mode == OpenMode::ReadOnly;
    std::unique_ptr<PostgresJournal> journal(
        new PostgresJournal(with_defaults(location, options.connect_timeout), redact(location), OpenMode::ReadWrite, options.schema));
    if (!options.schema.empty())
        journal->m_display += fmt::format(" (schema {})", options.schema);
    auto const& where = journal->m_display;
    int const known = latest_schema_version(options.migrations);
    int const latest = options.target_version.value_or(known);

    // Everything in one transaction under the journal's lock: look first (refusing before any
    // change), then migrate. A migration that fails rolls back with all the others, so the
    // schema stays as it was; a second process opening at once waits and finds the work done.
    auto opened = journal->run("open the journal", Access::Write, [&](pqxx::transaction_base& tx) -> int {
        tx.exec_params("SELECT pg_advisory_xact_lock($1)", write_lock_key);
        bool const marked = !tx.exec("SELECT to_regclass('rollcoach_schema')")[0][0].is_null();
        int version = 0;
        if (marked) {
            auto rows = tx.exec("SELECT application, version FROM rollcoach_schema WHERE id = 1");
            if (rows.empty() || rows[0][0].as<std::string>() != "rollcoach-journal")
                throw Refusal { Error::storage(fmt::format("{} has a rollcoach_schema table that does not describe a rollcoach "
                                                           "journal; rollcoach will not change it. Pass --db with another database.",
                    where)) };
            version = rows[0][1].as<int>();
        } else {
            auto tables = tx.exec("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")[0][0].as<long long>();
            if (tables > 0)
                throw Refusal { Error::storage(fmt::format("{} already holds tables that are not a rollcoach journal; rollcoach "
                                                           "will not change it. Pass --db with an empty database "
                                                           "(createdb rollcoach) or another one.",
                    where)) };
        }
        if (version > known)
            throw Refusal { Error::conflict(fmt::format("The journal {} was written by a newer rollcoach (schema {}; this "
                                                        "version knows up to {}). Update rollcoach; the journal was not changed.",
                where, version, known)) };
        if (version == 0 && (options.creation == Creation::MustExist || read_only))
            throw Refusal { Error::not_found(fmt::format("There is no journal in {} yet: nothing has been logged.", where)) };
        if (version < latest && read_only)
            throw Refusal { Error::conflict(fmt::format("The journal {} has an older layout (schema {}) that this rollcoach reads "
                                                        "only after upgrading it; run a command that writes (rollcoach serve) once, "
                                                        "then try again.",
                where, version)) };
        for (auto const& migration : options.migrations) {
            if (migration.version <= version || migration.version > latest)
                continue;
            try {
                tx.exec(migration.sql);
            } catch (pqxx::sql_error const& e) {
                if (is_connection_loss(e))
                    throw;
                throw Refusal { Error::storage(fmt::format("Could not upgrade the journal {} to schema {}: migration {} failed "
                                                           "({}). Nothing was changed; report this with the message.",
                    where, migration.version, migration.name, std::string(e.what()))) };
            }
            tx.exec_params("INSERT INTO rollcoach_schema (id, application, version) VALUES (1, 'rollcoach-journal', $1) "
                           "ON CONFLICT (id) DO UPDATE SET version = excluded.version",
                migration.version);
            version = migration.version;
        }
        return version;
    });
    if (!opened)
        return opened.error();
    journal->m_mode = options.mode;
    return journal;
}

Result<int> PostgresJournal::schema_version()
{
    return run("read the schema version", Access::Read,
        [](pqxx::transaction_base& tx) { return tx.exec("SELECT version FROM rollcoach_schema WHERE id = 1")[0][0].as<int>(); });
}

Result<std::optional<Profile>> PostgresJournal::find_profile()
{
    return run("read the profile", Access::Read, [](pqxx::transaction_base& tx) { return read_profile(tx); });
}

Result<void> PostgresJournal::save_profile(Profile const& profile)
{
    return run("save the profile", Access::Write, [&](pqxx::transaction_base& tx) { write_profile(tx, profile); });
}

Result<Profile> PostgresJournal::update_profile(WallTime at, std::function<json(json)> const& change)
{
    return run("update the profile", Access::Write, [&](pqxx::transaction_base& tx) {
        // The lock makes read-modify-write from several processes queue instead of overwrite.
        tx.exec_params("SELECT pg_advisory_xact_lock($1)", write_lock_key);
        auto current = read_profile(tx);
        Profile updated { at, change(current ? current->document : json::object()) };
        write_profile(tx, updated);
        return updated;
    });
}

Result<RecordId> PostgresJournal::add_screening(ScreeningRecord const& screening)
{
    return run("save the screening", Access::Write, [&](pqxx::transaction_base& tx) { return insert_screening(tx, screening); });
}

Result<RecordId> PostgresJournal::add_session(SessionRecord const& session)
{
    return run("save the session", Access::Write, [&](pqxx::transaction_base& tx) { return insert_session(tx, session); });
}

Result<RecordId> PostgresJournal::add_pain(PainRating const& rating)
{
    return run("save the pain rating", Access::Write, [&](pqxx::transaction_base& tx) {
        check_session_exists(tx, rating.session_id);
        return insert_pain(tx, rating);
    });
}

Result<RecordId> PostgresJournal::add_checkin(CheckIn const& checkin)
{
    return run("save the check-in", Access::Write, [&](pqxx::transaction_base& tx) {
        check_session_exists(tx, checkin.session_id);
        return insert_checkin(tx, checkin);
    });
}

Result<RecordId> PostgresJournal::add_note(Note const& note)
{
    if (note.text.empty())
        return Error::invalid_argument("A note needs some text.");
    return run("save the note", Access::Write, [&](pqxx::transaction_base& tx) {
        check_session_exists(tx, note.session_id);
        return insert_note(tx, note);
    });
}

Result<RecordId> PostgresJournal::add_clearance(Clearance const& clearance)
{
    return run("save the clearance", Access::Write, [&](pqxx::transaction_base& tx) { return insert_clearance(tx, clearance); });
}

Result<std::optional<SessionRecord>> PostgresJournal::find_session(RecordId id)
{
    return run("read the session", Access::Read, [&](pqxx::transaction_base& tx) -> std::optional<SessionRecord> {
        auto sessions = read_sessions(tx, fmt::format("WHERE id = {}", id));
        if (sessions.empty())
            return std::nullopt;
        return std::move(sessions.front());
    });
}

Result<std::optional<SessionRecord>> PostgresJournal::find_latest_session()
{
    return run("read the latest session", Access::Read, [&](pqxx::transaction_base& tx) -> std::optional<SessionRecord> {
        auto sessions = read_sessions(tx, "ORDER BY started_at DESC, id DESC LIMIT 1");
        if (sessions.empty())
            return std::nullopt;
        return std::move(sessions.front());
    });
}

Result<std::optional<ScreeningRecord>> PostgresJournal::find_latest_screening()
{
    return run("read the latest screening", Access::Read, [&](pqxx::transaction_base& tx) -> std::optional<ScreeningRecord> {
        auto rows = tx.exec(fmt::format("SELECT {} FROM screenings ORDER BY taken_at DESC, id DESC LIMIT 1", screening_columns));
        if (rows.empty())
            return std::nullopt;
        return read_screening(rows[0]);
    });
}

}
