// The front-ends are adapters over the coach: what one decides or records, the other does too.
#include "../shipped_kb.h"
#include "coach/coach.h"
#include "journal/open_journal.h"
#include "journal/sqlite_journal.h"
#include "knowledge/loader.h"
#include "server/api.h"
#include "server/live_session.h"
#include "triage/verdict_json.h"

#include <cstdlib>
#include <fmt/core.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace rc;
using namespace std::chrono_literals;

namespace {

fs::path const source_dir { ROLLCOACH_SOURCE_DIR };

using rc::test::shipped_kb;

struct Run {
    int status { -1 };
    std::string out;
    std::string err;
};

std::string read_text(fs::path const& file)
{
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Runs the real `rollcoach` binary with the shipped knowledge base.
Run run_cli(fs::path const& dir, std::string const& arguments)
{
    auto command = fmt::format("'{}' --kb '{}' --no-color {} >'{}' 2>'{}' </dev/null", ROLLCOACH_BINARY,
        (source_dir / "data" / "knowledge").string(), arguments, (dir / "out.txt").string(), (dir / "err.txt").string());
    int raw = std::system(command.c_str());
    return { WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_text(dir / "out.txt"), read_text(dir / "err.txt") };
}

class FrontEnds : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / fmt::format("rc-front-ends-{}-{}", ::getpid(), s_counter++);
        fs::create_directories(m_dir);
    }
    void TearDown() override
    {
        std::error_code ignored;
        fs::remove_all(m_dir, ignored);
    }

    // A journal with one all-clear screening taken at a fixed time.
    std::unique_ptr<journal::Journal> screened_journal(fs::path const& file)
    {
        auto journal = journal::open_journal(file, journal::Purpose::Write);
        EXPECT_TRUE(journal) << journal.error().message;
        journal::ScreeningRecord screening;
        screening.taken_at = journal::parse_utc("2026-01-05T07:55:00Z").value();
        screening.tier = "proceed";
        screening.verdict = kb::Verdict {};
        EXPECT_TRUE((*journal)->add_screening(screening));
        return std::move(*journal);
    }

    static inline int s_counter = 0;
    fs::path m_dir;
};

// The script both front-ends follow: a rating before, a hold on a tender spot, a pain rating, a
// skipped part, a breathing check, then quitting with a rating after.
json const script = json::parse(R"([
    {"at_ms": 0, "type": "pain", "rating": 3},
    {"at_ms": 0, "type": "start"},
    {"at_ms": 40000, "type": "tender_spot"},
    {"at_ms": 95000, "type": "pain", "rating": 5},
    {"at_ms": 100000, "type": "skip"},
    {"at_ms": 130000, "type": "breath_check"},
    {"at_ms": 200000, "type": "quit"},
    {"at_ms": 200000, "type": "pain", "rating": 2}
])");

// Feeds the script to the WebSocket handler as a browser would, with the timer fired at every
// wake-up the handler asks for.
void run_over_websocket(server::LiveSession& socket, FakeClock& clock)
{
    MonoTime const origin = clock.now();
    std::optional<MonoTime> wake;
    auto take = [&](server::WsOutput const& out) {
        for (auto const& message : out.messages)
            ASSERT_NE(json::parse(message)["type"], "error") << message;
        if (out.wake_at)
            wake = out.wake_at;
        else if (!out.messages.empty())
            wake.reset();
    };
    auto until = [&](MonoTime at) {
        while (wake && *wake <= at) {
            auto due = *wake;
            wake.reset();
            clock.advance(due - clock.now());
            take(socket.on_timer(due));
        }
        clock.advance(at - clock.now());
    };
    take(socket.on_text(R"({"type": "start", "pain_before": 3})", origin));
    for (auto const& [at, event] : std::vector<std::pair<Millis, json>> {
             { 40000ms, { { "type", "tender_spot" } } },
             { 95000ms, { { "type", "pain" }, { "rating", 5 } } },
             { 100000ms, { { "type", "skip" } } },
             { 130000ms, { { "type", "breath_check" } } },
         }) {
        until(origin + at);
        take(socket.on_text(json { { "type", "event" }, { "event", event } }.dump(), origin + at));
    }
    until(origin + 200000ms);
    auto saved = socket.on_text(R"({"type": "finish", "pain_after": 2})", origin + 200000ms);
    ASSERT_EQ(saved.messages.size(), 1u);
    ASSERT_EQ(json::parse(saved.messages[0])["type"], "saved") << saved.messages[0];
}

// The stored session and its ratings, as the journal exports them.
json stored_session(journal::Journal& journal)
{
    auto exported = journal.export_json();
    EXPECT_TRUE(exported) << exported.error().message;
    return { { "sessions", (*exported)["sessions"] }, { "pain_ratings", (*exported)["pain_ratings"] } };
}

}

TEST_F(FrontEnds, TheSameScriptedSessionThroughTheCliAndTheWebSocketIsStoredByteForByteTheSame)
{
    // Through the CLI binary.
    screened_journal(m_dir / "cli.db");
    std::ofstream(m_dir / "script.json") << script.dump();
    auto cli = run_cli(m_dir, fmt::format("--db '{}' session --script '{}' --save --started-at 2026-01-05T08:00:00Z --no-voice",
                                  (m_dir / "cli.db").string(), (m_dir / "script.json").string()));
    ASSERT_EQ(cli.status, 0) << cli.err;

    // Through the WebSocket handler, with the clock at the same start.
    FakeClock clock(journal::parse_utc("2026-01-05T08:00:00Z").value());
    coach::Coach coach(shipped_kb(), screened_journal(m_dir / "web.db"), clock);
    server::LiveSession socket(coach, 1.0);
    run_over_websocket(socket, clock);

    auto cli_journal = journal::open_journal(m_dir / "cli.db", journal::Purpose::Read);
    auto web_journal = journal::open_journal(m_dir / "web.db", journal::Purpose::Read);
    ASSERT_TRUE(cli_journal && web_journal);
    auto from_cli = stored_session(**cli_journal);
    auto from_web = stored_session(**web_journal);
    EXPECT_EQ(from_cli.dump(2), from_web.dump(2));

    // And the record says what happened.
    auto const& session = from_web["sessions"].at(0);
    EXPECT_EQ(session["end_reason"], "quit");
    EXPECT_EQ(session["started_at"], "2026-01-05T08:00:00.000Z");
    EXPECT_EQ(session["ended_at"], "2026-01-05T08:03:20.000Z");
    EXPECT_EQ(session["skipped_steps"].size(), 1u);
    EXPECT_TRUE(session["skipped_steps"][0].contains("exercise_id"));
    for (auto const& step : session["completed_steps"])
        EXPECT_TRUE(step.is_object() && step.contains("exercise_id")) << step.dump();
    EXPECT_EQ(session["tender_spots"].size(), 1u);
    EXPECT_FALSE(session["zones"].empty());
    std::vector<std::string> moments;
    for (auto const& rating : from_web["pain_ratings"])
        moments.push_back(rating["moment"].get<std::string>());
    EXPECT_EQ(moments, (std::vector<std::string> { "before", "during", "after" }));
    EXPECT_EQ(from_web["pain_ratings"][1]["recorded_at"], "2026-01-05T08:01:35.000Z");   // when it was given, not the end
}

TEST_F(FrontEnds, PlanWithoutAScreeningIsRefusedByTheCliWithTheApisMessage)
{
    auto cli = run_cli(m_dir, fmt::format("--db '{}' plan", (m_dir / "journal.db").string()));

    FakeClock clock;
    auto journal = journal::open_journal(m_dir / "api.db", journal::Purpose::Write);
    ASSERT_TRUE(journal);
    coach::Coach coach(shipped_kb(), std::move(*journal), clock);
    server::Api api({ shipped_kb(), &coach, std::nullopt });
    server::HttpRequest request;
    request.method = server::Method::Get;
    request.target = request.path = "/api/plan";
    auto response = api.handle(request);

    ASSERT_EQ(response.status, 409);
    auto message = json::parse(response.body)["error"]["message"].get<std::string>();
    EXPECT_EQ(message, coach::no_screening_message);
    EXPECT_EQ(cli.err, fmt::format("rollcoach: {}\n", message));
    EXPECT_EQ(cli.status, 5);   // the CLI's status for a refusal (README, "Exit codes"); the API's is 409
    EXPECT_TRUE(cli.out.empty());
    EXPECT_FALSE(fs::exists(m_dir / "journal.db"));   // refusing creates nothing
}
