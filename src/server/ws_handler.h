// What a WebSocket endpoint does, free of Boost.Beast. The Beast translation unit owns the
// socket and one asio steady_timer per connection; the handler only turns messages and timer
// wake-ups into outgoing messages and the next time it wants to be woken. All calls for one
// connection come from the server's I/O thread, one at a time.
//
// Slow work (the journal) goes off that thread through WsOutput::offload: the server runs it on a
// worker thread, then runs what it returns on the I/O thread and sends that output. Meanwhile
// the connection reads no further message and its timer's wake-up waits, so the handler sees
// its events in order; a connection that closes meanwhile gets on_close after the continuation.
#pragma once

#include "common/clock.h"
#include "server/http_types.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rc::server {

struct WsOutput;
// Runs on a worker thread; the function it returns runs on the I/O thread, on the live handler.
using WsContinuation = std::function<WsOutput(MonoTime now)>;
using WsOffload = std::function<WsContinuation()>;

struct WsOutput {
    std::vector<std::string> messages;   // text frames to send, in order
    std::optional<MonoTime> wake_at;     // when to call on_timer next (replaces any earlier wake-up)
    bool close { false };                // close the connection after sending
    WsOffload offload;                   // work for a worker thread (see above), after the messages
};

class WsHandler {
public:
    virtual ~WsHandler() = default;
    virtual WsOutput on_open(MonoTime now) = 0;
    virtual WsOutput on_text(std::string const& text, MonoTime now) = 0;
    // A binary message. An endpoint that takes none keeps this default: one error answer.
    virtual WsOutput on_binary(std::span<std::uint8_t const> bytes, MonoTime now)
    {
        (void)bytes;
        (void)now;
        return { { R"({"type":"error","code":"invalid_argument","message":"send JSON text messages, not binary ones"})" }, {}, false, {} };
    }
    virtual WsOutput on_timer(MonoTime now) = 0;
    // The peer went away (or the server is stopping): record what must be recorded.
    virtual void on_close(MonoTime now) = 0;
};

// Posts work to the server's worker threads; the callback runs later, on a worker. LiveSession
// writes the record of a connection that closed with it (no answer is due). A factory given no
// poster (tests driving a handler directly) gets a handler that does its journal work inline
// and never returns an offload.
using BackgroundPoster = std::function<void(std::function<void()>)>;

// One factory per WebSocket path ("/ws/session"), called for each accepted connection.
using WsHandlerFactory = std::function<std::unique_ptr<WsHandler>(HttpRequest const& request, BackgroundPoster background)>;
using WsRoutes = std::map<std::string, WsHandlerFactory>;

}
