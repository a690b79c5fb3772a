// The in-session safety responder: what to do, now, when someone reports numbness, sharp pain,
// dizziness or a high pain rating in the middle of a session. It is the only one: the session
// machine calls it for every safety event and every pain rating, and docs/triage.md documents
// it. Every answer comes from the knowledge base's in-session rules (screening/in_session.toml).
//
//   auto response = kb::respond_in_session(kb, SafetyEvent::SharpPain, 8);
//   if (response.action == SafetyAction::Stop) ...   // end the session with response.reason
//
// Rules:
// - the event's rule answers; a validated knowledge base has a rule for every event, and
//   without one the answer is a plain Stop with rule id "no_rule_for_event" (never "carry on");
// - a pain rating given with the event, at or above thresholds.pain_back_off, also brings in
//   the pain_high rule, and the stricter of the two answers wins (stop beats back off, then the
//   higher tier).
#pragma once

#include "knowledge/model.h"

#include <optional>
#include <span>

namespace rc::kb {

SafetyResponse respond_in_session(std::span<InSessionRule const> rules, int pain_back_off, SafetyEvent event,
    std::optional<int> pain = std::nullopt);
SafetyResponse respond_in_session(KnowledgeBase const& kb, SafetyEvent event, std::optional<int> pain = std::nullopt);

// For a pain rating on its own: the pain_high answer at or above pain_back_off, nothing below.
std::optional<SafetyResponse> respond_to_pain(std::span<InSessionRule const> rules, int pain_back_off, int pain);
std::optional<SafetyResponse> respond_to_pain(KnowledgeBase const& kb, int pain);

}
