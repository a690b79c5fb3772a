// The next-day check-in counts the hours from the session the journal recorded and never asks
// for them; without a recent session it asks whether the soreness is the usual ache, and a
// usual mild ache long after the last session does not stop anyone (clinical-facts.md section 5).
#include "../shipped_kb.h"
#include "coach/coach.h"
#include "journal/open_journal.h"
#include "knowledge/loader.h"

#include <algorithm>
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

json ache(std::string const& trend, json extra = json::object())
{
    json answers = { { "checkin_emergency_signs", "no" }, { "checkin_kind", "dull_ache" }, { "checkin_location", "upper_back" },
        { "checkin_intensity", 3 }, { "checkin_trend", trend }, { "checkin_swelling", "no" } };
    answers.update(extra);
    return json { { "answers", answers } };
}

std::vector<std::string> asked_ids(json const& questionnaire)
{
    std::vector<std::string> ids;
    for (auto const& q : questionnaire["questions"])
        ids.push_back(q["id"]);
    return ids;
}

bool has(std::vector<std::string> const& ids, std::string const& id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); }

class CheckinHours : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_file = fs::temp_directory_path() / fmt::format("rc-checkin-hours-{}-{}.db", ::getpid(), s_counter++);
        auto journal = journal::open_journal(m_file, journal::Purpose::Write);
        ASSERT_TRUE(journal) << journal.error().message;
        m_coach = std::make_unique<coach::Coach>(shipped_kb(), std::move(*journal), m_clock);
    }
    void TearDown() override
    {
        m_coach.reset();
        fs::remove(m_file);
    }

    void screen_all_clear()
    {
        json answers = json::object();
        for (auto const* q : shipped_kb().screening.questions_of(kb::Questionnaire::Screening))
            answers[q->id] = q->type == kb::AnswerType::Number ? json(40) : json("no");
        ASSERT_TRUE(m_coach->submit_screening(json { { "answers", answers } }.dump()));
    }

    // A session that ended now.
    void roll()
    {
        coach::SessionRecord record;
        record.started_at = m_clock.wall_now() - 5min;
        record.ended_at = m_clock.wall_now();
        ASSERT_TRUE(m_coach->record_session(record));
    }

    FakeClock m_clock;
    fs::path m_file;
    std::unique_ptr<coach::Coach> m_coach;
    static inline int s_counter = 0;
};

}

TEST_F(CheckinHours, HoursComeFromTheJournalNotFromTheUser)
{
    screen_all_clear();
    roll();
    m_clock.advance(30h);
    auto questions = m_coach->checkin_questions();
    ASSERT_TRUE(questions);
    EXPECT_FALSE(has(asked_ids(*questions), "checkin_hours")) << "never asked";
    EXPECT_FALSE(has(asked_ids(*questions), "checkin_soreness_origin")) << "a recent session: the soreness is about it";
    EXPECT_EQ((*questions)["last_session"]["hours"], 30);
    EXPECT_EQ((*questions)["last_session"]["recent"], true);

    // Worse than yesterday 30 h after rolling is normal soreness, even if the body claims 100 h.
    auto verdict = m_coach->submit_checkin(ache("worse", { { "checkin_hours", 100 } }).dump());
    ASSERT_TRUE(verdict) << verdict.error().message;
    EXPECT_EQ((*verdict)["tier"], "proceed_with_changes");
    auto status = m_coach->status();
    ASSERT_TRUE(status);
    EXPECT_FALSE((*status)["blocked"]);
}

TEST_F(CheckinHours, AnAcheStillGettingWorseFourDaysAfterTheJournalSessionIsChecked)
{
    screen_all_clear();
    roll();
    m_clock.advance(100h);
    auto questions = m_coach->checkin_questions();
    ASSERT_TRUE(questions);
    EXPECT_TRUE(has(asked_ids(*questions), "checkin_soreness_origin")) << "no recent session: ask about the soreness itself";
    EXPECT_EQ((*questions)["last_session"]["hours"], 100);
    auto verdict = m_coach->submit_checkin(ache("worse", { { "checkin_hours", 10 }, { "checkin_soreness_origin", "after_session" } }).dump());
    ASSERT_TRUE(verdict) << verdict.error().message;
    EXPECT_EQ((*verdict)["tier"], "clinician_before_rolling");
    auto status = m_coach->status();
    ASSERT_TRUE(status);
    EXPECT_TRUE((*status)["blocked"]);
}

TEST_F(CheckinHours, TheUsualMildAcheLongAfterTheLastSessionDoesNotBlock)
{
    screen_all_clear();
    roll();
    m_clock.advance(24h * 12);
    auto usual = m_coach->submit_checkin(ache("same", { { "checkin_soreness_origin", "usual" } }).dump());
    ASSERT_TRUE(usual) << usual.error().message;
    EXPECT_EQ((*usual)["tier"], "proceed");
    // The same ache said to have begun after that session, 12 days on, is past a week: checked.
    auto lasting = m_coach->evaluate_only(kb::Questionnaire::Checkin, ache("same", { { "checkin_soreness_origin", "after_session" } }).dump());
    ASSERT_TRUE(lasting);
    EXPECT_EQ((*lasting)["tier"], "clinician_before_rolling");
}

// Before any session there is no "last session" for the soreness to have started after: the
// check-in does not ask, and a mild ache is the usual one. (It used to ask, and "it started after
// my last session" on a fresh journal read the missing session as long ago: "Yours has lasted
// longer", see a clinician.)
TEST_F(CheckinHours, WithNoSessionOnRecordTheCheckinDoesNotAskAboutALastSession)
{
    auto questions = m_coach->checkin_questions();
    ASSERT_TRUE(questions);
    EXPECT_TRUE((*questions)["last_session"]["hours"].is_null());
    EXPECT_FALSE(has(asked_ids(*questions), "checkin_soreness_origin"));
    auto verdict = m_coach->evaluate_only(kb::Questionnaire::Checkin, ache("same").dump());
    ASSERT_TRUE(verdict) << verdict.error().message;
    EXPECT_EQ((*verdict)["tier"], "proceed") << verdict->dump();
    EXPECT_TRUE((*verdict)["missing_answers"].empty());

    // A client that still sends "after_session" without any hours is not told its soreness outlasted
    // a session nobody recorded.
    auto claimed = m_coach->submit_checkin(ache("same", { { "checkin_soreness_origin", "after_session" } }).dump());
    ASSERT_TRUE(claimed) << claimed.error().message;
    EXPECT_EQ((*claimed)["tier"], "proceed") << claimed->dump();
    auto status = m_coach->status();
    ASSERT_TRUE(status);
    EXPECT_FALSE((*status)["blocked"]);

    // The hours given instead (an answers file for a session rolled without rollcoach) are judged.
    auto given = m_coach->evaluate_only(kb::Questionnaire::Checkin,
        ache("same", { { "checkin_hours", 300 }, { "checkin_soreness_origin", "after_session" } }).dump());
    ASSERT_TRUE(given);
    EXPECT_EQ((*given)["tier"], "clinician_before_rolling") << given->dump();

    // The hard stops do not depend on a session: a swollen area is still checked first.
    auto swollen = m_coach->evaluate_only(kb::Questionnaire::Checkin, ache("same", { { "checkin_swelling", "yes" } }).dump());
    ASSERT_TRUE(swollen);
    EXPECT_EQ((*swollen)["tier"], "clinician_before_rolling");
}

// The plan says when the check-in that shaped it was taken as a person would: "today",
// "yesterday", "on Wed 7 Jan", never "2026-01-07" (which broke across lines at phone width).
TEST_F(CheckinHours, ThePlanSaysWhenTheCheckinWasInWords)
{
    screen_all_clear();
    roll();                       // Mon 5 Jan 08:00
    m_clock.advance(20h);         // Tue 6 Jan 04:00
    ASSERT_TRUE(m_coach->submit_checkin(ache("same").dump()));
    auto note_of = [&] {
        auto plan = m_coach->todays_plan({});
        EXPECT_TRUE(plan) << plan.error().message;
        std::string found;
        for (auto const& n : plan->notes)
            if (n.find("check-in") != std::string::npos)
                found = n;
        return std::pair { found, plan->pressure_why };
    };
    auto [today, why_today] = note_of();
    EXPECT_NE(today.find("Your check-in today asked"), std::string::npos) << today;
    EXPECT_NE(why_today.find("your check-in today"), std::string::npos) << why_today;
    m_clock.advance(24h);
    EXPECT_NE(note_of().first.find("Your check-in yesterday asked"), std::string::npos);
    m_clock.advance(48h);
    auto [later, why_later] = note_of();
    EXPECT_NE(later.find("Your check-in on Tue 6 Jan asked"), std::string::npos) << later;
    EXPECT_EQ(later.find("2026"), std::string::npos) << later;
}

// "Nothing: I feel fine" leaves nothing to locate or rate: the questions about the soreness are
// not asked, and the check-in is complete with the two answers given (both with a recent session
// and without one, when the origin question would otherwise be asked).
TEST_F(CheckinHours, FeelingFineIsNotAskedWhereItHurtsAndCompletesTheCheckin)
{
    screen_all_clear();
    json const fine = { { "answers", { { "checkin_emergency_signs", "no" }, { "checkin_kind", "none" } } } };
    for (auto since : { 30h, 24h * 12 }) {
        roll();
        m_clock.advance(since);
        auto questions = m_coach->checkin_questions();
        ASSERT_TRUE(questions);
        for (auto const& q : (*questions)["questions"]) {
            bool const about_soreness = q["id"] != "checkin_emergency_signs" && q["id"] != "checkin_kind";
            EXPECT_EQ(q.contains("not_asked_when"), about_soreness) << q.dump();
            if (about_soreness) {
                EXPECT_EQ(q["not_asked_when"], (json { { "question", "checkin_kind" }, { "is", "none" } })) << q.dump();
            }
        }
        auto const& kb = shipped_kb();
        auto const context = m_coach->checkin_context_now();
        ASSERT_TRUE(context);
        triage::Answers const answers { { "checkin_emergency_signs", std::string("no") }, { "checkin_kind", std::string("none") } };
        for (auto const* id : { "checkin_location", "checkin_intensity", "checkin_soreness_origin", "checkin_trend", "checkin_swelling" })
            EXPECT_FALSE(coach::is_asked(*kb.screening.find_question(id), *context, answers)) << id;
        EXPECT_TRUE(coach::is_asked(*kb.screening.find_question("checkin_location"), *context,
            { { "checkin_kind", std::string("dull_ache") } }));

        auto verdict = m_coach->submit_checkin(fine.dump());
        ASSERT_TRUE(verdict) << verdict.error().message;
        EXPECT_EQ((*verdict)["tier"], "proceed") << verdict->dump();
        EXPECT_TRUE((*verdict)["missing_answers"].empty()) << verdict->dump();
        auto status = m_coach->status();
        ASSERT_TRUE(status);
        EXPECT_FALSE((*status)["blocked"]);
    }
}

// The check-in's changes are for the session after it: a dull ache the day after says "your next
// session will be a little shorter and gentler", and the next plan is (the check-in screen shows
// "Today's plan will ... stay under 4 minutes"; the plan stayed 5 minutes at moderate pressure).
// Once a session is recorded after the check-in, the plan is back to the usual.
TEST_F(CheckinHours, ACheckinsChangesShapeTheNextPlanUntilTheNextSession)
{
    screen_all_clear();
    plan::Profile regular;
    regular.experience = plan::Experience::Regular;
    coach::PlanRequest const request { regular, std::nullopt };
    auto usual = m_coach->todays_plan(request);
    ASSERT_TRUE(usual) << usual.error().message;
    EXPECT_EQ(usual->pressure, plan::Pressure::Moderate);
    auto const usual_total = usual->total();

    roll();
    m_clock.advance(20h);
    auto verdict = m_coach->submit_checkin(ache("same").dump());
    ASSERT_TRUE(verdict) << verdict.error().message;
    ASSERT_EQ((*verdict)["tier"], "proceed_with_changes") << verdict->dump();
    auto const limit = std::chrono::seconds((*verdict)["changes"]["max_session_seconds"].get<int>());
    ASSERT_LT(limit, usual_total);
    ASSERT_TRUE((*verdict)["changes"]["gentle_pressure_only"].get<bool>());

    auto next = m_coach->todays_plan(request);
    ASSERT_TRUE(next) << next.error().message;
    EXPECT_LE(next->total(), limit);
    EXPECT_EQ(next->pressure, plan::Pressure::Gentle);
    EXPECT_NE(next->pressure_why.find("check-in"), std::string::npos) << next->pressure_why;
    EXPECT_TRUE(std::any_of(next->notes.begin(), next->notes.end(), [](std::string const& n) { return n.find("check-in") != std::string::npos; }));

    // A strong ache (7 or more) asks for less: a soft roller only, and shorter still.
    m_clock.advance(1h);
    auto strong = m_coach->submit_checkin(ache("same", { { "checkin_intensity", 8 } }).dump());
    ASSERT_TRUE(strong) << strong.error().message;
    ASSERT_TRUE((*strong)["changes"]["soft_roller_only"].get<bool>()) << strong->dump();
    auto softer = m_coach->todays_plan(request);
    ASSERT_TRUE(softer) << softer.error().message;
    EXPECT_LE(softer->total(), std::chrono::seconds((*strong)["changes"]["max_session_seconds"].get<int>()));
    for (auto const& step : softer->steps) {
        if (auto const* tool = shipped_kb().find_tool(step.tool_id)) {
            EXPECT_EQ(tool->firmness, kb::Firmness::Soft) << step.exercise_id << " on " << step.tool_id;
        }
    }

    m_clock.advance(1h);
    roll();
    auto after = m_coach->todays_plan(request);
    ASSERT_TRUE(after) << after.error().message;
    EXPECT_EQ(after->total(), usual_total);
    EXPECT_EQ(after->pressure, plan::Pressure::Moderate);
}

// A sped-up session (serve --speed 60, the browser tests and demos) records its end on the session
// clock, minutes past the wall-clock moment of a check-in taken right after it: that session is
// still the one the check-in reports on, not the next one.
TEST_F(CheckinHours, ASessionThatStartedBeforeTheCheckinDoesNotUseUpItsChanges)
{
    screen_all_clear();
    coach::SessionRecord record;
    record.started_at = m_clock.wall_now() - 5s;
    record.ended_at = m_clock.wall_now() + 5min;
    ASSERT_TRUE(m_coach->record_session(record));
    m_clock.advance(10s);
    auto verdict = m_coach->submit_checkin(ache("same").dump());
    ASSERT_TRUE(verdict) << verdict.error().message;
    auto next = m_coach->todays_plan({});
    ASSERT_TRUE(next) << next.error().message;
    EXPECT_LE(next->total(), std::chrono::seconds((*verdict)["changes"]["max_session_seconds"].get<int>()));
}
