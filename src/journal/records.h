// The records the journal keeps: what was rolled, how it felt before, during and after, how it
// felt the next day, what the screening said, notes, and clinician clearances.
//
// Documents whose shape belongs to another module (the profile, a plan, a verdict, the cue list,
// questionnaire answers) are kept as nlohmann::json, so the journal does not depend on those
// modules; the fields queries need (zone ids, seconds, pain values, tier, end reason) are typed.
// Every time comes from the caller (rc::WallTime): the journal never reads the clock.
//
//   PainRating rating { .at = clock.wall_now(), .value = 4, .moment = PainMoment::Before };
//   Result<RecordId> id = journal.add_pain(rating);
#pragma once

#include "common/clock.h"

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rc::journal {

using RecordId = std::int64_t;

// When a pain rating was taken relative to a session; Standalone is a rating on its own
// ("how is my back today").
enum class PainMoment { Before, After, During, Standalone };
char const* to_string(PainMoment moment);
std::optional<PainMoment> parse_pain_moment(std::string_view text);

// How a session ended: the plan ran out, the user quit, or a warning sign stopped it.
enum class EndReason { Completed, Quit, StoppedWarning };
char const* to_string(EndReason reason);
std::optional<EndReason> parse_end_reason(std::string_view text);

// Whether a next-day check-in reported a warning sign (which blocks sessions until cleared).
enum class WarningSign { Absent, Present };

struct Profile {
    WallTime updated_at {};
    nlohmann::json document = nlohmann::json::object();
};

struct ScreeningRecord {
    RecordId id { 0 };          // assigned by the journal on add
    WallTime taken_at {};
    std::string tier;           // kb::to_string(Tier), e.g. "proceed_with_changes"
    nlohmann::json answers = nlohmann::json::object();
    nlohmann::json verdict = nlohmann::json::object();
};

// Seconds actually spent rolling one zone during a session.
struct ZoneTime {
    std::string zone_id;
    std::chrono::seconds rolled { 0 };
    bool operator==(ZoneTime const&) const = default;
};

// A tender spot found and held during a session.
struct TenderSpot {
    std::string zone_id;
    std::chrono::seconds held { 0 };
    bool operator==(TenderSpot const&) const = default;
};

struct PainRating {
    RecordId id { 0 };
    WallTime at {};
    int value { 0 };            // 0 = no pain .. 10 = worst imaginable
    PainMoment moment { PainMoment::Standalone };
    std::optional<RecordId> session_id;
    std::string note;
};

struct SessionRecord {
    RecordId id { 0 };
    WallTime started_at {};
    WallTime ended_at {};
    EndReason end_reason { EndReason::Completed };
    std::optional<RecordId> screening_id;
    nlohmann::json plan = nlohmann::json::object();
    nlohmann::json completed_steps = nlohmann::json::array();
    nlohmann::json skipped_steps = nlohmann::json::array();
    nlohmann::json cues = nlohmann::json::array();
    std::vector<ZoneTime> zones;
    std::vector<TenderSpot> tender_spots;
    // Ratings taken with this session; add_session stores them in the same transaction and
    // sets their session_id. find_session returns every rating linked to the session.
    std::vector<PainRating> pain;
};

struct CheckIn {
    RecordId id { 0 };
    WallTime at {};
    std::optional<RecordId> session_id;   // the session the user is reporting on, if any
    int soreness { 0 };                   // 0-10, next-day soreness
    WarningSign warning { WarningSign::Absent };
    std::string tier;                     // the triage verdict's tier
    nlohmann::json answers = nlohmann::json::object();
    nlohmann::json verdict = nlohmann::json::object();
};

struct Note {
    RecordId id { 0 };
    WallTime at {};
    std::optional<RecordId> session_id;
    std::string text;
};

// "A clinician has cleared me". `at` is when it was recorded; `detail` holds who cleared the
// user, on which date, the flagged rules it covers and the limits (coach/clearance.h decides what
// it lifts). An empty detail is a clearance recorded before schema 4: it lifts the warning-sign
// check-ins recorded before `at`, as it always did.
struct Clearance {
    RecordId id { 0 };
    WallTime at {};
    std::string note;
    nlohmann::json detail = nlohmann::json::object();   // who cleared, when, which flags, limits, expiry (coach/clearance.h)
};

// One line of `rollcoach history`, newest first.
enum class EntryKind { Session, Pain, CheckIn, Note, Screening, Clearance };
char const* to_string(EntryKind kind);

// Which history entries to read, newest first: the newest `limit` of all the kinds together, or
// with `each_kind` the newest `limit` of each kind (a page that lists each kind on its own, where a
// year of one kind must not push the others out). `kinds` empty: every kind.
struct HistoryQuery {
    int limit { 0 };
    std::vector<EntryKind> kinds {};
    bool each_kind { false };
};

struct HistoryEntry {
    EntryKind kind { EntryKind::Note };
    RecordId id { 0 };
    WallTime at {};
    std::string summary;                  // one plain-language line (filled by coach::describe; a
                                          // backend leaves it empty)
    nlohmann::json detail = nlohmann::json::object();  // the typed fields, for --json
};

// Milliseconds since 1970 UTC, the journal's storage form of a WallTime.
std::int64_t to_unix_ms(WallTime time);
WallTime from_unix_ms(std::int64_t ms);

// "2026-01-05T08:00:00.000Z" and back; parse accepts a trailing Z or +00:00 only.
std::string format_utc(WallTime time);
std::optional<WallTime> parse_utc(std::string_view text);

}
