// The front door of every request, free of Boost.Beast: parses the target, enforces the access
// policy, refuses cross-site and DNS-rebinding requests, routes /api/ to the API and everything
// else to the static front-end, and adds the security headers to every answer.
//
//   Gateway gateway(policy, static_files, api);
//   HttpResponse response = gateway.handle(request);            // any HTTP request
//   if (auto refusal = gateway.admit_websocket(request)) ...    // a WebSocket upgrade
#pragma once

#include "server/access_policy.h"
#include "server/http_types.h"
#include "server/static_files.h"

#include <optional>
#include <set>
#include <string>

namespace rc::server {

// What answers /api/ requests (the Api class; tests plug in their own).
class RequestHandler {
public:
    virtual ~RequestHandler() = default;
    virtual HttpResponse handle(HttpRequest const& request) = 0;
};

// The 500 every boundary answers with when something unexpected was thrown: a generic sentence,
// no internal text (that goes to the server's log).
HttpResponse internal_error_response();

class Gateway {
public:
    Gateway(AccessPolicy policy, StaticFiles files, RequestHandler& api, std::set<std::string> websocket_paths);

    // Fills request.path and request.query from request.target, then answers. Never throws.
    HttpResponse handle(HttpRequest request);

    // Nothing when the upgrade may proceed; otherwise the response to send instead.
    std::optional<HttpResponse> admit_websocket(HttpRequest& request) const;

    AccessPolicy const& policy() const { return m_policy; }

private:
    std::optional<HttpResponse> refuse_foreign(HttpRequest const& request, bool state_changing) const;
    void finish(HttpResponse& response) const;

    AccessPolicy m_policy;
    StaticFiles m_files;
    RequestHandler& m_api;
    std::set<std::string> m_websocket_paths;
};

}
