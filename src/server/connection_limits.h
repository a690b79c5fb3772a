// The server's connection limits, free of Boost.Beast (ServerOptions::max_connections and
// max_websockets_per_client): the counts of open connections, a slot that holds one of them for
// as long as its connection lives, and the answers given past a limit. Used on the I/O thread
// only, so nothing here locks.
//
//   ConnectionCounts counts;
//   ConnectionSlot slot(counts);                    // counts.connections == 1
//   if (auto refusal = counts.websocket_refusal(client, 64); refusal.empty())
//       slot.count_websocket(client);               // until the slot is destroyed
#pragma once

#include <cstddef>
#include <map>
#include <string>

namespace rc::server {

struct ConnectionCounts {
    std::size_t connections { 0 };   // HTTP and WebSocket together
    std::map<std::string, std::size_t> websockets_per_client;

    // Why one more WebSocket from `client` is refused, it already having `limit` (the close
    // reason a browser shows), or "" when it may open.
    std::string websocket_refusal(std::string const& client, std::size_t limit) const;
};

// One open connection counted against ServerOptions::max_connections (and, for a WebSocket,
// against its client's max_websockets_per_client) for as long as this lives.
class ConnectionSlot {
public:
    ConnectionSlot() = default;
    explicit ConnectionSlot(ConnectionCounts& counts);
    ConnectionSlot(ConnectionSlot&& other) noexcept;
    ConnectionSlot& operator=(ConnectionSlot&&) = delete;
    ~ConnectionSlot();

    void count_websocket(std::string client);

private:
    ConnectionCounts* m_counts { nullptr };
    std::string m_client;
};

// The whole HTTP/1.1 answer (a 503 with a JSON body, then the connection closes) to a connection
// over ServerOptions::max_connections; the same whatever the request was.
std::string connection_limit_answer(std::size_t limit);

}
