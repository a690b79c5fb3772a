#include "server/api.h"
#include "coach/coach.h"

#include "journal/exports.h"
#include "plan/plan_json.h"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <fmt/core.h>
#include <unistd.h>

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

// Writes an export into a new temporary file and returns its path. The server sends that file a
// piece at a time and removes it (HttpResponse::temporary_file): the journal is read once,
// quickly, under the coach's lock, and memory stays flat however slowly the client downloads.
Result<std::string> spool_export(std::function<Result<void>(journal::OutputSink&)> const& write)
{
    std::error_code ec;
    auto directory = std::filesystem::temp_directory_path(ec);
    if (ec)
        directory = "/tmp";
    std::string path = (directory / "rollcoach-export-XXXXXX").string();
    int fd = ::mkstemp(path.data());
    if (fd < 0)
        return Error::io(fmt::format("could not make a temporary file for the export in {}: {}", directory.string(), std::strerror(errno)));
    auto sink = journal::FileSink::on_descriptor(fd, path);
    auto written = write(*sink);
    if (written)
        written = sink->commit();
    ::close(fd);
    if (!written) {
        std::filesystem::remove(path, ec);
        return written.error();
    }
    return path;
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
        auto const* format_text = request.find_query("format");
        auto const* table = request.find_query("table");
        auto format = journal::parse_export_format(format_text ? *format_text : "json");
        if (!format)
            return error_response(format.error());
        std::string csv_table = table ? *table : "";
        auto spool = spool_export([&](journal::OutputSink& out) { return coach.export_journal(*format, csv_table, out); });
        if (!spool)
            return error_response(spool.error());
        HttpResponse response;
        response.file_path = *spool;
        auto owner = std::make_shared<TemporaryFile>();
        owner->path = *spool;
        response.temporary_file = std::move(owner);
        if (*format == journal::ExportFormat::Csv) {
            response.content_type = "text/csv; charset=utf-8";
            response.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"rollcoach-{}.csv\"", csv_table));
        } else {
            bool fhir = *format == journal::ExportFormat::Fhir;
            response.content_type = fhir ? "application/fhir+json" : "application/json";
            response.headers.emplace_back("Content-Disposition",
                fmt::format("attachment; filename=\"rollcoach-{}.json\"", fhir ? "fhir" : "json"));
        }
        response.headers.emplace_back("Cache-Control", "no-store");
        return response;
    });
}

}
