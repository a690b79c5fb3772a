// Whole-server timing on loopback: API latency (p50/p99/max per endpoint, keep-alive
// connection) and cue lateness of a real-time session (when each WebSocket message arrives
// compared with the cue's due time fixed from the session start).
//
//   server_latency [--requests N] [--session-seconds S]
#include "../../tests/unit/server/test_client.h"

#include "common/clock.h"
#include "journal/open_journal.h"
#include "knowledge/loader.h"
#include "server/api.h"
#include "coach/coach.h"
#include "server/gateway.h"
#include "server/http_server.h"
#include "server/live_session.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

using namespace rc;
using namespace rc::server;
using namespace rc::server::test;
using nlohmann::json;
using Steady = std::chrono::steady_clock;

namespace {

struct Percentiles {
    double p50, p99, max;
};

Percentiles percentiles(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    auto at = [&](double q) { return values[std::min(values.size() - 1, static_cast<size_t>(q * static_cast<double>(values.size())))]; };
    return { at(0.50), at(0.99), values.back() };
}

std::string keep_alive_request(uint16_t port, std::string const& method, std::string const& target, std::string const& body = {})
{
    std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n";
    if (method == "POST")
        raw += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    return raw + "\r\n" + body;
}

}

int main(int argc, char** argv)
{
    int requests = 2000;
    int session_seconds = 120;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i];
        if (flag == "--requests")
            requests = std::stoi(argv[i + 1]);
        else if (flag == "--session-seconds")
            session_seconds = std::stoi(argv[i + 1]);
    }

    auto dir = std::filesystem::temp_directory_path() / fmt::format("rc-server-bench-{}", ::getpid());
    std::filesystem::create_directories(dir);
    auto kb = kb::load_knowledge_base(std::filesystem::path(ROLLCOACH_SOURCE_DIR) / "data" / "knowledge");
    if (!kb) {
        fmt::print(stderr, "{}\n", kb.error().full_message());
        return 1;
    }
    auto journal = journal::open_journal(dir / "journal.db", journal::Purpose::Write);
    if (!journal) {
        fmt::print(stderr, "{}\n", journal.error().message);
        return 1;
    }
    SystemClock clock;
    Coach coach(*kb, std::move(*journal), clock);
    Api api({ *kb, &coach });
    auto policy = AccessPolicy::for_host("127.0.0.1", std::nullopt);
    Gateway gateway(*policy, StaticFiles(dir), api, { "/ws/session" });
    ServerOptions options;
    options.port = 0;
    options.signals = SignalHandling::Ignore;
    auto server = HttpServer::create(options, gateway, { { "/ws/session", live_session_factory(coach, 1.0) } });
    if (!server) {
        fmt::print(stderr, "{}\n", server.error().message);
        return 1;
    }
    std::thread runner([&] { (*server)->run(); });
    uint16_t port = (*server)->port();

    // A proceed screening, so /api/plan and the session have something to work on.
    auto questions = json::parse(request(port, "GET", "/api/screening")->body);
    json answers = json::object();
    for (auto const& q : questions["questions"])
        answers[q["id"].get<std::string>()] = q["type"] == "number" ? json(40) : json("no");
    request(port, "POST", "/api/screening", json { { "answers", answers } }.dump());

    fmt::print("API latency on loopback, one keep-alive connection, {} requests each (ms)\n", requests);
    fmt::print("| endpoint | p50 | p99 | max |\n|---|---|---|---|\n");
    for (auto const* target : { "/api/health", "/api/kb/zones", "/api/kb/explain/no_lumbar", "/api/status", "/api/plan", "/api/stats" }) {
        Socket socket(port);
        std::vector<double> samples;
        for (int i = 0; i < requests; ++i) {
            auto begin = Steady::now();
            socket.send_all(keep_alive_request(port, "GET", target));
            auto reply = read_reply(socket);
            auto end = Steady::now();
            if (!reply || reply->status != 200) {
                fmt::print(stderr, "{} failed\n", target);
                return 1;
            }
            samples.push_back(std::chrono::duration<double, std::milli>(end - begin).count());
        }
        auto p = percentiles(samples);
        fmt::print("| GET {} | {:.3f} | {:.3f} | {:.3f} |\n", target, p.p50, p.p99, p.max);
    }

    // Cue lateness: a real-time session (speed 1). The due time of each message is the session
    // start (when "started" arrived) plus the at_ms of its first cue.
    Socket ws(port);
    if (ws_handshake(ws, "/ws/session") != 101)
        return 1;
    ws.send_all(ws_frame(R"({"type": "start"})"));
    auto started = ws_read(ws);
    auto start = Steady::now();
    if (!started)
        return 1;
    std::vector<double> client_late;
    std::vector<double> server_late;
    auto deadline = start + std::chrono::seconds(session_seconds);
    while (Steady::now() < deadline) {
        auto message = ws_read(ws);
        auto arrived = Steady::now();
        if (!message)
            break;
        auto j = json::parse(message->payload);
        if (j["cues"].empty())
            continue;
        auto due = start + std::chrono::milliseconds(j["cues"][0]["at_ms"].get<long long>());
        client_late.push_back(std::chrono::duration<double, std::milli>(arrived - due).count());
        if (j.contains("late_ms"))
            server_late.push_back(j["late_ms"].get<double>());
        if (j["type"] == "ended")
            break;
    }
    auto c = percentiles(client_late);
    auto s = percentiles(server_late);
    fmt::print("\nCue delivery, real-time session, {} messages over {:.0f} s (ms after the due time)\n", client_late.size(),
        std::chrono::duration<double>(Steady::now() - start).count());
    fmt::print("| measured at | p50 | p99 | max |\n|---|---|---|---|\n");
    fmt::print("| browser side (arrival - due, includes the start offset) | {:.3f} | {:.3f} | {:.3f} |\n", c.p50, c.p99, c.max);
    fmt::print("| server timer (fired - due) | {:.3f} | {:.3f} | {:.3f} |\n", s.p50, s.p99, s.max);

    (*server)->stop();
    runner.join();
    std::filesystem::remove_all(dir);
    return 0;
}
