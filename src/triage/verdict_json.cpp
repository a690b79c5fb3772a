#include "triage/verdict_json.h"

#include "triage/triage_engine.h"

#include <fmt/core.h>

namespace rc::kb {

namespace {

Tier tier_from(nlohmann::json const& json)
{
    auto tier = parse_tier(json.get<std::string>());
    if (!tier)
        throw nlohmann::json::other_error::create(501, fmt::format("unknown tier '{}'", json.get<std::string>()), &json);
    return *tier;
}

}

void to_json(nlohmann::json& json, PlanChanges const& changes)
{
    json = {
        { "excluded_zones", changes.excluded_zones },
        { "soft_roller_only", changes.soft_roller_only },
        { "gentle_pressure_only", changes.gentle_pressure_only },
        { "max_session_seconds", changes.max_session_length ? nlohmann::json(changes.max_session_length->count()) : nlohmann::json(nullptr) },
    };
}

void from_json(nlohmann::json const& json, PlanChanges& changes)
{
    changes = PlanChanges {};
    json.at("excluded_zones").get_to(changes.excluded_zones);
    json.at("soft_roller_only").get_to(changes.soft_roller_only);
    json.at("gentle_pressure_only").get_to(changes.gentle_pressure_only);
    if (auto const& seconds = json.at("max_session_seconds"); !seconds.is_null())
        changes.max_session_length = std::chrono::seconds(seconds.get<std::int64_t>());
}

void to_json(nlohmann::json& json, Reason const& reason)
{
    json = {
        { "rule_id", reason.rule_id },
        { "tier", to_string(reason.tier) },
        { "message", reason.message },
        { "what_to_do", reason.what_to_do },
        { "source_ids", reason.source_ids },
    };
}

void from_json(nlohmann::json const& json, Reason& reason)
{
    json.at("rule_id").get_to(reason.rule_id);
    reason.tier = tier_from(json.at("tier"));
    json.at("message").get_to(reason.message);
    json.at("what_to_do").get_to(reason.what_to_do);
    json.at("source_ids").get_to(reason.source_ids);
}

void to_json(nlohmann::json& json, Verdict const& verdict)
{
    json = {
        { "tier", to_string(verdict.tier) },
        { "stop", is_stop_tier(verdict.tier) },
        { "complete", verdict.missing_answers.empty() },
        { "reasons", verdict.reasons },
        { "changes", verdict.changes },
        { "missing_answers", verdict.missing_answers },
    };
}

void from_json(nlohmann::json const& json, Verdict& verdict)
{
    verdict = Verdict {};
    verdict.tier = tier_from(json.at("tier"));
    json.at("reasons").get_to(verdict.reasons);
    json.at("changes").get_to(verdict.changes);
    json.at("missing_answers").get_to(verdict.missing_answers);
}

void to_json(nlohmann::json& json, SafetyResponse const& response)
{
    json = { { "action", to_string(response.action) }, { "reason", response.reason } };
}

}

namespace rc::triage {

Result<kb::Verdict> parse_verdict(nlohmann::json const& json)
{
    if (!json.is_object())
        return Error::invalid_data("a verdict is a JSON object as `rollcoach screen --json` prints it");
    for (auto const* field : { "tier", "reasons", "changes", "missing_answers" })
        if (!json.contains(field))
            return Error::invalid_data(fmt::format("the verdict has no \"{}\": save one with `rollcoach screen --json`", field));
    try {
        return json.get<kb::Verdict>();
    } catch (std::exception const& e) {
        // tier_from throws std::invalid_argument with a sentence; nlohmann's text stays inside.
        if (dynamic_cast<nlohmann::json::exception const*>(&e))
            return Error::invalid_data("the verdict has a field of the wrong type: save one with `rollcoach screen --json`");
        return Error::invalid_data(fmt::format("the verdict is not valid: {}", e.what()));
    }
}

namespace {

nlohmann::json sources_of(kb::KnowledgeBase const& kb, std::vector<std::string> const& ids)
{
    auto out = nlohmann::json::array();
    for (auto const& id : ids) {
        auto const* source = kb.find_source(id);
        out.push_back({ { "id", id }, { "citation", source ? source->citation : std::string() } });
    }
    return out;
}

nlohmann::json with_sources(kb::KnowledgeBase const& kb, kb::Reason const& reason)
{
    nlohmann::json json = reason;
    json["sources"] = sources_of(kb, reason.source_ids);
    return json;
}

}

nlohmann::json verdict_to_json(kb::KnowledgeBase const& kb, kb::Questionnaire questionnaire, kb::Verdict const& verdict)
{
    nlohmann::json json = verdict;
    json["questionnaire"] = kb::to_string(questionnaire);
    json["headline"] = std::string(headline(verdict));
    json["reasons"] = nlohmann::json::array();
    for (auto const& reason : verdict.reasons)
        json["reasons"].push_back(with_sources(kb, reason));
    json["missing"] = nlohmann::json::array();
    for (auto const& id : verdict.missing_answers) {
        auto const* question = kb.screening.find_question(id);
        json["missing"].push_back({ { "id", id }, { "text", question ? question->text : std::string() }, { "help", question ? question->help : std::string() } });
    }
    return json;
}

nlohmann::json response_to_json(kb::KnowledgeBase const& kb, kb::SafetyResponse const& response)
{
    return { { "action", kb::to_string(response.action) }, { "reason", with_sources(kb, response.reason) } };
}

nlohmann::json questionnaire_to_json(kb::KnowledgeBase const& kb, kb::Questionnaire questionnaire)
{
    auto questions = nlohmann::json::array();
    for (auto const* question : kb.screening.questions_of(questionnaire)) {
        nlohmann::json entry = {
            { "id", question->id },
            { "text", question->text },
            { "help", question->help },
            { "type", kb::to_string(question->type) },
        };
        if (question->type == kb::AnswerType::Choice) {
            entry["choices"] = nlohmann::json::array();
            for (auto const& choice : question->choices)
                entry["choices"].push_back({ { "id", choice.id }, { "label", choice.label } });
        }
        if (question->type == kb::AnswerType::Number) {
            entry["min"] = question->min.value_or(0);
            entry["max"] = question->max.value_or(0);
            entry["unit"] = question->unit ? nlohmann::json(*question->unit) : nlohmann::json(nullptr);
        }
        questions.push_back(std::move(entry));
    }
    return { { "questionnaire", kb::to_string(questionnaire) }, { "questions", std::move(questions) } };
}

}
