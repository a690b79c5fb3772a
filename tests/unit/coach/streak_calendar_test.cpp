// GET /api/stats as the history screen reads it. The streak calendar ("session_days") marks the
// days whose sessions count toward the streak (journal::counts_toward_streak), so the calendar and
// the streak's number agree: a session quit after 30 seconds is neither. The soreness card can
// tell "no check-ins yet" from "none in the last 14 days" ("last_checkin_at").
#include "../shipped_kb.h"
#include "coach/coach.h"
#include "journal/open_journal.h"
#include "knowledge/loader.h"

#include <filesystem>
#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace rc;
using namespace std::chrono_literals;

namespace {

using rc::test::shipped_kb;

class StreakCalendar : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_file = fs::temp_directory_path() / fmt::format("rc-streak-calendar-{}-{}.db", ::getpid(), s_counter++);
        auto journal = journal::open_journal(m_file, journal::Purpose::Write);
        ASSERT_TRUE(journal) << journal.error().message;
        m_coach = std::make_unique<coach::Coach>(shipped_kb(), std::move(*journal), m_clock);
        json answers = json::object();
        for (auto const* q : shipped_kb().screening.questions_of(kb::Questionnaire::Screening))
            answers[q->id] = q->type == kb::AnswerType::Number ? json(40) : json("no");
        ASSERT_TRUE(m_coach->submit_screening(json { { "answers", answers } }.dump()));
    }
    void TearDown() override
    {
        m_coach.reset();
        fs::remove(m_file);
    }

    // A session that started now and lasted `active`, ended as `reason`.
    void roll(journal::EndReason reason, std::chrono::seconds active)
    {
        coach::SessionRecord record;
        record.started_at = m_clock.wall_now();
        record.ended_at = m_clock.wall_now() + active;
        record.end_reason = reason;
        ASSERT_TRUE(m_coach->record_session(record));
    }

    std::string today() const { return journal::format_day(journal::local_day(m_clock.wall_now(), 0s)); }

    FakeClock m_clock;
    fs::path m_file;
    std::unique_ptr<coach::Coach> m_coach;
    static inline int s_counter = 0;
};

}

TEST_F(StreakCalendar, MarksOnlyTheDaysWhoseSessionsKeepTheStreak)
{
    roll(journal::EndReason::Completed, 5min);
    auto const first = today();
    m_clock.advance(24h);
    roll(journal::EndReason::Quit, 30s);   // a false start: not a day rolled
    auto const second = today();
    m_clock.advance(24h);
    roll(journal::EndReason::Quit, 3min);  // quit, but after real rolling
    auto const third = today();
    m_clock.advance(1h);

    auto stats = m_coach->stats(0s);
    ASSERT_TRUE(stats) << stats.error().message;
    auto const days = (*stats)["session_days"];
    EXPECT_EQ(days, json({ third, first })) << "not " << second;
    EXPECT_EQ((*stats)["total_sessions"], 3) << "every session still counts as a session";
    EXPECT_EQ((*stats)["streak"]["current_days"], 1) << "the false start broke the run, as the calendar shows";
}

// The history's soreness card counts the last 14 days' check-ins; with none there it must still
// tell "none in the last 14 days" from "none yet", so the stats say when the last check-in was.
TEST_F(StreakCalendar, SaysWhenTheLastCheckInWasOnceItIsOlderThanTheSorenessWindow)
{
    auto stats = m_coach->stats(0s);
    ASSERT_TRUE(stats) << stats.error().message;
    EXPECT_EQ((*stats)["next_day_soreness"]["checkins_last_14_days"], 0);
    EXPECT_TRUE((*stats)["next_day_soreness"]["last_checkin_at"].is_null()) << "no check-in yet";

    json const fine { { "answers", { { "checkin_emergency_signs", "no" }, { "checkin_kind", "none" } } } };
    auto const checked_in_at = journal::format_utc(m_clock.wall_now());
    ASSERT_TRUE(m_coach->submit_checkin(fine.dump()));
    m_clock.advance(15 * 24h);

    stats = m_coach->stats(0s);
    ASSERT_TRUE(stats) << stats.error().message;
    EXPECT_EQ((*stats)["next_day_soreness"]["checkins_last_14_days"], 0);
    EXPECT_EQ((*stats)["next_day_soreness"]["last_checkin_at"], checked_in_at);
}
