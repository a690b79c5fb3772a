#include "coach/kb_json.h"
#include "common/echo.h"
#include "knowledge/zone_names.h"

#include <fmt/core.h>

namespace rc::coach {

using nlohmann::json;

json source_json(kb::Source const& source)
{
    return { { "id", source.id }, { "citation", source.citation }, { "note", source.note } };
}

json sources_json(kb::KnowledgeBase const& kb, std::vector<std::string> const& source_ids)
{
    json out = json::array();
    for (auto const& id : source_ids) {
        if (auto const* source = kb.find_source(id))
            out.push_back(source_json(*source));
    }
    return out;
}

json routine_json(kb::KnowledgeBase const& kb, kb::Routine const& routine)
{
    json steps = json::array();
    for (auto const& step : routine.steps)
        steps.push_back({ { "exercise", step.exercise_id }, { "seconds_per_side", step.per_side.count() }, { "repetitions", step.repetitions } });
    return { { "id", routine.id }, { "name", routine.name }, { "steps", steps }, { "best_times", routine.best_times },
        { "why", routine.why }, { "sources", sources_json(kb, routine.source_ids) } };
}

json zone_json(kb::KnowledgeBase const& kb, kb::Zone const& zone)
{
    return {
        { "id", zone.id },
        { "name", zone.name },
        { "plain_name", std::string(kb::plain_name(zone)) },
        { "status", kb::to_string(zone.status) },
        { "region", kb::to_string(zone.region) },
        { "why", zone.why },
        { "sources", sources_json(kb, zone.source_ids) },
    };
}

json tool_json(kb::KnowledgeBase const& kb, kb::Tool const& tool)
{
    return {
        { "id", tool.id },
        { "name", tool.name },
        { "firmness", kb::to_string(tool.firmness) },
        { "suits_beginners", tool.suits_beginners },
        { "suits_high_sensitivity", tool.suits_high_sensitivity },
        { "whole_back_session", tool.whole_back_session },
        { "good_for", tool.good_for },
        { "not_for", tool.not_for },
        { "sources", sources_json(kb, tool.source_ids) },
    };
}

json exercise_json(kb::KnowledgeBase const& kb, kb::Exercise const& exercise)
{
    json mistakes = json::array();
    for (auto const& mistake : exercise.mistakes)
        mistakes.push_back({ { "what", mistake.what }, { "fix", mistake.fix } });
    return {
        { "id", exercise.id },
        { "name", exercise.name },
        { "kind", exercise.kind == kb::ExerciseKind::Rolling ? "rolling" : "finisher" },
        { "target_zones", exercise.target_zones },
        { "tools", exercise.tools },
        { "setup", exercise.setup },
        { "movement", exercise.movement },
        { "tempo_seconds_per_pass", { exercise.tempo.min_per_pass.count(), exercise.tempo.max_per_pass.count() } },
        { "default_seconds_per_side", exercise.dose.default_per_side.count() },
        { "max_seconds_per_side", exercise.dose.max_per_side.count() },
        { "repetitions", exercise.dose.repetitions },
        { "sides", exercise.sides == kb::Sides::LeftAndRight ? "left_and_right" : "none" },
        { "hold_seconds", { exercise.hold.min_hold.count(), exercise.hold.max_hold.count() } },
        { "move_on_after_seconds", exercise.hold.move_on_after.count() },
        { "cues", exercise.cues },
        { "mistakes", mistakes },
        { "why", exercise.why },
        { "sources", sources_json(kb, exercise.source_ids) },
    };
}

json rule_json(kb::KnowledgeBase const& kb, kb::Rule const& rule)
{
    return {
        { "id", rule.id },
        { "title", rule.title },
        { "statement", rule.statement },
        { "why", rule.why },
        { "sources", sources_json(kb, rule.source_ids) },
    };
}

json question_json(kb::Question const& question)
{
    json choices = json::array();
    for (auto const& choice : question.choices)
        choices.push_back({ { "id", choice.id }, { "label", choice.label } });
    json out = {
        { "id", question.id },
        { "text", question.text },
        { "help", question.help },
        { "type", kb::to_string(question.type) },
        { "choices", choices },
    };
    if (question.min)
        out["min"] = *question.min;
    if (question.max)
        out["max"] = *question.max;
    if (question.unit)
        out["unit"] = *question.unit;
    return out;
}

json reason_json(kb::KnowledgeBase const& kb, kb::Reason const& reason)
{
    return {
        { "rule_id", reason.rule_id },
        { "tier", kb::to_string(reason.tier) },
        { "message", reason.message },
        { "what_to_do", reason.what_to_do },
        { "sources", sources_json(kb, reason.source_ids) },
    };
}

json plan_changes_json(kb::PlanChanges const& changes)
{
    json out = {
        { "excluded_zones", changes.excluded_zones },
        { "soft_roller_only", changes.soft_roller_only },
        { "gentle_pressure_only", changes.gentle_pressure_only },
    };
    if (changes.max_session_length)
        out["max_session_seconds"] = changes.max_session_length->count();
    return out;
}

Result<json> explain_json(kb::KnowledgeBase const& kb, std::string const& id)
{
    auto make = [&](char const* kind, std::string const& title, std::string const& text, std::vector<std::string> const& sources) {
        return json { { "id", id }, { "kind", kind }, { "title", title }, { "text", text }, { "sources", sources_json(kb, sources) } };
    };
    if (auto const* rule = kb.find_rule(id))
        return make("rule", rule->title, rule->statement + " " + rule->why, rule->source_ids);
    if (auto const* exercise = kb.find_exercise(id))
        return make("exercise", exercise->name, exercise->why, exercise->source_ids);
    if (auto const* zone = kb.find_zone(id))
        return make("zone", zone->name, zone->why, zone->source_ids);
    if (auto const* tool = kb.find_tool(id)) {
        std::string text = tool->good_for;
        if (!tool->not_for.empty())
            text += " Not for: " + tool->not_for;
        return make("tool", tool->name, text, tool->source_ids);
    }
    if (auto const* routine = kb.find_routine(id))
        return make("routine", routine->name, routine->why, routine->source_ids);
    for (auto const& rule : kb.screening.rules) {
        if (rule.id == id)
            return make("screening_rule", rule.message, rule.what_to_do, rule.source_ids);
    }
    for (auto const& rule : kb.screening.in_session) {
        if (rule.id == id)
            return make("in_session_rule", rule.message, rule.what_to_do, rule.source_ids);
    }
    if (auto const* question = kb.screening.find_question(id))
        return make("question", question->text, question->help, {});
    if (auto const* source = kb.find_source(id))
        return make("source", source->citation, source->note, { source->id });
    return Error::not_found(fmt::format("the knowledge base has nothing called '{}'", echo_excerpt(id)));
}

}
