// Plan: what to roll today, with which roller, for how long, and why.
//
// make_plan() turns the knowledge base's default routine into a personal plan:
//
//   Result<Plan> plan = make_plan(kb, profile, verdict, history);
//   if (!plan) return plan.error();     // refused: a stop-tier verdict, a pending warning sign,
//                                       // or nothing safe left to roll
//   for (PlanStep const& step : plan->steps) show(step.name, step.tool_id, step.why);
//
// Guarantees: no step targets a no-go zone or a zone the verdict excluded; when the profile
// lists the rollers owned, no step uses another (a step no owned roller suits is left out, with
// the reason); first-timers and
// high sensitivity never get a very firm or spiked roller; spot-work rollers (trigger point) are
// never the roller for a whole-area step; plan.total() fits the minutes available (and the
// verdict's maximum session length). Every step, roller and change carries a "why".
#pragma once

#include "common/result.h"
#include "knowledge/model.h"
#include "knowledge/safety.h"
#include "plan/profile.h"

#include <chrono>
#include <string>
#include <vector>

namespace rc::plan {

using Seconds = std::chrono::seconds;

enum class Pressure { Gentle, Moderate };
char const* to_string(Pressure pressure);   // "gentle", "moderate"
Result<Pressure> parse_pressure(std::string_view text);

// Which side a step is on, for exercises done one side at a time.
enum class Side { None, Right, Left };
char const* to_string(Side side);           // "none", "right", "left"
Result<Side> parse_side(std::string_view text);

struct PlanStep {
    std::string exercise_id;
    std::string name;
    kb::ExerciseKind kind { kb::ExerciseKind::Rolling };
    kb::Sides sides { kb::Sides::None };
    std::string tool_id;                 // empty for finishers (no roller)
    std::string tool_name;               // the label shown on its own
    std::string tool_phrase;             // the roller in a sentence: "with the {tool_phrase}"
    std::vector<std::string> target_zones;
    std::vector<std::string> setup;      // read out one by one before the movement
    std::string movement;
    std::vector<std::string> cues;       // short reminders during the movement
    kb::Tempo tempo;
    kb::HoldGuidance hold;
    Seconds setup_time { 0 };            // time given to the setup sentences
    Seconds per_side { 0 };              // rolling time on each side (or in total: no sides)
    Seconds side_switch { 0 };           // pause to change sides (0 without sides)
    int repetitions { 0 };               // finishers
    Seconds per_repetition { 0 };
    std::string why;                     // why this exercise is in today's plan
    std::vector<std::string> source_ids; // what `why` rests on: ids from sources.toml
    std::string tool_why;                // why this roller

    // The side order for this step: {None}, or {Right, Left}.
    std::vector<Side> side_order() const;
    // Setup + movement time (both sides and the switch between them).
    Seconds duration() const;
};

struct Plan {
    std::vector<PlanStep> steps;
    Pressure pressure { Pressure::Moderate };
    std::string pressure_why;
    Seconds transition_rest { 10 };      // between steps
    Seconds available { 300 };           // the time the plan had to fit into
    kb::Tier tier { kb::Tier::Proceed }; // the verdict it respects
    std::vector<std::string> notes;      // plan-wide choices and their reasons
    std::vector<std::string> left_out;   // what was not included, and why

    // Steps plus the rests between them.
    Seconds total() const;
};

// Seconds given to each setup sentence before the movement starts.
inline constexpr Seconds setup_time_per_line { 5 };
// The pause for changing sides.
inline constexpr Seconds side_switch_time { 5 };
// Shortest useful rolling time on one side (Behm et al. 2020: 30-120 s per set).
inline constexpr Seconds min_per_side { 30 };

// Whether rolling is allowed today at all: refused for a stop-tier verdict and for a check-in
// warning sign not yet cleared. make_plan() calls it; so does anything that runs a saved plan.
Result<void> check_may_roll(kb::Verdict const& verdict, History const& history);

Result<Plan> make_plan(kb::KnowledgeBase const& kb, Profile const& profile, kb::Verdict const& verdict,
    History const& history);

}
