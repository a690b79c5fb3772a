// The real HttpServer on an ephemeral loopback port, run on its own thread for a test, and the
// screening answers every server test needs before it can start a session.
//
//   auto server = ServerThread::start(options, gateway, routes);   // ASSERT_TRUE(server)
//   request(server->port(), "GET", "/api/health");
//   // stopped and joined when `server` goes
#pragma once

#include "server/http_server.h"
#include "test_client.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

namespace rc::server::test {

class ServerThread {
public:
    static Result<std::unique_ptr<ServerThread>> start(ServerOptions options, Gateway& gateway, WsRoutes routes = {})
    {
        auto server = TRY(HttpServer::create(options, gateway, std::move(routes)));
        return std::unique_ptr<ServerThread>(new ServerThread(std::move(server)));
    }
    ~ServerThread()
    {
        m_server->stop();
        m_thread.join();
    }
    ServerThread(ServerThread const&) = delete;
    ServerThread& operator=(ServerThread const&) = delete;

    uint16_t port() const { return m_port; }

private:
    explicit ServerThread(std::unique_ptr<HttpServer> server)
        : m_server(std::move(server))
        , m_port(m_server->port())
        , m_thread([this] { m_server->run(); })
    {
    }

    std::unique_ptr<HttpServer> m_server;
    uint16_t m_port;
    std::thread m_thread;
};

// Every screening question answered "no" (age 40): a proceed verdict, so a session can start.
inline std::string all_clear_answers(uint16_t port)
{
    auto questions = request(port, "GET", "/api/screening");
    if (!questions || questions->status != 200)
        return "{}";
    nlohmann::json answers = nlohmann::json::object();
    nlohmann::json const document = nlohmann::json::parse(questions->body);
    for (auto const& q : document["questions"]) {
        if (q["type"] == "number")
            answers[q["id"].get<std::string>()] = 40;
        else if (q["type"] == "yes_no")
            answers[q["id"].get<std::string>()] = "no";
        else
            answers[q["id"].get<std::string>()] = q["choices"][0]["id"];
    }
    return nlohmann::json { { "answers", answers } }.dump();
}

}
