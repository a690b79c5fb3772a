// How the server keeps one failing handler from taking the others with it, free of Boost.Beast:
// every call into the Gateway or a WebSocket handler goes through guarded(), whose fallback is
// one of the answers below. Anything thrown is logged to stderr, never sent to the client.
//
//   HttpResponse response = guarded("a request", [&] { return gateway.handle(request); },
//       [] { return with_security_headers(internal_error_response()); });
#pragma once

#include "server/http_types.h"
#include "server/ws_handler.h"

#include <exception>
#include <fmt/core.h>

namespace rc::server {

// Runs a handler call; anything it throws is logged and turned into `fallback`, so one bad
// message never reaches the I/O loop (which would take every session with it).
template<typename Call, typename Fallback>
auto guarded(char const* what, Call&& call, Fallback&& fallback) -> decltype(call())
{
    try {
        return call();
    } catch (std::exception const& e) {
        fmt::print(stderr, "rollcoach serve: unexpected error in {}: {}\n", what, e.what());
    } catch (...) {
        fmt::print(stderr, "rollcoach serve: unexpected non-standard exception in {}\n", what);
    }
    return fallback();
}

// `response` with the headers every answer carries (security_headers()), for the answers the
// server makes itself rather than the Gateway.
HttpResponse with_security_headers(HttpResponse response);

// The message a WebSocket gets when its handler failed on one message: the session goes on.
WsOutput internal_ws_error();

}
