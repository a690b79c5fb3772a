// The only translation unit that includes Boost.Beast (it costs ~40 s and ~0.9 GB to compile):
// keep routing, JSON and session logic out of here.
#include "server/http_server.h"

#include "server/connection_limits.h"
#include "server/guarded_call.h"
#include "server/worker.h"
#include "server/ws_admission.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <csignal>
#include <deque>
#include <utility>
#include <fmt/core.h>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace rc::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr auto read_timeout = std::chrono::seconds(30);

struct Shared {
    net::io_context& io;
    Worker& worker;
    Gateway& gateway;
    WsRoutes const& routes;
    ServerOptions const& options;
    ConnectionCounts counts;   // touched only on the I/O thread
};

Method to_method(http::verb verb)
{
    switch (verb) {
    case http::verb::get: return Method::Get;
    case http::verb::head: return Method::Head;
    case http::verb::post: return Method::Post;
    case http::verb::put: return Method::Put;
    case http::verb::delete_: return Method::Delete;
    default: return Method::Other;
    }
}

HttpRequest to_request(http::request<http::string_body> const& message, uint16_t local_port, std::string const& remote_address)
{
    HttpRequest request;
    request.local_port = local_port;
    request.remote_address = remote_address;
    request.method = to_method(message.method());
    request.target = std::string(message.target());
    for (auto const& field : message) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        auto [it, inserted] = request.headers.emplace(name, std::string(field.value()));
        if (!inserted)
            it->second += (name == "cookie" ? "; " : ", ") + std::string(field.value());
    }
    request.body = message.body();
    return request;
}

template<typename Body>
void apply_headers(http::response<Body>& message, HttpResponse const& response)
{
    message.set(http::field::server, "rollcoach");
    message.set(http::field::content_type, response.content_type);
    for (auto const& [name, value] : response.headers)
        message.insert(name, value);
}

class WsSession : public std::enable_shared_from_this<WsSession> {
public:
    // Without a handler the session is a refusal: the handshake completes, then the socket is
    // closed with `refusal` as the reason (a browser's WebSocket sees it in CloseEvent.reason).
    WsSession(tcp::socket&& socket, Shared& shared, ConnectionSlot slot, std::unique_ptr<WsHandler> handler,
        std::string refusal = {})
        : m_ws(std::move(socket))
        , m_timer(m_ws.get_executor())
        , m_shared(shared)
        , m_slot(std::move(slot))
        , m_handler(std::move(handler))
        , m_refusal(std::move(refusal))
    {
    }

    ~WsSession()
    {
        // A server stopping: the workers have run every offload, but the I/O context that would
        // have delivered its continuation is gone. Run it here, so on_close knows what was done.
        if (m_offloading)
            take_continuation();
        if (m_close_after_offload && m_handler)
            guarded("a WebSocket closing", [&] { m_handler->on_close(std::chrono::steady_clock::now()); }, [] { });
        finish();
    }

    void run(http::request<http::string_body> upgrade)
    {
        m_ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        m_ws.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
            response.set(http::field::server, "rollcoach");
        }));
        m_ws.read_message_max(m_shared.options.websocket_message_limit);
        m_ws.async_accept(upgrade, beast::bind_front_handler(&WsSession::on_accept, shared_from_this()));
    }

private:
    void on_accept(beast::error_code ec)
    {
        if (ec)
            return;
        if (!m_handler) {
            m_finished = true;
            m_ws.async_close(websocket::close_reason(websocket::close_code::try_again_later, m_refusal),
                [self = shared_from_this()](beast::error_code) { });
            return;
        }
        apply(guarded("a WebSocket opening", [&] { return m_handler->on_open(std::chrono::steady_clock::now()); }, internal_ws_error));
        read_next();
    }

    void do_read()
    {
        if (m_finished)
            return;
        m_ws.async_read(m_buffer, beast::bind_front_handler(&WsSession::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, size_t)
    {
        if (ec) {
            // Closed by the peer, a protocol violation or a message over the limit: Beast has
            // already answered with the right close code; this connection ends, the server
            // goes on.
            finish();
            return;
        }
        if (m_offloading) {
            // The handler is waiting for its journal work (an offload applied by a timer): this
            // message waits in the buffer, and reading resumes after the continuation.
            m_read_waiting = true;
            return;
        }
        deliver_read();
    }

    void deliver_read()
    {
        if (!m_ws.got_text()) {
            // Binary: camera landmark frames (RCMF) on /ws/session; the handler gates them.
            auto const data = m_buffer.cdata();
            std::span<std::uint8_t const> bytes(static_cast<std::uint8_t const*>(data.data()), data.size());
            apply(guarded("a WebSocket binary message", [&] { return m_handler->on_binary(bytes, std::chrono::steady_clock::now()); }, internal_ws_error));
            m_buffer.consume(m_buffer.size());
            read_next();
            return;
        }
        std::string text = beast::buffers_to_string(m_buffer.data());
        m_buffer.consume(m_buffer.size());
        apply(guarded("a WebSocket message", [&] { return m_handler->on_text(text, std::chrono::steady_clock::now()); }, internal_ws_error));
        read_next();
    }

    // The next message, unless the handler is waiting for an offload (then after it).
    void read_next()
    {
        if (m_offloading)
            m_read_paused = true;
        else
            do_read();
    }

    void offload(WsOffload work)
    {
        m_offloading = true;
        auto executor = m_ws.get_executor();
        m_shared.worker.post([self = shared_from_this(), work = std::move(work), executor]() mutable {
            auto then = guarded("a live session's journal work", [&] { return work(); },
                [] { return WsContinuation([](MonoTime) { return internal_ws_error(); }); });
            {
                std::lock_guard lock(self->m_continuation_mutex);
                self->m_continuation = std::move(then);
            }
            // The session moves to the I/O thread with the news, so it is never destroyed here.
            net::post(executor, [self = std::move(self)] { self->on_offloaded(); });
        });
    }

    // Runs the offload's continuation on the handler (output discarded once the connection is
    // finished); the offload is over.
    std::optional<WsOutput> take_continuation()
    {
        WsContinuation then;
        {
            std::lock_guard lock(m_continuation_mutex);
            then = std::move(m_continuation);
            m_continuation = nullptr;
        }
        m_offloading = false;
        if (!then || !m_handler)
            return std::nullopt;
        return guarded("a live session's journal answer", [&] { return std::optional<WsOutput>(then(std::chrono::steady_clock::now())); },
            [] { return std::optional<WsOutput>(internal_ws_error()); });
    }

    void on_offloaded()
    {
        if (!m_offloading)
            return;
        auto output = take_continuation();
        if (m_finished) {
            // Closed while the work ran: the handler hears of the close only now.
            if (m_close_after_offload && m_handler) {
                m_close_after_offload = false;
                guarded("a WebSocket closing", [&] { m_handler->on_close(std::chrono::steady_clock::now()); }, [] { });
            }
            return;
        }
        if (output)
            apply(std::move(*output));
        if (m_offloading)
            return;   // the continuation asked for more work
        if (m_timer_waiting) {
            m_timer_waiting = false;
            apply(guarded("a WebSocket timer", [&] { return m_handler->on_timer(std::chrono::steady_clock::now()); }, internal_ws_error));
            if (m_offloading)
                return;
        }
        if (m_read_waiting) {
            m_read_waiting = false;
            deliver_read();
        } else if (m_read_paused) {
            m_read_paused = false;
            do_read();
        }
    }

    void apply(WsOutput output)
    {
        for (auto& message : output.messages)
            send(std::move(message));
        if (output.wake_at && !m_finished) {
            ++m_wake_generation;
            m_timer.expires_at(*output.wake_at);
            m_timer.async_wait([self = shared_from_this(), generation = m_wake_generation](beast::error_code ec) {
                self->on_timer(ec, generation);
            });
        }
        if (output.close) {
            m_close_requested = true;
            maybe_close();
        }
        if (output.offload && !m_finished && !m_offloading)
            offload(std::move(output.offload));
    }

    void on_timer(beast::error_code ec, uint64_t generation)
    {
        if (ec || generation != m_wake_generation || m_finished)
            return;
        if (m_offloading) {
            m_timer_waiting = true;
            return;
        }
        apply(guarded("a WebSocket timer", [&] { return m_handler->on_timer(std::chrono::steady_clock::now()); }, internal_ws_error));
    }

    void send(std::string message)
    {
        if (m_finished)
            return;
        m_queue.push_back(std::move(message));
        if (!m_writing)
            do_write();
    }

    void do_write()
    {
        m_writing = true;
        m_ws.text(true);
        m_ws.async_write(net::buffer(m_queue.front()), beast::bind_front_handler(&WsSession::on_write, shared_from_this()));
    }

    void on_write(beast::error_code ec, size_t)
    {
        m_writing = false;
        if (ec) {
            finish();
            return;
        }
        m_queue.pop_front();
        if (!m_queue.empty() && !m_finished)
            do_write();
        else
            maybe_close();
    }

    void maybe_close()
    {
        if (!m_close_requested || m_writing || m_closing || m_finished)
            return;
        m_closing = true;
        m_ws.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) { self->finish(); });
    }

    void finish()
    {
        if (m_finished)
            return;
        m_finished = true;
        beast::error_code ignored;
        m_timer.cancel(ignored);
        if (m_offloading) {
            m_close_after_offload = true;
            return;
        }
        if (m_handler)
            guarded("a WebSocket closing", [&] { m_handler->on_close(std::chrono::steady_clock::now()); }, [] { });
    }

    websocket::stream<beast::tcp_stream> m_ws;
    beast::flat_buffer m_buffer;
    net::steady_timer m_timer;
    Shared& m_shared;
    ConnectionSlot m_slot;
    std::unique_ptr<WsHandler> m_handler;
    std::string m_refusal;
    std::deque<std::string> m_queue;
    uint64_t m_wake_generation { 0 };
    bool m_writing { false };
    bool m_close_requested { false };
    bool m_closing { false };
    bool m_finished { false };
    // An offload is running on a worker; what waits for it.
    bool m_offloading { false };
    bool m_read_paused { false };    // no read is pending: start one after the offload
    bool m_read_waiting { false };   // a message was read: deliver it after the offload
    bool m_timer_waiting { false };  // the timer fired: call on_timer after the offload
    bool m_close_after_offload { false };
    std::mutex m_continuation_mutex;   // the worker hands m_continuation to the I/O thread
    WsContinuation m_continuation;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(tcp::socket&& socket, Shared& shared)
        : m_stream(std::move(socket))
        , m_shared(shared)
        , m_slot(shared.counts)
    {
        beast::error_code ec;
        m_local_port = m_stream.socket().local_endpoint(ec).port();
        auto remote = m_stream.socket().remote_endpoint(ec);
        if (!ec)
            m_remote_address = remote.address().to_string();
    }

    void run() { do_read(); }

private:
    void do_read()
    {
        m_parser.emplace();
        m_parser->body_limit(m_shared.options.body_limit);
        m_parser->header_limit(16 * 1024);
        m_stream.expires_after(read_timeout);
        http::async_read(m_stream, m_buffer, *m_parser, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, size_t)
    {
        if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted
            || ec == net::error::connection_reset || ec == net::error::eof) {
            close();
            return;
        }
        if (ec == http::error::body_limit) {
            send_refusal(413, "payload_too_large",
                fmt::format("the request body is larger than the limit of {} bytes", m_shared.options.body_limit));
            return;
        }
        if (ec == http::error::header_limit) {
            send_refusal(431, "headers_too_large", "the request headers are larger than 16 KiB");
            return;
        }
        if (ec) {
            send_refusal(400, "bad_request", fmt::format("the request is not valid HTTP/1.1 ({})", ec.message()));
            return;
        }

        auto message = m_parser->release();
        if (websocket::is_upgrade(message)) {
            upgrade(std::move(message));
            return;
        }

        HttpRequest request = to_request(message, m_local_port, m_remote_address);
        bool keep_alive = message.keep_alive();
        unsigned version = message.version();
        bool head = message.method() == http::verb::head;
        m_shared.worker.post([self = shared_from_this(), request = std::move(request), keep_alive, version, head]() mutable {
            HttpResponse response = guarded("a request", [&] { return self->m_shared.gateway.handle(std::move(request)); },
                [] { return with_security_headers(internal_error_response()); });
            // The session moves to the I/O thread with its answer, so it is never destroyed here.
            auto executor = self->m_stream.get_executor();
            net::post(executor, [self = std::move(self), response = std::move(response), keep_alive, version, head]() {
                self->write(response, keep_alive, version, head);
            });
        });
    }

    void upgrade(http::request<http::string_body> message)
    {
        HttpRequest request = to_request(message, m_local_port, m_remote_address);
        Worker& worker = m_shared.worker;
        auto admission = admit_websocket_upgrade(m_shared.gateway, m_shared.routes, request,
            [&worker](std::function<void()> work) { worker.post(std::move(work)); });
        if (admission.refusal) {
            write(*admission.refusal, false, message.version(), false);
            return;
        }
        std::unique_ptr<WsHandler> handler = std::move(admission.handler);
        beast::error_code ec;
        std::string client = m_stream.socket().remote_endpoint(ec).address().to_string();
        std::string too_many = m_shared.counts.websocket_refusal(client, m_shared.options.max_websockets_per_client);
        if (!too_many.empty())
            handler.reset();
        else
            m_slot.count_websocket(client);
        m_stream.expires_never();
        std::make_shared<WsSession>(m_stream.release_socket(), m_shared, std::move(m_slot), std::move(handler), std::move(too_many))
            ->run(std::move(message));
    }

    void send_refusal(int status, std::string const& code, std::string const& message)
    {
        write(with_security_headers(error_response(status, code, message)), false, 11, false);
    }

    void write(HttpResponse const& response, bool keep_alive, unsigned version, bool head)
    {
        auto status = static_cast<http::status>(response.status);
        if (!response.file_path.empty()) {
            http::file_body::value_type file;
            beast::error_code ec;
            file.open(response.file_path.c_str(), beast::file_mode::scan, ec);
            if (!ec) {
                http::response<http::file_body> message { status, version };
                apply_headers(message, response);
                message.keep_alive(keep_alive);
                if (head) {
                    message.content_length(file.size());
                    http::response<http::empty_body> header_only { status, version };
                    apply_headers(header_only, response);
                    header_only.keep_alive(keep_alive);
                    header_only.content_length(file.size());
                    send(std::move(header_only));
                    return;
                }
                message.body() = std::move(file);
                message.prepare_payload();
                send_file(std::move(message));
                return;
            }
            write(with_security_headers(error_response(404, "not_found", "the file disappeared while being served")), keep_alive, version, head);
            return;
        }
        http::response<http::string_body> message { status, version };
        apply_headers(message, response);
        message.keep_alive(keep_alive);
        message.body() = head ? std::string() : response.body;
        message.prepare_payload();
        if (head)
            message.content_length(response.body.size());
        send(std::move(message));
    }

    template<typename Body>
    void send(http::response<Body>&& message)
    {
        auto shared_message = std::make_shared<http::response<Body>>(std::move(message));
        bool close_after = shared_message->need_eof();
        m_stream.expires_after(read_timeout);
        http::async_write(m_stream, *shared_message,
            [self = shared_from_this(), shared_message, close_after](beast::error_code ec, size_t) {
                if (ec || close_after) {
                    self->close();
                    return;
                }
                self->do_read();
            });
    }

    // A file goes out a piece at a time through a serializer (Beast reads it in small blocks), so
    // the server never holds more than one block of it whatever its size, and the timeout is
    // "no progress for read_timeout", not "the whole file within read_timeout": a slow client can
    // download a large export, a stalled one is cut.
    void send_file(http::response<http::file_body>&& message)
    {
        auto shared_message = std::make_shared<http::response<http::file_body>>(std::move(message));
        auto serializer = std::make_shared<http::response_serializer<http::file_body>>(*shared_message);
        write_file_piece(std::move(shared_message), std::move(serializer));
    }

    void write_file_piece(std::shared_ptr<http::response<http::file_body>> message,
        std::shared_ptr<http::response_serializer<http::file_body>> serializer)
    {
        m_stream.expires_after(read_timeout);
        auto& next = *serializer;
        http::async_write_some(m_stream, next,
            [self = shared_from_this(), message = std::move(message), serializer = std::move(serializer)](beast::error_code ec, size_t) mutable {
                if (ec) {
                    self->close();
                    return;
                }
                if (!serializer->is_done()) {
                    self->write_file_piece(std::move(message), std::move(serializer));
                    return;
                }
                if (message->need_eof()) {
                    self->close();
                    return;
                }
                self->do_read();
            });
    }

    void close()
    {
        beast::error_code ignored;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    Shared& m_shared;
    ConnectionSlot m_slot;
    uint16_t m_local_port { 0 };
    std::string m_remote_address;   // for the clinic's per-client login limit
};

// Answers a connection over ServerOptions::max_connections with a 503 and closes it, without
// parsing the request (whatever it is, the answer is the same). The request's bytes are read
// and dropped until the client closes (5 s at most), so closing never resets the connection
// before the client has read the answer.
class RefusedConnection : public std::enable_shared_from_this<RefusedConnection> {
public:
    RefusedConnection(tcp::socket&& socket, size_t limit)
        : m_stream(std::move(socket))
        , m_answer(connection_limit_answer(limit))
    {
    }

    void run()
    {
        m_stream.expires_after(std::chrono::seconds(5));
        net::async_write(m_stream, net::buffer(m_answer), [self = shared_from_this()](beast::error_code ec, size_t) {
            if (ec)
                return;
            beast::error_code ignored;
            self->m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
            self->drain();
        });
    }

private:
    void drain()
    {
        m_stream.async_read_some(net::buffer(m_scratch), [self = shared_from_this()](beast::error_code ec, size_t) {
            if (!ec)
                self->drain();
        });
    }

    beast::tcp_stream m_stream;
    std::string m_answer;
    std::array<char, 4096> m_scratch {};
};

class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(net::io_context& io, Shared& shared)
        : m_acceptor(io)
        , m_shared(shared)
    {
    }

    Result<void> listen(tcp::endpoint endpoint)
    {
        beast::error_code ec;
        m_acceptor.open(endpoint.protocol(), ec);
        if (!ec)
            m_acceptor.set_option(net::socket_base::reuse_address(true), ec);
        if (!ec)
            m_acceptor.bind(endpoint, ec);
        if (!ec)
            m_acceptor.listen(net::socket_base::max_listen_connections, ec);
        if (!ec)
            return {};
        // The fix depends on what failed: a port in use, an address that is not this computer's,
        // or a port below 1024 without the right to bind it.
        std::string fix = "is another server using the port? try --port";
        if (ec == boost::system::errc::address_not_available)
            fix = "that address is not one of this computer's: use 127.0.0.1, 0.0.0.0 or an address `ip addr` lists";
        else if (ec == boost::system::errc::permission_denied)
            fix = "ports below 1024 need extra rights: use a port such as 8080";
        return Error::io(fmt::format("could not listen on {}:{}: {} ({})", endpoint.address().to_string(), endpoint.port(), ec.message(), fix));
    }

    uint16_t port() const
    {
        beast::error_code ec;
        return m_acceptor.local_endpoint(ec).port();
    }

    void start() { do_accept(); }

    void close()
    {
        beast::error_code ignored;
        m_acceptor.close(ignored);
    }

private:
    void do_accept()
    {
        m_acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
            if (ec == net::error::operation_aborted || !self->m_acceptor.is_open())
                return;
            if (!ec) {
                socket.set_option(tcp::no_delay(true), ec);
                if (self->m_shared.counts.connections >= self->m_shared.options.max_connections)
                    std::make_shared<RefusedConnection>(std::move(socket), self->m_shared.options.max_connections)->run();
                else
                    std::make_shared<HttpSession>(std::move(socket), self->m_shared)->run();
            }
            self->do_accept();
        });
    }

    tcp::acceptor m_acceptor;
    Shared& m_shared;
};

}

struct HttpServer::Impl {
    ServerOptions options;
    WsRoutes routes;
    std::optional<Worker> worker;
    std::optional<net::io_context> io { std::in_place, 1 };
    std::optional<Shared> shared;
    std::shared_ptr<Listener> listener;
    std::optional<net::signal_set> signals;

    ~Impl()
    {
        if (io)
            io->stop();
        // Finish API work first (it may post answers to the stopped context, harmlessly), then
        // destroy the context: its pending handlers release the sessions, whose on_close runs
        // the last journal writes inline on this thread.
        if (worker)
            worker->stop_and_join();
        signals.reset();
        listener.reset();
        io.reset();
    }
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

HttpServer::~HttpServer() = default;

Result<std::unique_ptr<HttpServer>> HttpServer::create(ServerOptions options, Gateway& gateway, WsRoutes routes)
{
    std::string host = options.host == "localhost" ? "127.0.0.1" : options.host;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    beast::error_code ec;
    auto address = net::ip::make_address(host, ec);
    if (ec)
        return Error::invalid_argument(fmt::format("--host '{}' is not an IP address (use 127.0.0.1, 0.0.0.0 or this machine's address)", options.host));

    auto impl = std::make_unique<Impl>();
    impl->options = std::move(options);
    impl->routes = std::move(routes);
    impl->worker.emplace(impl->options.workers);
    impl->shared.emplace(Shared { *impl->io, *impl->worker, gateway, impl->routes, impl->options, {} });
    impl->listener = std::make_shared<Listener>(*impl->io, *impl->shared);
    if (auto listening = impl->listener->listen(tcp::endpoint(address, impl->options.port)); !listening)
        return listening.error();
    if (impl->options.signals == SignalHandling::StopOnSignal) {
        impl->signals.emplace(*impl->io, SIGINT, SIGTERM);
        impl->signals->async_wait([io = &*impl->io](beast::error_code ec, int) {
            if (!ec)
                io->stop();
        });
    }
    impl->listener->start();
    return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

uint16_t HttpServer::port() const
{
    return m_impl->listener->port();
}

void HttpServer::run()
{
    // The last line of defence: every handler catches its own errors, but should anything
    // still escape one, log it and go on serving everyone else.
    for (;;) {
        try {
            m_impl->io->run();
            return;
        } catch (std::exception const& e) {
            fmt::print(stderr, "rollcoach serve: unexpected error in the I/O loop (the server goes on): {}\n", e.what());
        } catch (...) {
            fmt::print(stderr, "rollcoach serve: unexpected non-standard exception in the I/O loop (the server goes on)\n");
        }
    }
}

void HttpServer::stop()
{
    m_impl->io->stop();
}

}
