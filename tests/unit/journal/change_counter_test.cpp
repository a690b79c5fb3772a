// The PostgreSQL journal's change counter (data/migrations/postgresql/0002_change_counter.sql):
// every table of a journal counts every write, whoever makes it, in the writer's transaction. The
// clinic's patient list keeps summaries only while the counter stands still, so a table or a write
// path that did not count would leave a warning out of the list: these tests look for one.
#include "journal/postgres_journal.h"
#include "postgres_server.h"
#include "sample_records.h"

#include <gtest/gtest.h>
#include <pqxx/pqxx>

namespace rc::journal {
namespace {

using namespace std::chrono_literals;

class PostgresChangeCounter : public test::FreshPostgresDatabase {
protected:
    void SetUp() override
    {
        FreshPostgresDatabase::SetUp();
        if (HasFatalFailure())
            return;
        admin("CREATE SCHEMA patient_1; CREATE SCHEMA patient_2");
    }

    std::unique_ptr<PostgresJournal> open(std::string const& schema, std::optional<int> version = std::nullopt)
    {
        PostgresOptions options;
        options.schema = schema;
        options.target_version = version;
        auto journal = PostgresJournal::open(m_uri, options);
        EXPECT_TRUE(journal) << journal.error().message;
        return journal ? std::move(*journal) : nullptr;
    }

    std::int64_t counter(std::string const& schema)
    {
        return admin("SELECT counter FROM " + schema + ".journal_changes")[0][0].as<std::int64_t>();
    }
};

TEST_F(PostgresChangeCounter, EveryTableButTheTwoThatDescribeTheJournalHasAnEnabledCountingTrigger)
{
    ASSERT_TRUE(open("patient_1"));
    std::vector<std::string> uncounted;
    for (auto const& row : admin("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                 "WHERE n.nspname = 'patient_1' AND c.relkind IN ('r', 'p') "
                                 "AND c.relname NOT IN ('rollcoach_schema', 'journal_changes') AND NOT EXISTS ("
                                 "  SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'count_changes' AND t.tgenabled = 'O'"
                                 "  AND t.tgtype & 1 = 0 AND t.tgtype & (4 | 8 | 16 | 32) = (4 | 8 | 16 | 32)) ORDER BY 1"))
        uncounted.push_back(row[0].as<std::string>());
    EXPECT_TRUE(uncounted.empty()) << "tables whose writes the counter misses: " << ::testing::PrintToString(uncounted);
    EXPECT_GE(admin("SELECT count(*) FROM pg_tables WHERE schemaname = 'patient_1'")[0][0].as<int>(), 10);
}

TEST_F(PostgresChangeCounter, EveryWriteOfTheJournalMovesTheCounter)
{
    auto journal = open("patient_1");
    ASSERT_TRUE(journal);
    auto const at = test::monday_8am();
    auto last = counter("patient_1");
    auto moved = [&](char const* what) {
        auto now = counter("patient_1");
        EXPECT_GT(now, last) << what << " did not move the counter";
        last = now;
    };
    ASSERT_TRUE(journal->save_profile({ at, { { "experience", "new" } } }));
    moved("save_profile");
    ASSERT_TRUE(journal->update_profile(at, [](nlohmann::json d) { d["experience"] = "regular"; return d; }));
    moved("update_profile");
    auto screening = journal->add_screening({ 0, at, "clinician_before_rolling", { { "cancer_history", "yes" } }, nlohmann::json::object() });
    ASSERT_TRUE(screening);
    moved("add_screening");
    auto session = journal->add_session(test::sample_session(at + 1h));
    ASSERT_TRUE(session);
    moved("add_session");
    ASSERT_TRUE(journal->add_pain({ 0, at + 3h, 4, PainMoment::Standalone, std::nullopt, "" }));
    moved("add_pain");
    ASSERT_TRUE(journal->add_checkin({ 0, at + 4h, *session, 3, WarningSign::Present, "clinician_soon", nlohmann::json::object(), nlohmann::json::object() }));
    moved("add_checkin");
    ASSERT_TRUE(journal->add_note({ 0, at + 5h, std::nullopt, "felt fine" }));
    moved("add_note");
    ASSERT_TRUE(journal->add_clearance({ 0, at + 6h, "physio" }));
    moved("add_clearance");
    ASSERT_TRUE(journal->store(ScreeningRecord { 0, at + 7h, "emergency", nlohmann::json::object(), nlohmann::json::object() }, std::nullopt));
    moved("store (an import, the spool's replay)");
    ASSERT_TRUE(journal->in_write_transaction([&]() -> Result<void> {
        TRY(journal->add_note({ 0, at + 8h, std::nullopt, "in a transaction" }));
        return {};
    }));
    moved("in_write_transaction");
}

TEST_F(PostgresChangeCounter, AWriteStraightIntoTheTablesCountsInItsOwnJournalOnly)
{
    ASSERT_TRUE(open("patient_1"));
    ASSERT_TRUE(open("patient_2"));
    auto const one = counter("patient_1");
    auto const two = counter("patient_2");
    // From psql, with the default search_path, as an administrator fixing data would.
    admin("INSERT INTO patient_1.checkins (recorded_at, soreness, warning_sign, tier, answers, verdict) "
          "VALUES (1, 2, true, 'clinician_soon', '{}', '{}')");
    EXPECT_EQ(counter("patient_1"), one + 1);
    admin("UPDATE patient_1.checkins SET soreness = 3");
    admin("DELETE FROM patient_1.checkins");
    admin("TRUNCATE patient_1.notes");
    EXPECT_EQ(counter("patient_1"), one + 4);
    EXPECT_EQ(counter("patient_2"), two);
}

TEST_F(PostgresChangeCounter, AWriteRolledBackLeavesTheCounterAsItWas)
{
    ASSERT_TRUE(open("patient_1"));
    auto const before = counter("patient_1");
    {
        pqxx::connection connection(m_uri);
        pqxx::work tx(connection);
        tx.exec("INSERT INTO patient_1.notes (recorded_at, text) VALUES (1, 'never committed')");
        tx.abort();
    }
    EXPECT_EQ(counter("patient_1"), before);
}

TEST_F(PostgresChangeCounter, AJournalOfSchemaOneIsUpgradedWithItsRecordsAndStartsCounting)
{
    {
        auto old = open("patient_1", 1);
        ASSERT_TRUE(old);
        ASSERT_TRUE(old->add_session(test::sample_session(test::monday_8am())));
        EXPECT_TRUE(admin("SELECT to_regclass('patient_1.journal_changes')")[0][0].is_null());
    }
    auto journal = open("patient_1");
    ASSERT_TRUE(journal);
    EXPECT_EQ(*journal->schema_version(), latest_schema_version(embedded_postgres_migrations()));
    EXPECT_EQ(*journal->count_records(), 3);   // the session and its two pain ratings
    auto const before = counter("patient_1");
    ASSERT_TRUE(journal->add_note({ 0, test::monday_8am(), std::nullopt, "after the upgrade" }));
    EXPECT_GT(counter("patient_1"), before);
}

TEST_F(PostgresChangeCounter, AFailedUpgradeLeavesASchemaOneJournalAsItWas)
{
    ASSERT_TRUE(open("patient_1", 1));
    PostgresOptions broken;
    broken.schema = "patient_1";
    broken.migrations = embedded_postgres_migrations();
    broken.migrations.push_back({ latest_schema_version(embedded_postgres_migrations()) + 1, "9999_broken.sql", "THIS IS NOT SQL;" });
    auto opened = PostgresJournal::open(m_uri, broken);
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("Nothing was changed"), std::string::npos) << opened.error().message;
    EXPECT_EQ(admin("SELECT version FROM patient_1.rollcoach_schema")[0][0].as<int>(), 1);
    EXPECT_TRUE(admin("SELECT to_regclass('patient_1.journal_changes')")[0][0].is_null());
    EXPECT_EQ(admin("SELECT count(*) FROM pg_trigger WHERE tgname = 'count_changes'")[0][0].as<int>(), 0);
    EXPECT_EQ(admin("SELECT count(*) FROM pg_proc WHERE proname = 'count_journal_change'")[0][0].as<int>(), 0);
}

}
}
