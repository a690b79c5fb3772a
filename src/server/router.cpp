#include "server/router.h"
#include "coach/json_text.h"

#include <exception>
#include <cstdio>
#include <fmt/core.h>

namespace rc::server {

namespace {

std::vector<std::string> split_path(std::string const& path)
{
    std::vector<std::string> segments;
    size_t start = 1;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        auto segment = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (!segment.empty())
            segments.push_back(segment);
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
    return segments;
}

}

void Router::add(Method method, std::string const& pattern, RouteHandler handler)
{
    m_routes.push_back({ method, split_path(pattern), std::move(handler) });
}

HttpResponse Router::dispatch(HttpRequest const& request) const
{
    auto segments = split_path(request.path);
    bool path_matched = false;
    for (auto const& route : m_routes) {
        if (route.segments.size() != segments.size())
            continue;
        RouteParams params;
        bool match = true;
        for (size_t i = 0; i < segments.size() && match; ++i) {
            if (!route.segments[i].empty() && route.segments[i].front() == ':')
                params[route.segments[i].substr(1)] = segments[i];
            else
                match = route.segments[i] == segments[i];
        }
        if (!match)
            continue;
        path_matched = true;
        bool method_ok = route.method == request.method || (route.method == Method::Get && request.method == Method::Head);
        if (!method_ok)
            continue;
        try {
            return route.handler(request, params);
        } catch (std::exception const& e) {
            // The details are for the log only: a response never carries internal exception text.
            fmt::print(stderr, "rollcoach: {} {} failed: {}\n", request.method == Method::Get ? "GET" : "request", request.path, e.what());
            return error_response(500, "internal", "the server hit an unexpected error; it is logged, and nothing was changed by this request");
        }
    }
    if (path_matched)
        return error_response(405, "method_not_allowed", fmt::format("{} does not accept this method", request.path));
    return error_response(404, "not_found", fmt::format("no API endpoint at {}", request.path));
}

Result<nlohmann::json> parse_json_body(HttpRequest const& request)
{
    return coach::parse_json_text(request.body, "the request body");
}

}
