#include "journal/stats.h"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>
#include <numeric>

namespace rc::journal {

using namespace std::chrono;

LocalDay local_day(WallTime time, seconds utc_offset)
{
    return floor<days>(time + utc_offset);
}

bool counts_toward_streak(EndReason reason, std::chrono::milliseconds active)
{
    return reason == EndReason::Completed || active >= streak_minimum;
}

Streak compute_streak(std::vector<LocalDay> days, LocalDay today)
{
    Streak streak;
    if (days.empty())
        return streak;
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    int run = 0;
    for (std::size_t i = 0; i < days.size(); ++i) {
        run = (i > 0 && days[i] - days[i - 1] == std::chrono::days { 1 }) ? run + 1 : 1;
        streak.longest = std::max(streak.longest, run);
    }
    // Sessions logged "in the future" (a clock set wrong) do not extend today's streak.
    auto last = std::upper_bound(days.begin(), days.end(), today);
    if (last == days.begin())
        return streak;
    --last;
    streak.last_day = *last;
    // The streak is still alive until a whole day passes without a session.
    if (today - *last > std::chrono::days { 1 })
        return streak;
    streak.current = 1;
    for (auto it = last; it != days.begin() && *it - *std::prev(it) == std::chrono::days { 1 }; --it)
        ++streak.current;
    return streak;
}

LocalDay week_start(LocalDay day)
{
    weekday wd { day };
    auto since_monday = (wd.c_encoding() + 6) % 7;   // Monday 0 .. Sunday 6
    return day - std::chrono::days { since_monday };
}

WeeklyProgress compute_weekly_progress(std::vector<LocalDay> const& session_days, LocalDay today, int goal,
    int weeks_shown)
{
    WeeklyProgress progress;
    progress.goal = goal;
    weeks_shown = std::max(weeks_shown, 1);
    auto current = week_start(today);
    auto first = current - std::chrono::days { 7 * (weeks_shown - 1) };
    for (int i = 0; i < weeks_shown; ++i)
        progress.weeks.push_back({ first + std::chrono::days { 7 * i }, 0 });
    for (auto day : session_days) {
        if (day < first || day > today)
            continue;
        auto index = (week_start(day) - first).count() / 7;
        ++progress.weeks[std::size_t(index)].sessions;
    }
    for (std::size_t i = 0; i + 1 < progress.weeks.size(); ++i)
        if (progress.weeks[i].sessions >= goal)
            ++progress.weeks_meeting_goal;
    return progress;
}

char const* to_string(ChangeSize size)
{
    switch (size) {
    case ChangeSize::NotEnoughData: return "not_enough_data";
    case ChangeSize::Small: return "small";
    case ChangeSize::Meaningful: return "meaningful";
    }
    return "not_enough_data";
}

char const* to_string(ChangeDirection direction)
{
    switch (direction) {
    case ChangeDirection::Better: return "better";
    case ChangeDirection::Worse: return "worse";
    case ChangeDirection::Same: return "same";
    }
    return "same";
}

PainChange classify_pain_change(std::optional<double> baseline, std::optional<double> current)
{
    PainChange change;
    change.baseline = baseline;
    change.current = current;
    if (!baseline || !current)
        return change;
    double points = *current - *baseline;
    change.points = points;
    if (*baseline > 0)
        change.percent = points / *baseline * 100.0;
    // Averages of integer ratings: compare with a small tolerance so 2.0 counts as 2.
    constexpr double epsilon = 1e-9;
    change.direction = std::abs(points) < epsilon ? ChangeDirection::Same
        : points < 0                              ? ChangeDirection::Better
                                                  : ChangeDirection::Worse;
    bool meaningful = std::abs(points) >= 2.0 - epsilon
        || (change.percent && std::abs(*change.percent) >= 30.0 - epsilon && std::abs(points) > epsilon);
    change.size = meaningful ? ChangeSize::Meaningful : ChangeSize::Small;
    return change;
}

SorenessPattern compute_soreness_pattern(std::vector<int> const& soreness, int high_threshold)
{
    SorenessPattern pattern;
    pattern.checkins = int(soreness.size());
    if (soreness.empty())
        return pattern;
    pattern.average = std::accumulate(soreness.begin(), soreness.end(), 0.0) / double(soreness.size());
    pattern.high = int(std::count_if(soreness.begin(), soreness.end(), [&](int s) { return s >= high_threshold; }));
    auto last_three = soreness.size() > 3 ? soreness.end() - 3 : soreness.begin();
    pattern.repeated_high = std::count_if(last_three, soreness.end(), [&](int s) { return s >= high_threshold; }) >= 2;
    auto recent = soreness.size() > 7 ? soreness.end() - 7 : soreness.begin();
    pattern.recent.assign(recent, soreness.end());
    return pattern;
}

std::string format_day(LocalDay day)
{
    year_month_day ymd { day };
    return fmt::format("{:04}-{:02}-{:02}", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
}

namespace {

nlohmann::json optional_json(std::optional<double> value)
{
    if (!value)
        return nullptr;
    return std::round(*value * 100.0) / 100.0;
}

nlohmann::json optional_json(std::optional<int> value)
{
    if (!value)
        return nullptr;
    return *value;
}

}

nlohmann::json to_json(Stats const& stats)
{
    nlohmann::json json;
    json["today"] = format_day(stats.today);
    json["total_sessions"] = stats.total_sessions;
    json["streak"] = {
        { "current_days", stats.streak.current },
        { "longest_days", stats.streak.longest },
        { "last_day", stats.streak.last_day ? nlohmann::json(format_day(*stats.streak.last_day)) : nlohmann::json(nullptr) },
    };
    auto weeks = nlohmann::json::array();
    for (auto const& week : stats.weekly.weeks)
        weeks.push_back({ { "week_of", format_day(week.monday) }, { "sessions", week.sessions } });
    json["weekly"] = { { "goal", stats.weekly.goal }, { "weeks", weeks },
        { "complete_weeks_meeting_goal", stats.weekly.weeks_meeting_goal } };
    auto zones = nlohmann::json::array();
    for (auto const& zone : stats.minutes_per_zone)
        zones.push_back({ { "zone", zone.zone_id }, { "minutes", optional_json(std::optional<double>(zone.minutes)) } });
    json["minutes_per_zone"] = zones;
    auto sessions = nlohmann::json::array();
    for (auto const& s : stats.pain.sessions)
        sessions.push_back({ { "session_id", s.session_id }, { "started_at", format_utc(s.started_at) },
            { "before", optional_json(s.before) }, { "after", optional_json(s.after) } });
    auto const& change = stats.pain.since_first_week;
    json["pain"] = {
        { "sessions", sessions },
        { "mean_session_change", optional_json(stats.pain.mean_session_change) },
        { "last_7_days_average", optional_json(stats.pain.last_7_days_average) },
        { "last_7_days_session_ratings", stats.pain.last_7_days_session_ratings },
        { "last_7_days_session_average", optional_json(stats.pain.last_7_days_session_average) },
        { "since_first_week",
            { { "size", to_string(change.size) }, { "direction", to_string(change.direction) },
                { "baseline", optional_json(change.baseline) }, { "current", optional_json(change.current) },
                { "points", optional_json(change.points) }, { "percent", optional_json(change.percent) } } },
    };
    json["next_day_soreness"] = {
        { "checkins_last_14_days", stats.soreness.checkins },
        { "average", optional_json(stats.soreness.average) },
        { "high", stats.soreness.high },
        { "repeated_high", stats.soreness.repeated_high },
        { "recent", stats.soreness.recent },
        { "last_checkin_at", stats.soreness.last_checkin_at ? nlohmann::json(format_utc(*stats.soreness.last_checkin_at)) : nlohmann::json(nullptr) },
    };
    if (stats.uncleared_warning)
        json["blocked_by_warning"] = { { "checkin_id", stats.uncleared_warning->id },
            { "recorded_at", format_utc(stats.uncleared_warning->at) }, { "tier", stats.uncleared_warning->tier } };
    else
        json["blocked_by_warning"] = nullptr;
    return json;
}

}
