#include "journal/open_journal.h"
#include "journal/sqlite_journal.h"
#include "backend_test.h"
#include "test_support.h"

#include "common/clock.h"

#include <gtest/gtest.h>

namespace rc::journal {
namespace {

using namespace std::chrono_literals;
using test::TempDir;

// The journal's contract, the same on every backend (backend_test.h).
class JournalContract : public test::BackendTest {};

StatsRequest request_at(WallTime now)
{
    StatsRequest request;
    request.now = now;
    return request;
}

TEST_P(JournalContract, StoresASessionWithItsZonesSpotsCuesAndRatings)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    auto session = test::sample_session(test::monday_8am());
    session.end_reason = EndReason::StoppedWarning;
    session.skipped_steps = nlohmann::json::array({ 2 });
    auto id = journal->add_session(session);
    ASSERT_TRUE(id);
    auto stored = journal->find_session(*id);
    ASSERT_TRUE(stored && *stored);
    auto const& s = **stored;
    EXPECT_EQ(s.started_at, session.started_at);
    EXPECT_EQ(s.ended_at, session.ended_at);
    EXPECT_EQ(s.end_reason, EndReason::StoppedWarning);
    EXPECT_EQ(s.plan, session.plan);
    EXPECT_EQ(s.cues, session.cues);
    EXPECT_EQ(s.skipped_steps, session.skipped_steps);
    EXPECT_EQ(s.tender_spots, session.tender_spots);
    ASSERT_EQ(s.zones.size(), 3u);   // sorted by zone id
    EXPECT_EQ(s.zones[0], (ZoneTime { "glutes", 180s }));
    ASSERT_EQ(s.pain.size(), 2u);
    EXPECT_EQ(s.pain[0].moment, PainMoment::Before);
    EXPECT_EQ(s.pain[0].session_id, *id);
    EXPECT_EQ(s.pain[1].value, 3);
}

TEST_P(JournalContract, FindsNothingForAnUnknownSession)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    auto stored = journal->find_session(42);
    ASSERT_TRUE(stored);
    EXPECT_FALSE(*stored);
}

TEST_P(JournalContract, RefusesAPainRatingOutsideZeroToTen)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    auto id = journal->add_pain({ 0, test::monday_8am(), 11, PainMoment::Standalone, std::nullopt, "" });
    ASSERT_FALSE(id);
    EXPECT_EQ(id.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(id.error().message.find("0 (no pain) to 10"), std::string::npos);
    EXPECT_EQ(*journal->count_records(), 0);
}

TEST_P(JournalContract, RefusesARatingForASessionThatDoesNotExist)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    auto id = journal->add_pain({ 0, test::monday_8am(), 3, PainMoment::After, 7, "" });
    ASSERT_FALSE(id);
    EXPECT_EQ(id.error().code, ErrorCode::NotFound);
}

TEST_P(JournalContract, KeepsTheProfileAndUpdatesItInPlace)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    EXPECT_FALSE(*journal->find_profile());
    ASSERT_TRUE(journal->save_profile({ test::monday_8am(), { { "experience", "first_time" } } }));
    auto updated = journal->update_profile(test::monday_8am() + 1h, [](nlohmann::json doc) {
        doc["minutes_available"] = 8;
        return doc;
    });
    ASSERT_TRUE(updated);
    auto profile = journal->find_profile();
    ASSERT_TRUE(profile && *profile);
    EXPECT_EQ((*profile)->document, (nlohmann::json { { "experience", "first_time" }, { "minutes_available", 8 } }));
    EXPECT_EQ((*profile)->updated_at, test::monday_8am() + 1h);
}

TEST_P(JournalContract, AWarningSignCheckInBlocksUntilAClearanceIsLogged)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    auto t = test::monday_8am();
    ASSERT_TRUE(journal->add_checkin({ 0, t, std::nullopt, 3, WarningSign::Absent, "proceed", {}, {} }));
    EXPECT_FALSE(*journal->find_uncleared_warning());
    auto warning = journal->add_checkin({ 0, t + 24h, std::nullopt, 4, WarningSign::Present, "clinician_soon", {}, {} });
    ASSERT_TRUE(warning);
    auto blocked = journal->find_uncleared_warning();
    ASSERT_TRUE(blocked && *blocked);
    EXPECT_EQ((*blocked)->id, *warning);
    ASSERT_TRUE(journal->add_clearance({ 0, t + 48h, "physio said fine" }));
    EXPECT_FALSE(*journal->find_uncleared_warning());
    // A new warning after the clearance blocks again.
    ASSERT_TRUE(journal->add_checkin({ 0, t + 72h, std::nullopt, 2, WarningSign::Present, "clinician_soon", {}, {} }));
    EXPECT_TRUE(*journal->find_uncleared_warning());
}

TEST_P(JournalContract, FindsTheNewestCheckInWithItsVerdict)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    EXPECT_FALSE(*journal->find_latest_checkin());
    auto t = test::monday_8am();
    nlohmann::json const verdict = { { "tier", "proceed_with_changes" }, { "changes", { { "max_session_seconds", 240 } } } };
    ASSERT_TRUE(journal->add_checkin({ 0, t, std::nullopt, 3, WarningSign::Absent, "proceed", {}, {} }));
    auto newest = journal->add_checkin({ 0, t + 24h, std::nullopt, 4, WarningSign::Absent, "proceed_with_changes", { { "checkin_kind", "dull_ache" } }, verdict });
    ASSERT_TRUE(newest);
    auto found = journal->find_latest_checkin();
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->id, *newest);
    EXPECT_EQ((*found)->at, t + 24h);
    EXPECT_EQ((*found)->verdict, verdict);
    EXPECT_EQ((*found)->answers["checkin_kind"], "dull_ache");
}

TEST_P(JournalContract, HistoryListsEveryKindNewestFirstUpToTheLimit)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    auto t = test::monday_8am();
    ASSERT_TRUE(journal->add_screening({ 0, t, "proceed", { { "q1", "no" } }, { { "tier", "proceed" } } }));
    ASSERT_TRUE(journal->add_session(test::sample_session(t + 1h)));
    ASSERT_TRUE(journal->add_note({ 0, t + 2h, std::nullopt, "felt looser" }));
    ASSERT_TRUE(journal->add_checkin({ 0, t + 24h, std::nullopt, 2, WarningSign::Absent, "proceed", {}, {} }));
    ASSERT_TRUE(journal->add_clearance({ 0, t + 25h, "" }));
    auto all = journal->history(50);
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 7u);   // screening, session, 2 ratings, note, check-in, clearance
    EXPECT_EQ((*all)[0].kind, EntryKind::Clearance);
    EXPECT_EQ((*all)[1].kind, EntryKind::CheckIn);
    EXPECT_EQ((*all)[2].kind, EntryKind::Note);
    EXPECT_EQ((*all)[6].kind, EntryKind::Screening);
    auto session = std::find_if(all->begin(), all->end(), [](auto const& e) { return e.kind == EntryKind::Session; });
    ASSERT_NE(session, all->end());
    EXPECT_EQ(session->detail["seconds"], 600);
    EXPECT_EQ(session->detail["pain_before"], 5);
    EXPECT_EQ(session->detail["pain_after"], 3);
    auto two = journal->history(2);
    ASSERT_TRUE(two);
    ASSERT_EQ(two->size(), 2u);
    EXPECT_EQ((*two)[1].kind, EntryKind::CheckIn);
}

TEST_P(JournalContract, HistoryPerKindKeepsAYearOfOneKindFromPushingTheOthersOut)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    auto t = test::monday_8am();
    ASSERT_TRUE(journal->add_screening({ 0, t, "clinician_soon", { { "q1", "yes" } }, { { "tier", "clinician_soon" } } }));
    ASSERT_TRUE(journal->add_session(test::sample_session(t + 1h)));
    for (int day = 1; day <= 5; ++day)
        ASSERT_TRUE(journal->add_checkin({ 0, t + day * 24h, std::nullopt, 2, WarningSign::Absent, "proceed", {}, {} }));

    // All kinds together: the five newer check-ins fill a page of three.
    auto together = journal->history(3);
    ASSERT_TRUE(together);
    EXPECT_EQ(together->size(), 3u);
    EXPECT_TRUE(std::all_of(together->begin(), together->end(), [](auto const& e) { return e.kind == EntryKind::CheckIn; }));

    // Three of each asked kind: the older screening and session are still there; nothing else is read.
    auto each = journal->history(HistoryQuery { 3, { EntryKind::Session, EntryKind::CheckIn, EntryKind::Screening }, true });
    ASSERT_TRUE(each);
    auto count = [&](EntryKind kind) { return std::count_if(each->begin(), each->end(), [&](auto const& e) { return e.kind == kind; }); };
    EXPECT_EQ(count(EntryKind::CheckIn), 3);
    EXPECT_EQ(count(EntryKind::Session), 1);
    EXPECT_EQ(count(EntryKind::Screening), 1);
    EXPECT_EQ(count(EntryKind::Pain), 0);   // the session's ratings were not asked for
    EXPECT_EQ(each->size(), 5u);
    EXPECT_TRUE(std::is_sorted(each->begin(), each->end(), [](auto const& a, auto const& b) { return a.at > b.at; }));
}

TEST_P(JournalContract, StatsCountStreakWeeksAndMinutesPerZone)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    FakeClock clock;   // Monday 2026-01-05 08:00 UTC
    for (int day = 0; day < 4; ++day) {
        ASSERT_TRUE(journal->add_session(test::sample_session(clock.wall_now())));
        clock.advance(24h);
    }
    // Today is Friday; the last session was Thursday: the streak is alive.
    auto stats = journal->compute_stats(request_at(clock.wall_now()));
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->total_sessions, 4);
    EXPECT_EQ(stats->streak.current, 4);
    EXPECT_EQ(stats->weekly.weeks.back().sessions, 4);
    EXPECT_EQ(stats->weekly.goal, 5);
    ASSERT_EQ(stats->minutes_per_zone.size(), 3u);
    EXPECT_EQ(stats->minutes_per_zone[0], (ZoneMinutes { "upper_back", 16.0 }));
    EXPECT_EQ(stats->minutes_per_zone[2], (ZoneMinutes { "hip_flexors", 8.0 }));
}

TEST_P(JournalContract, StatsUseTheCallersTimeZoneForDays)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    auto monday_2330_utc = test::monday_8am() + 15h + 30min;
    ASSERT_TRUE(journal->add_session(test::sample_session(monday_2330_utc)));
    auto request = request_at(monday_2330_utc + 2h);   // Tuesday 01:30 UTC
    auto utc = journal->compute_stats(request);
    request.utc_offset = -6h;                            // still Monday evening there
    auto west = journal->compute_stats(request);
    ASSERT_TRUE(utc && west);
    EXPECT_EQ(format_day(utc->today), "2026-01-06");
    EXPECT_EQ(format_day(west->today), "2026-01-05");
    EXPECT_EQ(format_day(*utc->streak.last_day), "2026-01-05");
    EXPECT_EQ(format_day(*west->streak.last_day), "2026-01-05");
}

TEST_P(JournalContract, PainTrendComparesTheLastSevenDaysWithTheFirstWeek)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    FakeClock clock;
    for (int day = 0; day < 21; ++day) {
        int before = day < 7 ? 6 : 4;   // first week 6, last week 4: -2 points, meaningful
        ASSERT_TRUE(journal->add_session(test::sample_session(clock.wall_now(), before, before - 1)));
        clock.advance(24h);
    }
    auto stats = journal->compute_stats(request_at(clock.wall_now() - 24h));
    ASSERT_TRUE(stats);
    auto const& change = stats->pain.since_first_week;
    EXPECT_EQ(change.size, ChangeSize::Meaningful);
    EXPECT_EQ(change.direction, ChangeDirection::Better);
    EXPECT_DOUBLE_EQ(*change.baseline, 6.0);
    EXPECT_DOUBLE_EQ(*change.current, 4.0);
    EXPECT_DOUBLE_EQ(*stats->pain.mean_session_change, -1.0);
    EXPECT_EQ(stats->pain.sessions.size(), 14u);
    EXPECT_EQ(stats->pain.sessions.back().before, 4);
}

TEST_P(JournalContract, PainTrendCallsAOnePointDropFromSixSmall)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    FakeClock clock;
    for (int day = 0; day < 14; ++day) {
        ASSERT_TRUE(journal->add_pain({ 0, clock.wall_now(), day < 7 ? 6 : 5, PainMoment::Standalone, std::nullopt, "" }));
        clock.advance(24h);
    }
    auto stats = journal->compute_stats(request_at(clock.wall_now() - 24h));
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->pain.since_first_week.size, ChangeSize::Small);
}

TEST_P(JournalContract, PainTrendSaysNotEnoughDataInTheFirstTwoWeeks)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    FakeClock clock;
    for (int day = 0; day < 10; ++day) {
        ASSERT_TRUE(journal->add_pain({ 0, clock.wall_now(), day < 5 ? 8 : 2, PainMoment::Standalone, std::nullopt, "" }));
        clock.advance(24h);
    }
    auto stats = journal->compute_stats(request_at(clock.wall_now() - 24h));
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->pain.since_first_week.size, ChangeSize::NotEnoughData);
    EXPECT_FALSE(stats->pain.since_first_week.points);
    EXPECT_TRUE(stats->pain.last_7_days_average);
}

TEST_P(JournalContract, PainTrendLeavesAfterSessionRatingsOutOfTheBackgroundAverage)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    auto t = test::monday_8am();
    ASSERT_TRUE(journal->add_pain({ 0, t, 6, PainMoment::Standalone, std::nullopt, "" }));
    auto session = test::sample_session(t + 1h, 4, 0);
    ASSERT_TRUE(journal->add_session(session));
    auto stats = journal->compute_stats(request_at(t + 2h));
    ASSERT_TRUE(stats);
    EXPECT_DOUBLE_EQ(*stats->pain.last_7_days_average, 5.0);   // 6 and 4, not the 0 after
}

TEST_P(JournalContract, SorenessPatternAndPlanningHistoryComeFromRecentCheckIns)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    FakeClock clock;
    std::vector<int> soreness { 2, 7, 3, 8 };
    for (int s : soreness) {
        auto id = journal->add_session(test::sample_session(clock.wall_now()));
        ASSERT_TRUE(id);
        ASSERT_TRUE(journal->add_checkin({ 0, clock.wall_now() + 24h, *id, s, WarningSign::Absent, "proceed", {}, {} }));
        clock.advance(24h);
    }
    auto now = clock.wall_now() + 1h;
    auto stats = journal->compute_stats(request_at(now));
    ASSERT_TRUE(stats);
    EXPECT_TRUE(stats->soreness.repeated_high);
    EXPECT_EQ(stats->soreness.recent, soreness);
    auto history = journal->history_for_planning(request_at(now));
    ASSERT_TRUE(history);
    EXPECT_EQ(history->soreness, soreness);
    ASSERT_EQ(history->sessions.size(), 4u);
    EXPECT_TRUE(history->sessions[0].completed);
    EXPECT_EQ(history->sessions[0].duration, 600s);
    EXPECT_EQ(history->sessions[0].date, std::chrono::sys_days { std::chrono::year { 2026 } / 1 / 5 });
    EXPECT_EQ(history->today, local_day(now, 0s));
    EXPECT_FALSE(history->warning_sign_pending);
}

TEST_P(JournalContract, PlanningHistoryCarriesAnUnclearedWarningSignAndWhatItWas)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    auto t = test::monday_8am();
    nlohmann::json verdict = { { "tier", "clinician_soon" },
        { "reasons", nlohmann::json::array({ { { "message", "Numbness down one leg" } } }) } };
    ASSERT_TRUE(journal->add_checkin({ 0, t, std::nullopt, 5, WarningSign::Present, "clinician_soon", {}, verdict }));
    auto history = journal->history_for_planning(request_at(t + 1h));
    ASSERT_TRUE(history);
    EXPECT_TRUE(history->warning_sign_pending);
    EXPECT_EQ(history->warning_sign, "Numbness down one leg");
    auto stats = journal->compute_stats(request_at(t + 1h));
    ASSERT_TRUE(stats);
    EXPECT_TRUE(stats->uncleared_warning);
}

TEST_P(JournalContract, PlanningHistoryLeavesOutSessionsOlderThanFourWeeks)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    auto t = test::monday_8am();
    ASSERT_TRUE(journal->add_session(test::sample_session(t)));
    ASSERT_TRUE(journal->add_session(test::sample_session(t + 24h * 40)));
    auto history = journal->history_for_planning(request_at(t + 24h * 41));
    ASSERT_TRUE(history);
    EXPECT_EQ(history->sessions.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, JournalContract, test::every_backend(), test::backend_name);

TEST(OpenJournal, CreatesTheFolderOnlyForTheDefaultLocation)
{
    TempDir dir;
    auto elsewhere = dir / "missing" / "journal.db";
    auto refused = open_journal(elsewhere, Purpose::Write);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("does not exist"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(dir / "missing"));

    ::setenv("XDG_DATA_HOME", (dir / "xdg").c_str(), 1);
    auto created = open_journal(dir / "xdg" / "rollcoach" / "journal.db", Purpose::Write);
    ::unsetenv("XDG_DATA_HOME");
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_TRUE(std::filesystem::exists(dir / "xdg" / "rollcoach" / "journal.db"));
}

TEST(OpenJournal, ReadingAMissingJournalCreatesNothing)
{
    TempDir dir;
    auto opened = open_journal(dir / "journal.db", Purpose::Read);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::NotFound);
    EXPECT_FALSE(std::filesystem::exists(dir / "journal.db"));
}

TEST(OpenJournal, ForReadingItReadsAndChangesNothing)
{
    TempDir dir;
    {
        auto journal = open_journal(dir / "journal.db", Purpose::Write);
        ASSERT_TRUE(journal) << journal.error().message;
        ASSERT_TRUE((*journal)->add_note({ 0, test::monday_8am(), std::nullopt, "felt looser" }));
    }
    auto modified = std::filesystem::last_write_time(dir / "journal.db");
    auto opened = open_journal(dir / "journal.db", Purpose::Read);
    ASSERT_TRUE(opened) << opened.error().message;
    auto entries = (*opened)->history(10);
    ASSERT_TRUE(entries) << entries.error().message;
    EXPECT_EQ(entries->size(), 1u);
    auto refused = (*opened)->add_note({ 0, test::monday_8am(), std::nullopt, "more" });
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("read-only"), std::string::npos) << refused.error().message;
    EXPECT_EQ(std::filesystem::last_write_time(dir / "journal.db"), modified);
}

TEST(OpenJournal, SaysHowToFixAMissingHome)
{
    auto opened = open_journal(std::nullopt, Purpose::Write);
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("--db"), std::string::npos);
}

}
}
