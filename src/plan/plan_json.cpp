#include "plan/plan_json.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <fmt/core.h>

namespace rc::plan {

namespace {

using json = nlohmann::json;

char const* kind_name(kb::ExerciseKind kind) { return kind == kb::ExerciseKind::Finisher ? "finisher" : "rolling"; }
char const* sides_name(kb::Sides sides) { return sides == kb::Sides::LeftAndRight ? "left_and_right" : "none"; }

template<typename T>
T unwrap(Result<T> result)
{
    if (!result)
        throw std::invalid_argument(result.error().message);
    return std::move(result).value();
}

}

void to_json(json& j, PlanStep const& s)
{
    j = json {
        { "exercise_id", s.exercise_id },
        { "name", s.name },
        { "kind", kind_name(s.kind) },
        { "sides", sides_name(s.sides) },
        { "tool_id", s.tool_id },
        { "tool_name", s.tool_name },
        { "tool_phrase", s.tool_phrase },
        { "target_zones", s.target_zones },
        { "setup", s.setup },
        { "movement", s.movement },
        { "cues", s.cues },
        { "tempo_s", { s.tempo.min_per_pass.count(), s.tempo.max_per_pass.count() } },
        { "hold", { { "min_s", s.hold.min_hold.count() }, { "max_s", s.hold.max_hold.count() }, { "move_on_after_s", s.hold.move_on_after.count() } } },
        { "setup_s", s.setup_time.count() },
        { "per_side_s", s.per_side.count() },
        { "side_switch_s", s.side_switch.count() },
        { "repetitions", s.repetitions },
        { "per_repetition_s", s.per_repetition.count() },
        { "duration_s", s.duration().count() },
        { "why", s.why },
        { "tool_why", s.tool_why },
    };
}

void from_json(json const& j, PlanStep& s)
{
    s = PlanStep {};
    j.at("exercise_id").get_to(s.exercise_id);
    s.name = j.value("name", s.exercise_id);
    auto const kind = j.value("kind", std::string { "rolling" });
    if (kind != "rolling" && kind != "finisher")
        throw std::invalid_argument(fmt::format("step '{}': kind must be rolling or finisher, not '{}'", s.exercise_id, kind));
    s.kind = kind == "finisher" ? kb::ExerciseKind::Finisher : kb::ExerciseKind::Rolling;
    auto const sides = j.value("sides", std::string { "none" });
    if (sides != "none" && sides != "left_and_right")
        throw std::invalid_argument(fmt::format("step '{}': sides must be none or left_and_right, not '{}'", s.exercise_id, sides));
    s.sides = sides == "left_and_right" ? kb::Sides::LeftAndRight : kb::Sides::None;
    s.tool_id = j.value("tool_id", std::string {});
    s.tool_name = j.value("tool_name", s.tool_id);
    s.tool_phrase = j.value("tool_phrase", s.tool_name);
    s.target_zones = j.value("target_zones", std::vector<std::string> {});
    s.setup = j.value("setup", std::vector<std::string> {});
    s.movement = j.value("movement", std::string {});
    s.cues = j.value("cues", std::vector<std::string> {});
    if (j.contains("tempo_s")) {
        auto const tempo = j.at("tempo_s").get<std::vector<int>>();
        if (tempo.size() != 2 || tempo[0] < 1 || tempo[1] < tempo[0])
            throw std::invalid_argument(fmt::format("step '{}': tempo_s must be [min, max] seconds with 1 <= min <= max", s.exercise_id));
        s.tempo = { Seconds { tempo[0] }, Seconds { tempo[1] } };
    }
    if (j.contains("hold")) {
        auto const& h = j.at("hold");
        s.hold.min_hold = Seconds { h.value("min_s", 20) };
        s.hold.max_hold = Seconds { h.value("max_s", 30) };
        s.hold.move_on_after = Seconds { h.value("move_on_after_s", 90) };
        if (s.hold.min_hold.count() < 1 || s.hold.max_hold < s.hold.min_hold || s.hold.move_on_after < s.hold.max_hold)
            throw std::invalid_argument(fmt::format("step '{}': hold needs 1 <= min_s <= max_s <= move_on_after_s", s.exercise_id));
    }
    s.setup_time = Seconds { j.value("setup_s", static_cast<int>(setup_time_per_line.count() * static_cast<int>(s.setup.size()))) };
    s.per_side = Seconds { j.value("per_side_s", 0) };
    s.side_switch = Seconds { j.value("side_switch_s", s.sides == kb::Sides::LeftAndRight ? static_cast<int>(side_switch_time.count()) : 0) };
    s.repetitions = j.value("repetitions", 0);
    s.per_repetition = Seconds { j.value("per_repetition_s", 0) };
    s.why = j.value("why", std::string {});
    s.tool_why = j.value("tool_why", std::string {});
    if (s.setup_time.count() < 0 || s.per_side.count() < 0 || s.side_switch.count() < 0 || s.repetitions < 0 || s.per_repetition.count() < 0)
        throw std::invalid_argument(fmt::format("step '{}': times and repetitions cannot be negative", s.exercise_id));
    if (s.kind == kb::ExerciseKind::Rolling && s.per_side.count() < 1)
        throw std::invalid_argument(fmt::format("step '{}': a rolling step needs per_side_s >= 1", s.exercise_id));
    if (s.kind == kb::ExerciseKind::Finisher && (s.repetitions < 1 || s.per_repetition.count() < 1))
        throw std::invalid_argument(fmt::format("step '{}': a finisher needs repetitions >= 1 and per_repetition_s >= 1", s.exercise_id));
}

void to_json(json& j, Plan const& p)
{
    j = json {
        { "steps", p.steps },
        { "pressure", to_string(p.pressure) },
        { "pressure_why", p.pressure_why },
        { "transition_rest_s", p.transition_rest.count() },
        { "available_s", p.available.count() },
        { "total_s", p.total().count() },
        { "tier", kb::to_string(p.tier) },
        { "notes", p.notes },
        { "left_out", p.left_out },
    };
}

void from_json(json const& j, Plan& p)
{
    p = Plan {};
    j.at("steps").get_to(p.steps);
    if (p.steps.empty())
        throw std::invalid_argument("a plan needs at least one step");
    p.pressure = unwrap(parse_pressure(j.value("pressure", std::string { "moderate" })));
    p.pressure_why = j.value("pressure_why", std::string {});
    p.transition_rest = Seconds { j.value("transition_rest_s", 10) };
    if (p.transition_rest.count() < 0)
        throw std::invalid_argument("transition_rest_s cannot be negative");
    p.available = Seconds { j.value("available_s", static_cast<int>(p.total().count())) };
    auto const tier = kb::parse_tier(j.value("tier", std::string { "proceed" }));
    if (!tier)
        throw std::invalid_argument("tier: unknown value");
    p.tier = *tier;
    p.notes = j.value("notes", std::vector<std::string> {});
    p.left_out = j.value("left_out", std::vector<std::string> {});
}

void to_json(json& j, Profile const& p)
{
    std::vector<std::string> focus;
    for (auto f : p.focus)
        focus.emplace_back(to_string(f));
    j = json {
        { "experience", to_string(p.experience) },
        { "sensitivity", to_string(p.sensitivity) },
        { "rollers_owned", p.rollers_owned },
        { "minutes_available", p.minutes_available.count() },
        { "focus", focus },
        { "when", to_string(p.when) },
    };
}

void from_json(json const& j, Profile& p)
{
    p = Profile {};
    p.experience = unwrap(parse_experience(j.value("experience", std::string { "first_time" })));
    p.sensitivity = unwrap(parse_sensitivity(j.value("sensitivity", std::string { "normal" })));
    p.rollers_owned = j.value("rollers_owned", std::vector<std::string> {});
    // Checked as a JSON integer before it is narrowed: get<int>() would take 5.5 as 5, true as 1
    // and 4294967301 as 5.
    if (auto it = j.find("minutes_available"); it != j.end()) {
        bool const whole = it->is_number_integer();
        bool const in_range = whole && (it->is_number_unsigned() ? it->get<std::uint64_t>() <= 120 : it->get<std::int64_t>() >= 1 && it->get<std::int64_t>() <= 120);
        if (!in_range)
            throw std::invalid_argument(fmt::format("minutes_available must be a whole number between 1 and 120, not {}", it->dump()));
        p.minutes_available = std::chrono::minutes { it->get<std::int64_t>() };
    } else {
        p.minutes_available = std::chrono::minutes { 5 };
    }
    if (p.minutes_available.count() < 1)
        throw std::invalid_argument("minutes_available must be a whole number between 1 and 120, not 0");
    for (auto const& f : j.value("focus", std::vector<std::string> {}))
        p.focus.push_back(unwrap(parse_focus(f)));
    p.when = unwrap(parse_when(j.value("when", std::string { "anytime" })));
}

Result<Plan> parse_plan(json const& j)
{
    try {
        return j.get<Plan>();
    } catch (json::exception const&) {
        return Error::invalid_data("invalid plan: a field is missing or of the wrong type; save a plan with `rollcoach plan --json`");
    } catch (std::exception const& e) {
        return Error::invalid_data(fmt::format("invalid plan: {}", e.what()));
    }
}

Result<Profile> parse_profile(json const& j)
{
    static constexpr std::array known { "experience", "sensitivity", "rollers_owned", "minutes_available", "focus", "when" };
    if (!j.is_object())
        return Error::invalid_data("a profile is a JSON object such as {\"experience\": \"first_time\", \"minutes_available\": 5}");
    for (auto const& [key, value] : j.items()) {
        if (std::find(known.begin(), known.end(), key) == known.end())
            return Error::invalid_data(fmt::format("the profile has no field '{}': use experience, sensitivity, rollers_owned, "
                                                   "minutes_available, focus or when",
                key));
    }
    try {
        return j.get<Profile>();
    } catch (json::exception const&) {
        return Error::invalid_data("invalid profile: experience, sensitivity and when are words, rollers_owned and focus lists "
                                   "of words, minutes_available a whole number from 1 to 120");
    } catch (std::exception const& e) {
        return Error::invalid_data(fmt::format("invalid profile: {}", e.what()));
    }
}

}
