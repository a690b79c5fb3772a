// A session stopped for a warning sign that needs a clinician blocks the sessions after it
// (coach/session_stop.h), through the coach over a real SQLite journal and the shipped knowledge
// base. Found by walking the web app: after "Numb between the legs" stopped a session, the plan
// page offered the same plan again at once, with "Start the session".
#include "../shipped_kb.h"
#include "coach/coach.h"
#include "coach/session_stop.h"
#include "journal/open_journal.h"
#include "knowledge/loader.h"

#include <algorithm>
#include <filesystem>
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace rc;
using namespace std::chrono_literals;

namespace {

using rc::test::harmless_screening;
using rc::test::shipped_kb;

// The cues a stopped session keeps: what was said, then the stop with its rule's id as the code.
journal::SessionRecord stopped_by(std::string const& rule_id, WallTime ended, journal::EndReason reason = journal::EndReason::StoppedWarning)
{
    journal::SessionRecord session;
    session.started_at = ended - 90s;
    session.ended_at = ended;
    session.end_reason = reason;
    session.cues = json::array({ { { "at_ms", 0 }, { "kind", "instruction" }, { "code", "" }, { "text", "Lean back onto the roller." } },
        { { "at_ms", 90000 }, { "kind", "stop" }, { "code", rule_id }, { "text", "Stop now." } } });
    return session;
}

class SessionStop : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / fmt::format("rc-session-stop-{}-{}", ::getpid(), s_counter++);
        fs::create_directories(m_dir);
        auto journal = journal::open_journal(m_dir / "journal.db", journal::Purpose::Write);
        ASSERT_TRUE(journal) << journal.error().message;
        m_coach = std::make_unique<coach::Coach>(shipped_kb(), std::move(*journal), m_clock);
        ASSERT_TRUE(m_coach->submit_screening(harmless_screening().dump()));
        m_clock.advance(1h);
    }
    void TearDown() override
    {
        m_coach.reset();
        std::error_code ignored;
        fs::remove_all(m_dir, ignored);
    }

    void stop_a_session(std::string const& rule_id, journal::EndReason reason = journal::EndReason::StoppedWarning)
    {
        auto stored = m_coach->record_session_once(stopped_by(rule_id, m_clock.wall_now(), reason));
        ASSERT_TRUE(stored) << stored.error().message;
    }

    std::optional<coach::Refusal> refusal()
    {
        auto refusal = m_coach->refusal();
        EXPECT_TRUE(refusal) << refusal.error().message;
        return refusal ? *refusal : std::nullopt;
    }

    FakeClock m_clock;   // 2026-01-05 08:00 UTC
    fs::path m_dir;
    std::unique_ptr<coach::Coach> m_coach;
    static inline int s_counter = 0;
};

}

TEST_F(SessionStop, SaddleNumbnessRefusesTheNextPlanUntilANewScreening)
{
    ASSERT_TRUE(m_coach->todays_plan());
    stop_a_session("stop_saddle_numbness");
    auto refused = m_coach->todays_plan();
    ASSERT_FALSE(refused) << "the plan was offered again after a stop for saddle numbness";
    EXPECT_EQ(refused.error().code, ErrorCode::Conflict);
    auto r = refusal();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, "session_stop");
    EXPECT_EQ(r->tier, kb::Tier::Emergency);
    EXPECT_TRUE(r->clearable.empty()) << "no clearance covers an emergency";
    EXPECT_NE(r->reason.find("your session today stopped for a warning sign"), std::string::npos) << r->reason;
    EXPECT_NE(r->what_to_do.find("answer the safety questions again"), std::string::npos) << r->what_to_do;
    EXPECT_EQ(r->what_to_do.find("Get off the roller"), std::string::npos) << "advice for the moment of the stop, not after it";
    EXPECT_EQ(r->to_json()["advice"], r->what_to_do);
    auto status = m_coach->status();
    ASSERT_TRUE(status);
    EXPECT_FALSE((*status)["may_roll"]);
    EXPECT_FALSE((*status)["blocked"]) << "'blocked' is the check-in warning's banner";

    // Still refused days later, and a clearance cannot be recorded for it.
    m_clock.advance(72h);
    EXPECT_FALSE(m_coach->todays_plan());
    EXPECT_NE(refusal()->reason.find("on Mon 5 Jan"), std::string::npos) << refusal()->reason;
    EXPECT_FALSE(m_coach->add_clearance(R"({"by": "Dr A", "on": "2026-01-08", "covers": ["stop_saddle_numbness"]})"));

    // Checked, and it has gone: a new screening, with its emergency questions answered again.
    ASSERT_TRUE(m_coach->submit_screening(harmless_screening().dump()));
    EXPECT_TRUE(m_coach->todays_plan());
}

TEST_F(SessionStop, SharpPainRefusesTheNextPlanUntilAClinicianClearsIt)
{
    stop_a_session("stop_sharp_pain");
    auto r = refusal();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, "session_stop");
    EXPECT_EQ(r->tier, kb::Tier::ClinicianBeforeRolling);
    EXPECT_EQ(r->clearable, std::vector<std::string> { "stop_sharp_pain" });
    EXPECT_NE(r->what_to_do.find("rollcoach clearance add"), std::string::npos) << r->what_to_do;
    EXPECT_EQ(r->advice.find("rollcoach clearance add"), std::string::npos) << "the page shows its own form";

    // A new screening does not lift it: it never asked about the pain that stopped the session.
    ASSERT_TRUE(m_coach->submit_screening(harmless_screening().dump()));
    EXPECT_FALSE(m_coach->todays_plan());

    // The flag is listed where a clearance can cover it, and a physio's clearance lifts it
    // within the limits they set.
    auto listed = m_coach->clearances();
    ASSERT_TRUE(listed);
    auto const& flagged = (*listed)["flagged"];
    auto it = std::find_if(flagged.begin(), flagged.end(), [](auto const& f) { return f["rule_id"] == "stop_sharp_pain"; });
    ASSERT_NE(it, flagged.end()) << flagged.dump();
    EXPECT_TRUE((*it)["clearable"]);
    // Listed days later as what the sign is, not as the words said at the moment of the stop.
    EXPECT_EQ((*it)["message"].get<std::string>().rfind("Sharp or stabbing pain", 0), 0u) << (*it)["message"];
    EXPECT_EQ((*it)["raised_on"], "2026-01-05");
    auto cleared = m_coach->add_clearance(
        R"({"by": "Sam, physiotherapist", "on": "2026-01-05", "covers": ["stop_sharp_pain"], "limits": {"soft_roller_only": true}})");
    ASSERT_TRUE(cleared) << cleared.error().message;
    EXPECT_NE((*cleared)["covers"][0]["message"].get<std::string>().find("Sharp or stabbing pain"), std::string::npos) << cleared->dump();
    auto plan = m_coach->todays_plan();
    ASSERT_TRUE(plan) << plan.error().message;
    EXPECT_TRUE(std::any_of(plan->notes.begin(), plan->notes.end(),
        [](auto const& n) { return n.find("Soft roller only: your clinician set this (Sam, physiotherapist, today)") != std::string::npos; }))
        << fmt::format("{}", fmt::join(plan->notes, " | "));
}

TEST_F(SessionStop, AClearanceFromBeforeTheStopDoesNotCoverIt)
{
    stop_a_session("stop_numbness_one_leg");
    // The clinician's date is the day before the numbness: they cannot have seen it.
    auto cleared = m_coach->add_clearance(R"({"by": "Dr A", "on": "2026-01-04", "covers": ["stop_numbness_one_leg"]})");
    ASSERT_TRUE(cleared) << cleared.error().message;
    EXPECT_FALSE(m_coach->todays_plan());
    ASSERT_TRUE(m_coach->add_clearance(R"({"by": "Dr A", "on": "2026-01-05", "covers": ["stop_numbness_one_leg"]})"));
    EXPECT_TRUE(m_coach->todays_plan());
}

TEST_F(SessionStop, StopsThatNeedNoClinicianBlockNothing)
{
    for (auto const* rule : { "stop_dizziness", "stop_feels_wrong" }) {
        stop_a_session(rule);
        EXPECT_TRUE(m_coach->todays_plan()) << rule;
        m_clock.advance(1h);
    }
    // A session the user quit, or one whose record names no rule this knowledge base has.
    stop_a_session("stop_sharp_pain", journal::EndReason::Quit);
    EXPECT_TRUE(m_coach->todays_plan());
    m_clock.advance(1h);
    stop_a_session("a_rule_from_an_older_version");
    EXPECT_TRUE(m_coach->todays_plan());
}

TEST_F(SessionStop, OnlyTheLatestSessionCounts)
{
    stop_a_session("stop_sharp_pain");
    ASSERT_TRUE(m_coach->add_clearance(R"({"by": "Dr A", "on": "2026-01-05", "covers": ["stop_sharp_pain"]})"));
    m_clock.advance(24h);
    ASSERT_TRUE(m_coach->todays_plan());
    // A finished session after it: the stop is history, and the clearance's notes no longer apply.
    auto finished = m_coach->record_session_once(stopped_by("", m_clock.wall_now(), journal::EndReason::Completed));
    ASSERT_TRUE(finished);
    auto plan = m_coach->todays_plan();
    ASSERT_TRUE(plan);
    // Then the sharp pain again: refused again, and the old clearance (from before it) does not cover it.
    m_clock.advance(24h);
    stop_a_session("stop_sharp_pain");
    EXPECT_FALSE(m_coach->todays_plan());
}

TEST(SessionStopRules, EveryStopOfAStopTierSaysWhatToDoAfterwards)
{
    for (auto const& rule : shipped_kb().screening.in_session) {
        bool const blocks = rule.action == kb::SafetyAction::Stop && kb::is_stop_tier(rule.tier);
        EXPECT_EQ(blocks, !rule.afterwards.empty()) << rule.id;
    }
}
