// Maps "GET /api/kb/explain/:id" style patterns to handlers. A path that matches no pattern is
// 404; a path that matches with another method is 405. Handlers never throw out of dispatch():
// an escaped exception becomes a 500 with its message.
#pragma once

#include "server/http_types.h"

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace rc::server {

using RouteParams = std::map<std::string, std::string>;
using RouteHandler = std::function<HttpResponse(HttpRequest const&, RouteParams const&)>;

class Router {
public:
    void add(Method method, std::string const& pattern, RouteHandler handler);
    HttpResponse dispatch(HttpRequest const& request) const;

private:
    struct Route {
        Method method;
        std::vector<std::string> segments;   // ":name" captures one segment
        RouteHandler handler;
    };
    std::vector<Route> m_routes;
};

// The request body as JSON, or an Error saying what is wrong and where ("byte 17").
Result<nlohmann::json> parse_json_body(HttpRequest const& request);

}
