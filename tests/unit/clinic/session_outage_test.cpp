// Losing PostgreSQL mid-session (issue 16): a live session that ends while the database is
// stopped goes on, its record is kept and retried, and it is written once the server is back.
// Nothing is acknowledged ("saved") before it is written. Against a real PostgreSQL that the test
// stops and starts (tests/unit/journal/postgres_server.h).
#include "coach/coach.h"
#include "common/clock.h"
#include "journal/postgres_journal.h"
#include "postgres_server.h"
#include "server/live_session.h"
#include "shipped_kb.h"
#include "triage/verdict_json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

using nlohmann::json;
using namespace rc;
using namespace std::chrono_literals;

namespace {

class SessionOutage : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_server = journal::test::PostgresEnvironment::server();
        ASSERT_TRUE(m_server);
        auto uri = m_server->create_database();
        ASSERT_TRUE(uri) << uri.error().message;
        m_uri = *uri;
        auto journal = journal::PostgresJournal::open(m_uri, {});
        ASSERT_TRUE(journal) << journal.error().message;
        journal::ScreeningRecord screening;
        screening.taken_at = m_clock.wall_now();
        screening.tier = "proceed";
        screening.verdict = kb::Verdict {};
        ASSERT_TRUE((*journal)->add_screening(screening));
        m_coach = std::make_unique<coach::Coach>(rc::test::shipped_kb(), std::move(*journal), m_clock);
    }
    void TearDown() override
    {
        // Leave the shared server running for the next test, whatever happened here.
        if (m_server && !m_server->running())
            (void)m_server->resume();
    }

    long sessions_stored() const
    {
        pqxx::connection connection(m_uri);
        pqxx::work tx(connection);
        return tx.exec1("SELECT count(*) FROM sessions")[0].as<long>();
    }
    long ratings_after_stored() const
    {
        pqxx::connection connection(m_uri);
        pqxx::work tx(connection);
        return tx.exec1("SELECT count(*) FROM pain_ratings WHERE moment = 'after'")[0].as<long>();
    }

    static json only_message(server::WsOutput const& out)
    {
        EXPECT_EQ(out.messages.size(), 1u);
        return out.messages.empty() ? json() : json::parse(out.messages.front());
    }

    journal::test::PostgresServer* m_server { nullptr };
    std::string m_uri;
    FakeClock m_clock;
    std::unique_ptr<coach::Coach> m_coach;
};

TEST_F(SessionOutage, ASessionFinishedWhilePostgresqlIsStoppedIsKeptAndSavedOnceItIsBack)
{
    server::LiveSession socket(*m_coach, 1.0);
    MonoTime now = m_clock.now();
    EXPECT_EQ(only_message(socket.on_text(R"({"type": "start", "pain_before": 5})", now))["type"], "started");
    ASSERT_TRUE(m_server->stop());
    // The session goes on without the database: events are answered as ever.
    EXPECT_EQ(only_message(socket.on_text(R"({"type": "event", "event": {"type": "pause"}})", now + 20s))["type"], "update");
    auto finished = socket.on_text(R"({"type": "finish", "pain_after": 3})", now + 30s);
    auto pending = only_message(finished);
    EXPECT_EQ(pending["type"], "pending") << pending.dump();
    EXPECT_FALSE(finished.close);
    ASSERT_TRUE(finished.wake_at);
    auto still = socket.on_timer(*finished.wake_at);
    EXPECT_TRUE(still.messages.empty()) << "nothing is acknowledged while the database is away";
    ASSERT_TRUE(still.wake_at);

    ASSERT_TRUE(m_server->resume());
    auto written = socket.on_timer(*still.wake_at);
    auto saved = only_message(written);
    EXPECT_EQ(saved["type"], "saved") << saved.dump();
    EXPECT_TRUE(written.close);
    EXPECT_EQ(sessions_stored(), 1);
    EXPECT_EQ(ratings_after_stored(), 1);
}

TEST_F(SessionOutage, ASessionWhoseConnectionClosesWhilePostgresqlIsStoppedIsWrittenByTheServerLater)
{
    auto parking = std::make_shared<server::SessionParking>(*m_coach, 120s);
    MonoTime now = m_clock.now();
    {
        server::LiveSession socket(*m_coach, 1.0, parking);
        EXPECT_EQ(only_message(socket.on_text(R"({"type": "start"})", now))["type"], "started");
        ASSERT_TRUE(m_server->stop());
        EXPECT_EQ(only_message(socket.on_text(R"({"type": "finish", "pain_after": 2})", now + 30s))["type"], "pending");
        socket.on_close(now + 31s);
    }
    EXPECT_EQ(parking->unwritten(), 1u);
    ASSERT_TRUE(m_server->resume());
    parking->sweep(now + 60s);   // the next connection to the server
    EXPECT_EQ(parking->unwritten(), 0u);
    EXPECT_EQ(sessions_stored(), 1);
    EXPECT_EQ(ratings_after_stored(), 1);
}

}
