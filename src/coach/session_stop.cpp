#include "coach/session_stop.h"

#include <algorithm>

namespace rc::coach {

kb::InSessionRule const* find_in_session_rule(kb::KnowledgeBase const& kb, std::string_view id)
{
    auto const& rules = kb.screening.in_session;
    auto it = std::find_if(rules.begin(), rules.end(), [&](auto const& rule) { return rule.id == id; });
    return it == rules.end() ? nullptr : &*it;
}

std::optional<std::string> last_stop_code(nlohmann::json const& cues)
{
    if (!cues.is_array())
        return std::nullopt;
    // The last stop cue is the one that ended the session; its code is the in-session rule's id.
    for (auto it = cues.rbegin(); it != cues.rend(); ++it) {
        if (!it->is_object() || it->value("kind", nlohmann::json()) != "stop")
            continue;
        auto const code = it->value("code", nlohmann::json());
        if (!code.is_string())
            return std::nullopt;
        return code.get<std::string>();
    }
    return std::nullopt;
}

std::optional<SessionStop> stop_for_rule(kb::KnowledgeBase const& kb, std::string_view rule_id, WallTime started_at)
{
    auto const* rule = find_in_session_rule(kb, rule_id);
    if (!rule || rule->action != kb::SafetyAction::Stop || !kb::is_stop_tier(rule->tier))
        return std::nullopt;
    // Timed from the start: a sped-up session (serve --speed) records its end on the session
    // clock, minutes after the wall-clock moment of a screening taken once it stopped.
    return SessionStop { rule, started_at, std::chrono::floor<std::chrono::days>(started_at) };
}

std::optional<SessionStop> blocking_stop(kb::KnowledgeBase const& kb, journal::SessionRecord const& session)
{
    if (session.end_reason != journal::EndReason::StoppedWarning)
        return std::nullopt;
    auto const code = last_stop_code(session.cues);
    return code ? stop_for_rule(kb, *code, session.started_at) : std::nullopt;
}

bool screening_lifts(SessionStop const& stop, std::optional<WallTime> latest_screening)
{
    return stop.rule->tier == kb::Tier::Emergency && latest_screening && *latest_screening > stop.started_at;
}

kb::Verdict as_verdict(SessionStop const& stop)
{
    kb::Verdict verdict;
    verdict.tier = stop.rule->tier;
    verdict.reasons.push_back({ stop.rule->id, stop.rule->tier, stop.rule->message, stop.rule->what_to_do, stop.rule->source_ids });
    return verdict;
}

Flag as_flag(SessionStop const& stop)
{
    // The message was said at the moment of the stop ("Stop now. Sharp or stabbing pain is ...");
    // a flag listed days later (the clearance form's tick box) keeps only what the sign is.
    std::string message = stop.rule->message;
    if (message.starts_with("Stop now")) {
        if (auto end = message.find(". "); end != std::string::npos)
            message.erase(0, end + 2);
    }
    return { stop.rule->id, stop.rule->tier, message, stop.day };
}

}
