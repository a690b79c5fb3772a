#include "server/connection_limits.h"

#include <fmt/core.h>
#include <utility>

namespace rc::server {

std::string ConnectionCounts::websocket_refusal(std::string const& client, std::size_t limit) const
{
    if (auto it = websockets_per_client.find(client); it != websockets_per_client.end() && it->second >= limit)
        return fmt::format("too many live sessions from this device (limit {}); close another rollcoach tab", limit);
    return {};
}

ConnectionSlot::ConnectionSlot(ConnectionCounts& counts)
    : m_counts(&counts)
{
    ++counts.connections;
}

ConnectionSlot::ConnectionSlot(ConnectionSlot&& other) noexcept
    : m_counts(std::exchange(other.m_counts, nullptr))
    , m_client(std::move(other.m_client))
{
}

ConnectionSlot::~ConnectionSlot()
{
    if (!m_counts)
        return;
    --m_counts->connections;
    if (!m_client.empty()) {
        auto it = m_counts->websockets_per_client.find(m_client);
        if (it != m_counts->websockets_per_client.end() && --it->second == 0)
            m_counts->websockets_per_client.erase(it);
    }
}

void ConnectionSlot::count_websocket(std::string client)
{
    if (!m_counts || !m_client.empty())
        return;
    m_client = std::move(client);
    ++m_counts->websockets_per_client[m_client];
}

std::string connection_limit_answer(std::size_t limit)
{
    auto body = fmt::format(R"({{"error":{{"code":"unavailable","message":"the server is at its limit of {} open connections; try again in a moment"}}}})", limit);
    return fmt::format("HTTP/1.1 503 Service Unavailable\r\nServer: rollcoach\r\nContent-Type: application/json\r\n"
                       "Retry-After: 5\r\nConnection: close\r\nCache-Control: no-store\r\nContent-Length: {}\r\n\r\n{}",
        body.size(), body);
}

}
