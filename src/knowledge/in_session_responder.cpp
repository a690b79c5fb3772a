#include "knowledge/in_session_responder.h"

#include <algorithm>

namespace rc::kb {

namespace {

// Stop beats back off; then the higher tier.
bool stricter(SafetyResponse const& a, SafetyResponse const& b)
{
    if (a.action != b.action)
        return a.action == SafetyAction::Stop;
    return a.reason.tier > b.reason.tier;
}

SafetyResponse response_of(InSessionRule const& rule)
{
    return SafetyResponse { rule.action, Reason { rule.id, rule.tier, rule.message, rule.what_to_do, rule.source_ids } };
}

InSessionRule const* find_rule(std::span<InSessionRule const> rules, SafetyEvent event)
{
    auto it = std::find_if(rules.begin(), rules.end(), [&](InSessionRule const& rule) { return rule.event == event; });
    return it == rules.end() ? nullptr : &*it;
}

}

SafetyResponse respond_in_session(std::span<InSessionRule const> rules, int pain_back_off, SafetyEvent event, std::optional<int> pain)
{
    SafetyResponse response;
    if (auto const* rule = find_rule(rules, event))
        response = response_of(*rule);
    else
        response = SafetyResponse { SafetyAction::Stop,
            Reason { "no_rule_for_event", Tier::ClinicianBeforeRolling, "Stop now.", "Get off the roller slowly and rest.", {} } };
    if (event != SafetyEvent::PainHigh && pain && *pain >= pain_back_off)
        if (auto const* rule = find_rule(rules, SafetyEvent::PainHigh))
            if (auto pain_response = response_of(*rule); stricter(pain_response, response))
                response = std::move(pain_response);
    return response;
}

SafetyResponse respond_in_session(KnowledgeBase const& kb, SafetyEvent event, std::optional<int> pain)
{
    return respond_in_session(kb.screening.in_session, kb.thresholds.pain_back_off, event, pain);
}

std::optional<SafetyResponse> respond_to_pain(std::span<InSessionRule const> rules, int pain_back_off, int pain)
{
    if (pain < pain_back_off)
        return std::nullopt;
    return respond_in_session(rules, pain_back_off, SafetyEvent::PainHigh, pain);
}

std::optional<SafetyResponse> respond_to_pain(KnowledgeBase const& kb, int pain)
{
    return respond_to_pain(kb.screening.in_session, kb.thresholds.pain_back_off, pain);
}

}
