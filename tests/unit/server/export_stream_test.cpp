// The export and report downloads over real sockets: a large export arrives whole and equal to
// the journal's own document, a client that stops reading blocks nobody else, the spool file is
// gone afterwards, and the report is a PDF.
#include "server_thread.h"
#include "test_client.h"

#include "coach/coach.h"
#include "common/clock.h"
#include "journal/sqlite_journal.h"
#include "knowledge/loader.h"
#include "server/api.h"
#include "server/gateway.h"
#include "server/http_server.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

namespace rc::server {

using nlohmann::json;
using namespace rc::server::test;
using namespace std::chrono_literals;

class ExportStreamTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = std::filesystem::temp_directory_path() / ("rc-export-stream-" + std::to_string(::getpid()));
        std::filesystem::create_directories(m_dir / "web");
        std::filesystem::create_directories(m_dir / "tmp");
        // Spool files go here (temp_directory_path reads TMPDIR), so the test can see them. The
        // old value comes back in TearDown: the next test in this process (server_test run on its
        // own, not through ctest) would otherwise look for a folder that is gone.
        if (char const* old = std::getenv("TMPDIR"))
            m_old_tmpdir = old;
        ::setenv("TMPDIR", (m_dir / "tmp").c_str(), 1);
        std::ofstream(m_dir / "web" / "index.html") << "<!doctype html><title>rollcoach</title>";
        auto kb = kb::load_knowledge_base(std::filesystem::path(ROLLCOACH_SOURCE_DIR) / "data" / "knowledge");
        ASSERT_TRUE(kb) << kb.error().full_message();
        m_kb = std::make_unique<kb::KnowledgeBase>(std::move(*kb));
        fill_journal();
        auto journal = journal::SqliteJournal::open(m_dir / "journal.db", journal::Creation::MustExist);
        ASSERT_TRUE(journal) << journal.error().message;
        m_coach = std::make_unique<Coach>(*m_kb, std::move(*journal), m_clock);
        m_api = std::make_unique<Api>(ApiServices { *m_kb, m_coach.get(), std::nullopt });
        auto policy = AccessPolicy::for_host("127.0.0.1", std::nullopt);
        ASSERT_TRUE(policy);
        m_gateway = std::make_unique<Gateway>(*policy, StaticFiles(m_dir / "web"), *m_api, std::set<std::string> {});
        ServerOptions options;
        options.port = 0;
        options.signals = SignalHandling::Ignore;
        auto server = ServerThread::start(options, *m_gateway);
        ASSERT_TRUE(server) << server.error().message;
        m_server = std::move(*server);
        m_port = m_server->port();
    }

    void TearDown() override
    {
        m_server.reset();
        if (m_old_tmpdir)
            ::setenv("TMPDIR", m_old_tmpdir->c_str(), 1);
        else
            ::unsetenv("TMPDIR");
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }

    // About 6 MB of export: more than the socket buffers hold, so a client that stops reading
    // really stalls the transfer.
    void fill_journal()
    {
        auto journal = journal::SqliteJournal::open(m_dir / "journal.db", journal::Creation::CreateFileOnly);
        ASSERT_TRUE(journal);
        auto t = m_clock.wall_now();
        ASSERT_TRUE((*journal)->in_write_transaction([&]() -> Result<void> {
            for (int i = 0; i < 4000; ++i) {
                journal::SessionRecord session;
                session.started_at = t + std::chrono::hours(i);
                session.ended_at = session.started_at + 10min;
                session.zones = { { "glutes", 120s }, { "thoracic_spine", 200s } };
                session.cues = json::array();
                for (int c = 0; c < 12; ++c)
                    session.cues.push_back({ { "at_ms", c * 1000 }, { "text", "Roll slowly, breathe out, keep the spine long" } });
                session.pain = { { 0, session.started_at, i % 10, journal::PainMoment::Before, std::nullopt, "" } };
                TRY((*journal)->add_session(session));
            }
            return {};
        }));
        auto document = (*journal)->export_json();
        ASSERT_TRUE(document);
        m_expected = std::move(*document);
    }

    std::size_t spool_files() const
    {
        std::size_t count = 0;
        for (auto const& entry : std::filesystem::directory_iterator(m_dir / "tmp"))
            count += entry.path().filename().string().rfind("rollcoach-export-", 0) == 0;
        return count;
    }

    std::string get_text(std::string const& target) const
    {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(m_port) + "\r\nConnection: close\r\n\r\n";
    }

    std::filesystem::path m_dir;
    std::optional<std::string> m_old_tmpdir;
    FakeClock m_clock;
    std::unique_ptr<kb::KnowledgeBase> m_kb;
    std::unique_ptr<Coach> m_coach;
    std::unique_ptr<Api> m_api;
    std::unique_ptr<Gateway> m_gateway;
    std::unique_ptr<ServerThread> m_server;
    uint16_t m_port { 0 };
    json m_expected;
};

TEST_F(ExportStreamTest, ALargeExportArrivesWholeAndEqualToTheJournalsOwnDocument)
{
    auto reply = request(m_port, "GET", "/api/export?format=json");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->headers["content-type"], "application/json");
    ASSERT_GT(reply->body.size(), 5'000'000u);
    EXPECT_EQ(json::parse(reply->body), m_expected);
    EXPECT_EQ(spool_files(), 0u);
}

TEST_F(ExportStreamTest, AClientThatStopsReadingBlocksNobodyAndStillGetsEverythingWhenItResumes)
{
    Socket slow(m_port);
    ASSERT_TRUE(slow.send_all(get_text("/api/export?format=fhir")));
    auto head = slow.read_until("\r\n\r\n");
    ASSERT_TRUE(head);
    // The stalled download holds neither the worker nor the journal: others are served at once.
    for (int i = 0; i < 3; ++i) {
        auto health = request(m_port, "GET", "/api/stats");
        ASSERT_TRUE(health);
        EXPECT_EQ(health->status, 200);
    }
    auto other = request(m_port, "GET", "/api/export?format=csv&table=session_zones");
    ASSERT_TRUE(other);
    EXPECT_EQ(other->status, 200);
    EXPECT_EQ(other->body.substr(0, 23), "session_id,zone,seconds");
    std::this_thread::sleep_for(1s);
    ASSERT_NE(head->find("Content-Length: "), std::string::npos);
    auto length = std::stoul(head->substr(head->find("Content-Length: ") + 16));
    ASSERT_TRUE(slow.fill(length));
    auto bundle = json::parse(slow.take(length));
    EXPECT_EQ(bundle["resourceType"], "Bundle");
    EXPECT_EQ(bundle["entry"].size(), 1u + 4000 * 2 + 4000);   // patient, procedure + minutes, pain
    EXPECT_EQ(spool_files(), 0u);
}

TEST_F(ExportStreamTest, AnUnknownFormatOrTableIsRefusedWithoutASpoolLeftBehind)
{
    auto format = request(m_port, "GET", "/api/export?format=xml");
    ASSERT_TRUE(format);
    EXPECT_EQ(format->status, 400);
    auto table = request(m_port, "GET", "/api/export?format=csv&table=secrets");
    ASSERT_TRUE(table);
    EXPECT_EQ(table->status, 400);
    EXPECT_NE(table->body.find("pain_ratings"), std::string::npos);
    EXPECT_EQ(spool_files(), 0u);
}

TEST_F(ExportStreamTest, TheReportDownloadIsAPdf)
{
    auto reply = request(m_port, "GET", "/api/report.pdf?utc_offset=3600");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->headers["content-type"], "application/pdf");
    EXPECT_EQ(reply->body.rfind("%PDF-", 0), 0u);
    EXPECT_NE(reply->body.find("%%EOF"), std::string::npos);
    auto bad = request(m_port, "GET", "/api/report.pdf?utc_offset=lots");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
}

}
