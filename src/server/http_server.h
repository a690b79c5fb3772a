// The HTTP + WebSocket server: Boost.Beast lives only in http_server.cpp, behind this header.
// One I/O thread accepts connections, reads requests and delivers WebSocket messages on time;
// worker threads (ServerOptions::workers) run the Gateway (API, journal, speech synthesis) and a
// live session's journal work, so a slow request never delays a cue. With more than one worker,
// the Gateway and everything behind it is called from several threads at once.
//
//   auto server = HttpServer::create(options, gateway, ws_routes);
//   fmt::print("http://127.0.0.1:{}/\n", (*server)->port());
//   (*server)->run();    // until stop() or SIGINT/SIGTERM
#pragma once

#include "common/result.h"
#include "server/gateway.h"
#include "server/ws_handler.h"

#include <cstdint>
#include <memory>
#include <string>

namespace rc::server {

enum class SignalHandling { StopOnSignal, Ignore };

struct ServerOptions {
    std::string host { "127.0.0.1" };
    uint16_t port { 8080 };                      // 0: an ephemeral port (tests, benchmarks)
    size_t body_limit { 1024 * 1024 };           // bytes; larger requests get 413
    size_t websocket_message_limit { 64 * 1024 };  // bytes; larger messages close the socket (1009)
    SignalHandling signals { SignalHandling::StopOnSignal };
    // Open connections (HTTP and WebSocket together); one more is answered 503 and closed.
    size_t max_connections { 512 };
    // Live WebSockets from one client address; one more is accepted and closed at once with
    // code 1013 (try again later) and a reason saying why.
    size_t max_websockets_per_client { 64 };
    // Threads running the Gateway. One for the single-user server (its one SQLite journal takes
    // one write at a time anyway); clinic mode runs several (`serve --workers`, docs/clinic.md).
    size_t workers { 1 };
};

class HttpServer {
public:
    // Binds and listens (so port() is known) but serves nothing until run().
    static Result<std::unique_ptr<HttpServer>> create(ServerOptions options, Gateway& gateway, WsRoutes routes);
    ~HttpServer();

    uint16_t port() const;
    // Blocks until stop() is called or a signal arrives (with StopOnSignal).
    void run();
    // Thread-safe.
    void stop();

private:
    struct Impl;
    explicit HttpServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}
