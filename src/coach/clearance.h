// A clinician's clearance (clinical-facts.md section 8): a flagged answer exists to get the user
// assessed, not to bar them for life. Once a clinician has assessed it and said rolling is fine,
// the user records who cleared them, on which date, which flagged rules it covers and any limits;
// rolling then goes ahead within those limits, and the plan says that the clinician set them.
//
// The rules, in one place:
// - it covers only rules flagged on the user's record when it is recorded, never one of the
//   emergency tier;
// - it lasts data/knowledge/thresholds.toml clearance_valid_months (3) from the clinician's date;
// - a check-in warning raised after the clinician's date is a new or worse symptom: not covered;
// - every limit it sets is merged into the verdict the plan obeys (the stricter one wins).
//
//   auto terms = TRY(parse_clearance_request(kb, body, today, flagged_rule_ids));
//   journal::Clearance record { .at = now, .note = terms.note, .detail = to_detail(terms, kb) };
//   auto lifted = apply_clearances(kb, verdict, std::nullopt, stored, today, months);   // the verdict to plan with
#pragma once

#include "common/result.h"
#include "journal/records.h"
#include "knowledge/model.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace rc::coach {

using Day = std::chrono::sys_days;

struct ClearanceTerms {
    std::string cleared_by;             // free text: "Dr Patel, GP"
    Day cleared_on {};                  // the date the clinician assessed the user
    std::vector<std::string> covers;    // triage rule ids (screening or check-in)
    kb::PlanChanges limits;             // zones left out, soft roller, gentle pressure, shorter sessions
    std::string note;
};

// A stored clearance with its terms read back. Bare clearances (recorded before schema 4, an
// empty detail) have no terms: they keep their old meaning in the journal (they lift the
// check-in warnings before them) and cover no screening rule.
struct StoredClearance {
    journal::RecordId id { 0 };
    WallTime recorded_at {};
    std::optional<ClearanceTerms> terms;
};

// One flagged rule on the user's record: what a clearance may cover.
struct Flag {
    std::string rule_id;
    kb::Tier tier { kb::Tier::Proceed };
    std::string message;
    std::optional<Day> raised_on;       // for a check-in warning: its day (newer than the clearance = not covered)
};

// "2026-11-20" -> a day; anything else is nothing.
std::optional<Day> parse_day(std::string_view text);
std::string format_day(Day day);

// The first day the clearance no longer applies: cleared_on + months (a 31st becomes the month's last day).
Day expires_on(ClearanceTerms const& terms, int months);
bool in_force(ClearanceTerms const& terms, Day today, int months);

// Reads and checks a request (the API body, or the CLI's options turned into the same shape):
//   { "by": "Dr Patel, GP", "on": "2026-11-20", "covers": ["cancer_history"],
//     "limits": { "excluded_zones": ["lats"], "soft_roller_only": true, "gentle_pressure_only": true,
//                 "max_session_minutes": 5 },
//     "note": "..." }
// `flagged`: the flags on record now. Every problem is InvalidData with a message that says what
// to send instead: an unknown or emergency rule, a rule not flagged, a date in the future or
// already past its expiry, an unknown zone, an unknown key.
Result<ClearanceTerms> parse_clearance_request(kb::KnowledgeBase const& kb, nlohmann::json const& request, Day today,
    std::vector<Flag> const& flagged);

// The journal's `detail` document and back.
nlohmann::json to_detail(ClearanceTerms const& terms, int months);
Result<ClearanceTerms> parse_detail(nlohmann::json const& detail);
StoredClearance read_stored(journal::Clearance const& record);

// Whether `flag` is lifted by `terms` on `today`: in force, covers the rule, below the emergency
// tier, and (for a check-in warning) raised no later than the clinician's date.
bool covers(ClearanceTerms const& terms, Flag const& flag, Day today, int months);

// What the clearances in force do to a verdict: each stop-tier reason they cover drops to
// "proceed with changes" and says who cleared it; their limits join the verdict's changes. The
// verdict's tier is then the highest reason left (missing answers still keep it at a stop tier).
// `raised_on`: the day of a check-in verdict; nothing for a screening.
struct Lifted {
    kb::Verdict verdict;
    std::vector<std::string> notes;     // for the plan: each limit and that the clinician set it
    std::optional<std::string> pressure_why;   // when a clinician asked for gentle pressure
    bool lifted_any { false };
};
Lifted apply_clearances(kb::KnowledgeBase const& kb, kb::Verdict verdict, std::optional<Day> raised_on, std::vector<StoredClearance> const& clearances,
    Day today, int months);

// One plain line per limit ("Soft roller only", "Leave out Glutes"), for the plan's notes.
std::vector<std::string> limit_lines(kb::KnowledgeBase const& kb, kb::PlanChanges const& limits);

// The stop-tier reasons of a verdict, as flags a clearance may cover.
std::vector<Flag> flags_of(kb::Verdict const& verdict, std::optional<Day> raised_on);

// A stored clearance for `clearance list` and GET /api/clearance.
nlohmann::json to_json(kb::KnowledgeBase const& kb, StoredClearance const& clearance, Day today, int months);

}
