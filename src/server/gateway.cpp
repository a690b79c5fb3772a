#include "server/gateway.h"

#include <exception>
#include <fmt/core.h>

namespace rc::server {

Gateway::Gateway(AccessPolicy policy, StaticFiles files, RequestHandler& api, std::set<std::string> websocket_paths)
    : m_policy(std::move(policy))
    , m_files(std::move(files))
    , m_api(api)
    , m_websocket_paths(std::move(websocket_paths))
{
}

namespace {

// Same scheme-less origin: the Origin's host and port equal the Host header's (a written
// default port counts as none, so "http://x" matches "x:80").
bool same_origin(std::string const& origin_header, std::string const& host_header)
{
    auto origin = parse_origin(origin_header);
    auto host = parse_authority(host_header);
    if (!origin || !host)
        return false;
    if (host->port == 80 || host->port == 443)
        host->port.reset();
    return *origin == *host;
}

bool is_api_path(std::string const& path)
{
    return path == "/api" || path.rfind("/api/", 0) == 0;
}

}

std::optional<HttpResponse> Gateway::refuse_foreign(HttpRequest const& request, bool state_changing) const
{
    auto const* host = request.find_header("host");
    // On loopback, another site's page can reach 127.0.0.1 through DNS rebinding: only answer
    // requests addressed to an exact loopback name and this server's port.
    if (!m_policy.addressed_to_us(host, request.local_port))
        return error_response(403, "forbidden",
            "this server only answers requests addressed to localhost or 127.0.0.1 and its own port; open the address it printed");
    // A page from another origin must not drive the API or a session (cross-site requests).
    if (auto const* origin = request.find_header("origin"); origin && state_changing) {
        if (!host || !same_origin(*origin, *host))
            return error_response(403, "forbidden", "requests from another site's page are not allowed; open the address rollcoach printed");
    }
    return std::nullopt;
}

void Gateway::finish(HttpResponse& response) const
{
    for (auto& header : security_headers())
        response.headers.push_back(std::move(header));
    if (response.content_type == "application/json")
        response.headers.emplace_back("Cache-Control", "no-store");
}

HttpResponse Gateway::handle(HttpRequest request)
{
    HttpResponse response;
    try {
        auto parsed = parse_target(request.target);
        if (!parsed) {
            response = error_response(400, "invalid_argument", parsed.error().message);
            finish(response);
            return response;
        }
        request.path = std::move(parsed->first);
        request.query = std::move(parsed->second);

        bool api = is_api_path(request.path);
        bool state_changing = request.method != Method::Get && request.method != Method::Head;
        if (auto refusal = refuse_foreign(request, state_changing || api)) {
            finish(*refusal);
            return *refusal;
        }
        if (!m_policy.allows(request)) {
            response = api ? error_response(401, "unauthorized", "an access token is required: open the link rollcoach serve printed")
                           : token_required_response();
            finish(response);
            return response;
        }
        if (api) {
            response = m_api.handle(request);
        } else if (request.method == Method::Get || request.method == Method::Head) {
            response = m_files.serve(request.path);
        } else {
            response = error_response(405, "method_not_allowed", "only GET and HEAD are allowed for files");
        }
        if (auto cookie = m_policy.cookie_for(request))
            response.headers.emplace_back("Set-Cookie", *cookie);
    } catch (std::exception const& e) {
        // The details go to the server's log, never to the client.
        fmt::print(stderr, "rollcoach serve: unexpected error answering a request: {}\n", e.what());
        response = internal_error_response();
    } catch (...) {
        fmt::print(stderr, "rollcoach serve: unexpected non-standard exception answering a request\n");
        response = internal_error_response();
    }
    finish(response);
    return response;
}

HttpResponse internal_error_response()
{
    return error_response(500, "internal", "the server could not answer this request; it has been logged and the server keeps running");
}

std::optional<HttpResponse> Gateway::admit_websocket(HttpRequest& request) const
{
    auto parsed = parse_target(request.target);
    std::optional<HttpResponse> refusal;
    if (!parsed) {
        refusal = error_response(400, "invalid_argument", parsed.error().message);
    } else {
        request.path = std::move(parsed->first);
        request.query = std::move(parsed->second);
        if (auto foreign = refuse_foreign(request, true))
            refusal = std::move(foreign);
        else if (!m_policy.allows(request))
            refusal = error_response(401, "unauthorized", "an access token is required: open the link rollcoach serve printed");
        else if (!m_websocket_paths.contains(request.path))
            refusal = error_response(404, "not_found", fmt::format("no WebSocket endpoint at {}", request.path));
    }
    if (refusal)
        finish(*refusal);
    return refusal;
}

}
