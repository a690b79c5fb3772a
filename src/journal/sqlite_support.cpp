#include "journal/sqlite_support.h"

#include <algorithm>
#include <fmt/core.h>
#include <map>

namespace rc::journal::sqlite {

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
        return Error::storage(fmt::format("Could not {}: {} stayed locked by another program (another rollcoach, or an "
                                          "sqlite3 shell in a transaction) for too long, so nothing was changed. Try again once "
                                          "that program has finished.",
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

Result<void> exec_outside_transaction(SQLite::Database& db, fs::path const& path, char const* action, char const* sql,
    std::function<bool()> const& keep_waiting)
{
    for (int attempt = 0;; ++attempt) {
        try {
            db.exec(sql);
            return {};
        } catch (SQLite::Exception const& e) {
            int code = e.getErrorCode() & 0xff;
            bool const busy = code == SQLITE_BUSY || code == SQLITE_LOCKED;
            if (busy && keep_waiting) {
                if (keep_waiting())
                    continue;
            } else if (busy && attempt < busy_retries) {
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

RecordId insert_pain(SQLite::Database& db, PainRating const& rating, std::optional<RecordId> explicit_id)
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

RecordId insert_session(SQLite::Database& db, SessionRecord const& session, std::optional<RecordId> explicit_id,
    bool with_pain)
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

RecordId insert_screening(SQLite::Database& db, ScreeningRecord const& screening, std::optional<RecordId> explicit_id)
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

RecordId insert_checkin(SQLite::Database& db, CheckIn const& checkin, std::optional<RecordId> explicit_id)
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

RecordId insert_note(SQLite::Database& db, Note const& note, std::optional<RecordId> explicit_id)
{
    SQLite::Statement statement(db, "INSERT INTO notes (id, recorded_at, session_id, text) VALUES (?, ?, ?, ?)");
    bind_optional(statement, 1, explicit_id);
    statement.bind(2, ms(note.at));
    bind_optional(statement, 3, note.session_id);
    statement.bind(4, note.text);
    statement.exec();
    return db.getLastInsertRowid();
}

RecordId insert_clearance(SQLite::Database& db, Clearance const& clearance, std::optional<RecordId> explicit_id)
{
    SQLite::Statement statement(db, "INSERT INTO clearances (id, recorded_at, note, detail) VALUES (?, ?, ?, ?)");
    bind_optional(statement, 1, explicit_id);
    statement.bind(2, ms(clearance.at));
    statement.bind(3, clearance.note);
    statement.bind(4, clearance.detail.is_object() ? clearance.detail.dump() : std::string("{}"));
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

ScreeningRecord read_screening(SQLite::Statement& row)
{
    return ScreeningRecord { row.getColumn(0).getInt64(), from_unix_ms(row.getColumn(1).getInt64()),
        row.getColumn(2).getString(), parse_document(row.getColumn(3)), parse_document(row.getColumn(4)) };
}

Clearance read_clearance(SQLite::Statement& row)
{
    Clearance clearance { row.getColumn(0).getInt64(), from_unix_ms(row.getColumn(1).getInt64()), row.getColumn(2).getString() };
    clearance.detail = parse_document(row.getColumn(3));
    return clearance;
}

}
