// What only the PostgreSQL backend has: a server that can go away and come back, a database that
// may hold someone else's tables, migrations in a transaction, and jsonb documents. The contract
// shared with SQLite is tested on both backends in journal_contract_test.cpp and the others.
#include "journal/postgres_journal.h"
#include "postgres_server.h"
#include "sample_records.h"

#include <gtest/gtest.h>
#include <pqxx/pqxx>
#include <thread>

namespace rc::journal {
namespace {

using namespace std::chrono_literals;

class PostgresJournalTest : public test::FreshPostgresDatabase {
protected:
    std::vector<std::string> tables()
    {
        std::vector<std::string> names;
        for (auto const& row : admin("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"))
            names.push_back(row[0].as<std::string>());
        return names;
    }
};

TEST_F(PostgresJournalTest, AWriteWhileTheServerIsDownSaysSoAndTheJournalReconnectsWhenItIsBack)
{
    auto journal = PostgresJournal::open(m_uri);
    ASSERT_TRUE(journal) << journal.error().message;
    ASSERT_TRUE((*journal)->add_note({ 0, test::monday_8am(), std::nullopt, "before" }));

    ASSERT_TRUE(m_server->stop());
    auto lost = (*journal)->add_note({ 0, test::monday_8am() + 1h, std::nullopt, "while down" });
    ASSERT_FALSE(lost);
    EXPECT_EQ(lost.error().code, ErrorCode::Storage);
    EXPECT_NE(lost.error().message.find("cannot be reached"), std::string::npos) << lost.error().message;
    EXPECT_NE(lost.error().message.find("Nothing was saved"), std::string::npos) << lost.error().message;
    // Still down: a second call fails the same way (it tries to connect, does not hang or crash).
    auto again = (*journal)->history(10);
    ASSERT_FALSE(again);
    EXPECT_NE(again.error().message.find("cannot be reached"), std::string::npos) << again.error().message;

    ASSERT_TRUE(m_server->resume());
    auto back = (*journal)->add_note({ 0, test::monday_8am() + 2h, std::nullopt, "after" });
    ASSERT_TRUE(back) << back.error().message;
    auto entries = (*journal)->history(10);
    ASSERT_TRUE(entries) << entries.error().message;
    ASSERT_EQ(entries->size(), 2u);   // nothing half-written from the failed call
    EXPECT_EQ((*entries)[0].detail["text"], "after");
    EXPECT_EQ((*entries)[1].detail["text"], "before");
}

TEST_F(PostgresJournalTest, OpeningWhileTheServerIsDownIsAClearErrorNotAHang)
{
    ASSERT_TRUE(m_server->stop());
    PostgresOptions options;
    options.connect_timeout = 2s;
    auto opened = PostgresJournal::open(m_uri, options);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::Storage);
    EXPECT_NE(opened.error().message.find("Check that the server is running"), std::string::npos) << opened.error().message;
}

TEST_F(PostgresJournalTest, APasswordInTheAddressNeverAppearsInAnError)
{
    // Port 1 on loopback: refused at once.
    auto opened = PostgresJournal::open("postgresql://me:hunter2@127.0.0.1:1/rollcoach");
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().message.find("hunter2"), std::string::npos) << opened.error().message;
    EXPECT_NE(opened.error().message.find("postgresql://me:***@127.0.0.1:1/rollcoach"), std::string::npos)
        << opened.error().message;
}

TEST_F(PostgresJournalTest, AFailedMigrationLeavesTheSchemaAsItWas)
{
    ASSERT_TRUE(PostgresJournal::open(m_uri));
    auto before = tables();
    PostgresOptions broken;
    broken.migrations = embedded_postgres_migrations();
    broken.migrations.push_back({ latest_schema_version(embedded_postgres_migrations()) + 1, "9999_broken.sql",
        "CREATE TABLE extra (x integer); ALTER TABLE notes ADD COLUMN mood integer; THIS IS NOT SQL;" });
    auto opened = PostgresJournal::open(m_uri, broken);
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("9999_broken.sql"), std::string::npos) << opened.error().message;
    EXPECT_NE(opened.error().message.find("Nothing was changed"), std::string::npos) << opened.error().message;
    EXPECT_EQ(tables(), before);
    EXPECT_EQ(admin("SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'mood'")[0][0].as<int>(), 0);
    EXPECT_EQ(admin("SELECT version FROM rollcoach_schema")[0][0].as<int>(), latest_schema_version(embedded_postgres_migrations()));
}

TEST_F(PostgresJournalTest, AFailedFirstMigrationLeavesAnEmptyDatabaseEmpty)
{
    PostgresOptions broken;
    broken.migrations = embedded_postgres_migrations();
    broken.migrations.front().sql += "\nTHIS IS NOT SQL;";
    ASSERT_FALSE(PostgresJournal::open(m_uri, broken));
    EXPECT_TRUE(tables().empty());
    ASSERT_TRUE(PostgresJournal::open(m_uri));
}

TEST_F(PostgresJournalTest, ADatabaseWithSomeoneElsesTablesIsRefusedAndLeftUnchanged)
{
    admin("CREATE TABLE invoices (id integer PRIMARY KEY)");
    auto opened = PostgresJournal::open(m_uri);
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("not a rollcoach journal"), std::string::npos) << opened.error().message;
    EXPECT_EQ(tables(), std::vector<std::string> { "invoices" });
}

TEST_F(PostgresJournalTest, ANewerSchemaIsRefusedAndLeftUnchanged)
{
    ASSERT_TRUE(PostgresJournal::open(m_uri));
    admin("UPDATE rollcoach_schema SET version = 99");
    auto opened = PostgresJournal::open(m_uri);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::Conflict);
    EXPECT_NE(opened.error().message.find("newer rollcoach"), std::string::npos) << opened.error().message;
    EXPECT_EQ(admin("SELECT version FROM rollcoach_schema")[0][0].as<int>(), 99);
}

TEST_F(PostgresJournalTest, ReadingAnEmptyDatabaseCreatesNothing)
{
    PostgresOptions options;
    options.mode = OpenMode::ReadOnly;
    auto opened = PostgresJournal::open(m_uri, options);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::NotFound);
    EXPECT_TRUE(tables().empty());
}

TEST_F(PostgresJournalTest, OpenedForReadingItRefusesWrites)
{
    ASSERT_TRUE(PostgresJournal::open(m_uri));
    PostgresOptions options;
    options.mode = OpenMode::ReadOnly;
    auto journal = PostgresJournal::open(m_uri, options);
    ASSERT_TRUE(journal) << journal.error().message;
    auto refused = (*journal)->add_note({ 0, test::monday_8am(), std::nullopt, "no" });
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("read-only"), std::string::npos) << refused.error().message;
}

TEST_F(PostgresJournalTest, TwoProcessesOpeningANewDatabaseAtOnceMigrateItOnce)
{
    Result<std::unique_ptr<PostgresJournal>> a = Error::internal("not run"), b = Error::internal("not run");
    std::thread first([&] { a = PostgresJournal::open(m_uri); });
    std::thread second([&] { b = PostgresJournal::open(m_uri); });
    first.join();
    second.join();
    ASSERT_TRUE(a) << a.error().message;
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_EQ(*(*b)->schema_version(), latest_schema_version(embedded_postgres_migrations()));
}

TEST_F(PostgresJournalTest, AClearanceKeepsItsDetailAsJsonb)
{
    auto journal = PostgresJournal::open(m_uri);
    ASSERT_TRUE(journal) << journal.error().message;
    Clearance clearance { 0, test::monday_8am(), "physio" };
    clearance.detail = { { "cleared_by", "J. Smith, PT" }, { "flags", { "numbness" } }, { "expires", "2026-02-05" } };
    ASSERT_TRUE((*journal)->add_clearance(clearance));
    EXPECT_EQ(admin("SELECT pg_typeof(detail)::text FROM clearances")[0][0].as<std::string>(), "jsonb");
    EXPECT_EQ(admin("SELECT detail->>'cleared_by' FROM clearances")[0][0].as<std::string>(), "J. Smith, PT");
    std::optional<Clearance> read;
    ASSERT_TRUE((*journal)->visit_records([&](AnyRecord const& record) -> Result<void> {
        if (auto const* found = std::get_if<Clearance>(&record))
            read = *found;
        return {};
    }));
    ASSERT_TRUE(read);
    EXPECT_EQ(read->detail, clearance.detail);
    // A clearance without detail gets an empty object, as in SQLite.
    ASSERT_TRUE((*journal)->add_clearance({ 0, test::monday_8am() + 1h, "" }));
    EXPECT_EQ(admin("SELECT detail::text FROM clearances ORDER BY id DESC LIMIT 1")[0][0].as<std::string>(), "{}");
}

TEST_F(PostgresJournalTest, TextPostgresqlCannotStoreIsRefusedWithAMessage)
{
    auto journal = PostgresJournal::open(m_uri);
    ASSERT_TRUE(journal) << journal.error().message;
    auto refused = (*journal)->add_note({ 0, test::monday_8am(), std::nullopt, std::string("nul\0inside", 10) });
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(refused.error().message.find("UTF-8"), std::string::npos) << refused.error().message;
    EXPECT_EQ(*(*journal)->count_records(), 0);
}

}
}
