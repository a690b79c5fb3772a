#include "journal/sqlite_journal.h"

#include "journal/record_json.h"
#include "journal/sqlite_support.h"

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

using namespace sqlite;

// History, statistics and the planner's history: the read-only queries.

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
            entries.push_back({ EntryKind::Pain, rating.id, rating.at, {},
                { { "value", rating.value }, { "moment", to_string(rating.moment) },
                    { "session_id", rating.session_id ? json(*rating.session_id) : json(nullptr) }, { "note", rating.note } } });
        }
        SQLite::Statement checkins(*m_db, fmt::format("SELECT {} FROM checkins ORDER BY recorded_at DESC, id DESC LIMIT ?", checkin_columns));
        checkins.bind(1, limit);
        while (checkins.executeStep()) {
            auto checkin = read_checkin(checkins);
            bool warning = checkin.warning == WarningSign::Present;
            entries.push_back({ EntryKind::CheckIn, checkin.id, checkin.at, {},
                { { "soreness", checkin.soreness }, { "warning_sign", warning }, { "tier", checkin.tier },
                    { "session_id", checkin.session_id ? json(*checkin.session_id) : json(nullptr) } } });
        }
        SQLite::Statement notes(*m_db, "SELECT id, recorded_at, session_id, text FROM notes ORDER BY recorded_at DESC, id DESC LIMIT ?");
        notes.bind(1, limit);
        while (notes.executeStep()) {
            auto session_id = optional_id(notes.getColumn(2));
            entries.push_back({ EntryKind::Note, notes.getColumn(0).getInt64(), from_unix_ms(notes.getColumn(1).getInt64()), {},
                { { "text", notes.getColumn(3).getString() }, { "session_id", session_id ? json(*session_id) : json(nullptr) } } });
        }
        SQLite::Statement screenings(*m_db, "SELECT id, taken_at, tier FROM screenings ORDER BY taken_at DESC, id DESC LIMIT ?");
        screenings.bind(1, limit);
        while (screenings.executeStep())
            entries.push_back({ EntryKind::Screening, screenings.getColumn(0).getInt64(),
                from_unix_ms(screenings.getColumn(1).getInt64()), {},
                { { "tier", screenings.getColumn(2).getString() } } });
        SQLite::Statement clearances(*m_db, fmt::format("SELECT {} FROM clearances ORDER BY recorded_at DESC, id DESC LIMIT ?", clearance_columns));
        clearances.bind(1, limit);
        while (clearances.executeStep()) {
            auto clearance = read_clearance(clearances);
            entries.push_back({ EntryKind::Clearance, clearance.id, clearance.at, {},
                { { "note", clearance.note }, { "clearance", clearance.detail } } });
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

}
