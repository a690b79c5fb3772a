// The JSON shapes of triage, for the web server, `rollcoach screen --json` and the tests.
// Field names are stable; docs/triage.md shows each shape with an example.
//
// Verdict (to_json / from_json round-trip):
//   { "tier": "proceed_with_changes", "stop": false, "complete": true,
//     "reasons": [ { "rule_id": "blood_thinners", "tier": "proceed_with_changes",
//                    "message": "...", "what_to_do": "...", "source_ids": ["nccih_massage"] } ],
//     "changes": { "excluded_zones": [], "soft_roller_only": true, "gentle_pressure_only": true,
//                  "max_session_seconds": null },
//     "missing_answers": [] }
// verdict_to_json(kb, ...) adds, for display: "questionnaire", "headline", each reason's
// "sources": [{ "id", "citation" }], and "missing": [{ "id", "text", "help" }].
#pragma once

#include "knowledge/model.h"
#include "triage/answers.h"

#include <nlohmann/json.hpp>

namespace rc::kb {

void to_json(nlohmann::json& json, PlanChanges const& changes);
void from_json(nlohmann::json const& json, PlanChanges& changes);
void to_json(nlohmann::json& json, Reason const& reason);
void from_json(nlohmann::json const& json, Reason& reason);
void to_json(nlohmann::json& json, Verdict const& verdict);
void from_json(nlohmann::json const& json, Verdict& verdict);   // throws nlohmann::json::exception on a bad shape
void to_json(nlohmann::json& json, SafetyResponse const& response);   // { "action": "stop" | "back_off", "reason": {...} }

}

namespace rc::triage {

// The one verdict reader (a stored screening, `rollcoach plan --verdict FILE`): strict, every
// field of the shape above required. A bad shape is InvalidData naming what is wrong; nothing
// nlohmann throws gets out.
Result<kb::Verdict> parse_verdict(nlohmann::json const& json);

// The verdict with citations, question texts and the headline, ready to show.
nlohmann::json verdict_to_json(kb::KnowledgeBase const& kb, kb::Questionnaire questionnaire, kb::Verdict const& verdict);

// An in-session response with citations: { "action", "reason": { ..., "sources": [...] } }.
nlohmann::json response_to_json(kb::KnowledgeBase const& kb, kb::SafetyResponse const& response);

// The questionnaire for a form: { "questionnaire": "screening", "questions": [ { "id", "text",
// "help", "type": "yes_no" | "choice" | "number", "choices": [{ "id", "label" }], "min", "max",
// "unit" } ] } (choices only for choice questions; min/max/unit only for number questions).
nlohmann::json questionnaire_to_json(kb::KnowledgeBase const& kb, kb::Questionnaire questionnaire);

}
