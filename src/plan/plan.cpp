#include "plan/plan.h"

#include "common/enum_names.h"
#include "knowledge/zone_names.h"

#include <algorithm>
#include <array>
#include <fmt/core.h>
#include <optional>
#include <utility>

namespace rc::plan {

namespace {

constexpr std::array pressure_names { std::pair { Pressure::Gentle, "gentle" }, std::pair { Pressure::Moderate, "moderate" } };
constexpr std::array side_names { std::pair { Side::None, "none" }, std::pair { Side::Right, "right" }, std::pair { Side::Left, "left" } };

// Next-day soreness at or above this, on two of the last three check-ins, shortens and softens
// the plan. Normal soreness after rolling is mild; repeated strong soreness means too much.
constexpr int high_soreness = 6;
// Completed sessions in the last 14 days that count as "consistent" and earn a little more time.
constexpr int consistent_sessions = 8;
constexpr Seconds progression_step { 15 };

template<typename T>
T const* find_by_id(std::vector<T> const& items, std::string_view id)
{
    auto it = std::find_if(items.begin(), items.end(), [&](T const& item) { return item.id == id; });
    return it == items.end() ? nullptr : &*it;
}

// Why an exercise may not be in a plan at all (a no-go or excluded zone), or nothing.
std::optional<std::string> zone_exclusion(kb::KnowledgeBase const& kb, kb::Exercise const& exercise, kb::PlanChanges const& changes)
{
    for (auto const& zone_id : exercise.target_zones) {
        auto const* zone = find_by_id(kb.zones, zone_id);
        if (!zone)
            return fmt::format("{} targets an unknown zone '{}'", exercise.name, zone_id);
        if (zone->status == kb::ZoneStatus::NoGo)
            return fmt::format("{}: {} is a no-go zone", exercise.name, kb::plain_name(*zone));
        if (std::find(changes.excluded_zones.begin(), changes.excluded_zones.end(), zone_id) != changes.excluded_zones.end())
            return fmt::format("{}: your screening answers asked to leave out {}", exercise.name, kb::plain_name(*zone));
    }
    return std::nullopt;
}

struct Softness {
    bool first_time { false };
    bool high_sensitivity { false };
    bool soft_only { false };           // verdict or repeated soreness
    std::string soft_reason;
};

struct ToolChoice {
    kb::Tool const* tool { nullptr };
    std::string why;
};

// A roller for the exercise, or why there is none: the plan never asks for a roller the user
// does not own (when they said which they own), nor one too firm for them.
struct ToolOutcome {
    std::optional<ToolChoice> choice;
    std::string why_not;
};

int firmness_rank(kb::Firmness firmness) { return static_cast<int>(firmness); }

std::string capitalised(std::string text)
{
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z')
        text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text;
}

// The tool inside a sentence ("peanut roller", "a peanut roller"); the knowledge loader fills
// both, a knowledge base built in code may not.
std::string short_name(kb::Tool const& tool) { return tool.short_name.empty() ? tool.name : tool.short_name; }
std::string a_name(kb::Tool const& tool) { return tool.a_name.empty() ? "a " + short_name(tool) : tool.a_name; }

// "a soft foam roller or a standard roller"
std::string any_of_names(std::vector<kb::Tool const*> const& tools)
{
    std::string out;
    for (std::size_t i = 0; i < tools.size(); ++i)
        out += (i == 0 ? "" : i + 1 == tools.size() ? " or " : ", ") + a_name(*tools[i]);
    return out;
}

ToolOutcome choose_tool(kb::KnowledgeBase const& kb, kb::Exercise const& exercise, Profile const& profile, Softness const& softness)
{
    std::vector<kb::Tool const*> candidates;
    for (auto const& id : exercise.tools)
        if (auto const* tool = find_by_id(kb.tools, id))
            candidates.push_back(tool);
    bool const all_spot = std::all_of(candidates.begin(), candidates.end(), [](auto const* t) { return !t->whole_back_session; });
    bool const told_rollers = !profile.rollers_owned.empty();
    auto owned = [&](kb::Tool const* tool) {
        return std::find(profile.rollers_owned.begin(), profile.rollers_owned.end(), tool->id) != profile.rollers_owned.end();
    };

    std::vector<kb::Tool const*> suitable;   // right for the exercise and for this person
    for (auto const* tool : candidates) {
        if (!tool->whole_back_session && !all_spot)
            continue;   // spot-work rollers are for a single spot, not a whole area
        if (softness.first_time && (!tool->suits_beginners || tool->firmness == kb::Firmness::VeryFirm))
            continue;
        if (softness.high_sensitivity && (!tool->suits_high_sensitivity || tool->firmness == kb::Firmness::VeryFirm))
            continue;
        if (softness.soft_only && tool->firmness != kb::Firmness::Soft)
            continue;
        suitable.push_back(tool);
    }
    std::vector<kb::Tool const*> allowed;
    for (auto const* tool : suitable)
        if (!told_rollers || owned(tool))
            allowed.push_back(tool);
    if (allowed.empty()) {
        // What it would need, and why a roller of theirs that the exercise lists will not do.
        ToolOutcome none;
        auto const owned_candidate = std::find_if(candidates.begin(), candidates.end(), owned);
        std::string mine;
        if (owned_candidate != candidates.end())
            mine = !(*owned_candidate)->whole_back_session && !all_spot
                ? fmt::format("your {} is for a single tender spot, not the whole area", short_name(**owned_candidate))
                : fmt::format("your {} is too firm for you today", short_name(**owned_candidate));
        if (!suitable.empty())
            none.why_not = fmt::format("it needs {}, which you don't have{}", any_of_names(suitable), mine.empty() ? "" : " (" + mine + ")");
        else if (!mine.empty())
            none.why_not = mine;
        else if (softness.first_time || softness.high_sensitivity || softness.soft_only)
            none.why_not = "its rollers are too firm for you today";
        else
            none.why_not = "none of its rollers suits this exercise";
        return none;
    }

    bool const gentle = softness.first_time || softness.high_sensitivity || softness.soft_only;
    auto preferred = [&](kb::Tool const* tool) { return !exercise.preferred_tool.empty() && tool->id == exercise.preferred_tool; };
    auto score = [&](kb::Tool const* tool) {
        int s = 0;
        if (preferred(tool))
            s += 50;
        // Gentle profiles: the softest first. Others: a standard medium roller first, then
        // softer before firmer (moderate pressure is enough: Grabow et al. 2018).
        int const rank = firmness_rank(tool->firmness);
        constexpr std::array confident { 7, 10, 9, 3 };   // soft, medium, firm, very firm
        s += gentle ? 10 - rank * 3 : confident[static_cast<std::size_t>(rank)];
        return s;
    };
    auto const* best = *std::max_element(allowed.begin(), allowed.end(),
        [&](auto const* a, auto const* b) { return score(a) < score(b); });

    std::string why;
    std::string const a_best = capitalised(a_name(*best));
    if (preferred(best) && !exercise.preferred_tool_why.empty())
        why = exercise.preferred_tool_why;
    else if (softness.soft_only)
        why = fmt::format("{} gives under your weight: {}.", a_best, softness.soft_reason);
    else if (softness.first_time)
        why = fmt::format("{} gives under your weight, which suits a first time; firm and spiked rollers come later, if ever.", a_best);
    else if (softness.high_sensitivity)
        why = fmt::format("{} gives under your weight, which suits a sensitive back.", a_best);
    else if (best->firmness == kb::Firmness::Medium || best->firmness == kb::Firmness::Firm)
        why = fmt::format("{} is firm with a little give: enough pressure without needing more.", a_best);
    else
        why = fmt::format("{} suits this exercise.", a_best);
    if (!all_spot) {
        for (auto const* tool : candidates)
            if (!tool->whole_back_session && owned(tool)) {
                why += fmt::format(" Your {} is for a single tender spot, not the whole area.", short_name(*tool));
                break;
            }
    }
    return { ToolChoice { best, why }, {} };
}

struct Candidate {
    kb::Exercise const* exercise { nullptr };
    Seconds per_side { 60 };
    int repetitions { 0 };
    std::string why;
    std::vector<std::string> source_ids;   // what `why` rests on
};

PlanStep make_step(kb::KnowledgeBase const& kb, Candidate const& candidate, ToolChoice const* tool)
{
    auto const& ex = *candidate.exercise;
    PlanStep step;
    step.exercise_id = ex.id;
    step.name = ex.name;
    step.kind = ex.kind;
    step.sides = ex.sides;
    step.target_zones = ex.target_zones;
    step.setup = ex.setup;
    step.movement = ex.movement;
    step.cues = ex.cues;
    step.tempo = ex.tempo;
    step.hold = ex.hold;
    step.setup_time = setup_time_per_line * static_cast<int>(ex.setup.size());
    step.why = candidate.why;
    step.source_ids = candidate.source_ids;
    if (ex.kind == kb::ExerciseKind::Finisher) {
        step.repetitions = candidate.repetitions > 0 ? candidate.repetitions : std::max(ex.dose.repetitions, 1);
        step.per_repetition = ex.dose.per_repetition.count() > 0 ? ex.dose.per_repetition : Seconds { 6 };
        step.per_side = Seconds { 0 };
    } else {
        step.per_side = std::clamp(candidate.per_side, std::min(min_per_side, ex.dose.max_per_side), ex.dose.max_per_side);
        step.side_switch = ex.sides == kb::Sides::LeftAndRight ? side_switch_time : Seconds { 0 };
    }
    if (tool) {
        step.tool_id = tool->tool->id;
        step.tool_name = tool->tool->name;
        step.tool_phrase = short_name(*tool->tool);
        step.tool_why = tool->why;
    }
    (void)kb;
    return step;
}

Seconds total_of(std::vector<PlanStep> const& steps, Seconds rest)
{
    Seconds total { 0 };
    for (auto const& step : steps)
        total += step.duration();
    if (steps.size() > 1)
        total += rest * static_cast<int>(steps.size() - 1);
    return total;
}

// Shortens rolling steps toward min_per_side until the plan fits, longest first.
void shrink_to_fit(std::vector<PlanStep>& steps, Seconds rest, Seconds available)
{
    while (total_of(steps, rest) > available) {
        PlanStep* longest = nullptr;
        for (auto& step : steps)
            if (step.kind == kb::ExerciseKind::Rolling && step.per_side > min_per_side
                && (!longest || step.per_side > longest->per_side))
                longest = &step;
        if (!longest)
            return;
        longest->per_side = std::max(min_per_side, longest->per_side - Seconds { 5 });
    }
}

std::string minutes_text(Seconds s)
{
    if (s.count() % 60 == 0)
        return fmt::format("{} min", s.count() / 60);
    return fmt::format("{} min {} s", s.count() / 60, s.count() % 60);
}

}

char const* to_string(Pressure pressure)
{
    return to_word(pressure_names, pressure);
}

Result<Pressure> parse_pressure(std::string_view text)
{
    if (auto value = from_word(pressure_names, text))
        return *value;
    return Error::invalid_argument(fmt::format("unknown pressure '{}': use gentle or moderate", text));
}

char const* to_string(Side side)
{
    return to_word(side_names, side);
}

Result<Side> parse_side(std::string_view text)
{
    if (auto value = from_word(side_names, text))
        return *value;
    return Error::invalid_argument(fmt::format("unknown side '{}': use none, right or left", text));
}

std::vector<Side> PlanStep::side_order() const
{
    if (sides == kb::Sides::LeftAndRight && kind == kb::ExerciseKind::Rolling)
        return { Side::Right, Side::Left };
    return { Side::None };
}

Seconds PlanStep::duration() const
{
    if (kind == kb::ExerciseKind::Finisher)
        return setup_time + per_repetition * repetitions;
    auto const n = static_cast<int>(side_order().size());
    return setup_time + per_side * n + side_switch * (n - 1);
}

Seconds Plan::total() const { return total_of(steps, transition_rest); }

Result<void> check_may_roll(kb::Verdict const& verdict, History const& history)
{
    if (kb::is_stop_tier(verdict.tier)) {
        std::string why = verdict.reasons.empty() ? std::string {} : " " + verdict.reasons.front().message;
        return Error::conflict(fmt::format("No plan today: your screening says to see a clinician before rolling ({}).{} "
                                           "Talk to a clinician, then run the screening again.",
            kb::to_string(verdict.tier), why));
    }
    if (history.warning_sign_pending) {
        return Error::conflict(fmt::format("No plan today: a check-in reported a warning sign{} that has not been cleared. "
                                           "Answer the next-day check-in again (or see a clinician) before rolling.",
            history.warning_sign.empty() ? "" : " (" + history.warning_sign + ")"));
    }
    return {};
}

Result<Plan> make_plan(kb::KnowledgeBase const& kb, Profile const& profile, kb::Verdict const& verdict, History const& history)
{
    TRY(check_may_roll(verdict, history));
    if (profile.minutes_available.count() < 1)
        return Error::invalid_argument("minutes available must be at least 1");

    auto const* routine = find_by_id(kb.routines, "default");
    if (!routine)
        return Error::invalid_data("the knowledge base has no routine with id 'default': add it to data/knowledge (routines)");

    Plan plan;
    plan.tier = verdict.tier;
    plan.transition_rest = kb.thresholds.transition_rest;
    Seconds available = profile.minutes_available;
    if (verdict.changes.max_session_length && *verdict.changes.max_session_length < available) {
        available = *verdict.changes.max_session_length;
        plan.notes.push_back(fmt::format("Kept to {} because your screening or check-in answers, or the limits a clinician set, call for a shorter session.", minutes_text(available)));
    }
    plan.available = available;

    // History: repeated strong next-day soreness means the last sessions were too much.
    int strong = 0;
    auto const recent = std::min<std::size_t>(history.soreness.size(), 3);
    for (std::size_t i = history.soreness.size() - recent; i < history.soreness.size(); ++i)
        if (history.soreness[i] >= high_soreness)
            ++strong;
    bool const too_sore = strong >= 2;

    // Consistency: completed sessions in the last 14 days.
    int completed_recently = 0;
    if (!history.sessions.empty()) {
        auto const today = history.today.value_or(history.sessions.back().date);
        for (auto const& s : history.sessions)
            if (s.completed && today - s.date < std::chrono::days { 14 } && s.date <= today)
                ++completed_recently;
    }

    Softness softness;
    softness.first_time = profile.experience == Experience::FirstTime;
    softness.high_sensitivity = profile.sensitivity == Sensitivity::High;
    if (verdict.changes.soft_roller_only) {
        softness.soft_only = true;
        softness.soft_reason = "your screening or check-in answers, or the limits a clinician set, call for a soft roller";
    } else if (too_sore) {
        softness.soft_only = true;
        softness.soft_reason = "you were quite sore after recent sessions, so today is softer";
    }

    bool const gentle = verdict.changes.gentle_pressure_only || too_sore || softness.high_sensitivity || softness.first_time;
    plan.pressure = gentle ? Pressure::Gentle : Pressure::Moderate;
    if (verdict.changes.gentle_pressure_only)
        plan.pressure_why = "Gentle pressure only, as your screening answers asked.";
    else if (too_sore)
        plan.pressure_why = "Gentle pressure: strong soreness the day after means the last sessions were too much.";
    else if (gentle)
        plan.pressure_why = "Gentle pressure to start: a light, tolerable pressure gives the same benefit as a painful one.";
    else
        plan.pressure_why = fmt::format("Moderate pressure, never above {} out of 10: more pain buys nothing.", kb.thresholds.pain_target_max);

    if (too_sore)
        plan.notes.push_back("Shorter and softer than usual: you reported strong soreness after two of your last three sessions.");
    if (profile.when == When::BeforeBed)
        plan.notes.push_back("Before bed: keep it slow and let the long breaths out help you wind down.");
    else if (profile.when == When::AfterWorkout)
        plan.notes.push_back("After a workout: rolling may take the edge off soreness a little; it does not replace a cool-down.");

    Seconds progression { 0 };
    if (!too_sore && completed_recently >= consistent_sessions) {
        progression = progression_step;
        plan.notes.push_back(fmt::format("{} sessions in the last two weeks: a little more time on each area. "
                                         "Regular short sessions matter more than pressing harder.",
            completed_recently));
    } else if (!history.sessions.empty() && completed_recently < 3) {
        plan.notes.push_back("The same short routine as before: a few minutes most days helps more than a long session now and then.");
    }

    auto consider = [&](kb::Exercise const& ex, Candidate candidate, std::vector<PlanStep>& into) -> bool {
        if (auto reason = zone_exclusion(kb, ex, verdict.changes)) {
            plan.left_out.push_back(*reason);
            return false;
        }
        std::optional<ToolChoice> tool;
        if (ex.kind == kb::ExerciseKind::Rolling) {
            auto outcome = choose_tool(kb, ex, profile, softness);
            if (!outcome.choice) {
                plan.left_out.push_back(fmt::format("{}: {}", ex.name, outcome.why_not));
                return false;
            }
            tool = std::move(outcome.choice);
        }
        candidate.exercise = &ex;
        auto step = make_step(kb, candidate, tool ? &*tool : nullptr);
        if (too_sore && step.kind == kb::ExerciseKind::Rolling)
            step.per_side = std::max(min_per_side, step.per_side * 2 / 3);
        else if (step.kind == kb::ExerciseKind::Rolling)
            step.per_side = std::min(step.per_side + progression, ex.dose.max_per_side);
        into.push_back(std::move(step));
        return true;
    };

    std::vector<PlanStep> base;
    for (auto const& routine_step : routine->steps) {
        auto const* ex = find_by_id(kb.exercises, routine_step.exercise_id);
        if (!ex) {
            plan.left_out.push_back(fmt::format("routine step '{}' has no exercise in the knowledge base", routine_step.exercise_id));
            continue;
        }
        Candidate c;
        c.per_side = routine_step.per_side;
        c.repetitions = routine_step.repetitions;
        c.why = ex->why.empty() ? routine->why : ex->why;
        c.source_ids = ex->why.empty() ? routine->source_ids : ex->source_ids;
        consider(*ex, c, base);
    }

    // Extras come from the routine's data: first those for the profile's focus (in the order
    // the profile gives it), then those for when there is time, in the order listed; each
    // exercise once.
    struct Extra {
        kb::Exercise const* exercise;
        kb::RoutineExtra const* data;
        bool from_focus { false };
    };
    std::vector<Extra> extras;
    auto add_extra = [&](kb::RoutineExtra const& extra, bool from_focus) {
        auto const* exercise = kb.find_exercise(extra.exercise_id);
        if (!exercise || exercise->kind != kb::ExerciseKind::Rolling)
            return;
        if (std::any_of(extras.begin(), extras.end(), [&](Extra const& e) { return e.exercise == exercise; }))
            return;
        extras.push_back({ exercise, &extra, from_focus });
    };
    for (auto focus : profile.focus)
        for (auto const& extra : routine->extras)
            if (std::find(extra.focus.begin(), extra.focus.end(), to_string(focus)) != extra.focus.end())
                add_extra(extra, true);
    for (auto const& extra : routine->extras)
        if (extra.focus.empty())
            add_extra(extra, false);

    std::vector<PlanStep> steps = base;
    shrink_to_fit(steps, plan.transition_rest, available);
    for (auto const& extra : extras) {
        kb::Exercise const* found = nullptr;
        if (std::none_of(steps.begin(), steps.end(), [&](auto const& s) { return s.exercise_id == extra.exercise->id; }))
            found = extra.exercise;
        if (!found)
            continue;
        std::vector<PlanStep> tried = steps;
        Candidate c;
        c.per_side = found->dose.default_per_side;
        c.why = extra.data->why;
        c.source_ids = extra.data->source_ids;
        std::size_t const before_left_out = plan.left_out.size();
        if (!consider(*found, c, tried))
            continue;
        // Extras go before the finisher, which always closes the session.
        if (tried.size() >= 2 && tried[tried.size() - 2].kind == kb::ExerciseKind::Finisher)
            std::swap(tried[tried.size() - 2], tried.back());
        if (extra.from_focus)
            shrink_to_fit(tried, plan.transition_rest, available);
        if (total_of(tried, plan.transition_rest) <= available) {
            steps = std::move(tried);
        } else if (extra.from_focus) {
            plan.left_out.resize(before_left_out);
            plan.left_out.push_back(fmt::format("{}: it does not fit in {}; allow more minutes to add it", found->name, minutes_text(available)));
        }
    }

    // Still too long (very little time): drop rolling steps from the end, keeping the first.
    while (total_of(steps, plan.transition_rest) > available && steps.size() > 1) {
        auto it = std::find_if(steps.rbegin(), steps.rend(), [](auto const& s) { return s.kind == kb::ExerciseKind::Finisher; });
        auto victim = steps.end() - 1;
        if (it != steps.rend() && steps.size() > 2)
            victim = steps.end() - 2;   // keep the closing finisher as long as possible
        plan.left_out.push_back(fmt::format("{}: it does not fit in {}", victim->name, minutes_text(available)));
        steps.erase(victim);
        shrink_to_fit(steps, plan.transition_rest, available);
    }
    if (steps.empty())
        return Error::conflict("No plan today: nothing in the routine is safe to roll with your screening answers. "
                               "See a clinician or physiotherapist about your back.");
    if (total_of(steps, plan.transition_rest) > available)
        return Error::invalid_argument(fmt::format("{} is too short for even one exercise: allow at least {}",
            minutes_text(available), minutes_text(total_of(steps, plan.transition_rest))));

    plan.steps = std::move(steps);
    return plan;
}

}
