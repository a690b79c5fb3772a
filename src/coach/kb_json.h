// The knowledge base as JSON, one shape per object for every front-end: the web app's /api/kb
// and `rollcoach exercises|zones|tools --json` and `explain --json` print the same views of
// zones, tools, exercises, rules, routines, sources and questions, and "explain" answers (what a
// thing is, why, and its sources) for the app's "Why?" links.
#pragma once

#include "common/result.h"
#include "knowledge/model.h"

#include <nlohmann/json.hpp>
#include <string>

namespace rc::coach {

nlohmann::json source_json(kb::Source const& source);
nlohmann::json sources_json(kb::KnowledgeBase const& kb, std::vector<std::string> const& source_ids);
// A zone carries both its whole "name" and its "plain_name" (kb::plain_name), the one a person is
// shown: the web app displays that field rather than cutting the name itself.
nlohmann::json zone_json(kb::KnowledgeBase const& kb, kb::Zone const& zone);
nlohmann::json tool_json(kb::KnowledgeBase const& kb, kb::Tool const& tool);
nlohmann::json exercise_json(kb::KnowledgeBase const& kb, kb::Exercise const& exercise);
nlohmann::json rule_json(kb::KnowledgeBase const& kb, kb::Rule const& rule);
nlohmann::json routine_json(kb::KnowledgeBase const& kb, kb::Routine const& routine);
nlohmann::json question_json(kb::Question const& question);
nlohmann::json reason_json(kb::KnowledgeBase const& kb, kb::Reason const& reason);
nlohmann::json plan_changes_json(kb::PlanChanges const& changes);

// {"id", "kind": "zone"|"tool"|"exercise"|"rule"|"source"|"routine"|"question", "title", "text",
//  "sources": [...]} for any id in the knowledge base.
Result<nlohmann::json> explain_json(kb::KnowledgeBase const& kb, std::string const& id);

}
