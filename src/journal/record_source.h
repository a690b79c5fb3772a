// RecordSource: the plain reads every backend answers, so that the history listing, the statistics,
// the planner's history and the warning-sign rule are computed once, here, for every backend (a
// backend only stores and reads; it decides nothing).
//
// Each method is one simple query: rows in a time range [from, to), or the newest `limit` rows.
// Which rows matter and what they mean (the first "before" rating of a session, background pain,
// "no clearance after it") is decided in record_source.cpp. A backend calls these functions inside
// its own read transaction, so they see one snapshot; a source reports failures by throwing its
// library's exceptions, which the backend turns into a Result error.
//
//   SqliteSource source { db };
//   Stats stats = compute_stats(source, request);
#pragma once

#include "journal/records.h"
#include "journal/stats.h"
#include "plan/profile.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rc::journal {

class RecordSource {
public:
    virtual ~RecordSource() = default;

    // When every session started and ended, and how it ended (any order): enough for the totals,
    // the weeks and the streak rule (counts_toward_streak).
    struct SessionSpan { WallTime started_at; WallTime ended_at; EndReason end_reason; };
    virtual std::vector<SessionSpan> session_spans() = 0;
    // Sessions started in [from, to), oldest first: id, times, end reason and screening only (no
    // documents, zones, spots or pain: nothing here needs them, and parsing them is the cost).
    virtual std::vector<SessionRecord> sessions_between(WallTime from, WallTime to) = 0;
    // The newest `limit` sessions, newest first, each with its zones, tender spots and pain
    // ratings, but without its documents (plan, steps, cues).
    virtual std::vector<SessionRecord> latest_sessions(int limit) = 0;
    // Seconds rolled per zone over every session (any order).
    virtual std::vector<std::pair<std::string, std::int64_t>> zone_seconds() = 0;

    // Pain ratings taken in [from, to) whose moment is one of `moments`, oldest first.
    virtual std::vector<PainRating> pain_between(WallTime from, WallTime to, std::vector<PainMoment> const& moments) = 0;
    // The time of the first rating whose moment is one of `moments`.
    virtual std::optional<WallTime> first_pain_at(std::vector<PainMoment> const& moments) = 0;
    virtual std::vector<PainRating> latest_pain(int limit) = 0;

    // Check-ins in [from, to), oldest first.
    virtual std::vector<CheckIn> checkins_between(WallTime from, WallTime to) = 0;
    virtual std::vector<CheckIn> latest_checkins(int limit) = 0;
    // The newest check-in with a warning sign recorded strictly after `after` (any time if unset).
    virtual std::optional<CheckIn> latest_warning_after(std::optional<WallTime> after) = 0;

    // When the newest bare clearance (empty detail: recorded before schema 4, "a clinician has
    // cleared me") was recorded. A clearance with terms lifts nothing here: what it covers is the
    // coach's decision (coach/clearance.h).
    virtual std::optional<WallTime> latest_bare_clearance_at() = 0;
    virtual std::vector<Clearance> latest_clearances(int limit) = 0;
    virtual std::vector<Note> latest_notes(int limit) = 0;
    virtual std::vector<ScreeningRecord> latest_screenings(int limit) = 0;
};

// Records newest first (ties: higher id first) as `query` asks: at most `limit` entries, or at most
// `limit` of each kind; summaries are left for coach::describe.
std::vector<HistoryEntry> compute_history(RecordSource& source, HistoryQuery const& query);
Stats compute_stats(RecordSource& source, StatsRequest const& request);
plan::History compute_planning_history(RecordSource& source, StatsRequest const& request);
// The newest warning-sign check-in with no bare clearance (empty detail) recorded after it.
std::optional<CheckIn> find_uncleared_warning(RecordSource& source);
std::optional<CheckIn> find_latest_checkin(RecordSource& source);

// Background pain: ratings before a session or on their own. Ratings during and right after
// rolling show the session's short-term effect, which the per-session list reports.
std::vector<PainMoment> const& background_moments();

}
