// The typed model of rollcoach's knowledge base: sources, zones, tools, exercises, rules,
// thresholds, the default routine, and the screening questionnaire with its rules.
//
// Everything here is loaded from data/knowledge/*.toml by load_knowledge_base() and validated
// there; code that holds a KnowledgeBase may rely on every cross-reference resolving (an
// exercise's zone ids exist, no exercise targets a no-go zone, every rule has a source, ...).
#pragma once

#include "knowledge/motion_thresholds.h"
#include "knowledge/safety.h"
#include "knowledge/screening.h"

#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rc::kb {

using Seconds = std::chrono::seconds;

// A citation: "Behm et al. 2020, J Strength Cond Res 34:3301".
struct Source {
    std::string id;
    std::string citation;
    std::string note;   // what the source supports, in one line (optional)
};

// target: rolled by the exercises; caution: rolled only as an exercise describes (a given tool,
// a given range); no-go: never rolled, and no exercise may target it.
enum class ZoneStatus { Target, Caution, NoGo };
char const* to_string(ZoneStatus status);   // "target", "caution", "no-go"

// Where a zone sits, for the body map and the motion analyser.
enum class BodyRegion { Neck, UpperBack, MidBack, LowerBack, Side, Hip, Leg, Arm };
char const* to_string(BodyRegion region);   // "neck", "upper_back", "mid_back", "lower_back", ...

struct Zone {
    std::string id;              // "thoracic_spine"
    std::string name;            // "Upper and mid back (thoracic spine)"
    ZoneStatus status { ZoneStatus::Target };
    BodyRegion region { BodyRegion::MidBack };
    std::string why;             // why it is a target, a caution or a no-go
    std::vector<std::string> source_ids;
};

enum class Firmness { Soft, Medium, Firm, VeryFirm };
char const* to_string(Firmness firmness);   // "soft", "medium", "firm", "very_firm"

struct Tool {
    std::string id;              // "soft_foam", "standard", "trigger_point", "peanut", "spiked"
    std::string name;
    std::string short_name;      // in a sentence after "the" or "your": "peanut roller"
    std::string a_name;          // in a sentence, with its article: "a peanut roller"
    Firmness firmness { Firmness::Medium };
    bool suits_beginners { false };
    bool suits_high_sensitivity { false };
    bool whole_back_session { true };   // false: spot work only (trigger point, spiked)
    std::string good_for;
    std::string not_for;
    std::vector<std::string> source_ids;
};

enum class Sides { None, LeftAndRight };
char const* to_string(Sides sides);          // "none", "left_and_right"

enum class ExerciseKind { Rolling, Finisher };
char const* to_string(ExerciseKind kind);    // "rolling", "finisher"

// The words the data files use for each enum, e.g. { "no-go", ZoneStatus::NoGo }.
template<typename E>
using Words = std::span<std::pair<std::string_view, E> const>;
Words<ZoneStatus> zone_status_words();
Words<BodyRegion> body_region_words();
Words<Firmness> firmness_words();
Words<Sides> sides_words();
Words<ExerciseKind> exercise_kind_words();

struct Tempo {
    Seconds min_per_pass { 2 };
    Seconds max_per_pass { 4 };
};

struct Dose {
    Seconds default_per_side { 60 };
    Seconds max_per_side { 120 };
    int repetitions { 0 };       // finishers count repetitions instead (cat-cow: 5)
    Seconds per_repetition { 0 };
};

struct HoldGuidance {
    Seconds min_hold { 20 };     // hold 20-30 s on a tender spot
    Seconds max_hold { 30 };
    Seconds move_on_after { 90 };  // total on one spot before "move on" (60-120 s)
};

struct Mistake {
    std::string what;
    std::string fix;
};

struct Exercise {
    std::string id;              // "thoracic_roll"
    std::string name;
    ExerciseKind kind { ExerciseKind::Rolling };
    std::vector<std::string> target_zones;
    std::vector<std::string> tools;      // allowed tool ids; empty for finishers (no roller)
    std::vector<std::string> setup;      // setup steps, in order, each one short sentence
    std::string movement;
    Tempo tempo;
    Dose dose;
    HoldGuidance hold;
    Sides sides { Sides::None };
    std::vector<std::string> cues;       // short spoken reminders during the movement
    std::vector<Mistake> mistakes;
    std::string preferred_tool;          // optional: one of `tools`, chosen first when it suits the user
    std::string preferred_tool_why;      // why that roller suits this exercise (given with preferred_tool)
    std::string why;
    std::vector<std::string> source_ids;
};

// A product rule ("never roll the lumbar spine") with its explanation and source.
struct Rule {
    std::string id;              // "no_lumbar"
    std::string title;
    std::string statement;       // what rollcoach does or asks
    std::string why;             // the accurate explanation
    std::vector<std::string> source_ids;
};

// Numbers the engines use; each has a documented default in data/knowledge/thresholds.toml.
struct Thresholds {
    int pain_back_off { 7 };                    // a rating at or above this means "back off"
    int pain_target_max { 6 };                  // moderate pressure is enough
    double breaths_per_minute { 6.0 };
    Seconds inhale { 4 };
    Seconds exhale { 6 };
    Seconds transition_rest { 10 };
    Seconds default_session { 300 };
    int meaningful_pain_change_points { 2 };
    double meaningful_pain_change_fraction { 0.30 };
    std::chrono::hours normal_soreness_window { 72 };
    std::chrono::hours soreness_too_long { 168 };
    int weekly_goal_sessions { 5 };
    int clearance_valid_months { 3 };           // how long a clinician's clearance lasts (coach/clearance.h)

    // Field name as written in thresholds.toml ("pain_back_off") -> ids of its sources.
    std::map<std::string, std::vector<std::string>, std::less<>> source_ids;
};

struct RoutineStep {
    std::string exercise_id;
    Seconds per_side { 60 };     // for rolling exercises
    int repetitions { 0 };       // for finishers
};

// An exercise the plan adds to a routine: first when the profile's focus is one of `focus`
// (profile words: mid_back, lats_and_shoulders, glutes_and_hips, hip_flexors), otherwise when
// there is time left, in the order listed. `why` is the reason the plan gives for it.
struct RoutineExtra {
    std::string exercise_id;
    std::vector<std::string> focus;   // empty: added only when there is time
    std::string why;
    std::vector<std::string> source_ids;   // what `why` rests on
};

struct Routine {
    std::string id;              // "default"
    std::string name;
    std::vector<RoutineStep> steps;
    std::vector<RoutineExtra> extras;
    std::vector<std::string> best_times;   // "before_bed", "after_workout", "morning", "anytime"
    std::string why;
    std::vector<std::string> source_ids;
};

struct KnowledgeBase {
    std::vector<Source> sources;
    std::vector<Zone> zones;
    std::vector<Tool> tools;
    std::vector<Exercise> exercises;
    std::vector<Rule> rules;
    Thresholds thresholds;
    std::vector<Routine> routines;
    Screening screening;
    MotionThresholds motion;   // motion.toml, or its documented defaults when the file is absent

    Source const* find_source(std::string_view id) const;
    Zone const* find_zone(std::string_view id) const;
    Tool const* find_tool(std::string_view id) const;
    Exercise const* find_exercise(std::string_view id) const;
    Rule const* find_rule(std::string_view id) const;
    Routine const* find_routine(std::string_view id) const;
};

}
