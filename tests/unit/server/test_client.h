// A deliberately dumb HTTP/1.1 and WebSocket client over POSIX sockets, for testing the server
// with exactly the bytes we choose (malformed requests and frames included) without Beast.
#pragma once

#include <arpa/inet.h>
#include <cstdint>
#include <cstring>
#include <map>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <vector>

namespace rc::server::test {

// How long a read or write may wait. ThreadSanitizer (make tsan) slows the server five to
// fifteen times, and a 5 MB export is not ready within the usual 5 s; no test relies on a read
// timing out, so a longer wait only slows a failing test down.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ROLLCOACH_TEST_UNDER_TSAN 1   // clang's spelling; GCC defines __SANITIZE_THREAD__
#endif
#endif
#if defined(__SANITIZE_THREAD__) || defined(ROLLCOACH_TEST_UNDER_TSAN)
inline constexpr timeval socket_timeout { 60, 0 };
#else
inline constexpr timeval socket_timeout { 5, 0 };
#endif

class Socket {
public:
    explicit Socket(uint16_t port)
        : m_port(port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &socket_timeout, sizeof socket_timeout);
        setsockopt(m_fd, SOL_SOCKET, SO_SNDTIMEO, &socket_timeout, sizeof socket_timeout);
        int one = 1;
        setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    }
    ~Socket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Socket(Socket const&) = delete;
    Socket& operator=(Socket const&) = delete;

    bool connected() const { return m_connected; }
    uint16_t port() const { return m_port; }

    bool send_all(std::string const& data)
    {
        size_t sent = 0;
        while (sent < data.size()) {
            ssize_t n = ::send(m_fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            sent += static_cast<size_t>(n);
        }
        return true;
    }

    // Reads until `n` bytes are buffered; false on close or timeout.
    bool fill(size_t n)
    {
        while (m_buffer.size() < n) {
            char chunk[65536];
            ssize_t got = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (got <= 0)
                return false;
            m_buffer.append(chunk, static_cast<size_t>(got));
        }
        return true;
    }

    std::optional<std::string> read_until(std::string const& delimiter)
    {
        for (;;) {
            auto at = m_buffer.find(delimiter);
            if (at != std::string::npos) {
                auto out = m_buffer.substr(0, at + delimiter.size());
                m_buffer.erase(0, at + delimiter.size());
                return out;
            }
            if (!fill(m_buffer.size() + 1))
                return std::nullopt;
        }
    }

    std::string take(size_t n)
    {
        auto out = m_buffer.substr(0, n);
        m_buffer.erase(0, n);
        return out;
    }

    // True when the peer closed the connection (reads return 0) within the timeout.
    bool closed_by_peer()
    {
        for (;;) {
            char chunk[4096];
            ssize_t got = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (got == 0)
                return true;
            if (got < 0)
                return errno == ECONNRESET;
        }
    }

private:
    int m_fd { -1 };
    uint16_t m_port { 0 };
    bool m_connected { false };
    std::string m_buffer;
};

struct Reply {
    int status { 0 };
    std::map<std::string, std::string> headers;   // lower-case names
    std::string body;
};

inline std::string lower(std::string text)
{
    for (auto& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

inline std::optional<Reply> read_reply(Socket& socket)
{
    auto head = socket.read_until("\r\n\r\n");
    if (!head)
        return std::nullopt;
    Reply reply;
    reply.status = std::stoi(head->substr(9, 3));
    size_t pos = head->find("\r\n") + 2;
    while (pos < head->size() - 2) {
        auto end = head->find("\r\n", pos);
        auto line = head->substr(pos, end - pos);
        auto colon = line.find(':');
        if (colon != std::string::npos)
            reply.headers[lower(line.substr(0, colon))] = line.substr(line.find_first_not_of(' ', colon + 1));
        pos = end + 2;
    }
    if (auto it = reply.headers.find("content-length"); it != reply.headers.end()) {
        size_t length = std::stoul(it->second);
        if (!socket.fill(length))
            return std::nullopt;
        reply.body = socket.take(length);
    }
    return reply;
}

// One request on a fresh connection. `extra` is added verbatim (each header ending in \r\n).
inline std::optional<Reply> request(uint16_t port, std::string const& method, std::string const& target,
    std::string const& body = {}, std::string const& extra = {})
{
    Socket socket(port);
    if (!socket.connected())
        return std::nullopt;
    std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\nConnection: close\r\n" + extra;
    if (!body.empty() || method == "POST")
        raw += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    raw += "\r\n" + body;
    if (!socket.send_all(raw))
        return std::nullopt;
    return read_reply(socket);
}

// A client WebSocket frame (masked, as RFC 6455 requires of clients unless `masked` is false).
inline std::string ws_frame(std::string const& payload, uint8_t opcode = 0x1, bool masked = true)
{
    std::string frame;
    frame.push_back(static_cast<char>(0x80 | opcode));
    uint8_t mask_bit = masked ? 0x80 : 0;
    if (payload.size() < 126) {
        frame.push_back(static_cast<char>(mask_bit | payload.size()));
    } else if (payload.size() < 65536) {
        frame.push_back(static_cast<char>(mask_bit | 126));
        frame.push_back(static_cast<char>(payload.size() >> 8));
        frame.push_back(static_cast<char>(payload.size() & 0xff));
    } else {
        frame.push_back(static_cast<char>(mask_bit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.push_back(static_cast<char>((static_cast<uint64_t>(payload.size()) >> shift) & 0xff));
    }
    if (!masked)
        return frame + payload;
    uint8_t const mask[4] = { 0x12, 0x34, 0x56, 0x78 };
    for (auto b : mask)
        frame.push_back(static_cast<char>(b));
    for (size_t i = 0; i < payload.size(); ++i)
        frame.push_back(static_cast<char>(payload[i] ^ static_cast<char>(mask[i % 4])));
    return frame;
}

struct WsMessage {
    uint8_t opcode { 0 };
    std::string payload;
};

// One whole message: continuation frames are joined until the FIN bit.
inline std::optional<WsMessage> ws_read(Socket& socket)
{
    WsMessage message;
    bool first = true;
    for (;;) {
        if (!socket.fill(2))
            return std::nullopt;
        auto header = socket.take(2);
        bool fin = (static_cast<uint8_t>(header[0]) & 0x80) != 0;
        if (first)
            message.opcode = static_cast<uint8_t>(header[0]) & 0x0f;
        first = false;
        uint64_t length = static_cast<uint8_t>(header[1]) & 0x7f;
        if (length == 126) {
            if (!socket.fill(2))
                return std::nullopt;
            auto ext = socket.take(2);
            length = (static_cast<uint64_t>(static_cast<uint8_t>(ext[0])) << 8) | static_cast<uint8_t>(ext[1]);
        } else if (length == 127) {
            if (!socket.fill(8))
                return std::nullopt;
            auto ext = socket.take(8);
            length = 0;
            for (char c : ext)
                length = (length << 8) | static_cast<uint8_t>(c);
        }
        if (!socket.fill(length))
            return std::nullopt;
        message.payload += socket.take(length);
        if (fin)
            return message;
    }
}

// Opens a WebSocket; returns the HTTP status of the handshake (101 on success).
inline int ws_handshake(Socket& socket, std::string const& target, std::string const& extra = {})
{
    std::string raw = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(socket.port()) + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + extra + "\r\n";
    if (!socket.send_all(raw))
        return 0;
    auto reply = read_reply(socket);
    return reply ? reply->status : 0;
}

}
