// Every bad-database case gives a clear message and leaves the file exactly as it was.
#include "journal/sqlite_journal.h"
#include "test_support.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <functional>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

namespace rc::journal {
namespace {

using test::TempDir;

std::filesystem::path make_journal(TempDir const& dir, int sessions = 3)
{
    auto path = dir / "journal.db";
    auto journal = SqliteJournal::open(path, Creation::CreateFileOnly);
    EXPECT_TRUE(journal);
    for (int i = 0; i < sessions; ++i)
        EXPECT_TRUE((*journal)->add_session(test::sample_session(test::monday_8am() + std::chrono::hours(24 * i))));
    return path;   // closing checkpoints the WAL into the file
}

bool contains(std::string const& text, std::string const& part) { return text.find(part) != std::string::npos; }

TEST(BadDatabase, ANewerSchemaIsRefusedAndLeftUnchanged)
{
    TempDir dir;
    auto path = make_journal(dir);
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version = 99");
    }
    auto before = test::read_bytes(path);
    auto opened = SqliteJournal::open(path, Creation::MustExist);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::Conflict);
    EXPECT_TRUE(contains(opened.error().message, "newer rollcoach")) << opened.error().message;
    EXPECT_TRUE(contains(opened.error().message, "schema 99"));
    EXPECT_EQ(test::read_bytes(path), before);
}

TEST(BadDatabase, AFileOfGarbageIsRefusedAndLeftUnchanged)
{
    TempDir dir;
    auto path = dir / "journal.db";
    std::string garbage(8192, '\0');
    for (std::size_t i = 0; i < garbage.size(); ++i)
        garbage[i] = char((i * 7919 + 13) % 251);
    test::write_bytes(path, garbage);
    auto opened = SqliteJournal::open(path, Creation::CreateIfMissing);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::Storage);
    EXPECT_TRUE(contains(opened.error().message, "damaged or is not a rollcoach journal")) << opened.error().message;
    EXPECT_EQ(test::read_bytes(path), garbage);
    EXPECT_FALSE(std::filesystem::exists(dir / "journal.db-wal"));
}

TEST(BadDatabase, ADamagedPageIsFoundBeforeAnythingIsWritten)
{
    TempDir dir;
    auto path = make_journal(dir, 200);
    auto bytes = test::read_bytes(path);
    ASSERT_GT(bytes.size(), 4096u * 6);
    // Overwrite the middle of the file (table pages) but keep the header valid.
    for (std::size_t i = 4096 * 3; i < 4096 * 5; ++i)
        bytes[i] = char(0xA5);
    test::write_bytes(path, bytes);
    auto opened = SqliteJournal::open(path, Creation::MustExist);
    ASSERT_FALSE(opened);
    EXPECT_TRUE(contains(opened.error().message, "damaged")) << opened.error().message;
    EXPECT_TRUE(contains(opened.error().message, "backup"));
    EXPECT_EQ(test::read_bytes(path), bytes);
}

TEST(BadDatabase, SomeoneElsesSqliteDatabaseIsNeverTurnedIntoAJournal)
{
    TempDir dir;
    auto path = dir / "other.db";
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('bread');");
    }
    auto before = test::read_bytes(path);
    auto opened = SqliteJournal::open(path, Creation::CreateIfMissing);
    ASSERT_FALSE(opened);
    EXPECT_TRUE(contains(opened.error().message, "not a rollcoach journal")) << opened.error().message;
    EXPECT_EQ(test::read_bytes(path), before);
}

TEST(BadDatabase, AMissingFolderIsReportedAndNotCreated)
{
    TempDir dir;
    auto path = dir / "no-such-folder" / "journal.db";
    auto opened = SqliteJournal::open(path, Creation::CreateFileOnly);
    ASSERT_FALSE(opened);
    EXPECT_TRUE(contains(opened.error().message, "does not exist")) << opened.error().message;
    EXPECT_FALSE(std::filesystem::exists(dir / "no-such-folder"));
}

TEST(BadDatabase, AMissingJournalIsNotCreatedWhenItMustExist)
{
    TempDir dir;
    auto opened = SqliteJournal::open(dir / "journal.db", Creation::MustExist);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::NotFound);
    EXPECT_FALSE(std::filesystem::exists(dir / "journal.db"));
}

// Runs `body` in a child process as the user "nobody" (root can write anything, so a permission
// check must not run as root) and returns what it wrote to its pipe; the child's exit status 0
// means success.
std::pair<int, std::string> as_nobody(std::function<std::pair<bool, std::string>()> const& body)
{
    int pipe_fds[2];
    EXPECT_EQ(::pipe(pipe_fds), 0);
    pid_t child = ::fork();
    EXPECT_GE(child, 0);
    if (child == 0) {
        ::close(pipe_fds[0]);
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0))
            ::_exit(3);
        auto [ok, message] = body();
        if (::write(pipe_fds[1], message.data(), message.size()) < 0)
            ::_exit(4);
        ::_exit(ok ? 0 : 1);
    }
    ::close(pipe_fds[1]);
    std::string message;
    char buffer[512];
    for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;)
        message.append(buffer, std::size_t(n));
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    return { WIFEXITED(status) ? WEXITSTATUS(status) : -1, message };
}

// What the user nobody got from a read-only journal: the child's exit status, its message, and
// whether SQLite left a -shm index next to the file.
struct ReadOnlyOpening {
    int status { -1 };
    std::string message;
    bool index_left { false };
};

// A three-session journal made read-only (the file 0444, its folder `folder`), opened with
// `options` by the user nobody; `use` takes what opened and says whether that was the expected
// outcome, and what to report. Checks that the file was left exactly as it was.
ReadOnlyOpening open_read_only_as_nobody(std::filesystem::perms folder, SqliteOptions const& options,
    std::function<std::pair<bool, std::string>(Result<std::unique_ptr<SqliteJournal>>&)> const& use)
{
    TempDir dir;
    auto path = make_journal(dir);
    std::filesystem::permissions(dir.path(), folder);
    std::filesystem::permissions(path, std::filesystem::perms(0444));
    auto before = test::read_bytes(path);
    auto [status, message] = as_nobody([&] {
        auto opened = SqliteJournal::open(path, options);
        return use(opened);
    });
    std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));
    EXPECT_EQ(test::read_bytes(path), before);
    return { status, message, std::filesystem::exists(dir / "journal.db-shm") };
}

TEST(BadDatabase, AReadOnlyJournalIsReportedAndLeftUnchanged)
{
    SqliteOptions options;
    options.creation = Creation::MustExist;
    auto result = open_read_only_as_nobody(std::filesystem::perms(0755), options, [](auto& opened) -> std::pair<bool, std::string> {
        return { !opened, opened ? "opened" : opened.error().message };
    });
    EXPECT_EQ(result.status, 0) << result.message;
    EXPECT_TRUE(contains(result.message, "read-only")) << result.message;
}

TEST(BadDatabase, AReadOnlyJournalInAFolderNobodyMayWriteCanStillBeRead)
{
    // A backup on read-only media, or another user's journal: neither the file nor its folder
    // can be written, so SQLite cannot make the WAL index (-shm) it reads through.
    SqliteOptions options;
    options.creation = Creation::MustExist;
    options.mode = OpenMode::ReadOnly;
    auto result = open_read_only_as_nobody(std::filesystem::perms(0555), options, [](auto& opened) -> std::pair<bool, std::string> {
        if (!opened)
            return { false, opened.error().message };
        auto records = (*opened)->count_records();
        if (!records)
            return { false, records.error().message };
        return { true, std::to_string(*records) };
    });
    EXPECT_EQ(result.status, 0) << result.message;
    EXPECT_EQ(result.message, "9");   // three sessions, each with two ratings
    EXPECT_FALSE(result.index_left);
}

// Fills the journal until the (simulated) disk is full, then checks the failed write left
// nothing behind and the journal still works.
void expect_full_disk_is_reported_cleanly(SqliteJournal& journal)
{
    std::optional<Error> failure;
    int written = 0;
    for (int i = 0; i < 100000 && !failure; ++i) {
        auto session = test::sample_session(test::monday_8am() + std::chrono::minutes(i));
        session.plan["padding"] = std::string(2000, 'x');
        auto id = journal.add_session(session);
        if (id)
            ++written;
        else
            failure = id.error();
    }
    ASSERT_TRUE(failure) << "the disk never filled up";
    EXPECT_EQ(failure->code, ErrorCode::Storage);
    EXPECT_TRUE(contains(failure->message, "is full")) << failure->message;
    EXPECT_TRUE(contains(failure->message, "nothing was saved"));
    // The failed session left no half: sessions and their zones still match up.
    auto records = journal.count_records();
    ASSERT_TRUE(records);
    EXPECT_EQ(*records, written * 3);   // each session: itself and two ratings
    auto latest = journal.find_latest_session();
    ASSERT_TRUE(latest && *latest);
    EXPECT_EQ((*latest)->zones.size(), 3u);
}

TEST(BadDatabase, AFullDiskIsReportedAndLosesNothing_SimulatedWithMaxPageCount)
{
    TempDir dir;
    auto path = make_journal(dir, 0);
    SqliteOptions options;
    options.creation = Creation::MustExist;
    options.max_pages = 60;
    auto journal = SqliteJournal::open(path, options);
    ASSERT_TRUE(journal) << journal.error().message;
    expect_full_disk_is_reported_cleanly(**journal);
    journal->reset();
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
}

TEST(BadDatabase, AFullDiskIsReportedAndLosesNothing_OnARealTinyFileSystem)
{
    TempDir dir;
    auto mount_point = dir / "tiny";
    std::filesystem::create_directory(mount_point);
    if (::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=256k") != 0)
        GTEST_SKIP() << "cannot mount a tmpfs here (needs root); the max_page_count test covers the logic";
    struct Unmount {
        std::filesystem::path where;
        ~Unmount() { ::umount2(where.c_str(), MNT_DETACH); }
    } unmount { mount_point };
    {
        auto journal = SqliteJournal::open(mount_point / "journal.db", Creation::CreateFileOnly);
        ASSERT_TRUE(journal) << journal.error().message;
        expect_full_disk_is_reported_cleanly(**journal);
    }
    {
        SQLite::Database db(mount_point / "journal.db", SQLite::OPEN_READONLY);
        EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
    }
}

}
}
