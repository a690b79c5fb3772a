// Whether a WebSocket upgrade may open, and its handler, free of Boost.Beast: the Gateway's
// checks (access policy, origin, host), then the endpoint for the request's path. The Beast
// translation unit completes the handshake with the handler, or answers with the refusal.
//
//   auto admission = admit_websocket_upgrade(gateway, routes, request, poster);
//   if (admission.refusal) write(*admission.refusal); else run(std::move(admission.handler));
#pragma once

#include "server/gateway.h"
#include "server/http_types.h"
#include "server/ws_handler.h"

#include <memory>
#include <optional>

namespace rc::server {

struct WsAdmission {
    std::unique_ptr<WsHandler> handler;   // set when the upgrade may proceed
    std::optional<HttpResponse> refusal;  // otherwise the answer to send instead (security headers included)
};

// Never throws: an exception from the Gateway or the endpoint's factory is logged and refused
// with a 500. `background` is what the handler posts its journal work through.
WsAdmission admit_websocket_upgrade(Gateway& gateway, WsRoutes const& routes, HttpRequest& request, BackgroundPoster background);

}
