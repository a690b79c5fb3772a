// The server end to end on an ephemeral loopback port: the real knowledge base, a temporary
// journal and a temporary front-end folder, driven byte by byte by test_client.h.
#include "server_thread.h"
#include "test_client.h"

#include "common/clock.h"
#include "journal/open_journal.h"
#include "knowledge/loader.h"
#include "knowledge/zone_names.h"
#include "server/api.h"
#include "coach/coach.h"
#include "server/gateway.h"
#include "server/http_server.h"
#include "server/live_session.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <fmt/core.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <thread>

namespace rc::server {

using nlohmann::json;
using namespace rc::server::test;

class ServerTest : public ::testing::Test {
protected:
    void start(std::optional<std::string> token)
    {
        m_dir = std::filesystem::temp_directory_path() / ("rc-server-test-" + std::to_string(::getpid()) + "-" + std::to_string(s_counter++));
        std::filesystem::create_directories(m_dir / "web");
        std::ofstream(m_dir / "web" / "index.html") << "<!doctype html><title>rollcoach</title>";
        std::ofstream(m_dir / "secret.txt") << "TOP-SECRET-CONTENT";

        auto kb = kb::load_knowledge_base(std::filesystem::path(ROLLCOACH_SOURCE_DIR) / "data" / "knowledge");
        ASSERT_TRUE(kb) << kb.error().full_message();
        m_kb = std::make_unique<kb::KnowledgeBase>(std::move(*kb));
        auto journal = journal::open_journal(m_dir / "journal.db", journal::Purpose::Write);
        ASSERT_TRUE(journal) << journal.error().message;
        m_coach = std::make_unique<Coach>(*m_kb, std::move(*journal), m_clock);
        ::setenv("XDG_CACHE_HOME", (m_dir / "cache").c_str(), 1);   // the voice cache
        m_api = std::make_unique<Api>(ApiServices { *m_kb, m_coach.get(), VoiceOptions {} });
        auto policy = AccessPolicy::for_host(token ? "0.0.0.0" : "127.0.0.1", token);
        ASSERT_TRUE(policy);
        m_gateway = std::make_unique<Gateway>(*policy, StaticFiles(m_dir / "web"), *m_api, std::set<std::string> { "/ws/session" });
        ServerOptions options;
        options.port = 0;
        options.body_limit = 64 * 1024;
        options.websocket_message_limit = 4096;
        options.signals = SignalHandling::Ignore;
        auto server = ServerThread::start(options, *m_gateway, { { "/ws/session", live_session_factory(*m_coach, 200.0) } });
        ASSERT_TRUE(server) << server.error().message;
        m_server = std::move(*server);
        m_port = m_server->port();
    }

    void TearDown() override
    {
        m_server.reset();
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }

    std::string all_clear_answers() { return test::all_clear_answers(m_port); }

    bool server_still_answers()
    {
        auto reply = request(m_port, "GET", "/api/health");
        return reply && reply->status == 200;
    }

    static inline int s_counter = 0;
    std::filesystem::path m_dir;
    FakeClock m_clock;
    std::unique_ptr<kb::KnowledgeBase> m_kb;
    std::unique_ptr<Coach> m_coach;
    std::unique_ptr<Api> m_api;
    std::unique_ptr<Gateway> m_gateway;
    std::unique_ptr<ServerThread> m_server;
    uint16_t m_port { 0 };
};

TEST_F(ServerTest, AnswersTheApiWithStrictSecurityHeaders)
{
    start(std::nullopt);
    auto reply = request(m_port, "GET", "/api/health");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(json::parse(reply->body)["ok"], true);
    auto csp = reply->headers["content-security-policy"];
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos);
    EXPECT_NE(csp.find("connect-src 'self'"), std::string::npos);
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(reply->headers["x-content-type-options"], "nosniff");
}

TEST_F(ServerTest, ServesTheKnowledgeBaseAndItsExplanations)
{
    start(std::nullopt);
    auto zones = request(m_port, "GET", "/api/kb/zones");
    ASSERT_TRUE(zones);
    EXPECT_EQ(zones->status, 200);
    bool lumbar_is_no_go = false;
    for (auto const& zone : json::parse(zones->body))
        lumbar_is_no_go |= zone["id"] == "lumbar_spine" && zone["status"] == "no-go";
    EXPECT_TRUE(lumbar_is_no_go);
    // Each zone carries the name a person is shown, by the core's one rule (kb::plain_name), so
    // the page never works it out itself; /api/kb and /api/kb/zones give the same.
    auto whole = request(m_port, "GET", "/api/kb");
    ASSERT_TRUE(whole);
    for (auto const& list : { json::parse(zones->body), json::parse(whole->body)["zones"] }) {
        ASSERT_FALSE(list.empty());
        for (auto const& zone : list) {
            ASSERT_TRUE(zone.contains("plain_name") && zone["plain_name"].is_string()) << zone.dump();
            EXPECT_EQ(zone["plain_name"], std::string(rc::kb::plain_name(zone["name"].get<std::string>()))) << zone.dump();
        }
        auto thoracic = std::find_if(list.begin(), list.end(), [](json const& z) { return z["id"] == "thoracic_spine"; });
        ASSERT_NE(thoracic, list.end());
        EXPECT_EQ((*thoracic)["plain_name"], "Upper and mid back");
    }
    auto explain = request(m_port, "GET", "/api/kb/explain/thoracic_roll");
    ASSERT_TRUE(explain);
    EXPECT_EQ(explain->status, 200);
    EXPECT_FALSE(json::parse(explain->body)["sources"].empty());
    EXPECT_EQ(request(m_port, "GET", "/api/kb/explain/no_such_thing")->status, 404);
    // An unknown id is repeated back as a short excerpt, not in full.
    auto long_id = request(m_port, "GET", "/api/kb/explain/" + std::string(4000, 'x'));
    ASSERT_TRUE(long_id);
    EXPECT_EQ(long_id->status, 404);
    EXPECT_LT(long_id->body.size(), 300u) << long_id->body.substr(0, 200);
}

TEST_F(ServerTest, RefusesEveryRequestWithoutTheTokenWhenOneIsRequired)
{
    start(std::string("test-token-0123456789"));
    EXPECT_EQ(request(m_port, "GET", "/api/health")->status, 401);
    EXPECT_EQ(request(m_port, "GET", "/")->status, 401);
    EXPECT_EQ(request(m_port, "POST", "/api/screening", "{}")->status, 401);
    EXPECT_EQ(request(m_port, "GET", "/api/health?token=wrong-token-0123456789")->status, 401);

    auto with_token = request(m_port, "GET", "/?token=test-token-0123456789");
    ASSERT_TRUE(with_token);
    EXPECT_EQ(with_token->status, 200);
    EXPECT_NE(with_token->headers["set-cookie"].find("rc_token=test-token-0123456789"), std::string::npos);
    EXPECT_EQ(request(m_port, "GET", "/api/health", "", "Cookie: rc_token=test-token-0123456789\r\n")->status, 200);
    EXPECT_EQ(request(m_port, "GET", "/api/health", "", "Authorization: Bearer test-token-0123456789\r\n")->status, 200);

    Socket ws(m_port);
    EXPECT_EQ(ws_handshake(ws, "/ws/session"), 401);
    Socket ws_ok(m_port);
    EXPECT_EQ(ws_handshake(ws_ok, "/ws/session?token=test-token-0123456789"), 101);
}

TEST_F(ServerTest, RefusesPathTraversalInEveryEncoding)
{
    start(std::nullopt);
    for (auto const* target : { "/../secret.txt", "/%2e%2e/secret.txt", "/assets/%2E%2E/%2e%2e/secret.txt", "/..%2fsecret.txt" }) {
        auto reply = request(m_port, "GET", target);
        ASSERT_TRUE(reply) << target;
        EXPECT_TRUE(reply->status == 403 || reply->status == 400) << target << " gave " << reply->status;
        EXPECT_EQ(reply->body.find("TOP-SECRET-CONTENT"), std::string::npos) << target;
    }
    EXPECT_EQ(request(m_port, "GET", "/")->status, 200);
}

TEST_F(ServerTest, RefusesAnOversizedBodyAndKeepsRunning)
{
    start(std::nullopt);
    auto reply = request(m_port, "POST", "/api/profile", std::string(100 * 1024, 'x'));
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 413);
    EXPECT_TRUE(server_still_answers());
}

TEST_F(ServerTest, AnswersMalformedJsonAndMalformedHttpWithA4xx)
{
    start(std::nullopt);
    auto bad_json = request(m_port, "POST", "/api/profile", "{\"experience\": ");
    ASSERT_TRUE(bad_json);
    EXPECT_EQ(bad_json->status, 400);
    EXPECT_EQ(json::parse(bad_json->body)["error"]["code"], "invalid_argument");

    auto bad_answers = request(m_port, "POST", "/api/screening", R"({"answers": {"not_a_question": "yes"}})");
    ASSERT_TRUE(bad_answers);
    EXPECT_GE(bad_answers->status, 400);
    EXPECT_LT(bad_answers->status, 500);

    Socket garbage(m_port);
    ASSERT_TRUE(garbage.send_all("THIS IS NOT HTTP\r\n\r\n"));
    auto reply = read_reply(garbage);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 400);
    EXPECT_TRUE(server_still_answers());
}

TEST_F(ServerTest, RefusesAPlanBeforeTheScreeningAndAfterAStopTier)
{
    start(std::nullopt);
    EXPECT_EQ(request(m_port, "GET", "/api/plan")->status, 409);
    json stop = json::parse(all_clear_answers());
    stop["answers"]["saddle_numbness"] = "yes";
    auto verdict = request(m_port, "POST", "/api/screening", stop.dump());
    ASSERT_TRUE(verdict);
    ASSERT_EQ(verdict->status, 200) << verdict->body;
    EXPECT_EQ(json::parse(verdict->body)["tier"], "emergency");
    EXPECT_EQ(request(m_port, "GET", "/api/plan")->status, 409);
}

TEST_F(ServerTest, RunsAWholeAcceleratedSessionOverTheWebSocketAndRecordsIt)
{
    start(std::nullopt);
    auto verdict = request(m_port, "POST", "/api/screening", all_clear_answers());
    ASSERT_TRUE(verdict);
    ASSERT_EQ(verdict->status, 200) << verdict->body;
    ASSERT_EQ(json::parse(verdict->body)["tier"], "proceed") << verdict->body;
    ASSERT_EQ(request(m_port, "GET", "/api/plan")->status, 200);

    Socket ws(m_port);
    ASSERT_EQ(ws_handshake(ws, "/ws/session"), 101);
    ASSERT_TRUE(ws.send_all(ws_frame(R"({"type": "start", "pain_before": 4})")));
    auto started = ws_read(ws);
    ASSERT_TRUE(started);
    auto first = json::parse(started->payload);
    ASSERT_EQ(first["type"], "started") << started->payload;
    EXPECT_EQ(first["speed"], 200.0);
    EXPECT_FALSE(first["speech"].empty());

    // At 200x a five-minute session ends in about 1.5 s; bounded by the socket timeout.
    int updates = 0;
    json last;
    for (;;) {
        auto message = ws_read(ws);
        ASSERT_TRUE(message) << "no message after " << updates << " updates";
        last = json::parse(message->payload);
        if (last["type"] == "ended")
            break;
        ASSERT_EQ(last["type"], "update");
        ++updates;
    }
    EXPECT_GT(updates, 5);
    EXPECT_EQ(last["summary"]["end_reason"], "completed");

    ASSERT_TRUE(ws.send_all(ws_frame(R"({"type": "finish", "pain_after": 2})")));
    auto saved = ws_read(ws);
    ASSERT_TRUE(saved);
    auto saved_json = json::parse(saved->payload);
    EXPECT_EQ(saved_json["type"], "saved");

    auto stats = request(m_port, "GET", "/api/stats");
    ASSERT_TRUE(stats);
    ASSERT_EQ(stats->status, 200) << stats->body;
    auto stats_json = json::parse(stats->body);
    EXPECT_EQ(stats_json["total_sessions"], 1);
    EXPECT_EQ(stats_json["pain"]["sessions"][0]["before"], 4);
    EXPECT_EQ(stats_json["pain"]["sessions"][0]["after"], 2);
    EXPECT_FALSE(stats_json["minutes_per_zone"].empty());
}

TEST_F(ServerTest, ASessionWhoseSocketDropsIsResumedOnANewConnectionAndRecordedOnce)
{
    start(std::nullopt);
    ASSERT_EQ(request(m_port, "POST", "/api/screening", all_clear_answers())->status, 200);
    std::string key;
    long long seq = 0;
    {
        Socket ws(m_port);
        ASSERT_EQ(ws_handshake(ws, "/ws/session"), 101);
        ASSERT_TRUE(ws.send_all(ws_frame(R"({"type": "start", "pain_before": 3})")));
        auto started = json::parse(ws_read(ws)->payload);
        ASSERT_EQ(started["type"], "started");
        key = started["session_key"];
        seq = started["seq"];
        auto update = ws_read(ws);
        ASSERT_TRUE(update);
        seq = json::parse(update->payload)["seq"];
    }   // the socket closes without a close frame, as a phone that lost its network
    Socket again(m_port);
    ASSERT_EQ(ws_handshake(again, "/ws/session"), 101);
    ASSERT_TRUE(again.send_all(ws_frame(fmt::format(R"({{"type": "resume", "session_key": "{}", "last_seq": {}}})", key, seq))));
    auto resumed = json::parse(ws_read(again)->payload);
    ASSERT_EQ(resumed["type"], "resumed") << resumed.dump();
    EXPECT_TRUE(resumed["snapshot"]["paused"].get<bool>());
    EXPECT_GT(resumed["seq"].get<long long>(), seq);
    ASSERT_TRUE(again.send_all(ws_frame(R"({"type": "event", "event": {"type": "resume"}})")));
    for (;;) {
        auto message = ws_read(again);
        ASSERT_TRUE(message);
        if (json::parse(message->payload)["type"] == "ended")
            break;
    }
    ASSERT_TRUE(again.send_all(ws_frame(R"({"type": "finish", "pain_after": 2})")));
    EXPECT_EQ(json::parse(ws_read(again)->payload)["type"], "saved");
    auto stats = json::parse(request(m_port, "GET", "/api/stats")->body);
    EXPECT_EQ(stats["total_sessions"], 1);
    EXPECT_EQ(stats["pain"]["sessions"][0]["before"], 3);
    EXPECT_EQ(stats["pain"]["sessions"][0]["after"], 2);
}

TEST_F(ServerTest, StopsASessionAtOnceOnNumbness)
{
    start(std::nullopt);
    ASSERT_EQ(request(m_port, "POST", "/api/screening", all_clear_answers())->status, 200);
    Socket ws(m_port);
    ASSERT_EQ(ws_handshake(ws, "/ws/session"), 101);
    ASSERT_TRUE(ws.send_all(ws_frame(R"({"type": "start"})")));
    ASSERT_EQ(json::parse(ws_read(ws)->payload)["type"], "started");
    ASSERT_TRUE(ws.send_all(ws_frame(R"({"type": "event", "event": {"type": "safety", "event": "numbness_one_leg"}})")));
    for (;;) {
        auto message = ws_read(ws);
        ASSERT_TRUE(message);
        auto j = json::parse(message->payload);
        if (j["type"] != "ended")
            continue;
        EXPECT_EQ(j["summary"]["end_reason"], "safety_stop");
        bool has_stop_cue = false;
        for (auto const& cue : j["cues"])
            has_stop_cue |= cue["kind"] == "stop";
        EXPECT_TRUE(has_stop_cue);
        break;
    }
}

TEST_F(ServerTest, AnswersMalformedWebSocketMessagesAndKeepsTheConnection)
{
    start(std::nullopt);
    Socket ws(m_port);
    ASSERT_EQ(ws_handshake(ws, "/ws/session"), 101);
    ASSERT_TRUE(ws.send_all(ws_frame("{not json")));
    auto reply = ws_read(ws);
    ASSERT_TRUE(reply);
    EXPECT_EQ(json::parse(reply->payload)["type"], "error");
    ASSERT_TRUE(ws.send_all(ws_frame(R"({"type": "event", "event": {"type": "pain", "rating": 99}})")));
    EXPECT_EQ(json::parse(ws_read(ws)->payload)["type"], "error");
    // A binary message is a camera frame: a bad one is dropped and counted, not answered (issue
    // 14), so the next answer is the one to "dance".
    ASSERT_TRUE(ws.send_all(ws_frame("\x01\x02", 0x2)));
    ASSERT_TRUE(ws.send_all(ws_frame(R"({"type": "dance"})")));
    auto dance = json::parse(ws_read(ws)->payload);
    EXPECT_EQ(dance["type"], "error");
    EXPECT_NE(dance["message"].get<std::string>().find("dance"), std::string::npos) << dance.dump();
}

TEST_F(ServerTest, ClosesAWebSocketOnAnOversizedOrUnmaskedFrameAndKeepsRunning)
{
    start(std::nullopt);
    {
        Socket ws(m_port);
        ASSERT_EQ(ws_handshake(ws, "/ws/session"), 101);
        ASSERT_TRUE(ws.send_all(ws_frame(std::string(10000, 'x'))));
        auto close = ws_read(ws);
        ASSERT_TRUE(close);
        EXPECT_EQ(close->opcode, 0x8);
        ASSERT_GE(close->payload.size(), 2u);
        EXPECT_EQ((static_cast<uint8_t>(close->payload[0]) << 8) | static_cast<uint8_t>(close->payload[1]), 1009);
    }
    {
        Socket ws(m_port);
        ASSERT_EQ(ws_handshake(ws, "/ws/session"), 101);
        ASSERT_TRUE(ws.send_all(ws_frame(R"({"type": "start"})", 0x1, false)));   // clients must mask
        // Beast answers a protocol violation with a close frame (or just drops the connection).
        auto close = ws_read(ws);
        if (close) {
            EXPECT_EQ(close->opcode, 0x8);
        }
    }
    EXPECT_TRUE(server_still_answers());
    Socket unknown(m_port);
    EXPECT_EQ(ws_handshake(unknown, "/ws/nowhere"), 404);
}

TEST_F(ServerTest, RefusesRequestsAddressedToAForeignHostOrFromAForeignPage)
{
    start(std::nullopt);
    Socket rebinding(m_port);
    ASSERT_TRUE(rebinding.send_all("GET /api/health HTTP/1.1\r\nHost: evil.example:8080\r\nConnection: close\r\n\r\n"));
    EXPECT_EQ(read_reply(rebinding)->status, 403);
    EXPECT_EQ(request(m_port, "POST", "/api/profile", "{}", "Origin: http://evil.example\r\n")->status, 403);
    Socket ws(m_port);
    EXPECT_EQ(ws_handshake(ws, "/ws/session", "Origin: http://evil.example\r\n"), 403);
}

}

namespace rc::server {

TEST_F(ServerTest, AnalysesLandmarkFramesDuringASessionAndRefusesMalformedOnes)
{
    start(std::nullopt);
    ASSERT_EQ(request(m_port, "POST", "/api/screening", all_clear_answers())->status, 200);
    Socket ws(m_port);
    ASSERT_EQ(ws_handshake(ws, "/ws/session"), 101);
    ASSERT_TRUE(ws.send_all(ws_frame(R"({"type": "frame", "frame": {"t": 0.0, "landmarks": []}})")));
    EXPECT_EQ(json::parse(ws_read(ws)->payload)["code"], "conflict");   // no session yet

    ASSERT_TRUE(ws.send_all(ws_frame(R"({"type": "start"})")));
    ASSERT_EQ(json::parse(ws_read(ws)->payload)["type"], "started");
    ASSERT_TRUE(ws.send_all(ws_frame(R"({"type": "frame", "frame": {"t": "soon", "landmarks": 7}})")));
    for (;;) {
        auto message = ws_read(ws);
        ASSERT_TRUE(message);
        auto j = json::parse(message->payload);
        if (j["type"] == "update")
            continue;   // cues of the running session
        EXPECT_EQ(j["type"], "error");
        EXPECT_EQ(j["code"], "invalid_argument");
        break;
    }
    // A well-formed frame in which nobody is visible is analysed without complaint.
    json landmarks = json::array();
    for (int i = 0; i < 33; ++i)
        landmarks.push_back(nullptr);
    ASSERT_TRUE(ws.send_all(ws_frame(json { { "type", "frame" }, { "frame", { { "t", 0.5 }, { "landmarks", landmarks } } } }.dump())));
    ASSERT_TRUE(ws.send_all(ws_frame(R"({"type": "event", "event": {"type": "quit"}})")));
    for (;;) {
        auto message = ws_read(ws);
        ASSERT_TRUE(message);
        auto j = json::parse(message->payload);
        EXPECT_NE(j["type"], "error") << message->payload;
        if (j["type"] == "ended")
            break;
    }
}

}

namespace rc::server {

TEST_F(ServerTest, SpeaksACueAsAWavFileAndRefusesEmptyOrLongTexts)
{
    start(std::nullopt);
    auto wav = request(m_port, "GET", "/api/voice?text=Switch%20sides.");
    ASSERT_TRUE(wav);
    ASSERT_EQ(wav->status, 200) << wav->body;
    EXPECT_EQ(wav->headers["content-type"], "audio/wav");
    EXPECT_EQ(wav->body.substr(0, 4), "RIFF");
    EXPECT_GT(wav->body.size(), 8000u);   // more than a fraction of a second of audio
    EXPECT_EQ(request(m_port, "GET", "/api/voice")->status, 400);
    EXPECT_EQ(request(m_port, "GET", "/api/voice?text=" + std::string(500, 'a'))->status, 400);
}

}
