// coach::import_journal: restoring and merging a journal export, over the SQLite backend.
#include "coach/import_merge.h"
#include "journal/sqlite_journal.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace rc::journal {
namespace {

using namespace std::chrono_literals;
using coach::ImportMode;
using test::TempDir;
using test::open_at;

TEST(ImportJournal, JsonRoundTripRestoresTheJournalExactly)
{
    TempDir dir;
    auto source = open_at(dir / "a.db");
    test::fill_one_of_each(*source, test::monday_8am());
    auto exported = source->export_json();
    ASSERT_TRUE(exported);
    auto target = open_at(dir / "b.db");
    auto summary = coach::import_journal(*target, *exported, ImportMode::RefuseIfNotEmpty);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->added, 9);
    auto again = target->export_json();
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *exported);
    // Text form too: what `rollcoach export` writes and `rollcoach import` reads.
    auto reparsed = nlohmann::json::parse(exported->dump(2));
    EXPECT_EQ(reparsed, *exported);
    auto session = target->find_session(1);
    ASSERT_TRUE(session && *session);
    EXPECT_EQ((*session)->pain.size(), 2u);
    EXPECT_EQ((*session)->screening_id, 1);
}


TEST(ImportJournal, ImportRefusesANonEmptyJournalWithoutMergeAndChangesNothing)
{
    TempDir dir;
    auto source = open_at(dir / "a.db");
    test::fill_one_of_each(*source, test::monday_8am());
    auto exported = *source->export_json();
    auto target = open_at(dir / "b.db");
    ASSERT_TRUE(target->add_note({ 0, test::monday_8am(), std::nullopt, "mine" }));
    auto refused = coach::import_journal(*target, exported, ImportMode::RefuseIfNotEmpty);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Conflict);
    EXPECT_NE(refused.error().message.find("--merge"), std::string::npos);
    EXPECT_EQ(*target->count_records(), 1);
}


TEST(ImportJournal, MergeKeepsBothSidesAndRemapsReferences)
{
    TempDir dir;
    auto source = open_at(dir / "a.db");
    test::fill_one_of_each(*source, test::monday_8am());
    auto exported = *source->export_json();
    auto target = open_at(dir / "b.db");
    // The target already has a different session with id 1.
    ASSERT_TRUE(target->add_session(test::sample_session(test::monday_8am() - 240h, 7, 6)));
    auto before = *target->count_records();
    auto merged = coach::import_journal(*target, exported, ImportMode::Merge);
    ASSERT_TRUE(merged) << merged.error().message;
    EXPECT_EQ(merged->added, 9);
    EXPECT_EQ(merged->skipped, 0);
    EXPECT_EQ(*target->count_records(), before + 9);
    auto imported = target->find_session(2);
    ASSERT_TRUE(imported && *imported);
    EXPECT_EQ((*imported)->started_at, test::monday_8am() + 1h);
    ASSERT_EQ((*imported)->pain.size(), 2u);   // the ratings followed their session to id 2
    EXPECT_EQ((*imported)->pain[0].value, 5);
    auto old = target->find_session(1);
    EXPECT_EQ((*old)->pain[0].value, 7);
    // Importing the same file again adds nothing.
    auto twice = coach::import_journal(*target, exported, ImportMode::Merge);
    ASSERT_TRUE(twice);
    EXPECT_EQ(twice->added, 0);
    EXPECT_EQ(twice->skipped, 9);
    EXPECT_EQ(*target->count_records(), before + 9);
}


TEST(ImportJournal, ImportNamesTheBadFieldAndWritesNothing)
{
    TempDir dir;
    auto source = open_at(dir / "a.db");
    test::fill_one_of_each(*source, test::monday_8am());
    auto exported = *source->export_json();
    exported["pain_ratings"][0]["value"] = 12;
    auto target = open_at(dir / "b.db");
    auto refused = coach::import_journal(*target, exported, ImportMode::RefuseIfNotEmpty);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, "pain_ratings[0].value: expected a whole number from 0 to 10");
    EXPECT_EQ(*target->count_records(), 0);
}


TEST(ImportJournal, ImportRefusesADanglingReference)
{
    TempDir dir;
    auto source = open_at(dir / "a.db");
    test::fill_one_of_each(*source, test::monday_8am());
    auto exported = *source->export_json();
    exported["notes"][0]["session_id"] = 99;
    auto target = open_at(dir / "b.db");
    auto refused = coach::import_journal(*target, exported, ImportMode::RefuseIfNotEmpty);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("notes[0].session_id"), std::string::npos);
}


TEST(ImportJournal, ImportRefusesSomethingThatIsNotAnExport)
{
    TempDir dir;
    auto target = open_at(dir / "b.db");
    auto refused = coach::import_journal(*target, { { "resourceType", "Bundle" } }, ImportMode::Merge);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("not a rollcoach journal export"), std::string::npos);
}


}
}
