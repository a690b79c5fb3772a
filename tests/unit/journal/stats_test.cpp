#include "journal/stats.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

namespace rc::journal {
namespace {

using namespace std::chrono;
using std::chrono::days;

LocalDay day(int y, unsigned m, unsigned d) { return sys_days { year { y } / month { m } / d }; }

TEST(Streak, CountsConsecutiveDaysEndingToday)
{
    auto today = day(2026, 1, 10);
    auto streak = compute_streak({ day(2026, 1, 8), day(2026, 1, 9), day(2026, 1, 10), day(2026, 1, 5) }, today);
    EXPECT_EQ(streak.current, 3);
    EXPECT_EQ(streak.longest, 3);
    EXPECT_EQ(streak.last_day, today);
}

TEST(Streak, StaysAliveUntilAWholeDayPassesWithoutASession)
{
    auto streak = compute_streak({ day(2026, 1, 8), day(2026, 1, 9) }, day(2026, 1, 10));
    EXPECT_EQ(streak.current, 2);
    auto broken = compute_streak({ day(2026, 1, 8), day(2026, 1, 9) }, day(2026, 1, 11));
    EXPECT_EQ(broken.current, 0);
    EXPECT_EQ(broken.longest, 2);
}

TEST(Streak, CountsTwoSessionsOnOneDayAsOneDay)
{
    auto streak = compute_streak({ day(2026, 1, 9), day(2026, 1, 9), day(2026, 1, 10) }, day(2026, 1, 10));
    EXPECT_EQ(streak.current, 2);
}

TEST(Streak, IgnoresSessionsDatedAfterToday)
{
    auto streak = compute_streak({ day(2026, 1, 10), day(2026, 1, 12) }, day(2026, 1, 10));
    EXPECT_EQ(streak.current, 1);
    EXPECT_EQ(streak.last_day, day(2026, 1, 10));
}

TEST(Streak, IsZeroWithoutSessions)
{
    EXPECT_EQ(compute_streak({}, day(2026, 1, 10)), Streak {});
}

RC_GTEST_PROP(Streak, CurrentNeverExceedsLongestNorTheNumberOfDays, (std::vector<int> offsets))
{
    std::vector<LocalDay> days_list;
    for (int offset : offsets)
        days_list.push_back(day(2026, 1, 1) + days { offset % 400 });
    auto streak = compute_streak(days_list, day(2026, 6, 1));
    RC_ASSERT(streak.current <= streak.longest);
    RC_ASSERT(streak.longest <= int(days_list.size()));
}

TEST(WeekStart, IsTheMondayOfTheWeek)
{
    EXPECT_EQ(week_start(day(2026, 1, 5)), day(2026, 1, 5));    // Monday
    EXPECT_EQ(week_start(day(2026, 1, 11)), day(2026, 1, 5));   // Sunday
    EXPECT_EQ(week_start(day(2026, 1, 12)), day(2026, 1, 12));
}

TEST(WeeklyProgress, CountsSessionsPerWeekAndWeeksThatMetTheGoal)
{
    std::vector<LocalDay> sessions;
    for (int i = 0; i < 5; ++i)
        sessions.push_back(day(2025, 12, 29) + days { i });   // previous week: 5, meets goal
    sessions.push_back(day(2026, 1, 5));
    sessions.push_back(day(2026, 1, 5));                      // this week: 2 (two on one day)
    auto progress = compute_weekly_progress(sessions, day(2026, 1, 7), 5, 3);
    ASSERT_EQ(progress.weeks.size(), 3u);
    EXPECT_EQ(progress.weeks[0], (WeekCount { day(2025, 12, 22), 0 }));
    EXPECT_EQ(progress.weeks[1], (WeekCount { day(2025, 12, 29), 5 }));
    EXPECT_EQ(progress.weeks[2], (WeekCount { day(2026, 1, 5), 2 }));
    EXPECT_EQ(progress.weeks_meeting_goal, 1);
    EXPECT_EQ(progress.goal, 5);
}

TEST(WeeklyProgress, LeavesTheCurrentWeekOutOfWeeksMeetingTheGoal)
{
    std::vector<LocalDay> sessions(6, day(2026, 1, 6));
    auto progress = compute_weekly_progress(sessions, day(2026, 1, 7), 5, 2);
    EXPECT_EQ(progress.weeks.back().sessions, 6);
    EXPECT_EQ(progress.weeks_meeting_goal, 0);
}

TEST(PainChange, TwoPointsIsMeaningful)
{
    auto change = classify_pain_change(7.0, 5.0);
    EXPECT_EQ(change.size, ChangeSize::Meaningful);
    EXPECT_EQ(change.direction, ChangeDirection::Better);
    EXPECT_DOUBLE_EQ(*change.points, -2.0);
}

TEST(PainChange, ThirtyPercentIsMeaningfulEvenUnderTwoPoints)
{
    auto change = classify_pain_change(3.0, 2.0);   // -1 point, -33%
    EXPECT_EQ(change.size, ChangeSize::Meaningful);
    EXPECT_NEAR(*change.percent, -33.33, 0.01);
}

TEST(PainChange, UnderTwoPointsAndUnderThirtyPercentIsSmall)
{
    auto change = classify_pain_change(6.0, 5.0);   // -1 point, -17%
    EXPECT_EQ(change.size, ChangeSize::Small);
    EXPECT_EQ(change.direction, ChangeDirection::Better);
}

TEST(PainChange, AWorseningIsCalledWorse)
{
    auto change = classify_pain_change(3.0, 5.5);
    EXPECT_EQ(change.size, ChangeSize::Meaningful);
    EXPECT_EQ(change.direction, ChangeDirection::Worse);
}

TEST(PainChange, NoChangeFromZeroIsSmallAndTheSame)
{
    auto change = classify_pain_change(0.0, 0.0);
    EXPECT_EQ(change.size, ChangeSize::Small);
    EXPECT_EQ(change.direction, ChangeDirection::Same);
    EXPECT_FALSE(change.percent);
}

TEST(PainChange, MissingEitherSideIsNotEnoughData)
{
    EXPECT_EQ(classify_pain_change(std::nullopt, 4.0).size, ChangeSize::NotEnoughData);
    EXPECT_EQ(classify_pain_change(4.0, std::nullopt).size, ChangeSize::NotEnoughData);
}

RC_GTEST_PROP(PainChange, IsMeaningfulExactlyWhenTwoPointsOrThirtyPercent, ())
{
    int baseline_tenths = *rc::gen::inRange(0, 101);
    int current_tenths = *rc::gen::inRange(0, 101);
    auto change = classify_pain_change(baseline_tenths / 10.0, current_tenths / 10.0);
    int diff = std::abs(current_tenths - baseline_tenths);
    bool expected = diff >= 20 || (baseline_tenths > 0 && diff > 0 && diff * 100 >= 30 * baseline_tenths);
    RC_ASSERT((change.size == ChangeSize::Meaningful) == expected);
}

TEST(SorenessPattern, FlagsTwoHighOfTheLastThree)
{
    auto pattern = compute_soreness_pattern({ 2, 7, 3, 8 }, 6);
    EXPECT_TRUE(pattern.repeated_high);
    EXPECT_EQ(pattern.high, 2);
    EXPECT_EQ(pattern.checkins, 4);
    EXPECT_DOUBLE_EQ(*pattern.average, 5.0);
}

TEST(SorenessPattern, OneHighInTheLastThreeIsNotRepeated)
{
    auto pattern = compute_soreness_pattern({ 8, 9, 2, 3, 7 }, 6);
    EXPECT_FALSE(pattern.repeated_high);
    EXPECT_EQ(pattern.high, 3);
}

TEST(SorenessPattern, KeepsTheLastSevenCheckInsOldestFirst)
{
    auto pattern = compute_soreness_pattern({ 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 6);
    EXPECT_EQ(pattern.recent, (std::vector<int> { 3, 4, 5, 6, 7, 8, 9 }));
}

TEST(LocalDay, UsesTheCallersOffsetFromUtc)
{
    auto late_evening_utc = WallTime { sys_days { year { 2026 } / 1 / 5 } + hours { 23 } + minutes { 30 } };
    EXPECT_EQ(local_day(late_evening_utc, hours { 0 }), day(2026, 1, 5));
    EXPECT_EQ(local_day(late_evening_utc, hours { 1 }), day(2026, 1, 6));
    EXPECT_EQ(local_day(late_evening_utc, -hours { 5 }), day(2026, 1, 5));
}

}
}
