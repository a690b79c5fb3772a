#include "journal/postgres_support.h"

#include <fmt/format.h>
#include <map>

namespace rc::journal::pg {

Error unreachable_error(std::string const& where, char const* action, std::string const& detail)
{
    auto reason = detail;
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ' || reason.back() == '.'))
        reason.pop_back();
    return Error::storage(fmt::format("Could not {}: the PostgreSQL server for {} cannot be reached ({}). Nothing was "
                                      "saved. Check that the server is running and that the address in --db or "
                                      "ROLLCOACH_DB is right; rollcoach reconnects on its own once it is back.",
        action, where, reason));
}

bool is_connection_loss(pqxx::sql_error const& error)
{
    auto const& state = error.sqlstate();
    // Class 08: connection exception; 57P01-57P03: the server is shutting down or starting.
    return state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03";
}

bool is_retryable(pqxx::sql_error const& error)
{
    return error.sqlstate() == "40001" || error.sqlstate() == "40P01";
}

Error sql_error(std::string const& where, char const* action, pqxx::sql_error const& error)
{
    auto const& state = error.sqlstate();
    std::string detail = error.what();
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' '))
        detail.pop_back();
    if (state == "53100")
        return Error::storage(fmt::format("Could not {}: the disk of the PostgreSQL server for {} is full, so nothing was "
                                          "saved. Free some space on the server and try again.",
            action, where));
    if (state == "53300")
        return Error::storage(fmt::format("Could not {}: the PostgreSQL server for {} has no free connection. Try again "
                                          "in a moment, or raise max_connections (or put PgBouncer in front).",
            action, where));
    if (state == "42501")
        return Error::storage(fmt::format("Could not {}: the database user in {} is not allowed to ({}). Grant it the "
                                          "rights on the journal's tables, or connect as their owner.",
            action, where, detail));
    if (state == "25006")
        return Error::storage(fmt::format("Could not {}: {} is read-only (a standby, or a read-only user). Connect to the "
                                          "primary server to write.",
            action, where));
    if (state.rfind("23", 0) == 0)
        return Error::invalid_argument(fmt::format("Could not {}: the record refers to something that does not exist "
                                                   "or breaks a rule of the journal ({}).",
            action, detail));
    if (state.rfind("22", 0) == 0)
        return Error::invalid_argument(fmt::format("Could not {}: PostgreSQL refused a value ({}). Text must be UTF-8 "
                                                   "without NUL characters; numbers must fit the journal's columns.",
            action, detail));
    return Error::storage(fmt::format("Could not {} in {}: {} (SQLSTATE {}).", action, where, detail, state));
}

IdParam::IdParam(std::optional<RecordId> id)
    : m_text(id ? std::to_string(*id) : std::string())
    , m_present(id.has_value())
{
}

std::int64_t ms(WallTime time) { return to_unix_ms(time); }

std::optional<RecordId> optional_id(pqxx::field const& field)
{
    if (field.is_null())
        return std::nullopt;
    return field.as<std::int64_t>();
}

json document(pqxx::field const& field)
{
    return json::parse(field.c_str());
}

ScreeningRecord read_screening(pqxx::row const& row)
{
    return ScreeningRecord { row[0].as<std::int64_t>(), from_unix_ms(row[1].as<std::int64_t>()), row[2].as<std::string>(),
        document(row[3]), document(row[4]) };
}

SessionRecord read_session_row(pqxx::row const& row)
{
    SessionRecord session;
    session.id = row[0].as<std::int64_t>();
    session.started_at = from_unix_ms(row[1].as<std::int64_t>());
    session.ended_at = from_unix_ms(row[2].as<std::int64_t>());
    session.end_reason = parse_end_reason(row[3].c_str()).value_or(EndReason::Completed);
    session.screening_id = optional_id(row[4]);
    session.plan = document(row[5]);
    session.completed_steps = document(row[6]);
    session.skipped_steps = document(row[7]);
    session.cues = document(row[8]);
    return session;
}

PainRating read_pain(pqxx::row const& row)
{
    PainRating rating;
    rating.id = row[0].as<std::int64_t>();
    rating.at = from_unix_ms(row[1].as<std::int64_t>());
    rating.value = row[2].as<int>();
    rating.moment = parse_pain_moment(row[3].c_str()).value_or(PainMoment::Standalone);
    rating.session_id = optional_id(row[4]);
    rating.note = row[5].as<std::string>();
    return rating;
}

CheckIn read_checkin(pqxx::row const& row)
{
    CheckIn checkin;
    checkin.id = row[0].as<std::int64_t>();
    checkin.at = from_unix_ms(row[1].as<std::int64_t>());
    checkin.session_id = optional_id(row[2]);
    checkin.soreness = row[3].as<int>();
    checkin.warning = row[4].as<bool>() ? WarningSign::Present : WarningSign::Absent;
    checkin.tier = row[5].as<std::string>();
    checkin.answers = document(row[6]);
    checkin.verdict = document(row[7]);
    return checkin;
}

Note read_note(pqxx::row const& row)
{
    return Note { row[0].as<std::int64_t>(), from_unix_ms(row[1].as<std::int64_t>()), optional_id(row[2]),
        row[3].as<std::string>() };
}

Clearance read_clearance(pqxx::row const& row)
{
    Clearance clearance;
    clearance.id = row[0].as<std::int64_t>();
    clearance.at = from_unix_ms(row[1].as<std::int64_t>());
    clearance.note = row[2].as<std::string>();
    clearance.detail = document(row[3]);
    return clearance;
}

std::optional<Profile> read_profile(pqxx::transaction_base& tx)
{
    auto rows = tx.exec("SELECT updated_at, document FROM profile WHERE id = 1");
    if (rows.empty())
        return std::nullopt;
    return Profile { from_unix_ms(rows[0][0].as<std::int64_t>()), document(rows[0][1]) };
}

void load_session_children(pqxx::transaction_base& tx, std::vector<SessionRecord>& sessions)
{
    if (sessions.empty())
        return;
    std::map<RecordId, SessionRecord*> by_id;
    std::string ids = "{";
    for (auto& session : sessions) {
        by_id[session.id] = &session;
        ids += fmt::format("{}{}", ids.size() > 1 ? "," : "", session.id);
    }
    ids += "}";
    for (auto const& row : tx.exec_params("SELECT session_id, zone_id, seconds FROM session_zones "
                                          "WHERE session_id = ANY($1::bigint[]) ORDER BY session_id, zone_id",
             ids))
        by_id.at(row[0].as<std::int64_t>())->zones.push_back({ row[1].as<std::string>(), std::chrono::seconds(row[2].as<std::int64_t>()) });
    for (auto const& row : tx.exec_params("SELECT session_id, zone_id, seconds FROM tender_spots "
                                          "WHERE session_id = ANY($1::bigint[]) ORDER BY id",
             ids))
        by_id.at(row[0].as<std::int64_t>())->tender_spots.push_back(
            { row[1].as<std::string>(), std::chrono::seconds(row[2].as<std::int64_t>()) });
    for (auto const& row : tx.exec_params(fmt::format("SELECT {} FROM pain_ratings WHERE session_id = ANY($1::bigint[]) "
                                                      "ORDER BY recorded_at, id",
                                              pain_columns),
             ids)) {
        auto rating = read_pain(row);
        by_id.at(*rating.session_id)->pain.push_back(rating);
    }
}

std::vector<SessionRecord> read_sessions(pqxx::transaction_base& tx, std::string const& where_and_order)
{
    std::vector<SessionRecord> sessions;
    for (auto const& row : tx.exec(fmt::format("SELECT {} FROM sessions {}", session_columns, where_and_order)))
        sessions.push_back(read_session_row(row));
    load_session_children(tx, sessions);
    return sessions;
}

void check_session_exists(pqxx::transaction_base& tx, std::optional<RecordId> session_id)
{
    if (!session_id)
        return;
    if (tx.exec_params("SELECT 1 FROM sessions WHERE id = $1", *session_id).empty())
        throw Refusal { Error::not_found(fmt::format(
            "There is no session {} in the journal; `rollcoach history` lists the sessions.", *session_id)) };
}

void write_profile(pqxx::transaction_base& tx, Profile const& profile)
{
    tx.exec_params("INSERT INTO profile (id, updated_at, document) VALUES (1, $1, $2::jsonb) "
                   "ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, document = excluded.document",
        ms(profile.updated_at), profile.document.dump());
}

namespace {

// An explicit id (a restored record) moves the table's sequence past it, so later records
// without an id never collide with it.
RecordId inserted(pqxx::transaction_base& tx, pqxx::result const& result, char const* table, std::optional<RecordId> id)
{
    auto new_id = result[0][0].as<std::int64_t>();
    if (id)
        tx.exec_params(fmt::format("SELECT setval('{0}_id_seq', GREATEST($1, (SELECT last_value FROM {0}_id_seq)))", table), *id);
    return new_id;
}

// libpq sends text up to its first NUL, so such text would be cut short without a word; refuse it.
void check_text(std::string const& text, char const* what)
{
    if (text.find('\0') != std::string::npos)
        throw Refusal { Error::invalid_argument(fmt::format(
            "The {} holds a NUL character, which PostgreSQL cannot store in text; remove it (text must be UTF-8 "
            "without NUL characters).",
            what)) };
}

void check_rating(int value)
{
    if (value < 0 || value > 10)
        throw Refusal { Error::invalid_argument(fmt::format(
            "A pain rating must be a whole number from 0 (no pain) to 10 (worst imaginable), not {}.", value)) };
}

}

RecordId insert_screening(pqxx::transaction_base& tx, ScreeningRecord const& screening, std::optional<RecordId> id)
{
    auto result = tx.exec_params("INSERT INTO screenings (id, taken_at, tier, answers, verdict) "
                                 "VALUES (COALESCE($1::bigint, nextval('screenings_id_seq')), $2, $3, $4::jsonb, $5::jsonb) RETURNING id",
        IdParam(id).get(), ms(screening.taken_at), screening.tier, screening.answers.dump(), screening.verdict.dump());
    return inserted(tx, result, "screenings", id);
}

RecordId insert_session(pqxx::transaction_base& tx, SessionRecord const& session, std::optional<RecordId> id, bool with_pain)
{
    if (session.ended_at < session.started_at)
        throw Refusal { Error::invalid_argument("A session cannot end before it starts.") };
    auto result = tx.exec_params("INSERT INTO sessions (id, started_at, ended_at, end_reason, screening_id, plan, "
                                 "completed_steps, skipped_steps, cues) VALUES (COALESCE($1::bigint, nextval('sessions_id_seq')), "
                                 "$2, $3, $4, $5::bigint, $6::jsonb, $7::jsonb, $8::jsonb, $9::jsonb) RETURNING id",
        IdParam(id).get(), ms(session.started_at), ms(session.ended_at), to_string(session.end_reason),
        IdParam(session.screening_id).get(), session.plan.dump(), session.completed_steps.dump(), session.skipped_steps.dump(),
        session.cues.dump());
    RecordId session_id = inserted(tx, result, "sessions", id);
    // Several entries for one zone add up (a zone rolled twice in one plan).
    std::map<std::string, std::int64_t> zone_seconds;
    for (auto const& zone : session.zones)
        zone_seconds[zone.zone_id] += zone.rolled.count();
    for (auto const& [zone, seconds] : zone_seconds)
        tx.exec_params("INSERT INTO session_zones (session_id, zone_id, seconds) VALUES ($1, $2, $3)", session_id, zone, seconds);
    for (auto const& spot : session.tender_spots)
        tx.exec_params("INSERT INTO tender_spots (session_id, zone_id, seconds) VALUES ($1, $2, $3)", session_id, spot.zone_id,
            std::int64_t(spot.held.count()));
    if (with_pain) {
        for (auto rating : session.pain) {
            rating.session_id = session_id;
            insert_pain(tx, rating);
        }
    }
    return session_id;
}

RecordId insert_pain(pqxx::transaction_base& tx, PainRating const& rating, std::optional<RecordId> id)
{
    check_rating(rating.value);
    check_text(rating.note, "pain rating's note");
    auto result = tx.exec_params("INSERT INTO pain_ratings (id, recorded_at, value, moment, session_id, note) "
                                 "VALUES (COALESCE($1::bigint, nextval('pain_ratings_id_seq')), $2, $3, $4, $5::bigint, $6) RETURNING id",
        IdParam(id).get(), ms(rating.at), rating.value, to_string(rating.moment), IdParam(rating.session_id).get(), rating.note);
    return inserted(tx, result, "pain_ratings", id);
}

RecordId insert_checkin(pqxx::transaction_base& tx, CheckIn const& checkin, std::optional<RecordId> id)
{
    if (checkin.soreness < 0 || checkin.soreness > 10)
        throw Refusal { Error::invalid_argument(
            fmt::format("Next-day soreness must be a whole number from 0 to 10, not {}.", checkin.soreness)) };
    auto result = tx.exec_params("INSERT INTO checkins (id, recorded_at, session_id, soreness, warning_sign, tier, answers, verdict) "
                                 "VALUES (COALESCE($1::bigint, nextval('checkins_id_seq')), $2, $3::bigint, $4, $5, $6, $7::jsonb, $8::jsonb) "
                                 "RETURNING id",
        IdParam(id).get(), ms(checkin.at), IdParam(checkin.session_id).get(), checkin.soreness,
        checkin.warning == WarningSign::Present, checkin.tier, checkin.answers.dump(), checkin.verdict.dump());
    return inserted(tx, result, "checkins", id);
}

RecordId insert_note(pqxx::transaction_base& tx, Note const& note, std::optional<RecordId> id)
{
    check_text(note.text, "note");
    auto result = tx.exec_params("INSERT INTO notes (id, recorded_at, session_id, text) "
                                 "VALUES (COALESCE($1::bigint, nextval('notes_id_seq')), $2, $3::bigint, $4) RETURNING id",
        IdParam(id).get(), ms(note.at), IdParam(note.session_id).get(), note.text);
    return inserted(tx, result, "notes", id);
}

RecordId insert_clearance(pqxx::transaction_base& tx, Clearance const& clearance, std::optional<RecordId> id)
{
    check_text(clearance.note, "clearance's note");
    auto result = tx.exec_params("INSERT INTO clearances (id, recorded_at, note, detail) "
                                 "VALUES (COALESCE($1::bigint, nextval('clearances_id_seq')), $2, $3, $4::jsonb) RETURNING id",
        IdParam(id).get(), ms(clearance.at), clearance.note, clearance.detail.dump());
    return inserted(tx, result, "clearances", id);
}

}
