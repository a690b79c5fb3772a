#include "journal/sqlite_journal.h"

#include "journal/record_json.h"
#include "journal/record_source.h"
#include "journal/sqlite_support.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <fmt/core.h>
#include <limits>
#include <map>
#include <thread>
#include <type_traits>
#include <variant>
#include <unistd.h>

namespace rc::journal {

using namespace sqlite;

// History, statistics and the planner's history: the plain reads of RecordSource; what they mean
// is computed in record_source.cpp, the same for every backend.

namespace {

std::vector<PainRating> read_pain_rows(SQLite::Statement& statement)
{
    std::vector<PainRating> ratings;
    while (statement.executeStep())
        ratings.push_back(read_pain(statement));
    return ratings;
}

std::vector<CheckIn> read_checkin_rows(SQLite::Statement& statement)
{
    std::vector<CheckIn> checkins;
    while (statement.executeStep())
        checkins.push_back(read_checkin(statement));
    return checkins;
}

// "'before', 'standalone'": the moments are fixed words, never user text.
std::string moment_list(std::vector<PainMoment> const& moments)
{
    std::string list;
    for (auto moment : moments)
        list += fmt::format("{}'{}'", list.empty() ? "" : ", ", to_string(moment));
    return list.empty() ? "''" : list;
}

constexpr char const* light_session_columns = "id, started_at, ended_at, end_reason, screening_id";

SessionRecord read_light_session(SQLite::Statement& row)
{
    SessionRecord session;
    session.id = row.getColumn(0).getInt64();
    session.started_at = from_unix_ms(row.getColumn(1).getInt64());
    session.ended_at = from_unix_ms(row.getColumn(2).getInt64());
    session.end_reason = parse_end_reason(row.getColumn(3).getString()).value_or(EndReason::Completed);
    session.screening_id = optional_id(row.getColumn(4));
    return session;
}

class SqliteSource final : public RecordSource {
public:
    explicit SqliteSource(SQLite::Database& db)
        : m_db(db)
    {
    }

    std::vector<SessionSpan> session_spans() override
    {
        std::vector<SessionSpan> spans;
        SQLite::Statement statement(m_db, "SELECT started_at, ended_at, end_reason FROM sessions");
        while (statement.executeStep())
            spans.push_back({ from_unix_ms(statement.getColumn(0).getInt64()), from_unix_ms(statement.getColumn(1).getInt64()),
                parse_end_reason(statement.getColumn(2).getString()).value_or(EndReason::Quit) });
        return spans;
    }

    std::vector<SessionRecord> sessions_between(WallTime from, WallTime to) override
    {
        SQLite::Statement statement(m_db, fmt::format("SELECT {} FROM sessions WHERE started_at >= ? AND started_at < ? "
                                                      "ORDER BY started_at, id", light_session_columns));
        statement.bind(1, ms(from));
        statement.bind(2, ms(to));
        std::vector<SessionRecord> sessions;
        while (statement.executeStep())
            sessions.push_back(read_light_session(statement));
        return sessions;
    }

    std::vector<SessionRecord> latest_sessions(int limit) override
    {
        std::vector<SessionRecord> sessions;
        SQLite::Statement rows(m_db, fmt::format("SELECT {} FROM sessions ORDER BY started_at DESC, id DESC LIMIT ?",
                                         light_session_columns));
        rows.bind(1, limit);
        while (rows.executeStep())
            sessions.push_back(read_light_session(rows));
        if (sessions.empty())
            return sessions;
        // The children of every listed session, one query per table (ids are integers from the
        // journal itself, so listing them in the SQL is safe).
        std::map<RecordId, SessionRecord*> by_id;
        std::string ids;
        for (auto& session : sessions) {
            by_id[session.id] = &session;
            ids += fmt::format("{}{}", ids.empty() ? "" : ",", session.id);
        }
        SQLite::Statement zones(m_db, fmt::format("SELECT session_id, zone_id, seconds FROM session_zones "
                                                  "WHERE session_id IN ({}) ORDER BY session_id, zone_id", ids));
        while (zones.executeStep())
            by_id.at(zones.getColumn(0).getInt64())->zones.push_back(
                { zones.getColumn(1).getString(), std::chrono::seconds(zones.getColumn(2).getInt64()) });
        SQLite::Statement spots(m_db, fmt::format("SELECT session_id, zone_id, seconds FROM tender_spots "
                                                  "WHERE session_id IN ({}) ORDER BY id", ids));
        while (spots.executeStep())
            by_id.at(spots.getColumn(0).getInt64())->tender_spots.push_back(
                { spots.getColumn(1).getString(), std::chrono::seconds(spots.getColumn(2).getInt64()) });
        SQLite::Statement pain(m_db, fmt::format("SELECT {} FROM pain_ratings WHERE session_id IN ({}) "
                                                 "ORDER BY recorded_at, id", pain_columns, ids));
        while (pain.executeStep()) {
            auto rating = read_pain(pain);
            by_id.at(*rating.session_id)->pain.push_back(rating);
        }
        return sessions;
    }

    std::vector<std::pair<std::string, std::int64_t>> zone_seconds() override
    {
        // Running totals kept by triggers (migration 3), not a sum over every session.
        std::vector<std::pair<std::string, std::int64_t>> totals;
        SQLite::Statement statement(m_db, "SELECT zone_id, seconds FROM zone_totals");
        while (statement.executeStep())
            totals.emplace_back(statement.getColumn(0).getString(), statement.getColumn(1).getInt64());
        return totals;
    }

    std::vector<PainRating> pain_between(WallTime from, WallTime to, std::vector<PainMoment> const& moments) override
    {
        SQLite::Statement statement(m_db, fmt::format("SELECT {} FROM pain_ratings WHERE moment IN ({}) "
                                                      "AND recorded_at >= ? AND recorded_at < ? ORDER BY recorded_at, id",
                                              pain_columns, moment_list(moments)));
        statement.bind(1, ms(from));
        statement.bind(2, ms(to));
        return read_pain_rows(statement);
    }

    std::optional<WallTime> first_pain_at(std::vector<PainMoment> const& moments) override
    {
        SQLite::Statement statement(m_db, fmt::format("SELECT MIN(recorded_at) FROM pain_ratings WHERE moment IN ({})",
                                              moment_list(moments)));
        statement.executeStep();
        if (statement.getColumn(0).isNull())
            return std::nullopt;
        return from_unix_ms(statement.getColumn(0).getInt64());
    }

    std::vector<PainRating> latest_pain(int limit) override
    {
        SQLite::Statement statement(m_db, fmt::format("SELECT {} FROM pain_ratings ORDER BY recorded_at DESC, id DESC LIMIT ?", pain_columns));
        statement.bind(1, limit);
        return read_pain_rows(statement);
    }

    std::vector<CheckIn> checkins_between(WallTime from, WallTime to) override
    {
        SQLite::Statement statement(m_db, fmt::format("SELECT {} FROM checkins WHERE recorded_at >= ? AND recorded_at < ? "
                                                      "ORDER BY recorded_at, id", checkin_columns));
        statement.bind(1, ms(from));
        statement.bind(2, ms(to));
        return read_checkin_rows(statement);
    }

    std::vector<CheckIn> latest_checkins(int limit) override
    {
        SQLite::Statement statement(m_db, fmt::format("SELECT {} FROM checkins ORDER BY recorded_at DESC, id DESC LIMIT ?", checkin_columns));
        statement.bind(1, limit);
        return read_checkin_rows(statement);
    }

    std::optional<CheckIn> latest_warning_after(std::optional<WallTime> after) override
    {
        SQLite::Statement statement(m_db, fmt::format("SELECT {} FROM checkins WHERE warning_sign = 1 AND recorded_at > ? "
                                                      "ORDER BY recorded_at DESC, id DESC LIMIT 1", checkin_columns));
        statement.bind(1, after ? ms(*after) : std::numeric_limits<std::int64_t>::min());
        if (!statement.executeStep())
            return std::nullopt;
        return read_checkin(statement);
    }

    std::optional<WallTime> latest_bare_clearance_at() override
    {
        SQLite::Statement statement(m_db, "SELECT MAX(recorded_at) FROM clearances WHERE detail = '{}'");
        statement.executeStep();
        if (statement.getColumn(0).isNull())
            return std::nullopt;
        return from_unix_ms(statement.getColumn(0).getInt64());
    }

    std::vector<Clearance> latest_clearances(int limit) override
    {
        SQLite::Statement statement(m_db, fmt::format("SELECT {} FROM clearances ORDER BY recorded_at DESC, id DESC LIMIT ?", clearance_columns));
        statement.bind(1, limit);
        std::vector<Clearance> clearances;
        while (statement.executeStep())
            clearances.push_back(read_clearance(statement));
        return clearances;
    }

    std::vector<Note> latest_notes(int limit) override
    {
        SQLite::Statement statement(m_db, "SELECT id, recorded_at, session_id, text FROM notes ORDER BY recorded_at DESC, id DESC LIMIT ?");
        statement.bind(1, limit);
        std::vector<Note> notes;
        while (statement.executeStep())
            notes.push_back({ statement.getColumn(0).getInt64(), from_unix_ms(statement.getColumn(1).getInt64()),
                optional_id(statement.getColumn(2)), statement.getColumn(3).getString() });
        return notes;
    }

    std::vector<ScreeningRecord> latest_screenings(int limit) override
    {
        SQLite::Statement statement(m_db, "SELECT id, taken_at, tier, answers, verdict FROM screenings ORDER BY taken_at DESC, id DESC LIMIT ?");
        statement.bind(1, limit);
        std::vector<ScreeningRecord> screenings;
        while (statement.executeStep())
            screenings.push_back(read_screening(statement));
        return screenings;
    }

private:
    SQLite::Database& m_db;
};

}

Result<std::vector<HistoryEntry>> SqliteJournal::history(HistoryQuery const& query)
{
    if (query.limit <= 0)
        return std::vector<HistoryEntry> {};
    return in_transaction(*m_db, m_path, "read the history", Access::Read, [&] {
        SqliteSource source { *m_db };
        return compute_history(source, query);
    });
}

Result<Stats> SqliteJournal::compute_stats(StatsRequest const& request)
{
    return in_transaction(*m_db, m_path, "compute the statistics", Access::Read, [&] {
        SqliteSource source { *m_db };
        return journal::compute_stats(source, request);
    });
}

Result<plan::History> SqliteJournal::history_for_planning(StatsRequest const& request)
{
    return in_transaction(*m_db, m_path, "read the history for planning", Access::Read, [&] {
        SqliteSource source { *m_db };
        return compute_planning_history(source, request);
    });
}

Result<std::optional<CheckIn>> SqliteJournal::find_uncleared_warning()
{
    return in_transaction(*m_db, m_path, "read the check-ins", Access::Read, [&] {
        SqliteSource source { *m_db };
        return journal::find_uncleared_warning(source);
    });
}

Result<std::optional<CheckIn>> SqliteJournal::find_latest_checkin()
{
    return in_transaction(*m_db, m_path, "read the check-ins", Access::Read, [&] {
        SqliteSource source { *m_db };
        return journal::find_latest_checkin(source);
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

}
