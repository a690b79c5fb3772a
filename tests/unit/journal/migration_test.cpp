#include "common/paths.h"
#include "journal/migrations.h"
#include "journal/sqlite_journal.h"
#include "test_support.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

namespace rc::journal {
namespace {

using test::TempDir;

std::filesystem::path source_migrations() { return std::filesystem::path(ROLLCOACH_SOURCE_DIR) / "data" / "migrations"; }

TEST(Migrations, EmbeddedCopyMatchesTheFilesInDataMigrations)
{
    auto on_disk = load_migrations(source_migrations());
    ASSERT_TRUE(on_disk) << on_disk.error().message;
    EXPECT_EQ(*on_disk, embedded_migrations());
    EXPECT_GE(latest_schema_version(*on_disk), 2);
}

TEST(Migrations, EmbeddedPostgresCopyMatchesTheFilesInDataMigrationsPostgresql)
{
    auto loaded = load_migrations(std::filesystem::path(ROLLCOACH_SOURCE_DIR) / "data" / "migrations" / "postgresql");
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_EQ(*loaded, embedded_postgres_migrations());
    EXPECT_FALSE(loaded->empty());
}

TEST(Migrations, RefuseAGapInTheNumbering)
{
    TempDir dir;
    test::write_bytes(dir / "0001_init.sql", "CREATE TABLE a (x);");
    test::write_bytes(dir / "0003_later.sql", "CREATE TABLE b (x);");
    auto loaded = load_migrations(dir.path());
    ASSERT_FALSE(loaded);
    EXPECT_NE(loaded.error().message.find("0003_later.sql"), std::string::npos);
}

TEST(Migrations, RefuseAFileNameWithoutAVersion)
{
    TempDir dir;
    test::write_bytes(dir / "init.sql", "CREATE TABLE a (x);");
    EXPECT_FALSE(load_migrations(dir.path()));
}

// Writes one record of every kind with plain SQL valid at schema 1 (the oldest), so the same
// data can be written at every older version.
void fill_at_schema_one(SQLite::Database& db)
{
    db.exec("INSERT INTO profile VALUES (1, 1000, '{\"experience\":\"some\"}');"
            "INSERT INTO screenings VALUES (1, 1000, 'proceed', '{}', '{}');"
            "INSERT INTO sessions VALUES (1, 2000, 602000, 'completed', 1, '{}', '[]', '[]', '[]');"
            "INSERT INTO session_zones VALUES (1, 'upper_back', 300);"
            "INSERT INTO tender_spots VALUES (1, 1, 'upper_back', 30);"
            "INSERT INTO pain_ratings VALUES (1, 2000, 5, 'before', 1, '');"
            "INSERT INTO checkins VALUES (1, 90000000, 1, 3, 0, 'proceed', '{}', '{}');"
            "INSERT INTO notes VALUES (1, 3000, NULL, 'fine');"
            "INSERT INTO clearances VALUES (1, 4000, '');");
}

class MigrationFromOlderVersion : public ::testing::TestWithParam<int> { };

TEST_P(MigrationFromOlderVersion, KeepsEveryRecordAndReachesTheLatestSchema)
{
    int from = GetParam();
    TempDir dir;
    auto path = dir / "journal.db";
    SqliteOptions old_options;
    old_options.target_version = from;
    {
        auto old = SqliteJournal::open(path, old_options);
        ASSERT_TRUE(old) << old.error().message;
        EXPECT_EQ(*(*old)->schema_version(), from);
    }
    if (from >= 1) {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        fill_at_schema_one(db);
    }
    auto journal = SqliteJournal::open(path, Creation::MustExist);
    ASSERT_TRUE(journal) << journal.error().message;
    EXPECT_EQ(*(*journal)->schema_version(), latest_schema_version(embedded_migrations()));
    if (from >= 1) {
        EXPECT_EQ(*(*journal)->count_records(), 7);
        auto session = (*journal)->find_session(1);
        ASSERT_TRUE(session && *session);
        EXPECT_EQ((*session)->zones.size(), 1u);
        EXPECT_EQ((*session)->pain.size(), 1u);
        StatsRequest request;
        request.now = test::monday_8am();
        auto stats = (*journal)->compute_stats(request);
        ASSERT_TRUE(stats);
        EXPECT_EQ(stats->minutes_per_zone, (std::vector<ZoneMinutes> { { "upper_back", 5.0 } }));
    }
    // The migrated journal behaves like a new one.
    EXPECT_TRUE((*journal)->add_session(test::sample_session(test::monday_8am())));
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
    SQLite::Statement dangling(db, "PRAGMA foreign_key_check");
    EXPECT_FALSE(dangling.executeStep()) << "a reference points nowhere after migrating";
}

std::vector<int> older_versions()
{
    std::vector<int> versions;
    for (int v = 0; v < latest_schema_version(embedded_migrations()); ++v)
        versions.push_back(v);
    return versions;
}

INSTANTIATE_TEST_SUITE_P(EveryOlderVersion, MigrationFromOlderVersion, ::testing::ValuesIn(older_versions()),
    [](auto const& info) { return "FromVersion" + std::to_string(info.param); });

TEST(Migrations, AreAppliedInOneTransactionSoABrokenOneChangesNothing)
{
    TempDir dir;
    auto path = dir / "journal.db";
    SqliteOptions first;
    first.target_version = 1;
    ASSERT_TRUE(SqliteJournal::open(path, first));
    SqliteOptions broken;
    broken.migrations = embedded_migrations();
    broken.migrations.push_back({ latest_schema_version(embedded_migrations()) + 1, "9999_broken.sql",
        "CREATE TABLE extra (x); THIS IS NOT SQL;" });
    auto opened = SqliteJournal::open(path, broken);
    ASSERT_FALSE(opened);
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 1);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name IN ('extra', 'sessions_by_start')").getInt(), 0);
}

TEST(Migrations, TwoProcessesOpeningANewJournalAtOnceMigrateItOnce)
{
    TempDir dir;
    auto path = dir / "journal.db";
    auto a = SqliteJournal::open(path, Creation::CreateFileOnly);
    auto b = SqliteJournal::open(path, Creation::CreateFileOnly);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(*(*b)->schema_version(), latest_schema_version(embedded_migrations()));
}

}
}
