#include "journal/record_source.h"

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace rc::journal {

using nlohmann::json;

namespace {

WallTime day_start(LocalDay day, std::chrono::seconds utc_offset)
{
    return WallTime { std::chrono::duration_cast<WallTime::duration>(day.time_since_epoch() - utc_offset) };
}

// A session's pain as the trend shows it: the first rating before it and the last one after it.
SessionPain session_pain(SessionRecord const& session)
{
    SessionPain pain { session.id, session.started_at, {}, {} };
    std::optional<WallTime> before_at, after_at;
    for (auto const& rating : session.pain) {
        if (rating.moment == PainMoment::Before && (!before_at || rating.at < *before_at)) {
            before_at = rating.at;
            pain.before = rating.value;
        }
        if (rating.moment == PainMoment::After && (!after_at || rating.at >= *after_at)) {
            after_at = rating.at;
            pain.after = rating.value;
        }
    }
    return pain;
}

std::optional<double> average_background(RecordSource& source, WallTime from, WallTime to)
{
    auto ratings = source.pain_between(from, to, background_moments());
    if (ratings.empty())
        return std::nullopt;
    double sum = 0;
    for (auto const& rating : ratings)
        sum += rating.value;
    return sum / double(ratings.size());
}

// Next-day soreness of the check-ins of the last 14 days (today included), oldest first.
std::vector<int> recent_soreness(RecordSource& source, LocalDay today, std::chrono::seconds utc_offset)
{
    std::vector<int> soreness;
    for (auto const& checkin : source.checkins_between(day_start(today - std::chrono::days { 13 }, utc_offset),
             day_start(today + std::chrono::days { 1 }, utc_offset)))
        soreness.push_back(checkin.soreness);
    return soreness;
}

json optional_json(std::optional<RecordId> id) { return id ? json(*id) : json(nullptr); }

}

std::vector<PainMoment> const& background_moments()
{
    static std::vector<PainMoment> const moments { PainMoment::Before, PainMoment::Standalone };
    return moments;
}

std::optional<CheckIn> find_uncleared_warning(RecordSource& source)
{
    return source.latest_warning_after(source.latest_bare_clearance_at());
}

std::optional<CheckIn> find_latest_checkin(RecordSource& source)
{
    auto latest = source.latest_checkins(1);
    return latest.empty() ? std::nullopt : std::optional<CheckIn> { std::move(latest.front()) };
}

std::vector<HistoryEntry> compute_history(RecordSource& source, HistoryQuery const& query)
{
    std::vector<HistoryEntry> entries;
    int const limit = query.limit;
    if (limit <= 0)
        return entries;
    auto wanted = [&](EntryKind kind) { return query.kinds.empty() || std::find(query.kinds.begin(), query.kinds.end(), kind) != query.kinds.end(); };
    // Each kind's newest `limit` records (index scans), merged: no table scan however old the journal.
    for (auto const& session : wanted(EntryKind::Session) ? source.latest_sessions(limit) : std::vector<SessionRecord> {}) {
        auto pain = session_pain(session);
        std::vector<std::string> zone_ids;
        for (auto const& zone : session.zones)
            zone_ids.push_back(zone.zone_id);
        std::sort(zone_ids.begin(), zone_ids.end());
        zone_ids.erase(std::unique(zone_ids.begin(), zone_ids.end()), zone_ids.end());
        auto seconds = std::chrono::duration_cast<std::chrono::milliseconds>(session.ended_at - session.started_at).count() / 1000;
        entries.push_back({ EntryKind::Session, session.id, session.started_at, {},
            { { "ended_at", format_utc(session.ended_at) }, { "seconds", seconds },
                { "end_reason", to_string(session.end_reason) }, { "zones", fmt::format("{}", fmt::join(zone_ids, ", ")) },
                { "tender_spots", int(session.tender_spots.size()) },
                { "pain_before", pain.before ? json(*pain.before) : json(nullptr) },
                { "pain_after", pain.after ? json(*pain.after) : json(nullptr) } } });
    }
    for (auto const& rating : wanted(EntryKind::Pain) ? source.latest_pain(limit) : std::vector<PainRating> {})
        entries.push_back({ EntryKind::Pain, rating.id, rating.at, {},
            { { "value", rating.value }, { "moment", to_string(rating.moment) },
                { "session_id", optional_json(rating.session_id) }, { "note", rating.note } } });
    for (auto const& checkin : wanted(EntryKind::CheckIn) ? source.latest_checkins(limit) : std::vector<CheckIn> {})
        entries.push_back({ EntryKind::CheckIn, checkin.id, checkin.at, {},
            { { "soreness", checkin.soreness }, { "warning_sign", checkin.warning == WarningSign::Present },
                { "tier", checkin.tier }, { "session_id", optional_json(checkin.session_id) } } });
    for (auto const& note : wanted(EntryKind::Note) ? source.latest_notes(limit) : std::vector<Note> {})
        entries.push_back({ EntryKind::Note, note.id, note.at, {},
            { { "text", note.text }, { "session_id", optional_json(note.session_id) } } });
    for (auto const& screening : wanted(EntryKind::Screening) ? source.latest_screenings(limit) : std::vector<ScreeningRecord> {})
        entries.push_back({ EntryKind::Screening, screening.id, screening.taken_at, {}, { { "tier", screening.tier } } });
    for (auto const& clearance : wanted(EntryKind::Clearance) ? source.latest_clearances(limit) : std::vector<Clearance> {})
        entries.push_back({ EntryKind::Clearance, clearance.id, clearance.at, {}, { { "note", clearance.note }, { "clearance", clearance.detail } } });
    std::stable_sort(entries.begin(), entries.end(), [](auto const& a, auto const& b) {
        if (a.at != b.at)
            return a.at > b.at;
        return a.id > b.id;
    });
    if (!query.each_kind && entries.size() > std::size_t(limit))
        entries.resize(std::size_t(limit));
    return entries;
}

Stats compute_stats(RecordSource& source, StatsRequest const& request)
{
    Stats stats;
    stats.today = local_day(request.now, request.utc_offset);
    std::vector<LocalDay> days;
    std::vector<LocalDay> streak_days;
    for (auto const& span : source.session_spans()) {
        auto const day = local_day(span.started_at, request.utc_offset);
        days.push_back(day);
        if (counts_toward_streak(span.end_reason,
                std::chrono::duration_cast<std::chrono::milliseconds>(span.ended_at - span.started_at)))
            streak_days.push_back(day);
    }
    stats.total_sessions = int(days.size());
    stats.weekly = compute_weekly_progress(days, stats.today, request.weekly_goal, request.weeks_shown);
    stats.streak = compute_streak(std::move(streak_days), stats.today);

    for (auto const& [zone, seconds] : source.zone_seconds())
        if (seconds > 0)
            stats.minutes_per_zone.push_back({ zone, double(seconds) / 60.0 });
    std::sort(stats.minutes_per_zone.begin(), stats.minutes_per_zone.end(), [](auto const& a, auto const& b) {
        if (a.minutes != b.minutes)
            return a.minutes > b.minutes;
        return a.zone_id < b.zone_id;
    });

    double change_sum = 0;
    int change_count = 0;
    for (auto const& session : source.latest_sessions(request.recent_sessions)) {
        auto pain = session_pain(session);
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
    stats.pain.last_7_days_average = average_background(source, day_start(last_week_start, request.utc_offset),
        day_start(tomorrow, request.utc_offset));
    {
        // Ratings during or right after a session: not background pain, but counted, so that the
        // week is never summed up as "no ratings" when some were given.
        auto ratings = source.pain_between(day_start(last_week_start, request.utc_offset), day_start(tomorrow, request.utc_offset),
            { PainMoment::During, PainMoment::After });
        stats.pain.last_7_days_session_ratings = int(ratings.size());
        if (!ratings.empty()) {
            double sum = 0;
            for (auto const& rating : ratings)
                sum += rating.value;
            stats.pain.last_7_days_session_average = sum / double(ratings.size());
        }
    }
    std::optional<double> baseline;
    std::optional<LocalDay> first_day;
    if (auto first = source.first_pain_at(background_moments()))
        first_day = local_day(*first, request.utc_offset);
    if (first_day)
        baseline = average_background(source, day_start(*first_day, request.utc_offset),
            day_start(*first_day + std::chrono::days { 7 }, request.utc_offset));
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

    stats.soreness = compute_soreness_pattern(recent_soreness(source, stats.today, request.utc_offset), request.high_soreness);
    if (auto latest = find_latest_checkin(source))
        stats.soreness.last_checkin_at = latest->at;
    stats.uncleared_warning = find_uncleared_warning(source);
    return stats;
}

plan::History compute_planning_history(RecordSource& source, StatsRequest const& request)
{
    plan::History history;
    auto today = local_day(request.now, request.utc_offset);
    history.today = today;
    for (auto const& session : source.sessions_between(day_start(today - std::chrono::days { 27 }, request.utc_offset),
             day_start(today + std::chrono::days { 1 }, request.utc_offset))) {
        plan::PastSession past;
        past.date = local_day(session.started_at, request.utc_offset);
        past.completed = session.end_reason == EndReason::Completed;
        past.duration = std::chrono::duration_cast<std::chrono::seconds>(
            std::chrono::duration_cast<std::chrono::milliseconds>(session.ended_at - session.started_at));
        history.sessions.push_back(past);
    }
    history.soreness = recent_soreness(source, today, request.utc_offset);
    if (auto warning = find_uncleared_warning(source)) {
        history.warning_sign_pending = true;
        auto const& reasons = warning->verdict.is_object() ? warning->verdict.value("reasons", json::array()) : json::array();
        if (reasons.is_array() && !reasons.empty() && reasons[0].is_object() && reasons[0].value("message", json()).is_string())
            history.warning_sign = reasons[0]["message"].get<std::string>();
        else
            history.warning_sign = fmt::format("a warning sign reported in the check-in of {}",
                format_day(local_day(warning->at, request.utc_offset)));
    }
    return history;
}

}
