// No single message takes a session or the server down (issue 11): the API handlers and the
// WebSocket session answer malformed and out-of-range input with a 4xx or an error message,
// never an internal exception's text, and carry on.
#include "../shipped_kb.h"
#include "coach/coach.h"
#include "journal/open_journal.h"
#include "journal/sqlite_journal.h"
#include "knowledge/loader.h"
#include "server/api.h"
#include "server/live_session.h"
#include "triage/verdict_json.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <algorithm>
#include <filesystem>
#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace rc;
using namespace std::chrono_literals;

namespace {

using rc::test::shipped_kb;

class HostileInput : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / fmt::format("rc-hostile-{}-{}", ::getpid(), s_counter++);
        fs::create_directories(m_dir);
    }
    void TearDown() override
    {
        m_coach.reset();
        std::error_code ignored;
        fs::remove_all(m_dir, ignored);
    }

    // Space again on the "full disk": the filler notes go, their pages are free for reuse.
    void free_space()
    {
        SQLite::Database db((m_dir / "journal.db").string(), SQLite::OPEN_READWRITE);
        db.exec("DELETE FROM notes");
    }
    int sessions_stored()
    {
        SQLite::Database db((m_dir / "journal.db").string(), SQLite::OPEN_READONLY);
        return db.execAndGet("SELECT count(*) FROM sessions").getInt();
    }
    int pain_after_stored()
    {
        SQLite::Database db((m_dir / "journal.db").string(), SQLite::OPEN_READONLY);
        return db.execAndGet("SELECT count(*) FROM pain_ratings WHERE moment = 'after'").getInt();
    }

    // A coach over a journal with an all-clear screening; `max_pages` caps the file (a full disk).
    coach::Coach& screened_coach(std::optional<int> max_pages = std::nullopt)
    {
        {
            auto journal = journal::open_journal(m_dir / "journal.db", journal::Purpose::Write);
            EXPECT_TRUE(journal);
            journal::ScreeningRecord screening;
            screening.taken_at = m_clock.wall_now();
            screening.tier = "proceed";
            screening.verdict = kb::Verdict {};
            EXPECT_TRUE((*journal)->add_screening(screening));
        }
        journal::SqliteOptions options;
        options.creation = journal::Creation::MustExist;
        options.max_pages = max_pages;
        auto journal = journal::SqliteJournal::open(m_dir / "journal.db", std::move(options));
        EXPECT_TRUE(journal) << journal.error().message;
        // A full disk: notes until the capped file takes no more.
        for (int i = 0; max_pages && i < 100000; ++i)
            if (!(*journal)->add_note({ 0, m_clock.wall_now(), std::nullopt, std::string(2000, 'x') }))
                break;
        m_coach = std::make_unique<coach::Coach>(shipped_kb(), std::move(*journal), m_clock);
        return *m_coach;
    }

    server::HttpResponse post(std::string const& path, std::string body)
    {
        server::Api api({ shipped_kb(), m_coach.get(), std::nullopt });
        server::HttpRequest request;
        request.method = server::Method::Post;
        request.target = request.path = path;
        request.body = std::move(body);
        return api.handle(request);
    }

    static json only_message(server::WsOutput const& out)
    {
        EXPECT_EQ(out.messages.size(), 1u);
        return out.messages.empty() ? json() : json::parse(out.messages.front());
    }

    static inline int s_counter = 0;
    fs::path m_dir;
    FakeClock m_clock;
    std::unique_ptr<coach::Coach> m_coach;
};

void expect_plain_error(server::HttpResponse const& response, int status)
{
    EXPECT_EQ(response.status, status) << response.body;
    auto body = json::parse(response.body);
    auto message = body["error"]["message"].get<std::string>();
    EXPECT_FALSE(message.empty());
    EXPECT_EQ(message.find("json.exception"), std::string::npos) << message;
}

}

TEST_F(HostileInput, AHugeNumberInAnApiBodyIsABadRequestNotAServerError)
{
    screened_coach();
    expect_plain_error(post("/api/screening", R"({"answers": {"age": 1e400}})"), 400);
    expect_plain_error(post("/api/checkin", R"({"answers": {"age": 1e400}})"), 400);
    expect_plain_error(post("/api/profile", R"({"answers": {"age": 1e400}})"), 400);
    expect_plain_error(post("/api/clearance", R"({"note": 1e400})"), 400);
}

TEST_F(HostileInput, MalformedJsonIs400AndWellFormedButInvalidIs422)
{
    screened_coach();
    expect_plain_error(post("/api/screening", R"({"answers": )"), 400);
    expect_plain_error(post("/api/screening", R"({"answers": {"no_such_question": "yes"}})"), 422);
    expect_plain_error(post("/api/profile", R"({"minutes_available": "ten"})"), 422);
}

TEST_F(HostileInput, AnUnknownProfileKeyIsRefusedByName)
{
    screened_coach();
    auto response = post("/api/profile", R"({"experience": "some", "favourite_colour": "red"})");
    expect_plain_error(response, 422);
    EXPECT_NE(response.body.find("favourite_colour"), std::string::npos);
}

TEST_F(HostileInput, OverflowingWebSocketMessagesAreAnsweredAndTheSessionCarriesOn)
{
    auto& coach = screened_coach();
    server::LiveSession socket(coach, 1.0);
    MonoTime now = m_clock.now();
    for (auto const* text : { "[1e400]", R"({"type": "start", "pain_before": 1e400})", R"({"type": "start", "pain_before": "high"})",
             R"({"type": "start", "pain_before": 11})", "{\"type\": \"start\"", R"({"type": 7})" }) {
        auto out = socket.on_text(text, now);
        auto message = only_message(out);
        EXPECT_EQ(message["type"], "error") << text;
        EXPECT_FALSE(out.close);
        EXPECT_EQ(message["message"].get<std::string>().find("json.exception"), std::string::npos) << message.dump();
    }
    auto started = only_message(socket.on_text(R"({"type": "start", "pain_before": 3})", now));
    EXPECT_EQ(started["type"], "started");
    for (auto const* text : { R"({"type": "event", "event": {"type": "pain", "rating": 1e400}})",
             R"({"type": "event", "event": {"type": "pain", "rating": "7"}})", R"({"type": "event", "event": [1e400]})",
             R"({"type": "frame", "frame": {"landmarks": [1e400]}})", R"({"type": "finish", "pain_after": 1e400})" }) {
        auto out = socket.on_text(text, now + 5s);
        auto message = only_message(out);
        EXPECT_EQ(message["type"], "error") << text;
        EXPECT_FALSE(out.close);
        EXPECT_EQ(message["message"].get<std::string>().find("json.exception"), std::string::npos) << message.dump();
    }
    auto update = only_message(socket.on_text(R"({"type": "event", "event": {"type": "pause"}})", now + 6s));
    EXPECT_EQ(update["type"], "update");
}

// An error that names what the page sent repeats at most 40 printable characters of it: a 60 KB
// message type full of control characters came back whole. The errors that list the message
// types list them all, calibrate included, from one place.
TEST_F(HostileInput, AnUnknownMessageTypeIsEchoedShortAndPrintableAndEveryListNamesCalibrate)
{
    auto& coach = screened_coach();
    server::LiveSession socket(coach, 1.0);
    MonoTime now = m_clock.now();
    auto const types = server::LiveSession::message_type_list();
    EXPECT_EQ(types, "start, resume, event, frame, calibrate or finish");
    auto printable = [](std::string const& text) {
        return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
    };

    auto hostile_type = "\x1b[2J" + std::string(60000, 'x') + "\n";
    auto unknown = only_message(socket.on_text(json { { "type", hostile_type } }.dump(), now));
    auto const text = unknown["message"].get<std::string>();
    EXPECT_EQ(unknown["code"], "invalid_message");
    EXPECT_LT(text.size(), 150u) << text.substr(0, 200);
    EXPECT_TRUE(printable(text)) << text.substr(0, 200);
    EXPECT_NE(text.find("'?[2J" + std::string(36, 'x') + "...'"), std::string::npos) << text;
    EXPECT_NE(text.find(types), std::string::npos) << text;

    auto not_an_object = only_message(socket.on_text(R"(["start"])", now));
    EXPECT_NE(not_an_object["message"].get<std::string>().find(types), std::string::npos) << not_an_object.dump();

    // The same for what an event and a continued start echo back.
    ASSERT_EQ(only_message(socket.on_text(R"({"type": "start", "pain_before": 3})", now))["type"], "started");
    for (auto const& event : { json { { "type", hostile_type } }, json { { "type", "safety" }, { "event", hostile_type } } }) {
        auto refused = only_message(socket.on_text(json { { "type", "event" }, { "event", event } }.dump(), now + 1s));
        auto const said = refused["message"].get<std::string>();
        EXPECT_EQ(refused["type"], "error");
        EXPECT_LT(said.size(), 400u) << said.substr(0, 200);
        EXPECT_TRUE(printable(said)) << said.substr(0, 200);
    }
    server::LiveSession another(coach, 1.0);
    auto gone = only_message(another.on_text(json { { "type", "start" }, { "from_step", 1 }, { "from_exercise", hostile_type } }.dump(), now));
    EXPECT_EQ(gone["code"], "not_found") << gone.dump().substr(0, 200);
    EXPECT_LT(gone["message"].get<std::string>().size(), 200u);
}

// nlohmann takes a byte 0 between tokens for the end of the text, so a body or a message was read
// up to it and whatever followed was dropped without a word.
TEST_F(HostileInput, AZeroByteAfterTheJsonIsRefusedNotReadUpToIt)
{
    screened_coach();
    using namespace std::string_literals;
    for (auto const* path : { "/api/screening/evaluate", "/api/screening", "/api/checkin", "/api/profile", "/api/clearance" }) {
        auto response = post(path, "{\"answers\": {}}\0{\"answers\": {\"saddle_numbness\": \"yes\"}}"s);
        expect_plain_error(response, 400);
        EXPECT_NE(response.body.find("zero byte"), std::string::npos) << path << ": " << response.body;
    }
    server::LiveSession socket(*m_coach, 1.0);
    auto out = socket.on_text("{\"type\": \"start\"}\0{\"type\": \"finish\"}"s, m_clock.now());
    auto message = only_message(out);
    EXPECT_EQ(message["type"], "error") << message.dump();
    EXPECT_EQ(message["code"], "invalid_json") << message.dump();
    EXPECT_FALSE(out.close);
    EXPECT_EQ(only_message(socket.on_text(R"({"type": "start"})", m_clock.now()))["type"], "started");
}

// Form advice is the camera analyser's: a page's own form_check event would be spoken and
// recorded as a camera finding, with any text, a new code each time past the once-per-code limit.
TEST_F(HostileInput, APageCannotPutItsOwnFormAdviceIntoTheSession)
{
    auto& coach = screened_coach();
    server::LiveSession socket(coach, 1.0);
    MonoTime now = m_clock.now();
    ASSERT_EQ(only_message(socket.on_text(R"({"type": "start", "pain_before": 3})", now))["type"], "started");
    for (int i = 0; i < 3; ++i) {
        auto text = json { { "type", "event" }, { "event", { { "type", "form_check" }, { "code", fmt::format("made_up_{}", i) }, { "message", "Roll the lower back now." } } } }.dump();
        auto message = only_message(socket.on_text(text, now + std::chrono::seconds(6 + i)));
        EXPECT_EQ(message["type"], "error") << message.dump();
        EXPECT_EQ(message["code"], "invalid_message") << message.dump();
    }
    auto finished = socket.on_text(R"({"type": "event", "event": {"type": "quit"}})", now + 10s);
    for (auto const& text : finished.messages)
        EXPECT_EQ(text.find("Roll the lower back now."), std::string::npos) << text;
    auto saved = socket.on_text(R"({"type": "finish", "pain_after": 2})", now + 11s);
    ASSERT_FALSE(saved.messages.empty());
    EXPECT_EQ(json::parse(saved.messages.front())["type"], "saved") << saved.messages.front();
    SQLite::Database db((m_dir / "journal.db").string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sessions WHERE cues LIKE '%Roll the lower back now.%'").getInt(), 0);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sessions").getInt(), 1);
}

TEST_F(HostileInput, AFinishedSessionTheJournalRefusesIsKeptRetriedAndSavedOnceTheJournalAnswers)
{
    auto& coach = screened_coach(/*max_pages=*/60);
    server::LiveSession socket(coach, 1.0);
    MonoTime now = m_clock.now();
    EXPECT_EQ(only_message(socket.on_text(R"({"type": "start"})", now))["type"], "started");
    auto out = socket.on_text(R"({"type": "finish", "pain_after": 2})", now + 30s);
    auto message = only_message(out);
    EXPECT_EQ(message["type"], "pending") << message.dump();
    EXPECT_NE(message["message"].get<std::string>().find("kept"), std::string::npos);
    EXPECT_FALSE(out.close);
    ASSERT_TRUE(out.wake_at);
    EXPECT_EQ(*out.wake_at, now + 30s + server::unwritten_retry);
    // Still refused (the disk is still full): nothing said, retried again later.
    auto retry = socket.on_timer(now + 33s);
    EXPECT_TRUE(retry.messages.empty());
    ASSERT_TRUE(retry.wake_at);
    EXPECT_EQ(sessions_stored(), 0);
    free_space();
    auto written = socket.on_timer(now + 36s);
    auto saved = only_message(written);
    EXPECT_EQ(saved["type"], "saved") << saved.dump();
    EXPECT_TRUE(written.close);
    EXPECT_EQ(sessions_stored(), 1);
    EXPECT_EQ(pain_after_stored(), 1) << "the retried finish rates once";
}

TEST_F(HostileInput, AnotherFinishWhileTheJournalRefusesRetriesAtOnceAndRatesOnce)
{
    auto& coach = screened_coach(/*max_pages=*/60);
    server::LiveSession socket(coach, 1.0);
    MonoTime now = m_clock.now();
    EXPECT_EQ(only_message(socket.on_text(R"({"type": "start"})", now))["type"], "started");
    EXPECT_EQ(only_message(socket.on_text(R"({"type": "finish", "pain_after": 2})", now + 30s))["type"], "pending");
    EXPECT_EQ(only_message(socket.on_text(R"({"type": "finish", "pain_after": 2})", now + 31s))["type"], "pending");
    free_space();
    EXPECT_EQ(only_message(socket.on_text(R"({"type": "finish", "pain_after": 2})", now + 32s))["type"], "saved");
    EXPECT_EQ(sessions_stored(), 1);
    EXPECT_EQ(pain_after_stored(), 1);
}

TEST_F(HostileInput, ASessionWhoseConnectionClosesWhileTheJournalRefusesIsKeptByTheServerAndWrittenLater)
{
    auto& coach = screened_coach(/*max_pages=*/60);
    auto parking = std::make_shared<server::SessionParking>(coach, 120s);
    MonoTime now = m_clock.now();
    {
        server::LiveSession socket(coach, 1.0, parking);
        EXPECT_EQ(only_message(socket.on_text(R"({"type": "start"})", now))["type"], "started");
        EXPECT_EQ(only_message(socket.on_text(R"({"type": "finish", "pain_after": 4})", now + 30s))["type"], "pending");
        socket.on_close(now + 31s);
    }
    EXPECT_EQ(parking->unwritten(), 1u);
    parking->sweep(now + 40s);   // the next connection: still refused, still kept
    EXPECT_EQ(parking->unwritten(), 1u);
    EXPECT_EQ(sessions_stored(), 0);
    free_space();
    parking->sweep(now + 50s);
    EXPECT_EQ(parking->unwritten(), 0u);
    EXPECT_EQ(sessions_stored(), 1);
    EXPECT_EQ(pain_after_stored(), 1);
}
