// "Never lose a record": a writer killed at random moments, two writers at once, and a backup
// taken while a writer runs, on every backend. The child is journal_kill_writer (built with these
// tests).
#include "backend_test.h"
#include "journal/sqlite_journal.h"
#include "test_support.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <csignal>
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace rc::journal {
namespace {

using test::TempDir;

struct Child {
    pid_t pid { -1 };
    int out { -1 };   // the child's stdout
};

Child spawn_writer(std::vector<std::string> const& args)
{
    int fds[2];
    if (::pipe(fds) != 0)
        return {};
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(fds[1], STDOUT_FILENO);
        ::close(fds[0]);
        ::close(fds[1]);
        std::vector<char*> argv;
        std::string program = JOURNAL_KILL_WRITER;
        argv.push_back(program.data());
        std::vector<std::string> copies = args;
        for (auto& arg : copies)
            argv.push_back(arg.data());
        argv.push_back(nullptr);
        ::execv(program.c_str(), argv.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    return { pid, fds[0] };
}

// Reads whole lines until EOF (or until `enough` lines when given); a last line without its
// newline was cut off by the kill and is not an acknowledgement.
std::vector<std::string> read_lines(int fd, std::string& pending, std::size_t enough = SIZE_MAX)
{
    std::vector<std::string> lines;
    char buffer[4096];
    while (lines.size() < enough) {
        auto n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0)
            break;
        pending.append(buffer, std::size_t(n));
        for (auto end = pending.find('\n'); end != std::string::npos; end = pending.find('\n')) {
            lines.push_back(pending.substr(0, end));
            pending.erase(0, end + 1);
        }
    }
    return lines;
}

int wait_for(pid_t pid)
{
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

// Every session the writer makes has 3 zones, 2 tender spots and 2 ratings: a session with fewer
// would be half a transaction.
void expect_intact(Journal& journal)
{
    auto document = journal.export_json();
    ASSERT_TRUE(document) << document.error().message;
    std::map<std::int64_t, int> ratings;
    for (auto const& rating : (*document)["pain_ratings"])
        if (rating["session_id"].is_number())
            ++ratings[rating["session_id"].get<std::int64_t>()];
    for (auto const& session : (*document)["sessions"]) {
        EXPECT_EQ(session["zones"].size(), 3u) << session["id"];
        EXPECT_EQ(session["tender_spots"].size(), 2u) << session["id"];
        EXPECT_EQ(ratings[session["id"].get<std::int64_t>()], 2) << session["id"];
    }
}

void expect_intact(std::filesystem::path const& path)
{
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
    auto journal = SqliteJournal::open(path, Creation::MustExist);
    ASSERT_TRUE(journal) << journal.error().message;
    expect_intact(**journal);
}

// The ids of every stored record, by table name.
std::map<std::string, std::set<std::int64_t>> stored_ids(Journal& journal)
{
    std::map<std::string, std::set<std::int64_t>> ids;
    auto document = journal.export_json();
    EXPECT_TRUE(document) << document.error().message;
    if (!document)
        return ids;
    for (auto const* table : { "sessions", "pain_ratings", "notes" })
        for (auto const& record : (*document)[table])
            ids[table].insert(record["id"].get<std::int64_t>());
    return ids;
}

class Durability : public test::BackendTest {};

TEST_P(Durability, EveryAcknowledgedRecordSurvivesTwoHundredRandomKills)
{
    auto const path = location();
    ASSERT_TRUE(open_fresh());
    std::mt19937 random(20260105);
    std::uniform_int_distribution<int> delay_ms(0, 40);
    std::map<std::string, std::set<std::int64_t>> acknowledged;
    int kills = 0;
    int killed_while_opening = 0;
    for (int run = 0; run < 200; ++run) {
        Child child = spawn_writer({ "kill", path });
        ASSERT_GT(child.pid, 0);
        std::string pending;
        std::vector<std::string> lines;
        // Most kills land while records are being written (timed from "ready", so a slow machine
        // still gets there); every tenth lands while the writer is starting or opening.
        if (run % 10 != 0) {
            lines = read_lines(child.out, pending, 1);
            ASSERT_FALSE(lines.empty()) << "the writer died before opening the journal";
            ASSERT_EQ(lines[0], "ready") << lines[0];
        } else {
            ++killed_while_opening;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
        if (::kill(child.pid, SIGKILL) == 0)
            ++kills;
        auto rest = read_lines(child.out, pending);
        lines.insert(lines.end(), rest.begin(), rest.end());
        ::close(child.out);
        int status = wait_for(child.pid);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself: " << (lines.empty() ? "" : lines.back());
        for (auto const& line : lines) {
            ASSERT_NE(line.rfind("error", 0), 0u) << line;
            if (line == "ready")
                continue;
            auto space = line.find(' ');
            acknowledged[line.substr(0, space)].insert(std::int64_t(std::stoll(line.substr(space + 1))));
        }
    }
    EXPECT_EQ(killed_while_opening, 20);
    EXPECT_EQ(kills, 200);
    std::size_t total = 0;
    // And the journal opens normally afterwards.
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    auto stored = stored_ids(*journal);
    for (auto const& [table, ids] : acknowledged) {
        for (auto id : ids) {
            EXPECT_TRUE(stored[table].count(id)) << table << " " << id << " was acknowledged but is missing";
            ++total;
        }
    }
    EXPECT_GT(total, 200u) << "too few writes were acknowledged to mean anything";
    expect_intact(*journal);
    if (GetParam() == test::Backend::Sqlite) {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
    }
}

TEST_P(Durability, TwoProcessesWritingAtOnceLoseNoUpdateAndSeeNoLockError)
{
    auto const path = location();
    ASSERT_TRUE(open_fresh());
    constexpr int per_writer = 100;
    Child a = spawn_writer({ "contend", path, std::to_string(per_writer), "A" });
    Child b = spawn_writer({ "contend", path, std::to_string(per_writer), "B" });
    std::string pending_a, pending_b;
    auto out_a = read_lines(a.out, pending_a);
    auto out_b = read_lines(b.out, pending_b);
    ::close(a.out);
    ::close(b.out);
    int status_a = wait_for(a.pid);
    int status_b = wait_for(b.pid);
    ASSERT_TRUE(WIFEXITED(status_a) && WEXITSTATUS(status_a) == 0) << (out_a.empty() ? "" : out_a.back());
    ASSERT_TRUE(WIFEXITED(status_b) && WEXITSTATUS(status_b) == 0) << (out_b.empty() ? "" : out_b.back());
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    auto profile = journal->find_profile();
    ASSERT_TRUE(profile && *profile);
    EXPECT_EQ((*profile)->document["count"], 2 * per_writer) << "a read-modify-write lost an update";
    auto document = journal->export_json();
    ASSERT_TRUE(document);
    std::set<std::string> texts;
    for (auto const& note : (*document)["notes"])
        texts.insert(note["text"].get<std::string>());
    EXPECT_EQ(texts.size(), std::size_t(2 * per_writer));
}

// On PostgreSQL the copy is an SQLite journal too (PostgresJournal::backup_to).
TEST_P(Durability, ABackupTakenWhileAWriterRunsIsConsistentAndComplete)
{
    auto& dir = m_dir;
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    Child child = spawn_writer({ "kill", location() });
    std::string pending;
    auto before_backup = read_lines(child.out, pending, 31);
    ASSERT_GE(before_backup.size(), 31u);
    ASSERT_EQ(before_backup.front(), "ready");
    before_backup.erase(before_backup.begin());
    auto backed_up = journal->backup_to(dir / "copy.db");
    ::kill(child.pid, SIGKILL);
    read_lines(child.out, pending);
    ::close(child.out);
    wait_for(child.pid);
    ASSERT_TRUE(backed_up) << backed_up.error().message;
    expect_intact(dir / "copy.db");
    SQLite::Database copy(dir / "copy.db", SQLite::OPEN_READONLY);
    for (auto const& line : before_backup) {
        auto space = line.find(' ');
        SQLite::Statement exists(copy, "SELECT 1 FROM " + line.substr(0, space) + " WHERE id = ?");
        exists.bind(1, std::int64_t(std::stoll(line.substr(space + 1))));
        EXPECT_TRUE(exists.executeStep()) << line;
    }
    // The copy is a journal in its own right, and backup never overwrites.
    EXPECT_TRUE(SqliteJournal::open(dir / "copy.db", Creation::MustExist));
    auto again = journal->backup_to(dir / "copy.db");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::Conflict);
}

INSTANTIATE_TEST_SUITE_P(Backends, Durability, test::every_backend(), test::backend_name);

}
}
