// What the journal tells the user: streak, sessions per week against a goal, minutes per zone,
// pain trend (with an honest "meaningful or small" verdict) and the next-day soreness pattern.
//
// The pure functions here take facts already fetched from storage plus "today" from the caller
// (never the clock), so every backend computes the same answers and tests pin the date:
//
//   StatsRequest request { .now = clock.wall_now(), .utc_offset = 1h };
//   Result<Stats> stats = journal.compute_stats(request);
#pragma once

#include "common/clock.h"
#include "journal/records.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rc::journal {

// A calendar day in the user's time zone, counted from 1970-01-01 (std::chrono::sys_days form).
using LocalDay = std::chrono::sys_days;

// The local day `time` falls on, for a fixed offset from UTC (east positive). One offset is used
// for the whole history: days recorded across a daylight-saving change may shift by an hour.
LocalDay local_day(WallTime time, std::chrono::seconds utc_offset);

struct StatsRequest {
    WallTime now {};                               // "today" comes from the caller
    std::chrono::seconds utc_offset { 0 };         // the user's zone, east of UTC positive
    int weekly_goal { 5 };                         // sessions per week
    int weeks_shown { 8 };                         // how many weeks of per-week counts
    int recent_sessions { 14 };                    // sessions listed in the pain trend
    int high_soreness { 6 };                       // next-day soreness at or above: "high"
};

struct Streak {
    int current { 0 };   // consecutive days with a session ending today (or yesterday)
    int longest { 0 };
    std::optional<LocalDay> last_day;
    bool operator==(Streak const&) const = default;
};

// `days`: the distinct local days with a session that counts (counts_toward_streak), any order.
Streak compute_streak(std::vector<LocalDay> days, LocalDay today);

// The one rule for which sessions keep a streak going (docs/journal.md, "Streak"): a completed
// session, or one that ran at least streak_minimum of session time (pauses excluded) before it
// was quit or stopped. A session quit after 30 seconds does not count; every session still
// counts in the totals and the sessions per week. `active` is ended_at - started_at, which a
// recorded session sets to its session time.
inline constexpr std::chrono::minutes streak_minimum { 2 };
bool counts_toward_streak(EndReason reason, std::chrono::milliseconds active);

struct WeekCount {
    LocalDay monday {};
    int sessions { 0 };
    bool operator==(WeekCount const&) const = default;
};

struct WeeklyProgress {
    int goal { 5 };
    std::vector<WeekCount> weeks;   // oldest first, the last one is the current week
    int weeks_meeting_goal { 0 };   // among the complete weeks shown (the current one excluded)
};

// The Monday of the week `day` falls in.
LocalDay week_start(LocalDay day);

// `session_days`: the local day of every session (duplicates count as separate sessions).
WeeklyProgress compute_weekly_progress(std::vector<LocalDay> const& session_days, LocalDay today,
    int goal, int weeks_shown);

struct ZoneMinutes {
    std::string zone_id;
    double minutes { 0 };
    bool operator==(ZoneMinutes const&) const = default;
};

// Whether a change in pain is big enough to matter: at least 2 points or 30% of the baseline
// (Farrar et al. 2001; Ostelo et al. 2008). Smaller changes are reported as small, not sold as
// progress; too little data is said plainly.
enum class ChangeSize { NotEnoughData, Small, Meaningful };
char const* to_string(ChangeSize size);
enum class ChangeDirection { Better, Worse, Same };
char const* to_string(ChangeDirection direction);

struct PainChange {
    ChangeSize size { ChangeSize::NotEnoughData };
    ChangeDirection direction { ChangeDirection::Same };
    std::optional<double> baseline;      // average of the first week of ratings
    std::optional<double> current;       // average of the last 7 days
    std::optional<double> points;        // current - baseline (negative: less pain)
    std::optional<double> percent;       // points / baseline * 100, when baseline > 0
};

// Classifies current against baseline (either may be missing).
PainChange classify_pain_change(std::optional<double> baseline, std::optional<double> current);

struct SessionPain {
    RecordId session_id { 0 };
    WallTime started_at {};
    std::optional<int> before;
    std::optional<int> after;
    bool operator==(SessionPain const&) const = default;
};

struct PainTrend {
    std::vector<SessionPain> sessions;    // the most recent sessions, oldest first
    std::optional<double> mean_session_change;   // mean(after - before) over sessions with both
    std::optional<double> last_7_days_average;   // background pain: before and standalone ratings
    // Ratings during or right after a session in the same 7 days: not background pain, but
    // there, so that "no ratings" is never said when some were given.
    int last_7_days_session_ratings { 0 };
    std::optional<double> last_7_days_session_average;
    PainChange since_first_week;
};

struct SorenessPattern {
    int checkins { 0 };                   // check-ins in the last 14 days
    std::optional<double> average;
    int high { 0 };                       // of those, at or above the high threshold
    // Two of the last three check-ins were high: the planner should shorten or soften.
    bool repeated_high { false };
    std::vector<int> recent;              // soreness of the last check-ins, oldest first (up to 7)
    // The newest check-in of all, inside the 14 days or not, so that a page with none in the
    // window says "none in the last 14 days" rather than "none yet".
    std::optional<WallTime> last_checkin_at;
};

// `soreness`: check-ins of the last 14 days, oldest first.
SorenessPattern compute_soreness_pattern(std::vector<int> const& soreness, int high_threshold);

struct Stats {
    LocalDay today {};
    int total_sessions { 0 };
    Streak streak;
    WeeklyProgress weekly;
    std::vector<ZoneMinutes> minutes_per_zone;   // most minutes first
    PainTrend pain;
    SorenessPattern soreness;
    std::optional<CheckIn> uncleared_warning;    // set: sessions are blocked until cleared
};

nlohmann::json to_json(Stats const& stats);
std::string format_day(LocalDay day);   // "2026-01-05"

}
