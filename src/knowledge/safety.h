// The vocabulary of safety decisions, shared by triage (which computes them), plan (which
// respects them) and session (which acts on them in real time). Only types live here; the rules
// that produce them are data (data/knowledge/screening/*.toml) evaluated by src/triage.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace rc::kb {

// Ordered: a higher value is more urgent. "The highest tier wins."
enum class Tier {
    Proceed = 0,
    ProceedWithChanges = 1,
    ClinicianBeforeRolling = 2,
    ClinicianSoon = 3,
    ClinicianToday = 4,
    Emergency = 5,
};

// "proceed", "proceed_with_changes", "clinician_before_rolling", "clinician_soon",
// "clinician_today", "emergency".
char const* to_string(Tier tier);
std::optional<Tier> parse_tier(std::string_view text);

// A stop tier ends the flow: no plan, no session.
constexpr bool is_stop_tier(Tier tier) { return tier >= Tier::ClinicianBeforeRolling; }

// What a verdict asks the plan to respect. Merging two changes keeps the stricter of each.
struct PlanChanges {
    std::vector<std::string> excluded_zones;       // zone ids, in addition to the no-go zones
    bool soft_roller_only { false };
    bool gentle_pressure_only { false };
    std::optional<std::chrono::seconds> max_session_length;  // "shorter session"

    void merge(PlanChanges const& other);
    bool empty() const;
    bool operator==(PlanChanges const&) const = default;
};

// One reason behind a verdict or an in-session response: which rule, what it means in plain
// words, what to do now, and where the rule comes from.
struct Reason {
    std::string rule_id;
    Tier tier { Tier::Proceed };
    std::string message;       // plain language, reading age about 12
    std::string what_to_do;
    std::vector<std::string> source_ids;  // ids into KnowledgeBase::sources
    bool operator==(Reason const&) const = default;
};

struct Verdict {
    Tier tier { Tier::Proceed };
    std::vector<Reason> reasons;
    PlanChanges changes;
    // Question ids whose answer is missing or unknown and could raise the tier. Non-empty
    // means the verdict can never be Proceed.
    std::vector<std::string> missing_answers;
};

// Events a front-end may raise at any moment during a session.
enum class SafetyEvent {
    NumbnessOneLeg,     // numbness or tingling down one leg
    NumbnessSaddle,     // numbness or tingling in the saddle area
    SharpPain,          // sharp or stabbing pain
    PainHigh,           // a pain rating at or above the back-off threshold (7 by default)
    Dizziness,
    FeelsWrong,         // "something feels wrong"
};
char const* to_string(SafetyEvent event);
std::optional<SafetyEvent> parse_safety_event(std::string_view text);

enum class SafetyAction {
    BackOff,   // continue, lighter: less pressure or a softer roller
    Stop,      // end the session now
};
char const* to_string(SafetyAction action);

struct SafetyResponse {
    SafetyAction action { SafetyAction::Stop };
    Reason reason;
};

}
