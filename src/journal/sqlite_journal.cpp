#include "journal/sqlite_journal.h"

#include "journal/record_json.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <fmt/core.h>
#include <map>
#include <thread>
#include <type_traits>
#include <variant>
#include <unistd.h>

namespace rc::journal {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::int64_t application_id = 0x52434A4E;   // 'RCJN', set by 0001_init.sql
constexpr int busy_retries = 20;

// Thrown inside a transaction body to roll back and return a user-facing error (not retried).
struct Refusal {
    Error error;
};

Error storage_error(fs::path const& path, char const* action, int code, std::string const& detail)
{
    switch (code & 0xff) {
    case SQLITE_FULL:
        return Error::storage(fmt::format("Could not {}: the disk holding {} is full, so nothing was saved. "
                                          "Free some space and try again.",
            action, path.string()));
    case SQLITE_READONLY:
        return Error::storage(fmt::format("Could not {}: {} is read-only. Check the file's and its folder's "
                                          "permissions, or pass --db with a writable file.",
            action, path.string()));
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return Error::storage(fmt::format("Could not {}: {} is damaged or is not a rollcoach journal ({}). "
                                          "rollcoach has not changed it. Restore a backup (rollcoach backup makes one), "
                                          "or move the file away to start a new journal.",
            action, path.string(), detail));
    case SQLITE_CANTOPEN:
        return Error::storage(fmt::format("Could not {}: cannot open {} ({}). Check that its folder exists and is "
                                          "writable, or pass --db with another file.",
            action, path.string(), detail));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return Error::storage(fmt::format("Could not {}: {} stayed in use by another rollcoach process for too long. "
                                          "Try again in a moment.",
            action, path.string()));
    case SQLITE_IOERR:
        return Error::storage(fmt::format("Could not {}: the system reported an input/output error on {} ({}). "
                                          "Check the disk; nothing was saved.",
            action, path.string(), detail));
    case SQLITE_CONSTRAINT:
        return Error::invalid_argument(fmt::format("Could not {}: the record refers to something that does not exist "
                                                   "or breaks a rule of the journal ({}).",
            action, detail));
    default:
        return Error::storage(fmt::format("Could not {} in {}: {}.", action, path.string(), detail));
    }
}

enum class Access { Read, Write };

// Runs `body` in a transaction (BEGIN IMMEDIATE for writes, so two writers queue instead of
// deadlocking) and commits. SQLITE_BUSY past the busy timeout is retried with a short backoff, so
// another process holding the lock delays us but never surfaces as "database is locked".
template<typename F>
auto in_transaction(SQLite::Database& db, fs::path const& path, char const* action, Access access, F&& body)
    -> Result<std::invoke_result_t<F>>
{
    using T = std::invoke_result_t<F>;
    for (int attempt = 0;; ++attempt) {
        try {
            SQLite::Transaction transaction(db,
                access == Access::Write ? SQLite::TransactionBehavior::IMMEDIATE : SQLite::TransactionBehavior::DEFERRED);
            if constexpr (std::is_void_v<T>) {
                body();
                transaction.commit();
                return Result<void> {};
            } else {
                T value = body();
                transaction.commit();
                return value;
            }
        } catch (Refusal const& refusal) {
            return refusal.error;
        } catch (SQLite::Exception const& e) {
            int code = e.getErrorCode() & 0xff;
            if ((code == SQLITE_BUSY || code == SQLITE_LOCKED) && attempt < busy_retries) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10 * (attempt + 1)));
                continue;
            }
            return storage_error(path, action, e.getErrorCode(), e.getErrorStr());
        } catch (json::exception const& e) {
            return Error::storage(fmt::format("Could not {}: a stored document in {} is not valid JSON ({}).", action,
                path.string(), e.what()));
        } catch (std::exception const& e) {
            return Error::storage(fmt::format("Could not {} in {}: {}.", action, path.string(), e.what()));
        }
    }
}

// PRAGMAs that must not run inside a transaction, with the same busy retry.
Result<void> exec_outside_transaction(SQLite::Database& db, fs::path const& path, char const* action, char const* sql)
{
    for (int attempt = 0;; ++attempt) {
        try {
            db.exec(sql);
            return {};
        } catch (SQLite::Exception const& e) {
            int code = e.getErrorCode() & 0xff;
            if ((code == SQLITE_BUSY || code == SQLITE_LOCKED) && attempt < busy_retries) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10 * (attempt + 1)));
                continue;
            }
            return storage_error(path, action, e.getErrorCode(), e.getErrorStr());
        }
    }
}

void bind_optional(SQLite::Statement& statement, int index, std::optional<RecordId> value)
{
    if (value)
        statement.bind(index, std::int64_t(*value));
    else
        statement.bind(index);
}

std::optional<RecordId> optional_id(SQLite::Column const& column)
{
    if (column.isNull())
        return std::nullopt;
    return column.getInt64();
}

json parse_document(SQLite::Column const& column)
{
    return json::parse(column.getString());
}

std::int64_t ms(WallTime time) { return to_unix_ms(time); }

std::int64_t scalar(SQLite::Database& db, char const* sql)
{
    SQLite::Statement statement(db, sql);
    statement.executeStep();
    return statement.getColumn(0).getInt64();
}

void check_rating(int value)
{
    if (value < 0 || value > 10)
        throw Refusal { Error::invalid_argument(fmt::format(
            "A pain rating must be a whole number from 0 (no pain) to 10 (worst imaginable), not {}.", value)) };
}

void check_session_exists(SQLite::Database& db, std::optional<RecordId> session_id)
{
    if (!session_id)
        return;
    SQLite::Statement statement(db, "SELECT 1 FROM sessions WHERE id = ?");
    statement.bind(1, std::int64_t(*session_id));
    if (!statement.executeStep())
        throw Refusal { Error::not_found(fmt::format(
            "There is no session {} in the journal; `rollcoach history` lists the sessions.", *session_id)) };
}

RecordId insert_pain(SQLite::Database& db, PainRating const& rating, std::optional<RecordId> explicit_id = {})
{
    check_rating(rating.value);
    SQLite::Statement statement(db,
        "INSERT INTO pain_ratings (id, recorded_at, value, moment, session_id, note) VALUES (?, ?, ?, ?, ?, ?)");
    bind_optional(statement, 1, explicit_id);
    statement.bind(2, ms(rating.at));
    statement.bind(3, rating.value);
    statement.bind(4, to_string(rating.moment));
    bind_optional(statement, 5, rating.session_id);
    statement.bind(6, rating.note);
    statement.exec();
    return db.getLastInsertRowid();
}

RecordId insert_session(SQLite::Database& db, SessionRecord const& session, std::optional<RecordId> explicit_id = {},
    bool with_pain = true)
{
    if (session.ended_at < session.started_at)
        throw Refusal { Error::invalid_argument("A session cannot end before it starts.") };
    SQLite::Statement statement(db,
        "INSERT INTO sessions (id, started_at, ended_at, end_reason, screening_id, plan, completed_steps, "
        "skipped_steps, cues) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    bind_optional(statement, 1, explicit_id);
    statement.bind(2, ms(session.started_at));
    statement.bind(3, ms(session.ended_at));
    statement.bind(4, to_string(session.end_reason));
    bind_optional(statement, 5, session.screening_id);
    statement.bind(6, session.plan.dump());
    statement.bind(7, session.completed_steps.dump());
    statement.bind(8, session.skipped_steps.dump());
    statement.bind(9, session.cues.dump());
    statement.exec();
    RecordId id = db.getLastInsertRowid();
    // Several entries for one zone add up (a zone rolled twice in one plan).
    std::map<std::string, std::int64_t> zone_seconds;
    for (auto const& zone : session.zones)
        zone_seconds[zone.zone_id] += zone.rolled.count();
    SQLite::Statement zone_insert(db, "INSERT INTO session_zones (session_id, zone_id, seconds) VALUES (?, ?, ?)");
    for (auto const& [zone, seconds] : zone_seconds) {
        zone_insert.bind(1, std::int64_t(id));
        zone_insert.bind(2, zone);
        zone_insert.bind(3, seconds);
        zone_insert.exec();
        zone_insert.reset();
    }
    SQLite::Statement spot_insert(db, "INSERT INTO tender_spots (session_id, zone_id, seconds) VALUES (?, ?, ?)");
    for (auto const& spot : session.tender_spots) {
        spot_insert.bind(1, std::int64_t(id));
        spot_insert.bind(2, spot.zone_id);
        spot_insert.bind(3, std::int64_t(spot.held.count()));
        spot_insert.exec();
        spot_insert.reset();
    }
    if (with_pain) {
        for (auto rating : session.pain) {
            rating.session_id = id;
            insert_pain(db, rating);
        }
    }
    return id;
}

RecordId insert_screening(SQLite::Database& db, ScreeningRecord const& screening, std::optional<RecordId> explicit_id = {})
{
    SQLite::Statement statement(db, "INSERT INTO screenings (id, taken_at, tier, answers, verdict) VALUES (?, ?, ?, ?, ?)");
    bind_optional(statement, 1, explicit_id);
    statement.bind(2, ms(screening.taken_at));
    statement.bind(3, screening.tier);
    statement.bind(4, screening.answers.dump());
    statement.bind(5, screening.verdict.dump());
    statement.exec();
    return db.getLastInsertRowid();
}

RecordId insert_checkin(SQLite::Database& db, CheckIn const& checkin, std::optional<RecordId> explicit_id = {})
{
    if (checkin.soreness < 0 || checkin.soreness > 10)
        throw Refusal { Error::invalid_argument(
            fmt::format("Next-day soreness must be a whole number from 0 to 10, not {}.", checkin.soreness)) };
    SQLite::Statement statement(db,
        "INSERT INTO checkins (id, recorded_at, session_id, soreness, warning_sign, tier, answers, verdict) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    bind_optional(statement, 1, explicit_id);
    statement.bind(2, ms(checkin.at));
    bind_optional(statement, 3, checkin.session_id);
    statement.bind(4, checkin.soreness);
    statement.bind(5, checkin.warning == WarningSign::Present ? 1 : 0);
    statement.bind(6, checkin.tier);
    statement.bind(7, checkin.answers.dump());
    statement.bind(8, checkin.verdict.dump());
    statement.exec();
    return db.getLastInsertRowid();
}

RecordId insert_note(SQLite::Database& db, Note const& note, std::optional<RecordId> explicit_id = {})
{
    SQLite::Statement statement(db, "INSERT INTO notes (id, recorded_at, session_id, text) VALUES (?, ?, ?, ?)");
    bind_optional(statement, 1, explicit_id);
    statement.bind(2, ms(note.at));
    bind_optional(statement, 3, note.session_id);
    statement.bind(4, note.text);
    statement.exec();
    return db.getLastInsertRowid();
}

RecordId insert_clearance(SQLite::Database& db, Clearance const& clearance, std::optional<RecordId> explicit_id = {})
{
    SQLite::Statement statement(db, "INSERT INTO clearances (id, recorded_at, note) VALUES (?, ?, ?)");
    bind_optional(statement, 1, explicit_id);
    statement.bind(2, ms(clearance.at));
    statement.bind(3, clearance.note);
    statement.exec();
    return db.getLastInsertRowid();
}

void write_profile(SQLite::Database& db, Profile const& profile)
{
    SQLite::Statement statement(db,
        "INSERT INTO profile (id, updated_at, document) VALUES (1, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, document = excluded.document");
    statement.bind(1, ms(profile.updated_at));
    statement.bind(2, profile.document.dump());
    statement.exec();
}

std::optional<Profile> read_profile(SQLite::Database& db)
{
    SQLite::Statement statement(db, "SELECT updated_at, document FROM profile WHERE id = 1");
    if (!statement.executeStep())
        return std::nullopt;
    return Profile { from_unix_ms(statement.getColumn(0).getInt64()), parse_document(statement.getColumn(1)) };
}

constexpr char const* checkin_columns = "id, recorded_at, session_id, soreness, warning_sign, tier, answers, verdict";

CheckIn read_checkin(SQLite::Statement& row)
{
    CheckIn checkin;
    checkin.id = row.getColumn(0).getInt64();
    checkin.at = from_unix_ms(row.getColumn(1).getInt64());
    checkin.session_id = optional_id(row.getColumn(2));
    checkin.soreness = row.getColumn(3).getInt();
    checkin.warning = row.getColumn(4).getInt() ? WarningSign::Present : WarningSign::Absent;
    checkin.tier = row.getColumn(5).getString();
    checkin.answers = parse_document(row.getColumn(6));
    checkin.verdict = parse_document(row.getColumn(7));
    return checkin;
}

constexpr char const* session_columns =
    "id, started_at, ended_at, end_reason, screening_id, plan, completed_steps, skipped_steps, cues";

SessionRecord read_session_row(SQLite::Statement& row)
{
    SessionRecord session;
    session.id = row.getColumn(0).getInt64();
    session.started_at = from_unix_ms(row.getColumn(1).getInt64());
    session.ended_at = from_unix_ms(row.getColumn(2).getInt64());
    session.end_reason = parse_end_reason(row.getColumn(3).getString()).value_or(EndReason::Completed);
    session.screening_id = optional_id(row.getColumn(4));
    session.plan = parse_document(row.getColumn(5));
    session.completed_steps = parse_document(row.getColumn(6));
    session.skipped_steps = parse_document(row.getColumn(7));
    session.cues = parse_document(row.getColumn(8));
    return session;
}

constexpr char const* pain_columns = "id, recorded_at, value, moment, session_id, note";

PainRating read_pain(SQLite::Statement& row)
{
    PainRating rating;
    rating.id = row.getColumn(0).getInt64();
    rating.at = from_unix_ms(row.getColumn(1).getInt64());
    rating.value = row.getColumn(2).getInt();
    rating.moment = parse_pain_moment(row.getColumn(3).getString()).value_or(PainMoment::Standalone);
    rating.session_id = optional_id(row.getColumn(4));
    rating.note = row.getColumn(5).getString();
    return rating;
}

std::optional<SessionRecord> read_full_session(SQLite::Database& db, char const* where, std::optional<RecordId> id)
{
    SQLite::Statement statement(db, fmt::format("SELECT {} FROM sessions {}", session_columns, where));
    if (id)
        statement.bind(1, std::int64_t(*id));
    if (!statement.executeStep())
        return std::nullopt;
    SessionRecord session = read_session_row(statement);
    SQLite::Statement zones(db, "SELECT zone_id, seconds FROM session_zones WHERE session_id = ? ORDER BY zone_id");
    zones.bind(1, std::int64_t(session.id));
    while (zones.executeStep())
        session.zones.push_back({ zones.getColumn(0).getString(), std::chrono::seconds(zones.getColumn(1).getInt64()) });
    SQLite::Statement spots(db, "SELECT zone_id, seconds FROM tender_spots WHERE session_id = ? ORDER BY id");
    spots.bind(1, std::int64_t(session.id));
    while (spots.executeStep())
        session.tender_spots.push_back({ spots.getColumn(0).getString(), std::chrono::seconds(spots.getColumn(1).getInt64()) });
    SQLite::Statement pain(db, fmt::format("SELECT {} FROM pain_ratings WHERE session_id = ? ORDER BY recorded_at, id", pain_columns));
    pain.bind(1, std::int64_t(session.id));
    while (pain.executeStep())
        session.pain.push_back(read_pain(pain));
    return session;
}

std::optional<CheckIn> read_uncleared_warning(SQLite::Database& db)
{
    SQLite::Statement statement(db, fmt::format("SELECT {} FROM checkins WHERE warning_sign = 1 AND recorded_at > "
                                                "COALESCE((SELECT MAX(recorded_at) FROM clearances), -9223372036854775807) "
                                                "ORDER BY recorded_at DESC, id DESC LIMIT 1",
                                        checkin_columns));
    if (!statement.executeStep())
        return std::nullopt;
    return read_checkin(statement);
}

std::int64_t day_start_ms(LocalDay day, std::chrono::seconds utc_offset)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(day.time_since_epoch() - utc_offset).count();
}

std::optional<double> average(SQLite::Database& db, std::int64_t from_ms, std::int64_t to_ms)
{
    // Background pain: ratings before a session or on their own. Ratings during and right after
    // rolling show the session's short-term effect, which the per-session list reports.
    SQLite::Statement statement(db, "SELECT AVG(value) FROM pain_ratings WHERE moment IN ('before', 'standalone') "
                                    "AND recorded_at >= ? AND recorded_at < ?");
    statement.bind(1, from_ms);
    statement.bind(2, to_ms);
    statement.executeStep();
    if (statement.getColumn(0).isNull())
        return std::nullopt;
    return statement.getColumn(0).getDouble();
}

std::vector<int> recent_soreness(SQLite::Database& db, LocalDay today, std::chrono::seconds utc_offset)
{
    SQLite::Statement statement(db, "SELECT soreness FROM checkins WHERE recorded_at >= ? AND recorded_at < ? "
                                    "ORDER BY recorded_at, id");
    statement.bind(1, day_start_ms(today - std::chrono::days { 13 }, utc_offset));
    statement.bind(2, day_start_ms(today + std::chrono::days { 1 }, utc_offset));
    std::vector<int> soreness;
    while (statement.executeStep())
        soreness.push_back(statement.getColumn(0).getInt());
    return soreness;
}

std::string minutes_text(std::int64_t seconds)
{
    return seconds < 60 ? fmt::format("{} s", seconds) : fmt::format("{} min", (seconds + 30) / 60);
}

}

SqliteJournal::SqliteJournal(fs::path path, std::unique_ptr<SQLite::Database> db)
    : m_path(std::move(path))
    , m_db(std::move(db))
{
}

SqliteJournal::~SqliteJournal() = default;

Result<std::unique_ptr<SqliteJournal>> SqliteJournal::open(fs::path const& path, Creation creation)
{
    SqliteOptions options;
    options.creation = creation;
    return open(path, std::move(options));
}

Result<std::unique_ptr<SqliteJournal>> SqliteJournal::open(fs::path const& path, SqliteOptions options)
{
    std::error_code ec;
    bool exists = fs::exists(path, ec);
    if (ec)
        return Error::storage(fmt::format("Cannot look at {}: {}. Check the path and its permissions.", path.string(), ec.message()));
    if (exists && !fs::is_regular_file(path, ec))
        return Error::storage(fmt::format("{} is not a file; pass --db with the path of a journal file.", path.string()));
    if (!exists) {
        auto directory = path.parent_path().empty() ? fs::path(".") : path.parent_path();
        switch (options.creation) {
        case Creation::MustExist:
            return Error::not_found(fmt::format("There is no journal at {} yet: nothing has been logged.", path.string()));
        case Creation::CreateFileOnly:
            if (!fs::is_directory(directory, ec))
                return Error::storage(fmt::format("Cannot create a journal at {}: the folder {} does not exist. "
                                                  "Create it first or pass --db with another path.",
                    path.string(), directory.string()));
            break;
        case Creation::CreateIfMissing:
            fs::create_directories(directory, ec);
            if (ec)
                return Error::storage(fmt::format("Cannot create the folder {} for the journal: {}. "
                                                  "Pass --db with a writable path.",
                    directory.string(), ec.message()));
            break;
        }
    }

    int latest = options.target_version.value_or(latest_schema_version(options.migrations));
    std::unique_ptr<SQLite::Database> db;
    try {
        int flags = SQLite::OPEN_READWRITE | (exists ? 0 : SQLite::OPEN_CREATE);
        db = std::make_unique<SQLite::Database>(path, flags, int(options.busy_timeout.count()));
    } catch (SQLite::Exception const& e) {
        return storage_error(path, "open the journal", e.getErrorCode(), e.getErrorStr());
    }

    // Look before touching anything: every check below runs before the first write.
    auto checked = in_transaction(*db, path, "open the journal", Access::Read, [&]() -> int {
        if (sqlite3_db_readonly(db->getHandle(), "main") == 1)
            throw Refusal { storage_error(path, "open the journal for writing", SQLITE_READONLY, "") };
        int version = int(scalar(*db, "PRAGMA user_version"));
        std::int64_t app_id = scalar(*db, "PRAGMA application_id");
        std::int64_t tables = scalar(*db, "SELECT count(*) FROM sqlite_schema");
        if ((version > 0 && app_id != application_id) || (version == 0 && (tables > 0 || app_id != 0)))
            throw Refusal { Error::storage(fmt::format("{} is an SQLite database but not a rollcoach journal; "
                                                       "rollcoach will not change it. Pass --db with another file.",
                path.string())) };
        if (version > latest_schema_version(options.migrations))
            throw Refusal { Error::conflict(fmt::format("The journal {} was written by a newer rollcoach (schema {}; this "
                                                        "version knows up to {}). Update rollcoach; the journal was not changed.",
                path.string(), version, latest_schema_version(options.migrations))) };
        if (version > 0) {
            SQLite::Statement check(*db, "PRAGMA quick_check");
            if (!check.executeStep() || check.getColumn(0).getString() != "ok")
                throw Refusal { storage_error(path, "open the journal", SQLITE_CORRUPT, "integrity check failed") };
        }
        return version;
    });
    if (!checked)
        return checked.error();

    if (auto wal = exec_outside_transaction(*db, path, "open the journal", "PRAGMA journal_mode = WAL"); !wal)
        return wal.error();
    // FULL: with WAL, NORMAL may lose the last commits on power loss; FULL syncs the log on every
    // commit, so an acknowledged write survives.
    if (auto sync = exec_outside_transaction(*db, path, "open the journal", "PRAGMA synchronous = FULL"); !sync)
        return sync.error();
    if (auto keys = exec_outside_transaction(*db, path, "open the journal", "PRAGMA foreign_keys = ON"); !keys)
        return keys.error();

    if (options.max_pages) {
        auto cap = fmt::format("PRAGMA max_page_count = {}", *options.max_pages);
        if (auto capped = exec_outside_transaction(*db, path, "open the journal", cap.c_str()); !capped)
            return capped.error();
    }

    if (*checked < latest) {
        auto migrated = in_transaction(*db, path, "upgrade the journal", Access::Write, [&] {
            // Another process may have migrated while we waited for the write lock.
            int version = int(scalar(*db, "PRAGMA user_version"));
            for (auto const& migration : options.migrations) {
                if (migration.version <= version || migration.version > latest)
                    continue;
                db->exec(migration.sql);
                db->exec(fmt::format("PRAGMA user_version = {}", migration.version));
            }
        });
        if (!migrated)
            return migrated.error();
    }
    return std::unique_ptr<SqliteJournal>(new SqliteJournal(path, std::move(db)));
}

Result<int> SqliteJournal::schema_version()
{
    return in_transaction(*m_db, m_path, "read the schema version", Access::Read,
        [&] { return int(scalar(*m_db, "PRAGMA user_version")); });
}

Result<std::optional<Profile>> SqliteJournal::find_profile()
{
    return in_transaction(*m_db, m_path, "read the profile", Access::Read, [&] { return read_profile(*m_db); });
}

Result<void> SqliteJournal::save_profile(Profile const& profile)
{
    return in_transaction(*m_db, m_path, "save the profile", Access::Write, [&] { write_profile(*m_db, profile); });
}

Result<Profile> SqliteJournal::update_profile(WallTime at, std::function<json(json)> const& change)
{
    return in_transaction(*m_db, m_path, "update the profile", Access::Write, [&] {
        auto current = read_profile(*m_db);
        Profile updated { at, change(current ? current->document : json::object()) };
        write_profile(*m_db, updated);
        return updated;
    });
}

Result<RecordId> SqliteJournal::add_screening(ScreeningRecord const& screening)
{
    return in_transaction(*m_db, m_path, "save the screening", Access::Write, [&] { return insert_screening(*m_db, screening); });
}

Result<RecordId> SqliteJournal::add_session(SessionRecord const& session)
{
    return in_transaction(*m_db, m_path, "save the session", Access::Write, [&] { return insert_session(*m_db, session); });
}

Result<RecordId> SqliteJournal::add_pain(PainRating const& rating)
{
    return in_transaction(*m_db, m_path, "save the pain rating", Access::Write, [&] {
        check_session_exists(*m_db, rating.session_id);
        return insert_pain(*m_db, rating);
    });
}

Result<RecordId> SqliteJournal::add_checkin(CheckIn const& checkin)
{
    return in_transaction(*m_db, m_path, "save the check-in", Access::Write, [&] {
        check_session_exists(*m_db, checkin.session_id);
        return insert_checkin(*m_db, checkin);
    });
}

Result<RecordId> SqliteJournal::add_note(Note const& note)
{
    if (note.text.empty())
        return Error::invalid_argument("A note needs some text.");
    return in_transaction(*m_db, m_path, "save the note", Access::Write, [&] {
        check_session_exists(*m_db, note.session_id);
        return insert_note(*m_db, note);
    });
}

Result<RecordId> SqliteJournal::add_clearance(Clearance const& clearance)
{
    return in_transaction(*m_db, m_path, "save the clearance", Access::Write, [&] { return insert_clearance(*m_db, clearance); });
}

Result<std::optional<SessionRecord>> SqliteJournal::find_session(RecordId id)
{
    return in_transaction(*m_db, m_path, "read the session", Access::Read,
        [&] { return read_full_session(*m_db, "WHERE id = ?", id); });
}

Result<std::optional<SessionRecord>> SqliteJournal::find_latest_session()
{
    return in_transaction(*m_db, m_path, "read the latest session", Access::Read,
        [&] { return read_full_session(*m_db, "ORDER BY started_at DESC, id DESC LIMIT 1", std::nullopt); });
}

Result<std::optional<ScreeningRecord>> SqliteJournal::find_latest_screening()
{
    return in_transaction(*m_db, m_path, "read the latest screening", Access::Read, [&]() -> std::optional<ScreeningRecord> {
        SQLite::Statement statement(*m_db, "SELECT id, taken_at, tier, answers, verdict FROM screenings "
                                           "ORDER BY taken_at DESC, id DESC LIMIT 1");
        if (!statement.executeStep())
            return std::nullopt;
        return ScreeningRecord { statement.getColumn(0).getInt64(), from_unix_ms(statement.getColumn(1).getInt64()),
            statement.getColumn(2).getString(), parse_document(statement.getColumn(3)),
            parse_document(statement.getColumn(4)) };
    });
}

Result<std::optional<CheckIn>> SqliteJournal::find_uncleared_warning()
{
    return in_transaction(*m_db, m_path, "read the check-ins", Access::Read, [&] { return read_uncleared_warning(*m_db); });
}

Result<std::vector<HistoryEntry>> SqliteJournal::history(int limit)
{
    if (limit <= 0)
        return std::vector<HistoryEntry> {};
    return in_transaction(*m_db, m_path, "read the history", Access::Read, [&] {
        std::vector<HistoryEntry> entries;
        // Each table's newest `limit` rows (index scans), merged: no table scan however old the journal.
        SQLite::Statement sessions(*m_db,
            "SELECT s.id, s.started_at, s.ended_at, s.end_reason, "
            " (SELECT value FROM pain_ratings p WHERE p.session_id = s.id AND p.moment = 'before' ORDER BY p.recorded_at LIMIT 1), "
            " (SELECT value FROM pain_ratings p WHERE p.session_id = s.id AND p.moment = 'after' ORDER BY p.recorded_at DESC LIMIT 1), "
            " (SELECT group_concat(zone_id, ', ') FROM (SELECT zone_id FROM session_zones z WHERE z.session_id = s.id ORDER BY zone_id)), "
            " (SELECT count(*) FROM tender_spots t WHERE t.session_id = s.id) "
            "FROM sessions s ORDER BY s.started_at DESC, s.id DESC LIMIT ?");
        sessions.bind(1, limit);
        while (sessions.executeStep()) {
            HistoryEntry entry { EntryKind::Session, sessions.getColumn(0).getInt64(),
                from_unix_ms(sessions.getColumn(1).getInt64()), {}, {} };
            auto seconds = (sessions.getColumn(2).getInt64() - sessions.getColumn(1).getInt64()) / 1000;
            auto reason = sessions.getColumn(3).getString();
            auto zones = sessions.getColumn(6).isNull() ? std::string() : sessions.getColumn(6).getString();
            std::optional<int> before, after;
            if (!sessions.getColumn(4).isNull())
                before = sessions.getColumn(4).getInt();
            if (!sessions.getColumn(5).isNull())
                after = sessions.getColumn(5).getInt();
            std::string pain;
            if (before && after)
                pain = fmt::format(", pain {} -> {}", *before, *after);
            else if (before)
                pain = fmt::format(", pain before {}", *before);
            else if (after)
                pain = fmt::format(", pain after {}", *after);
            std::string ending = reason == "completed" ? "completed" : reason == "quit" ? "quit early" : "stopped for a warning sign";
            entry.summary = fmt::format("session {}, {}{}{}", minutes_text(seconds), ending,
                zones.empty() ? "" : fmt::format(" ({})", zones), pain);
            entry.detail = { { "ended_at", format_utc(from_unix_ms(sessions.getColumn(2).getInt64())) },
                { "seconds", seconds }, { "end_reason", reason }, { "zones", zones },
                { "tender_spots", sessions.getColumn(7).getInt() },
                { "pain_before", before ? json(*before) : json(nullptr) }, { "pain_after", after ? json(*after) : json(nullptr) } };
            entries.push_back(std::move(entry));
        }
        SQLite::Statement pain(*m_db, fmt::format("SELECT {} FROM pain_ratings ORDER BY recorded_at DESC, id DESC LIMIT ?", pain_columns));
        pain.bind(1, limit);
        while (pain.executeStep()) {
            auto rating = read_pain(pain);
            std::string when = rating.moment == PainMoment::Standalone ? "" : fmt::format(" ({} session", to_string(rating.moment));
            if (!when.empty())
                when += rating.session_id ? fmt::format(" {})", *rating.session_id) : ")";
            entries.push_back({ EntryKind::Pain, rating.id, rating.at,
                fmt::format("pain {}/10{}{}", rating.value, when, rating.note.empty() ? "" : ": " + rating.note),
                { { "value", rating.value }, { "moment", to_string(rating.moment) },
                    { "session_id", rating.session_id ? json(*rating.session_id) : json(nullptr) }, { "note", rating.note } } });
        }
        SQLite::Statement checkins(*m_db, fmt::format("SELECT {} FROM checkins ORDER BY recorded_at DESC, id DESC LIMIT ?", checkin_columns));
        checkins.bind(1, limit);
        while (checkins.executeStep()) {
            auto checkin = read_checkin(checkins);
            bool warning = checkin.warning == WarningSign::Present;
            entries.push_back({ EntryKind::CheckIn, checkin.id, checkin.at,
                fmt::format("next-day check-in: soreness {}/10{}", checkin.soreness, warning ? ", warning sign" : ""),
                { { "soreness", checkin.soreness }, { "warning_sign", warning }, { "tier", checkin.tier },
                    { "session_id", checkin.session_id ? json(*checkin.session_id) : json(nullptr) } } });
        }
        SQLite::Statement notes(*m_db, "SELECT id, recorded_at, session_id, text FROM notes ORDER BY recorded_at DESC, id DESC LIMIT ?");
        notes.bind(1, limit);
        while (notes.executeStep()) {
            auto session_id = optional_id(notes.getColumn(2));
            entries.push_back({ EntryKind::Note, notes.getColumn(0).getInt64(), from_unix_ms(notes.getColumn(1).getInt64()),
                fmt::format("note: {}", notes.getColumn(3).getString()),
                { { "text", notes.getColumn(3).getString() }, { "session_id", session_id ? json(*session_id) : json(nullptr) } } });
        }
        SQLite::Statement screenings(*m_db, "SELECT id, taken_at, tier FROM screenings ORDER BY taken_at DESC, id DESC LIMIT ?");
        screenings.bind(1, limit);
        while (screenings.executeStep())
            entries.push_back({ EntryKind::Screening, screenings.getColumn(0).getInt64(),
                from_unix_ms(screenings.getColumn(1).getInt64()),
                fmt::format("screening: {}", screenings.getColumn(2).getString()),
                { { "tier", screenings.getColumn(2).getString() } } });
        SQLite::Statement clearances(*m_db, "SELECT id, recorded_at, note FROM clearances ORDER BY recorded_at DESC, id DESC LIMIT ?");
        clearances.bind(1, limit);
        while (clearances.executeStep()) {
            auto note = clearances.getColumn(2).getString();
            entries.push_back({ EntryKind::Clearance, clearances.getColumn(0).getInt64(),
                from_unix_ms(clearances.getColumn(1).getInt64()),
                fmt::format("cleared by a clinician{}", note.empty() ? "" : ": " + note), { { "note", note } } });
        }
        std::stable_sort(entries.begin(), entries.end(), [](auto const& a, auto const& b) {
            if (a.at != b.at)
                return a.at > b.at;
            return a.id > b.id;
        });
        if (entries.size() > std::size_t(limit))
            entries.resize(std::size_t(limit));
        return entries;
    });
}

Result<Stats> SqliteJournal::compute_stats(StatsRequest const& request)
{
    return in_transaction(*m_db, m_path, "compute the statistics", Access::Read, [&] {
        Stats stats;
        stats.today = local_day(request.now, request.utc_offset);
        std::vector<LocalDay> days;
        SQLite::Statement starts(*m_db, "SELECT started_at FROM sessions");
        while (starts.executeStep())
            days.push_back(local_day(from_unix_ms(starts.getColumn(0).getInt64()), request.utc_offset));
        stats.total_sessions = int(days.size());
        stats.weekly = compute_weekly_progress(days, stats.today, request.weekly_goal, request.weeks_shown);
        stats.streak = compute_streak(std::move(days), stats.today);

        SQLite::Statement zones(*m_db, "SELECT zone_id, seconds FROM zone_totals WHERE seconds > 0 ORDER BY 2 DESC, 1");
        while (zones.executeStep())
            stats.minutes_per_zone.push_back({ zones.getColumn(0).getString(), double(zones.getColumn(1).getInt64()) / 60.0 });

        SQLite::Statement sessions(*m_db,
            "SELECT s.id, s.started_at, "
            " (SELECT value FROM pain_ratings p WHERE p.session_id = s.id AND p.moment = 'before' ORDER BY p.recorded_at LIMIT 1), "
            " (SELECT value FROM pain_ratings p WHERE p.session_id = s.id AND p.moment = 'after' ORDER BY p.recorded_at DESC LIMIT 1) "
            "FROM sessions s ORDER BY s.started_at DESC, s.id DESC LIMIT ?");
        sessions.bind(1, request.recent_sessions);
        double change_sum = 0;
        int change_count = 0;
        while (sessions.executeStep()) {
            SessionPain pain { sessions.getColumn(0).getInt64(), from_unix_ms(sessions.getColumn(1).getInt64()), {}, {} };
            if (!sessions.getColumn(2).isNull())
                pain.before = sessions.getColumn(2).getInt();
            if (!sessions.getColumn(3).isNull())
                pain.after = sessions.getColumn(3).getInt();
            if (pain.before && pain.after) {
                change_sum += *pain.after - *pain.before;
                ++change_count;
            }
            stats.pain.sessions.push_back(pain);
        }
        std::reverse(stats.pain.sessions.begin(), stats.pain.sessions.end());
        if (change_count > 0)
            stats.pain.mean_session_change = change_sum / change_count;

        auto last_week_start = stats.today - std::chrono::days { 6 };
        auto tomorrow = stats.today + std::chrono::days { 1 };
        stats.pain.last_7_days_average = average(*m_db, day_start_ms(last_week_start, request.utc_offset),
            day_start_ms(tomorrow, request.utc_offset));
        std::optional<double> baseline;
        std::optional<LocalDay> first_day;
        {
            SQLite::Statement first(*m_db, "SELECT MIN(recorded_at) FROM pain_ratings WHERE moment IN ('before', 'standalone')");
            first.executeStep();
            if (!first.getColumn(0).isNull())
                first_day = local_day(from_unix_ms(first.getColumn(0).getInt64()), request.utc_offset);
        }
        if (first_day)
            baseline = average(*m_db, day_start_ms(*first_day, request.utc_offset),
                day_start_ms(*first_day + std::chrono::days { 7 }, request.utc_offset));
        stats.pain.since_first_week = classify_pain_change(baseline, stats.pain.last_7_days_average);
        // The first week and the last seven days must not overlap, or the "change" compares a
        // week with itself.
        if (!first_day || last_week_start < *first_day + std::chrono::days { 7 }) {
            auto& change = stats.pain.since_first_week;
            change.size = ChangeSize::NotEnoughData;
            change.direction = ChangeDirection::Same;
            change.points.reset();
            change.percent.reset();
        }

        stats.soreness = compute_soreness_pattern(recent_soreness(*m_db, stats.today, request.utc_offset), request.high_soreness);
        stats.uncleared_warning = read_uncleared_warning(*m_db);
        return stats;
    });
}

Result<plan::History> SqliteJournal::history_for_planning(StatsRequest const& request)
{
    return in_transaction(*m_db, m_path, "read the history for planning", Access::Read, [&] {
        plan::History history;
        auto today = local_day(request.now, request.utc_offset);
        history.today = today;
        SQLite::Statement sessions(*m_db, "SELECT started_at, ended_at, end_reason FROM sessions "
                                          "WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id");
        sessions.bind(1, day_start_ms(today - std::chrono::days { 27 }, request.utc_offset));
        sessions.bind(2, day_start_ms(today + std::chrono::days { 1 }, request.utc_offset));
        while (sessions.executeStep()) {
            auto started = sessions.getColumn(0).getInt64();
            plan::PastSession past;
            past.date = local_day(from_unix_ms(started), request.utc_offset);
            past.completed = sessions.getColumn(2).getString() == "completed";
            past.duration = std::chrono::seconds((sessions.getColumn(1).getInt64() - started) / 1000);
            history.sessions.push_back(past);
        }
        history.soreness = recent_soreness(*m_db, today, request.utc_offset);
        if (auto warning = read_uncleared_warning(*m_db)) {
            history.warning_sign_pending = true;
            auto const& reasons = warning->verdict.is_object() ? warning->verdict.value("reasons", json::array()) : json::array();
            if (reasons.is_array() && !reasons.empty() && reasons[0].is_object() && reasons[0].value("message", json()).is_string())
                history.warning_sign = reasons[0]["message"].get<std::string>();
            else
                history.warning_sign = fmt::format("a warning sign reported in the check-in of {}", format_day(local_day(warning->at, request.utc_offset)));
        }
        return history;
    });
}

Result<int> SqliteJournal::count_records()
{
    return in_transaction(*m_db, m_path, "count the records", Access::Read, [&] {
        return int(scalar(*m_db,
            "SELECT (SELECT count(*) FROM profile) + (SELECT count(*) FROM screenings) + (SELECT count(*) FROM sessions) "
            "+ (SELECT count(*) FROM pain_ratings) + (SELECT count(*) FROM checkins) + (SELECT count(*) FROM notes) "
            "+ (SELECT count(*) FROM clearances)"));
    });
}

Result<json> SqliteJournal::export_json()
{
    return in_transaction(*m_db, m_path, "export the journal", Access::Read, [&] {
        JournalContents contents;
        contents.schema_version = int(scalar(*m_db, "PRAGMA user_version"));
        contents.profile = read_profile(*m_db);
        SQLite::Statement screenings(*m_db, "SELECT id, taken_at, tier, answers, verdict FROM screenings ORDER BY id");
        while (screenings.executeStep())
            contents.screenings.push_back({ screenings.getColumn(0).getInt64(), from_unix_ms(screenings.getColumn(1).getInt64()),
                screenings.getColumn(2).getString(), parse_document(screenings.getColumn(3)),
                parse_document(screenings.getColumn(4)) });
        std::map<RecordId, std::size_t> session_index;
        SQLite::Statement sessions(*m_db, fmt::format("SELECT {} FROM sessions ORDER BY id", session_columns));
        while (sessions.executeStep()) {
            contents.sessions.push_back(read_session_row(sessions));
            session_index[contents.sessions.back().id] = contents.sessions.size() - 1;
        }
        // One pass per child table instead of one query per session.
        SQLite::Statement zones(*m_db, "SELECT session_id, zone_id, seconds FROM session_zones ORDER BY session_id, zone_id");
        while (zones.executeStep())
            contents.sessions[session_index.at(zones.getColumn(0).getInt64())].zones.push_back(
                { zones.getColumn(1).getString(), std::chrono::seconds(zones.getColumn(2).getInt64()) });
        SQLite::Statement spots(*m_db, "SELECT session_id, zone_id, seconds FROM tender_spots ORDER BY id");
        while (spots.executeStep())
            contents.sessions[session_index.at(spots.getColumn(0).getInt64())].tender_spots.push_back(
                { spots.getColumn(1).getString(), std::chrono::seconds(spots.getColumn(2).getInt64()) });
        SQLite::Statement pain(*m_db, fmt::format("SELECT {} FROM pain_ratings ORDER BY id", pain_columns));
        while (pain.executeStep())
            contents.pain_ratings.push_back(read_pain(pain));
        SQLite::Statement checkins(*m_db, fmt::format("SELECT {} FROM checkins ORDER BY id", checkin_columns));
        while (checkins.executeStep())
            contents.checkins.push_back(read_checkin(checkins));
        SQLite::Statement notes(*m_db, "SELECT id, recorded_at, session_id, text FROM notes ORDER BY id");
        while (notes.executeStep())
            contents.notes.push_back({ notes.getColumn(0).getInt64(), from_unix_ms(notes.getColumn(1).getInt64()),
                optional_id(notes.getColumn(2)), notes.getColumn(3).getString() });
        SQLite::Statement clearances(*m_db, "SELECT id, recorded_at, note FROM clearances ORDER BY id");
        while (clearances.executeStep())
            contents.clearances.push_back({ clearances.getColumn(0).getInt64(), from_unix_ms(clearances.getColumn(1).getInt64()),
                clearances.getColumn(2).getString() });
        return to_json(contents);
    });
}

namespace {

// Merging: a record counts as already present when its natural key matches (same time and the
// same defining values), so importing the same export twice adds nothing the second time.
std::optional<RecordId> find_existing(SQLite::Database& db, std::string const& sql, std::vector<std::variant<std::int64_t, std::string>> const& values)
{
    SQLite::Statement statement(db, sql);
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (auto const* number = std::get_if<std::int64_t>(&values[i]))
            statement.bind(int(i) + 1, *number);
        else
            statement.bind(int(i) + 1, std::get<std::string>(values[i]));
    }
    if (!statement.executeStep())
        return std::nullopt;
    return statement.getColumn(0).getInt64();
}

std::optional<RecordId> remap(std::map<RecordId, RecordId> const& ids, std::optional<RecordId> id)
{
    if (!id)
        return std::nullopt;
    return ids.at(*id);
}

}

Result<ImportSummary> SqliteJournal::import_json(json const& document, ImportMode mode)
{
    auto parsed = parse_contents(document);
    if (!parsed)
        return parsed.error();
    auto const& contents = *parsed;
    return in_transaction(*m_db, m_path, "import the journal", Access::Write, [&] {
        ImportSummary summary;
        auto existing = scalar(*m_db,
            "SELECT (SELECT count(*) FROM profile) + (SELECT count(*) FROM screenings) + (SELECT count(*) FROM sessions) "
            "+ (SELECT count(*) FROM pain_ratings) + (SELECT count(*) FROM checkins) + (SELECT count(*) FROM notes) "
            "+ (SELECT count(*) FROM clearances)");
        if (existing > 0 && mode == ImportMode::RefuseIfNotEmpty)
            throw Refusal { Error::conflict(fmt::format("The journal {} already holds {} records, so the import was not "
                                                        "applied. Import into a new journal (--db NEW_FILE), or pass --merge "
                                                        "to add the records it does not have yet.",
                m_path.string(), existing)) };
        if (existing == 0) {
            // Exact restore: same ids, so references and a re-export are identical.
            if (contents.profile) {
                write_profile(*m_db, *contents.profile);
                ++summary.added;
            }
            for (auto const& s : contents.screenings)
                insert_screening(*m_db, s, s.id);
            for (auto const& s : contents.sessions)
                insert_session(*m_db, s, s.id, false);
            for (auto const& r : contents.pain_ratings)
                insert_pain(*m_db, r, r.id);
            for (auto const& c : contents.checkins)
                insert_checkin(*m_db, c, c.id);
            for (auto const& n : contents.notes)
                insert_note(*m_db, n, n.id);
            for (auto const& c : contents.clearances)
                insert_clearance(*m_db, c, c.id);
            summary.added += int(contents.screenings.size() + contents.sessions.size() + contents.pain_ratings.size()
                + contents.checkins.size() + contents.notes.size() + contents.clearances.size());
            return summary;
        }
        // Merge: new ids for new records, references remapped, nothing already here is touched.
        auto count = [&](std::optional<RecordId> found) {
            if (found)
                ++summary.skipped;
            else
                ++summary.added;
        };
        if (contents.profile) {
            auto current = read_profile(*m_db);
            bool newer = !current || contents.profile->updated_at > current->updated_at;
            if (newer)
                write_profile(*m_db, *contents.profile);
            if (newer)
                ++summary.added;
            else
                ++summary.skipped;
        }
        std::map<RecordId, RecordId> screening_ids, session_ids;
        for (auto const& s : contents.screenings) {
            auto found = find_existing(*m_db, "SELECT id FROM screenings WHERE taken_at = ? AND tier = ? AND answers = ?",
                { ms(s.taken_at), s.tier, s.answers.dump() });
            count(found);
            screening_ids[s.id] = found ? *found : insert_screening(*m_db, s);
        }
        for (auto s : contents.sessions) {
            s.screening_id = remap(screening_ids, s.screening_id);
            auto found = find_existing(*m_db, "SELECT id FROM sessions WHERE started_at = ? AND ended_at = ? AND end_reason = ?",
                { ms(s.started_at), ms(s.ended_at), std::string(to_string(s.end_reason)) });
            count(found);
            session_ids[s.id] = found ? *found : insert_session(*m_db, s, std::nullopt, false);
        }
        for (auto r : contents.pain_ratings) {
            r.session_id = remap(session_ids, r.session_id);
            auto found = find_existing(*m_db, "SELECT id FROM pain_ratings WHERE recorded_at = ? AND value = ? AND moment = ?",
                { ms(r.at), std::int64_t(r.value), std::string(to_string(r.moment)) });
            count(found);
            if (!found)
                insert_pain(*m_db, r);
        }
        for (auto c : contents.checkins) {
            c.session_id = remap(session_ids, c.session_id);
            auto found = find_existing(*m_db, "SELECT id FROM checkins WHERE recorded_at = ? AND soreness = ?",
                { ms(c.at), std::int64_t(c.soreness) });
            count(found);
            if (!found)
                insert_checkin(*m_db, c);
        }
        for (auto n : contents.notes) {
            n.session_id = remap(session_ids, n.session_id);
            auto found = find_existing(*m_db, "SELECT id FROM notes WHERE recorded_at = ? AND text = ?", { ms(n.at), n.text });
            count(found);
            if (!found)
                insert_note(*m_db, n);
        }
        for (auto const& c : contents.clearances) {
            auto found = find_existing(*m_db, "SELECT id FROM clearances WHERE recorded_at = ?", { ms(c.at) });
            count(found);
            if (!found)
                insert_clearance(*m_db, c);
        }
        return summary;
    });
}

Result<void> SqliteJournal::backup_to(fs::path const& destination)
{
    std::error_code ec;
    if (fs::exists(destination, ec))
        return Error::conflict(fmt::format("{} already exists; rollcoach backup never overwrites a file. "
                                           "Choose a new name or remove the old file first.",
            destination.string()));
    auto directory = destination.parent_path().empty() ? fs::path(".") : destination.parent_path();
    if (!fs::is_directory(directory, ec))
        return Error::io(fmt::format("Cannot write the backup {}: the folder {} does not exist.", destination.string(),
            directory.string()));
    // Copy into a temporary name, then rename: a backup interrupted half-way never looks complete.
    auto partial = directory / fmt::format(".{}.partial-{}", destination.filename().string(), ::getpid());
    fs::remove(partial, ec);
    try {
        {
            SQLite::Database target(partial, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            SQLite::Backup backup(target, *m_db);
            // One step copies every page under one read transaction: a consistent snapshot even
            // while other processes write (WAL readers do not block writers).
            for (int attempt = 0;; ++attempt) {
                int rc = backup.executeStep(-1);
                if (rc == SQLITE_DONE)
                    break;
                if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && attempt < busy_retries) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(10 * (attempt + 1)));
                    continue;
                }
                throw SQLite::Exception("backup did not finish", rc);
            }
        }
        SQLite::Database check(partial, SQLite::OPEN_READWRITE);
        check.exec("PRAGMA journal_mode = DELETE");
        SQLite::Statement integrity(check, "PRAGMA integrity_check");
        if (!integrity.executeStep() || integrity.getColumn(0).getString() != "ok")
            throw SQLite::Exception("the copy failed its integrity check", SQLITE_CORRUPT);
    } catch (SQLite::Exception const& e) {
        fs::remove(partial, ec);
        return storage_error(destination, "write the backup", e.getErrorCode(), e.getErrorStr());
    }
    if (fs::exists(destination, ec)) {
        fs::remove(partial, ec);
        return Error::conflict(fmt::format("{} appeared while the backup was written; it was left alone.", destination.string()));
    }
    fs::rename(partial, destination, ec);
    if (ec) {
        fs::remove(partial, ec);
        return Error::io(fmt::format("Cannot write the backup {}: {}.", destination.string(), ec.message()));
    }
    return {};
}

}
