#include "server/api.h"
#include "coach/coach.h"

#include "plan/plan_json.h"

#include <charconv>
#include <fmt/core.h>

namespace rc::server {

using nlohmann::json;

namespace {

HttpResponse answer(Result<json> const& result, int status = 200)
{
    return result ? json_response(status, *result) : error_response(result.error());
}

// An integer query parameter within [min, max], or the fallback when absent.
Result<long> int_param(HttpRequest const& request, std::string const& name, long fallback, long min, long max)
{
    auto const* text = request.find_query(name);
    if (!text)
        return fallback;
    long value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || value < min || value > max)
        return Error::invalid_argument(fmt::format("?{}= must be a whole number from {} to {}", name, min, max));
    return value;
}

}

void add_coach_routes(Router& router, Coach& coach)
{
    router.add(Method::Get, "/api/status", [&coach](HttpRequest const&, RouteParams const&) { return answer(coach.status()); });
    router.add(Method::Get, "/api/screening", [&coach](HttpRequest const&, RouteParams const&) {
        return json_response(200, coach.screening_questions());
    });
    router.add(Method::Post, "/api/screening", [&coach](HttpRequest const& request, RouteParams const&) {
        return answer(coach.submit_screening(request.body));
    });
    router.add(Method::Post, "/api/screening/evaluate", [&coach](HttpRequest const& request, RouteParams const&) {
        return answer(coach.evaluate_only(kb::Questionnaire::Screening, request.body));
    });
    router.add(Method::Post, "/api/checkin/evaluate", [&coach](HttpRequest const& request, RouteParams const&) {
        return answer(coach.evaluate_only(kb::Questionnaire::Checkin, request.body));
    });
    router.add(Method::Get, "/api/checkin", [&coach](HttpRequest const&, RouteParams const&) {
        return answer(coach.checkin_questions());
    });
    router.add(Method::Post, "/api/checkin", [&coach](HttpRequest const& request, RouteParams const&) {
        return answer(coach.submit_checkin(request.body));
    });
    router.add(Method::Get, "/api/profile", [&coach](HttpRequest const&, RouteParams const&) { return answer(coach.profile()); });
    router.add(Method::Post, "/api/profile", [&coach](HttpRequest const& request, RouteParams const&) {
        return answer(coach.save_profile(request.body));
    });
    router.add(Method::Get, "/api/plan", [&coach](HttpRequest const&, RouteParams const&) {
        auto plan = coach.todays_plan();
        if (plan)
            return json_response(200, json(*plan));
        auto response = error_response(plan.error());
        // A refusal carries its kind, tier, reason and the flags a clearance could cover, so a
        // front-end shows the right words for the tier without parsing the message.
        if (plan.error().code == ErrorCode::Conflict) {
            if (auto refusal = coach.refusal(); refusal && *refusal) {
                auto body = json::parse(response.body);
                body["error"].update((*refusal)->to_json());
                response = json_response(409, body);
            }
        }
        return response;
    });
    router.add(Method::Get, "/api/history", [&coach](HttpRequest const& request, RouteParams const&) {
        auto limit = int_param(request, "limit", 100, 1, 10000);
        return limit ? answer(coach.history(static_cast<int>(*limit))) : error_response(limit.error());
    });
    router.add(Method::Get, "/api/stats", [&coach](HttpRequest const& request, RouteParams const&) {
        auto offset = int_param(request, "utc_offset", 0, -14 * 3600, 14 * 3600);
        return offset ? answer(coach.stats(std::chrono::seconds(*offset))) : error_response(offset.error());
    });
    router.add(Method::Post, "/api/clearance", [&coach](HttpRequest const& request, RouteParams const&) {
        return answer(coach.add_clearance(request.body), 201);
    });
    router.add(Method::Get, "/api/clearance", [&coach](HttpRequest const&, RouteParams const&) { return answer(coach.clearances()); });
    router.add(Method::Get, "/api/export", [&coach](HttpRequest const& request, RouteParams const&) {
        auto const* format = request.find_query("format");
        auto const* table = request.find_query("table");
        std::string chosen = format ? *format : "json";
        auto exported = coach.export_journal(chosen, table ? *table : "");
        if (!exported)
            return error_response(exported.error());
        HttpResponse response;
        response.body = std::move(*exported);
        if (chosen == "csv") {
            response.content_type = "text/csv; charset=utf-8";
            response.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"rollcoach-{}.csv\"", *table));
        } else {
            response.content_type = chosen == "fhir" ? "application/fhir+json" : "application/json";
            response.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"rollcoach-{}.json\"", chosen));
        }
        response.headers.emplace_back("Cache-Control", "no-store");
        return response;
    });
}

}
