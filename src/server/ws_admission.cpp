#include "server/ws_admission.h"

#include "server/guarded_call.h"

#include <exception>
#include <fmt/core.h>
#include <utility>

namespace rc::server {

WsAdmission admit_websocket_upgrade(Gateway& gateway, WsRoutes const& routes, HttpRequest& request, BackgroundPoster background)
{
    WsAdmission admission;
    try {
        admission.refusal = gateway.admit_websocket(request);
        if (!admission.refusal) {
            auto route = routes.find(request.path);
            if (route != routes.end())
                admission.handler = route->second(request, std::move(background));
            if (!admission.handler)
                admission.refusal = with_security_headers(error_response(404, "not_found", "no WebSocket endpoint at this address"));
        }
    } catch (std::exception const& e) {
        fmt::print(stderr, "rollcoach serve: unexpected error opening a WebSocket: {}\n", e.what());
        admission.refusal = with_security_headers(internal_error_response());
    } catch (...) {
        fmt::print(stderr, "rollcoach serve: unexpected non-standard exception opening a WebSocket\n");
        admission.refusal = with_security_headers(internal_error_response());
    }
    return admission;
}

}
