#include "server/api.h"
#include "coach/kb_json.h"

namespace rc::server {

using nlohmann::json;

namespace {

template<typename Items, typename ToJson>
json list_json(Items const& items, ToJson to_json)
{
    json out = json::array();
    for (auto const& item : items)
        out.push_back(to_json(item));
    return out;
}

json thresholds_json(kb::Thresholds const& t)
{
    return {
        { "pain_back_off", t.pain_back_off },
        { "pain_target_max", t.pain_target_max },
        { "breaths_per_minute", t.breaths_per_minute },
        { "inhale_seconds", t.inhale.count() },
        { "exhale_seconds", t.exhale.count() },
        { "default_session_seconds", t.default_session.count() },
        { "meaningful_pain_change_points", t.meaningful_pain_change_points },
        { "meaningful_pain_change_fraction", t.meaningful_pain_change_fraction },
        { "weekly_goal_sessions", t.weekly_goal_sessions },
    };
}

}

void add_kb_routes(Router& router, kb::KnowledgeBase const& kb)
{
    auto zones = [&kb] { return list_json(kb.zones, [&](kb::Zone const& z) { return coach::zone_json(kb, z); }); };
    auto tools = [&kb] { return list_json(kb.tools, [&](kb::Tool const& t) { return coach::tool_json(kb, t); }); };
    auto exercises = [&kb] { return list_json(kb.exercises, [&](kb::Exercise const& e) { return coach::exercise_json(kb, e); }); };
    auto rules = [&kb] { return list_json(kb.rules, [&](kb::Rule const& r) { return coach::rule_json(kb, r); }); };
    auto sources = [&kb] {
        return list_json(kb.sources, [](kb::Source const& s) { return json { { "id", s.id }, { "citation", s.citation }, { "note", s.note } }; });
    };

    router.add(Method::Get, "/api/kb", [=, &kb](HttpRequest const&, RouteParams const&) {
        return json_response(200, {
            { "zones", zones() },
            { "tools", tools() },
            { "exercises", exercises() },
            { "rules", rules() },
            { "sources", sources() },
            { "thresholds", thresholds_json(kb.thresholds) },
        });
    });
    router.add(Method::Get, "/api/kb/zones", [=](HttpRequest const&, RouteParams const&) { return json_response(200, zones()); });
    router.add(Method::Get, "/api/kb/tools", [=](HttpRequest const&, RouteParams const&) { return json_response(200, tools()); });
    router.add(Method::Get, "/api/kb/exercises", [=](HttpRequest const&, RouteParams const&) { return json_response(200, exercises()); });
    router.add(Method::Get, "/api/kb/rules", [=](HttpRequest const&, RouteParams const&) { return json_response(200, rules()); });
    router.add(Method::Get, "/api/kb/sources", [=](HttpRequest const&, RouteParams const&) { return json_response(200, sources()); });
    router.add(Method::Get, "/api/kb/explain/:id", [&kb](HttpRequest const&, RouteParams const& params) {
        auto explained = coach::explain_json(kb, params.at("id"));
        return explained ? json_response(200, *explained) : error_response(explained.error());
    });
}

}
