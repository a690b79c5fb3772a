// Which sessions keep a streak going (one rule: journal::counts_toward_streak, docs/journal.md),
// and the pain ratings given with a session in the last 7 days (issue 15: `stats` said "no
// ratings" right after a 7/10 given after a session).
#include "journal/sqlite_journal.h"
#include "journal/stats.h"
#include "sample_records.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace rc::journal {
namespace {

using namespace std::chrono_literals;
using test::TempDir;

std::unique_ptr<SqliteJournal> fresh(TempDir const& dir)
{
    auto journal = SqliteJournal::open(dir / "journal.db", Creation::CreateFileOnly);
    EXPECT_TRUE(journal) << (journal ? "" : journal.error().message);
    return std::move(*journal);
}

StatsRequest at(WallTime now)
{
    StatsRequest request;
    request.now = now;
    return request;
}

SessionRecord session(WallTime start, EndReason reason, std::chrono::milliseconds active)
{
    auto record = test::sample_session(start);
    record.end_reason = reason;
    record.ended_at = start + active;
    record.pain.clear();
    return record;
}

}

TEST(StreakRule, ACompletedSessionOrTwoMinutesOfSessionTimeCountsAndAThirtySecondQuitDoesNot)
{
    EXPECT_TRUE(counts_toward_streak(EndReason::Completed, 30s));
    EXPECT_TRUE(counts_toward_streak(EndReason::Quit, 2min));
    EXPECT_TRUE(counts_toward_streak(EndReason::StoppedWarning, 3min));
    EXPECT_FALSE(counts_toward_streak(EndReason::Quit, 30s));
    EXPECT_FALSE(counts_toward_streak(EndReason::Quit, 2min - 1ms));
    EXPECT_FALSE(counts_toward_streak(EndReason::StoppedWarning, 1min));
}

TEST(StreakRule, AThirtySecondQuitNeitherStartsNorExtendsAStreakButStillCountsAsASession)
{
    TempDir dir;
    auto journal = fresh(dir);
    auto const monday = test::monday_8am();
    ASSERT_TRUE(journal->add_session(session(monday, EndReason::Completed, 5min)));
    ASSERT_TRUE(journal->add_session(session(monday + 24h, EndReason::Quit, 30s)));
    auto stats = journal->compute_stats(at(monday + 24h + 1h));
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->total_sessions, 2);
    EXPECT_EQ(stats->streak.current, 1) << "Monday only: Tuesday's 30-second quit does not count";
    ASSERT_TRUE(journal->add_session(session(monday + 24h + 2h, EndReason::Quit, 3min)));
    stats = journal->compute_stats(at(monday + 24h + 6h));
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->streak.current, 2) << "a 3-minute quit on Tuesday does";
    EXPECT_EQ(stats->streak.longest, 2);
}

TEST(PainLastSevenDays, RatingsDuringAndAfterASessionAreCountedApartFromTheBackgroundAverage)
{
    TempDir dir;
    auto journal = fresh(dir);
    auto const t = test::monday_8am();
    ASSERT_TRUE(journal->add_pain({ 0, t, 7, PainMoment::After, std::nullopt, "" }));
    auto stats = journal->compute_stats(at(t + 1min));
    ASSERT_TRUE(stats);
    EXPECT_FALSE(stats->pain.last_7_days_average) << "after a session is not background pain";
    EXPECT_EQ(stats->pain.last_7_days_session_ratings, 1);
    ASSERT_TRUE(stats->pain.last_7_days_session_average);
    EXPECT_DOUBLE_EQ(*stats->pain.last_7_days_session_average, 7.0);
    auto const json = to_json(*stats);
    EXPECT_EQ(json["pain"]["last_7_days_session_ratings"], 1);
    // Eight days later it has left the window.
    stats = journal->compute_stats(at(t + 8 * 24h));
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->pain.last_7_days_session_ratings, 0);
    EXPECT_FALSE(stats->pain.last_7_days_session_average);
}

}
