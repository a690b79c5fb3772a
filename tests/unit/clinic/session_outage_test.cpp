// Losing PostgreSQL mid-session (issue 16): a live session that ends while the database is
// stopped goes on, its record is kept and retried, and it is written once the server is back.
// Nothing is acknowledged ("saved") before it is written; with a spool, the record is on disk
// before the page hears "pending" and a server that died meanwhile has it written, once, by the
// next one. Against a real PostgreSQL that the test stops and starts
// (tests/unit/journal/postgres_server.h).
#include "coach/coach.h"
#include "common/clock.h"
#include "journal/postgres_journal.h"
#include "postgres_server.h"
#include "server/live_session.h"
#include "server/record_spool.h"
#include "shipped_kb.h"
#include "triage/verdict_json.h"

#include <filesystem>
#include <fstream>
#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>
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

class SpooledOutage : public SessionOutage {
protected:
    void SetUp() override
    {
        SessionOutage::SetUp();
        m_dir = std::filesystem::temp_directory_path() / fmt::format("rc-outage-spool-{}-{}", ::getpid(), s_counter++);
    }
    void TearDown() override
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_dir, ignored);
        SessionOutage::TearDown();
    }
    std::shared_ptr<server::RecordSpool> open_spool()
    {
        auto spool = server::RecordSpool::open(m_dir);
        EXPECT_TRUE(spool) << spool.error().message;
        return spool ? *spool : nullptr;
    }
    server::SpoolCoachFinder finder()
    {
        return [this](std::string const&) -> Result<std::shared_ptr<coach::Coach>> {
            return std::shared_ptr<coach::Coach>(m_coach.get(), [](coach::Coach*) {});
        };
    }
    static inline int s_counter = 0;
    std::filesystem::path m_dir;
};

TEST_F(SpooledOutage, ARecordSpooledWhilePostgresqlIsStoppedIsWrittenOnceByTheNextServer)
{
    {
        auto spool = open_spool();
        server::LiveSession socket(*m_coach, 1.0, nullptr, server::SpoolSlot { spool, "" });
        MonoTime now = m_clock.now();
        EXPECT_EQ(only_message(socket.on_text(R"({"type": "start", "pain_before": 5})", now))["type"], "started");
        ASSERT_TRUE(m_server->stop());
        auto pending = only_message(socket.on_text(R"({"type": "finish", "pain_after": 3})", now + 30s));
        EXPECT_EQ(pending["type"], "pending") << pending.dump();
        EXPECT_EQ(pending["kept"], "disk");
        EXPECT_EQ(spool->size(), 1u);
        // The server dies here, with PostgreSQL still stopped.
    }
    auto spool = open_spool();
    EXPECT_EQ(server::replay_spool(*spool, finder()).kept, 1u) << "PostgreSQL is still away";
    ASSERT_TRUE(m_server->resume());
    EXPECT_EQ(server::replay_spool(*spool, finder()).written, 1u);
    EXPECT_EQ(spool->size(), 0u);
    EXPECT_EQ(sessions_stored(), 1);
    EXPECT_EQ(ratings_after_stored(), 1);
    EXPECT_EQ(server::replay_spool(*spool, finder()).written, 0u);
    EXPECT_EQ(sessions_stored(), 1);
}

// The spool's disk refusing every write (full, read-only, gone): its folder replaced by a file.
class RefusingSpool {
public:
    enum When { Now, Later };
    explicit RefusingSpool(std::filesystem::path dir, When when = Now)
        : m_dir(std::move(dir))
        , m_away(m_dir.string() + ".away")
    {
        if (when == Now)
            refuse();
    }
    ~RefusingSpool() { restore(); }
    void refuse()
    {
        if (m_refusing)
            return;
        m_refusing = true;
        std::filesystem::rename(m_dir, m_away);
        std::ofstream(m_dir) << "not a folder";
    }
    void restore()
    {
        if (!m_refusing)
            return;
        m_refusing = false;
        std::filesystem::remove(m_dir);
        std::filesystem::rename(m_away, m_dir);
    }

private:
    std::filesystem::path m_dir;
    std::filesystem::path m_away;
    bool m_refusing { false };
};

TEST_F(SpooledOutage, ARecordNeitherPostgresqlNorTheSpoolTakesIsToldNotSavedYetAndReachesTheDiskThenTheJournal)
{
    auto spool = open_spool();
    auto parking = std::make_shared<server::SessionParking>(*m_coach, 120s, server::SpoolSlot { spool, "" });
    server::LiveSession socket(*m_coach, 1.0, parking);
    MonoTime now = m_clock.now();
    EXPECT_EQ(only_message(socket.on_text(R"({"type": "start", "pain_before": 5})", now))["type"], "started");
    ASSERT_TRUE(m_server->stop());
    RefusingSpool refusing(m_dir);

    auto finished = socket.on_text(R"({"type": "finish", "pain_after": 3})", now + 30s);
    auto pending = only_message(finished);
    EXPECT_EQ(pending["type"], "pending") << pending.dump();
    EXPECT_EQ(pending["kept"], "memory");
    EXPECT_NE(pending["message"].get<std::string>().find("NOT SAVED YET"), std::string::npos) << pending["message"];
    EXPECT_NE(pending["message"].get<std::string>().find("Keep this page open"), std::string::npos) << pending["message"];
    ASSERT_TRUE(finished.wake_at);
    auto still = socket.on_timer(*finished.wake_at);
    EXPECT_TRUE(still.messages.empty()) << "nothing changed: nothing to tell";
    ASSERT_TRUE(still.wake_at);

    // The disk takes it again: the next retry puts the record there and tells the page.
    refusing.restore();
    auto on_disk = socket.on_timer(*still.wake_at);
    auto moved = only_message(on_disk);
    EXPECT_EQ(moved["type"], "pending") << moved.dump();
    EXPECT_EQ(moved["kept"], "disk");
    EXPECT_EQ(spool->size(), 1u);
    ASSERT_TRUE(on_disk.wake_at);

    ASSERT_TRUE(m_server->resume());
    auto written = socket.on_timer(*on_disk.wake_at);
    EXPECT_EQ(only_message(written)["type"], "saved");
    EXPECT_EQ(spool->size(), 0u);
    EXPECT_EQ(sessions_stored(), 1);
    EXPECT_EQ(ratings_after_stored(), 1);
}

TEST_F(SpooledOutage, AClosedSessionNeitherPostgresqlNorTheSpoolTakesIsRetriedIntoTheSpoolOrNamedOnStderrAtShutdown)
{
    auto spool = open_spool();
    auto parking = std::make_shared<server::SessionParking>(*m_coach, 120s, server::SpoolSlot { spool, "patient_7" });
    MonoTime now = m_clock.now();
    {
        server::LiveSession socket(*m_coach, 1.0, parking);
        EXPECT_EQ(only_message(socket.on_text(R"({"type": "start", "pain_before": 4})", now))["type"], "started");
        ASSERT_TRUE(m_server->stop());
        RefusingSpool refusing(m_dir);
        EXPECT_EQ(only_message(socket.on_text(R"({"type": "finish", "pain_after": 2})", now + 30s))["kept"], "memory");
        socket.on_close(now + 31s);
        EXPECT_EQ(parking->unwritten(), 1u) << "the connection closed: the parking keeps it";
        parking->sweep(now + 40s);
        EXPECT_EQ(parking->unwritten(), 1u) << "both still refuse";
        refusing.restore();
        parking->sweep(now + 50s);
        EXPECT_EQ(parking->unwritten(), 0u) << "the disk takes it again";
        EXPECT_EQ(spool->size(), 1u);
    }

    // A second one, and the server stops while both still refuse it: stderr says exactly which.
    ASSERT_TRUE(m_server->resume());
    m_clock.advance(1h);
    auto const later = m_clock.now();
    auto const second_start = journal::format_utc(m_clock.wall_now());
    {
        RefusingSpool refusing(m_dir, RefusingSpool::Later);
        {
            server::LiveSession socket(*m_coach, 1.0, parking);
            EXPECT_EQ(only_message(socket.on_text(R"({"type": "start", "pain_before": 6})", later))["type"], "started");
            ASSERT_TRUE(m_server->stop());
            refusing.refuse();
            EXPECT_EQ(only_message(socket.on_text(R"({"type": "finish", "pain_after": 5})", later + 30s))["kept"], "memory");
            socket.on_close(later + 31s);
        }
        EXPECT_EQ(parking->unwritten(), 1u);
        ::testing::internal::CaptureStderr();
        parking.reset();   // the server stops
        auto const said = ::testing::internal::GetCapturedStderr();
        EXPECT_NE(said.find("NOT SAVED"), std::string::npos) << said;
        EXPECT_NE(said.find("journal patient_7: session started " + second_start), std::string::npos) << said;
    }
    ASSERT_TRUE(m_server->resume());
    EXPECT_EQ(sessions_stored(), 0) << "the first is in the spool, for the replay; the second was lost, and said so";
    EXPECT_EQ(spool->size(), 1u);
}

TEST_F(SpooledOutage, ARecordPostgresqlCommittedJustBeforeTheServerDiedIsNotStoredAgainByTheReplay)
{
    auto record = coach::SessionRecord {};
    record.started_at = std::chrono::time_point_cast<std::chrono::milliseconds>(m_clock.wall_now());
    record.ended_at = record.started_at + 300s;
    record.end_reason = journal::EndReason::Quit;
    record.pain.push_back({ 0, record.ended_at, 2, journal::PainMoment::After, std::nullopt, "" });
    {
        auto spool = open_spool();
        auto id = spool->put("", coach::to_journal_record(record));
        ASSERT_TRUE(id);
        // Committed, and then the process died before removing the file.
        ASSERT_TRUE(m_coach->record_session_once(record));
    }
    auto spool = open_spool();
    EXPECT_EQ(server::replay_spool(*spool, finder()).written, 1u);
    EXPECT_EQ(spool->size(), 0u);
    EXPECT_EQ(sessions_stored(), 1);
    EXPECT_EQ(ratings_after_stored(), 1);
}

}
