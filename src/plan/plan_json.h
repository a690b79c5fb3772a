// JSON for the plan and the profile (nlohmann::json), with stable snake_case names:
//
//   {"steps": [{"exercise_id": "thoracic_roll", "tool_id": "soft_foam", "per_side_s": 60, ...}],
//    "pressure": "gentle", "transition_rest_s": 10, "total_s": 245, "notes": [...], ...}
//
// from_json accepts what to_json writes, so a plan can be saved and fed to a session later.
// Parsing throws nlohmann::json exceptions on malformed input; use parse_plan/parse_profile to
// get a Result instead.
#pragma once

#include "common/result.h"
#include "plan/plan.h"
#include "plan/profile.h"

#include <nlohmann/json.hpp>

namespace rc::plan {

void to_json(nlohmann::json& json, PlanStep const& step);
void from_json(nlohmann::json const& json, PlanStep& step);
void to_json(nlohmann::json& json, Plan const& plan);
void from_json(nlohmann::json const& json, Plan& plan);
void to_json(nlohmann::json& json, Profile const& profile);
void from_json(nlohmann::json const& json, Profile& profile);

Result<Plan> parse_plan(nlohmann::json const& json);

Result<Profile> parse_profile(nlohmann::json const& json);

}
