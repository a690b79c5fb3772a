// The record spool (server/record_spool.h): finished sessions the journal refused, kept on disk
// until it takes them. Read back by a fresh spool as a restarted server would; corrupt,
// truncated and unfinished files moved aside without stopping the others; the same record never
// stored twice; a spool directory that takes no file refused with a clear message. The journal
// that refuses is a real SQLite file capped to a "full disk" (SqliteOptions::max_pages).
#include "coach/coach.h"
#include "common/clock.h"
#include "journal/open_journal.h"
#include "journal/sqlite_journal.h"
#include "server/live_session.h"
#include "server/record_spool.h"
#include "shipped_kb.h"
#include "triage/verdict_json.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <nlohmann/json.hpp>
#include <sys/syscall.h>
#include <unistd.h>

using namespace rc;
using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Root ignores file modes; for the length of a test, this process's thread does not (the
// effective CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH are dropped and given back afterwards).
class WithoutDacOverride {
public:
    WithoutDacOverride()
    {
        m_header.version = _LINUX_CAPABILITY_VERSION_3;
        if (::syscall(SYS_capget, &m_header, m_saved) != 0)
            return;
        __user_cap_data_struct lowered[2] = { m_saved[0], m_saved[1] };
        lowered[0].effective &= ~((1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH));
        m_dropped = ::syscall(SYS_capset, &m_header, lowered) == 0;
    }
    ~WithoutDacOverride()
    {
        if (m_dropped)
            (void)::syscall(SYS_capset, &m_header, m_saved);
    }
    WithoutDacOverride(WithoutDacOverride const&) = delete;
    WithoutDacOverride& operator=(WithoutDacOverride const&) = delete;

private:
    __user_cap_header_struct m_header {};
    __user_cap_data_struct m_saved[2] {};
    bool m_dropped { false };
};

journal::SessionRecord a_session(WallTime started, int pain_after)
{
    journal::SessionRecord session;
    session.started_at = started;
    session.ended_at = started + 540s;
    session.end_reason = journal::EndReason::Completed;
    session.plan = json { { "steps", json::array() } };
    session.zones.push_back({ "upper_back", 120s });
    session.pain.push_back({ 0, started, 5, journal::PainMoment::Before, std::nullopt, "" });
    session.pain.push_back({ 0, started + 540s, pain_after, journal::PainMoment::After, std::nullopt, "" });
    return session;
}

class Spool : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / fmt::format("rc-spool-{}-{}", ::getpid(), s_counter++);
        fs::create_directories(m_dir);
    }
    void TearDown() override
    {
        m_coach.reset();
        std::error_code ignored;
        fs::permissions(m_dir / "spool", fs::perms::owner_all, ignored);
        fs::remove_all(m_dir, ignored);
    }

    fs::path spool_dir() const { return m_dir / "spool"; }
    std::shared_ptr<server::RecordSpool> open_spool()
    {
        auto spool = server::RecordSpool::open(spool_dir());
        EXPECT_TRUE(spool) << spool.error().message;
        return spool ? *spool : nullptr;
    }
    std::vector<fs::path> files_in(fs::path const& dir) const
    {
        std::vector<fs::path> out;
        std::error_code error;
        for (auto const& entry : fs::directory_iterator(dir, error))
            if (entry.is_regular_file())
                out.push_back(entry.path());
        return out;
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
        for (int i = 0; max_pages && i < 100000; ++i)
            if (!(*journal)->add_note({ 0, m_clock.wall_now(), std::nullopt, std::string(2000, 'x') }))
                break;
        m_coach = std::make_unique<coach::Coach>(rc::test::shipped_kb(), std::move(*journal), m_clock);
        return *m_coach;
    }
    void free_space()
    {
        SQLite::Database db((m_dir / "journal.db").string(), SQLite::OPEN_READWRITE);
        db.exec("DELETE FROM notes");
    }
    int count(char const* query) const
    {
        SQLite::Database db((m_dir / "journal.db").string(), SQLite::OPEN_READONLY);
        return db.execAndGet(query).getInt();
    }
    server::SpoolCoachFinder finder()
    {
        return [this](std::string const& name) -> Result<std::shared_ptr<coach::Coach>> {
            EXPECT_EQ(name, "");
            return std::shared_ptr<coach::Coach>(m_coach.get(), [](coach::Coach*) {});
        };
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

TEST_F(Spool, ARecordPutIsReadBackWithEveryFieldByTheNextProcess)
{
    auto const started = WallTime(std::chrono::milliseconds(1'780'000'000'123));
    {
        auto spool = open_spool();
        ASSERT_TRUE(spool);
        auto id = spool->put("patient_7", a_session(started, 2));
        ASSERT_TRUE(id) << id.error().message;
        EXPECT_TRUE(spool->claim().empty()) << "a record held by its connection is not replayed under it";
    }
    auto spool = open_spool();
    auto claimed = spool->claim();
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(claimed[0].journal, "patient_7");
    EXPECT_EQ(claimed[0].session.started_at, started);
    EXPECT_EQ(claimed[0].session.ended_at, started + 540s);
    ASSERT_EQ(claimed[0].session.pain.size(), 2u);
    EXPECT_EQ(claimed[0].session.pain[1].value, 2);
    EXPECT_EQ(claimed[0].session.pain[1].moment, journal::PainMoment::After);
    ASSERT_EQ(claimed[0].session.zones.size(), 1u);
    EXPECT_EQ(claimed[0].session.zones[0].zone_id, "upper_back");
    EXPECT_TRUE(spool->claim().empty()) << "a claimed record is not claimed twice";
}

TEST_F(Spool, TheSameRecordPutTwiceIsOneFile)
{
    auto spool = open_spool();
    auto const started = m_clock.wall_now();
    auto first = spool->put("", a_session(started, 2));
    auto second = spool->put("", a_session(started, 2));
    ASSERT_TRUE(first && second);
    EXPECT_EQ(*first, *second);
    EXPECT_EQ(spool->size(), 1u);
    ASSERT_TRUE(spool->put("", a_session(started + 1h, 2)));
    EXPECT_EQ(spool->size(), 2u);
}

TEST_F(Spool, CorruptTruncatedAndUnfinishedFilesAreMovedAsideAndTheOthersAreStillClaimed)
{
    auto const started = m_clock.wall_now();
    std::string good_text;
    {
        auto spool = open_spool();
        auto good = spool->put("", a_session(started, 2));
        ASSERT_TRUE(good);
        std::ifstream in(spool_dir() / (*good + ".json"));
        good_text.assign(std::istreambuf_iterator<char>(in), {});
    }
    ASSERT_GT(good_text.size(), 100u);
    // A file cut in the middle (a disk that lied about fsync), one of noise, a record whose name
    // does not match it, an unfinished write and a stranger.
    std::ofstream(spool_dir() / "journal-session-1-2-completed.json") << good_text.substr(0, good_text.size() / 2);
    std::ofstream(spool_dir() / "journal-session-3-4-quit.json") << "\x01\x02 not json at all";
    std::ofstream(spool_dir() / "journal-session-5-6-quit.json") << good_text;
    std::ofstream(spool_dir() / "journal-session-7-8-quit.tmp") << good_text.substr(0, 10);
    std::ofstream(spool_dir() / "notes.txt") << "hello";

    auto spool = open_spool();
    auto claimed = spool->claim();
    ASSERT_EQ(claimed.size(), 1u) << "the good record is still there";
    EXPECT_EQ(claimed[0].session.started_at, std::chrono::time_point_cast<std::chrono::milliseconds>(started));
    EXPECT_EQ(spool->moved_aside(), 5u);
    EXPECT_EQ(files_in(spool_dir() / "corrupt").size(), 5u);
    EXPECT_EQ(files_in(spool_dir()).size(), 1u);
}

TEST_F(Spool, ASpoolDirectoryThatTakesNoFileIsAClearErrorNotACrash)
{
    fs::create_directories(spool_dir());
    WithoutDacOverride as_an_ordinary_user;
    fs::permissions(spool_dir(), fs::perms::owner_read | fs::perms::owner_exec);
    auto spool = server::RecordSpool::open(spool_dir());
    ASSERT_FALSE(spool) << "opened a read-only spool directory";
    EXPECT_NE(spool.error().message.find(spool_dir().string()), std::string::npos) << spool.error().message;
    EXPECT_NE(spool.error().message.find("--spool-dir"), std::string::npos) << spool.error().message;

    // Writable at start-up, read-only later: put() says so, nothing throws.
    fs::permissions(spool_dir(), fs::perms::owner_all);
    auto opened = open_spool();
    ASSERT_TRUE(opened);
    fs::permissions(spool_dir(), fs::perms::owner_read | fs::perms::owner_exec);
    auto put = opened->put("", a_session(m_clock.wall_now(), 2));
    ASSERT_FALSE(put);
    EXPECT_NE(put.error().message.find(spool_dir().string()), std::string::npos) << put.error().message;
}

TEST_F(Spool, TwoServersSharingASpoolNeverClaimTheSameRecord)
{
    auto first = open_spool();
    auto second = open_spool();
    auto id = first->put("patient_1", a_session(m_clock.wall_now(), 2));
    ASSERT_TRUE(id);
    EXPECT_TRUE(second->claim().empty()) << "held by the first server's connection";
    first->release(*id);
    ASSERT_EQ(second->claim().size(), 1u);
    EXPECT_TRUE(first->claim().empty()) << "now held by the second server's replay";
    ASSERT_TRUE(second->remove(*id));
    EXPECT_TRUE(first->claim().empty());
    EXPECT_EQ(first->size(), 0u);
}

TEST_F(Spool, ARecordOfADeadServerIsClaimedByTheNextOne)
{
    {
        auto dead = open_spool();
        ASSERT_TRUE(dead->put("", a_session(m_clock.wall_now(), 2)));
        // Destroyed with the record still held: the kernel drops a dead process's locks alike.
    }
    EXPECT_EQ(open_spool()->claim().size(), 1u);
}

TEST_F(Spool, ARecordTheJournalAlreadyHasIsNotStoredTwiceByAReplay)
{
    auto& coach = screened_coach();
    auto session = a_session(std::chrono::time_point_cast<std::chrono::milliseconds>(m_clock.wall_now()), 2);
    auto spool = open_spool();
    auto id = spool->put("", session);
    ASSERT_TRUE(id);
    spool->release(*id);
    // The journal committed it, and the server died before the file was removed.
    ASSERT_TRUE(coach.record_session_once(session));
    auto replayed = server::replay_spool(*spool, finder());
    EXPECT_EQ(replayed.written, 1u);
    EXPECT_EQ(replayed.kept, 0u);
    EXPECT_EQ(count("SELECT count(*) FROM sessions"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM pain_ratings WHERE moment = 'after'"), 1);
    EXPECT_EQ(spool->size(), 0u);
}

TEST_F(Spool, ASessionRefusedByAFullDiskIsOnDiskBeforePendingAndWrittenOnceAfterARestart)
{
    screened_coach(60);
    {
        auto spool = open_spool();
        server::LiveSession socket(*m_coach, 1.0, nullptr, server::SpoolSlot { spool, "" });
        MonoTime now = m_clock.now();
        EXPECT_EQ(only_message(socket.on_text(R"({"type": "start", "pain_before": 5})", now))["type"], "started");
        auto pending = only_message(socket.on_text(R"({"type": "finish", "pain_after": 3})", now + 30s));
        ASSERT_EQ(pending["type"], "pending") << pending.dump();
        EXPECT_EQ(pending["kept"], "disk");
        EXPECT_EQ(spool->size(), 1u) << "on disk before the page is told";
        // The server is killed here: nothing more happens to this connection.
    }
    auto spool = open_spool();
    auto still_full = server::replay_spool(*spool, finder());
    EXPECT_EQ(still_full.kept, 1u);
    EXPECT_EQ(spool->size(), 1u) << "kept while the journal refuses";
    free_space();
    auto written = server::replay_spool(*spool, finder());
    EXPECT_EQ(written.written, 1u);
    EXPECT_EQ(spool->size(), 0u);
    EXPECT_EQ(count("SELECT count(*) FROM sessions"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM pain_ratings WHERE moment = 'after' AND value = 3"), 1);
    EXPECT_EQ(server::replay_spool(*spool, finder()).written, 0u);
    EXPECT_EQ(count("SELECT count(*) FROM sessions"), 1);
}

TEST_F(Spool, ALiveConnectionThatGetsItsRecordWrittenRemovesItsSpoolFile)
{
    screened_coach(60);
    auto spool = open_spool();
    server::LiveSession socket(*m_coach, 1.0, nullptr, server::SpoolSlot { spool, "" });
    MonoTime now = m_clock.now();
    socket.on_text(R"({"type": "start"})", now);
    auto finished = socket.on_text(R"({"type": "finish", "pain_after": 1})", now + 30s);
    ASSERT_EQ(only_message(finished)["type"], "pending");
    EXPECT_EQ(server::replay_spool(*spool, finder()).written, 0u) << "the connection holds it; the replay leaves it alone";
    free_space();
    ASSERT_TRUE(finished.wake_at);
    EXPECT_EQ(only_message(socket.on_timer(*finished.wake_at))["type"], "saved");
    EXPECT_EQ(spool->size(), 0u);
    EXPECT_EQ(count("SELECT count(*) FROM sessions"), 1);
}

TEST_F(Spool, AConnectionClosedWhileTheJournalRefusesLeavesItsRecordToTheReplay)
{
    screened_coach(60);
    auto spool = open_spool();
    auto parking = std::make_shared<server::SessionParking>(*m_coach, 120s, server::SpoolSlot { spool, "" });
    MonoTime now = m_clock.now();
    {
        server::LiveSession socket(*m_coach, 1.0, parking);
        socket.on_text(R"({"type": "start"})", now);
        ASSERT_EQ(only_message(socket.on_text(R"({"type": "finish", "pain_after": 1})", now + 30s))["type"], "pending");
        socket.on_close(now + 31s);
    }
    EXPECT_EQ(parking->unwritten(), 0u) << "the spool keeps it, not the server's memory";
    free_space();
    EXPECT_EQ(server::replay_spool(*spool, finder()).written, 1u);
    EXPECT_EQ(count("SELECT count(*) FROM sessions"), 1);
}

}

namespace {

// The fuzz target's seed is a file this build reads back as written (a stale seed would fuzz
// nothing but the refusal path).
TEST(SpoolFile, TheFuzzSeedIsAValidSpoolFile)
{
    std::ifstream in(std::string(ROLLCOACH_SOURCE_DIR) + "/tests/fuzz/corpus/fuzz_spool_file/valid_session");
    std::string id;
    std::getline(in, id);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    auto spooled = rc::server::parse_spool_file(text, id);
    ASSERT_TRUE(spooled) << spooled.error().message;
    EXPECT_EQ(spooled->journal, "patient_7");
    EXPECT_EQ(spooled->session.pain.size(), 2u);
    auto written = rc::server::spool_file_text(spooled->journal, spooled->session);
    EXPECT_TRUE(rc::server::parse_spool_file(written, id));
    EXPECT_FALSE(rc::server::parse_spool_file(text.substr(0, text.size() / 2), id));
    EXPECT_FALSE(rc::server::parse_spool_file(text, "patient_8" + id.substr(9)));
}

// Fields of the wrong type are refused with a message, never thrown (the fuzzer found a number
// where the format's name belongs).
TEST(SpoolFile, FieldsOfTheWrongTypeAreRefusedNotThrown)
{
    std::ifstream in(std::string(ROLLCOACH_SOURCE_DIR) + "/tests/fuzz/corpus/fuzz_spool_file/valid_session");
    std::string id;
    std::getline(in, id);
    auto const document = nlohmann::json::parse(std::string((std::istreambuf_iterator<char>(in)), {}));
    for (auto const& [field, value] : std::vector<std::pair<std::string, nlohmann::json>> {
             { "format", 1 }, { "version", "1" }, { "journal", 7 }, { "session", "x" }, { "pain", 5 } }) {
        auto changed = document;
        changed[field] = value;
        auto parsed = rc::server::parse_spool_file(changed.dump(), id);
        EXPECT_FALSE(parsed) << field;
    }
    auto changed = document;
    changed["session"]["id"] = "zero";
    EXPECT_FALSE(rc::server::parse_spool_file(changed.dump(), id));
}

}
