// The limits a patient's therapist sets on their plan in clinic mode (docs/clinic.md): zones left
// out, a session's maximum minutes, the firmest roller, the pressure, exercises switched off. They
// reach the plan through the same door as a clinician's clearance limits (coach/clearance.h): the
// zones, soft roller, gentle pressure and minutes join the verdict's PlanChanges (the stricter
// wins), so make_plan obeys them; a roller firmer than allowed and an exercise switched off leave
// their step out. Every limit adds a plan note ending "your therapist set this".
//
//   {"excluded_zones": ["glutes"], "max_minutes": 5, "roller": "soft" | "medium" | "firm" | null,
//    "pressure": "gentle" | "moderate" | null, "exercises_off": ["lat_roll"],
//    "set_by": "Alex Moreau", "set_on": "2026-12-01"}
//
//   auto limits = TRY(parse_therapist_limits(kb, body));   // InvalidData with what to send instead
//   coach.set_therapist_limits_source([&] { return store.find_limits(patient); });
#pragma once

#include "coach/clearance.h"
#include "common/result.h"
#include "knowledge/model.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace rc::coach {

struct TherapistLimits {
    std::vector<std::string> excluded_zones;       // zone ids
    std::optional<int> max_minutes;                // 1..60
    std::optional<kb::Firmness> roller;            // the firmest roller allowed
    bool gentle_pressure { false };                // "pressure": "gentle" ("moderate" is the plan's usual ceiling)
    std::vector<std::string> exercises_off;        // exercise ids
    std::string set_by;                            // the therapist's name
    std::string set_on;                            // YYYY-MM-DD

    bool empty() const;
    bool operator==(TherapistLimits const&) const = default;
};

// Reads the body of PUT /api/clinic/patients/{id}/limits (set_by and set_on are ignored: the
// server fills them). Unknown zones, exercises, words or keys are InvalidData saying what to send.
Result<TherapistLimits> parse_therapist_limits(kb::KnowledgeBase const& kb, nlohmann::json const& body);
// The stored document (with set_by and set_on) back; the same shape as parse reads.
Result<TherapistLimits> read_therapist_limits(nlohmann::json const& document);
nlohmann::json to_json(TherapistLimits const& limits);

// The part of the limits the planner's verdict carries.
kb::PlanChanges plan_changes(TherapistLimits const& limits);
// One plan note per limit, each saying the therapist set it and when, in words relative to today
// ("(Alex Moreau, yesterday)"; an unreadable set_on is shown as stored).
std::vector<std::string> therapist_notes(kb::KnowledgeBase const& kb, TherapistLimits const& limits, Day today);
// " (Alex Moreau, on Tue 1 Dec)", the bracket those notes end with; empty with no set_by.
std::string set_by_words(TherapistLimits const& limits, Day today);

}
