// libFuzzer target for the JSON API's bodies and parameters, through the Api entry point the
// server uses (router, body parsers, Coach, triage, journal). The first byte picks the
// endpoint; the rest is the body (POST) or the parameter (GET).
// Oracles: every answer is JSON that parses, carries a status from the documented set, and no
// internal exception text; a 500 is a defect (ROLLCOACH_FUZZ_STRICT=0 tolerates both while a
// known bug waits for its fix; crashes are never tolerated).
#include "fuzz_world.h"

#include "server/api.h"
#include "server/http_types.h"

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>

namespace {

using namespace rc::server;

struct Endpoint {
    Method method;
    char const* target;   // the parameter, percent-encoded, is appended to a GET target
};

constexpr Endpoint endpoints[] = {
    { Method::Post, "/api/screening" },
    { Method::Post, "/api/checkin" },
    { Method::Post, "/api/profile" },
    { Method::Post, "/api/clearance" },
    { Method::Get, "/api/history?limit=" },
    { Method::Get, "/api/stats?utc_offset=" },
    { Method::Get, "/api/export?format=" },
    { Method::Get, "/api/export?format=csv&table=" },
    { Method::Get, "/api/kb/explain/" },
    { Method::Get, "/api/plan" },
    { Method::Get, "/api/status" },
    { Method::Post, "/api/screening" },
    { Method::Post, "/api/screening/evaluate" },
    { Method::Post, "/api/checkin/evaluate" },
    { Method::Get, "/api/clearance" },
    { Method::Get, "/api/report.pdf?utc_offset=" },
};

bool documented_status(int status)
{
    switch (status) {
    case 200: case 201: case 400: case 404: case 405: case 409: case 413: case 422: case 500: case 501: return true;
    default: return false;
    }
}

}

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size)
{
    static std::unique_ptr<rc::fuzz::World> world;
    static std::unique_ptr<Api> api;
    static int runs = 0;
    if (!world || ++runs % 5000 == 0) {
        api.reset();
        world.reset();
        world = std::make_unique<rc::fuzz::World>();
        api = std::make_unique<Api>(ApiServices { rc::fuzz::knowledge(), world->coach.get(), std::nullopt });
    }
    if (size < 1)
        return 0;
    auto const& endpoint = endpoints[data[0] % std::size(endpoints)];
    std::string rest(reinterpret_cast<char const*>(data + 1), size - 1);
    if (!rc::fuzz::strict() && rc::fuzz::has_number_overflow(rest))
        return 0;

    HttpRequest request;
    request.method = endpoint.method;
    request.target = endpoint.target;
    if (endpoint.method == Method::Post)
        request.body = rest;
    else if (request.target.back() == '=' || request.target.back() == '/')
        request.target += percent_encode(rest);
    auto parsed = parse_target(request.target);
    if (!parsed)
        return 0;   // the gateway answers 400 before the API sees it (fuzz_http_gateway)
    request.path = parsed->first;
    request.query = parsed->second;
    world->clock.advance(std::chrono::minutes(7));

    HttpResponse response = api->handle(request);
    if (!documented_status(response.status))
        rc::fuzz::fail("an undocumented status", std::to_string(response.status) + " " + request.target + "\n" + response.body);
    // A streamed answer (an export) is in its spool file, not in body: judge what would be sent.
    std::string sent = response.body;
    if (!response.file_path.empty()) {
        std::ifstream file(response.file_path, std::ios::binary);
        if (!file)
            rc::fuzz::fail("a streamed answer without its file", response.file_path);
        sent.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    }
    if (response.content_type == "application/json" && !nlohmann::json::accept(sent))
        rc::fuzz::fail("a JSON answer does not parse", sent.substr(0, 2000));
    if (rc::fuzz::strict() && response.status == 500)
        rc::fuzz::fail("a 500 for a client's input", request.target + "\n" + rest + "\n" + response.body);
    if (rc::fuzz::strict() && rc::fuzz::leaks_internal_text(response.body, rest))
        rc::fuzz::fail("internal text in an answer", response.body);
    return 0;
}
