#include "coach/session_record.h"
#include "knowledge/loader.h"
#include "plan/plan.h"

#include <filesystem>
#include <gtest/gtest.h>

using namespace rc;
using namespace std::chrono_literals;

namespace {

kb::KnowledgeBase const& shipped()
{
    static kb::KnowledgeBase const kb = [] {
        auto loaded = kb::load_knowledge_base(std::filesystem::path(ROLLCOACH_SOURCE_DIR) / "data" / "knowledge");
        if (!loaded)
            throw std::runtime_error(loaded.error().full_message());
        return std::move(*loaded);
    }();
    return kb;
}

struct Recorded : ::testing::Test {
    plan::Plan plan = plan::make_plan(shipped(), plan::Profile {}, kb::Verdict {}, plan::History {}).value();
    session::SessionMachine machine = session::SessionMachine::create(shipped(), plan).value();
    WallTime const started = journal::parse_utc("2026-01-05T08:00:00Z").value();

    void at(Millis t, session::Event const& event) { machine.step(MonoTime {} + t, event); }
};

}

TEST_F(Recorded, EachPainRatingIsStampedWhenItWasGiven)
{
    at(0ms, session::Event::pain(4));
    at(0ms, session::Event::start());
    at(61s, session::Event::pain(3));
    at(90s, session::Event::quit());
    at(95s, session::Event::pain(2));
    auto record = coach::make_session_record(machine, MonoTime {} + 95s, started);
    ASSERT_EQ(record.pain.size(), 3u);
    EXPECT_EQ(record.pain[0].moment, journal::PainMoment::Before);
    EXPECT_EQ(record.pain[0].at, started);
    EXPECT_EQ(record.pain[1].moment, journal::PainMoment::During);
    EXPECT_EQ(record.pain[1].at, started + 61s);
    EXPECT_EQ(record.pain[2].moment, journal::PainMoment::After);
    EXPECT_EQ(record.pain[2].at, started + 90s);   // the end, not when the page sent it
    EXPECT_EQ(record.ended_at, started + 90s);
    EXPECT_EQ(record.end_reason, journal::EndReason::Quit);
}

TEST_F(Recorded, ZoneTimeIsWhatWasRolledNotWhatWasPlanned)
{
    at(0ms, session::Event::start());
    // Into the first rolling part, then skipped a few seconds later.
    auto const& first = machine.segments();
    Millis rolling_start { 0 };
    for (auto const& segment : first) {
        if (segment.phase == session::Phase::Rolling)
            break;
        rolling_start += segment.duration;
    }
    at(rolling_start + 7s, session::Event::skip());
    at(rolling_start + 8s, session::Event::quit());
    auto record = coach::make_session_record(machine, MonoTime {} + rolling_start + 8s, started);
    ASSERT_EQ(record.zones.size(), plan.steps[0].target_zones.size());
    for (auto const& zone : record.zones)
        EXPECT_EQ(zone.rolled, std::chrono::seconds(7 / static_cast<int>(plan.steps[0].target_zones.size())));
    ASSERT_EQ(record.skipped_steps.size(), 1u);
    EXPECT_EQ(record.skipped_steps[0].exercise_id, plan.steps[0].exercise_id);
}

TEST_F(Recorded, ASafetyStopIsRecordedAsStoppedForAWarningSign)
{
    at(0ms, session::Event::start());
    at(30s, session::Event::safety_event(kb::SafetyEvent::NumbnessOneLeg));
    auto record = coach::make_session_record(machine, MonoTime {} + 30s, started);
    EXPECT_EQ(record.end_reason, journal::EndReason::StoppedWarning);
    EXPECT_EQ(record.cues.back().kind, session::CueKind::Stop);
    auto stored = coach::to_journal_record(record);
    EXPECT_EQ(stored.cues.size(), record.cues.size());
    EXPECT_EQ(stored.plan["steps"].size(), plan.steps.size());
}
