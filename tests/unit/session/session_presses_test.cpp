// Every press counts: a tender spot outside rolling starts a hold later or says why not, and a
// session can begin at a later step (continuing one the server lost).
#include "session/session_machine.h"
#include "session_helpers.h"

#include <gtest/gtest.h>

using namespace rc;
using namespace rc::session;
using namespace std::chrono_literals;
using rc::test::of_kind;

namespace {

// Default plan with the test knowledge base: thoracic (setup 25 s, rolling 25-85 s), rest
// 85-95 s, glutes (setup 95-110 s, right 110-170 s, switch 170-175 s, left 175-235 s), rest
// 235-245 s, cat-cow (setup 245-250 s, finisher 250-300 s).
struct PressTest : ::testing::Test {
    kb::KnowledgeBase kb = test::make_test_knowledge();
    plan::Plan plan = test::default_plan(kb);
    SessionMachine machine = test::make_machine(kb, plan);
    FakeClock clock;

    std::vector<Cue> at(Millis t, Event const& e = Event::tick())
    {
        auto const target = MonoTime {} + t;
        if (clock.now() < target)
            clock.advance(target - clock.now());
        return machine.step(clock.now(), e);
    }
};

}

TEST_F(PressTest, ATenderSpotDuringSetUpSaysItIsNotedAndHoldsTheMomentRollingBegins)
{
    at(0ms, Event::start());
    auto const pressed = at(10s, Event::tender_spot());
    auto const notices = of_kind(pressed, CueKind::Notice);
    ASSERT_EQ(notices.size(), 1u);
    EXPECT_NE(notices[0].text.find("starts as soon as rolling begins"), std::string::npos);
    EXPECT_EQ(machine.phase(), Phase::Setup);

    auto const rolling = at(25s);
    auto const holds = of_kind(rolling, CueKind::HoldStart);
    ASSERT_EQ(holds.size(), 1u);
    EXPECT_EQ(holds[0].at, 25000ms);
    EXPECT_EQ(machine.phase(), Phase::Hold);
    // The rolling instruction is still given, before the hold.
    auto const first_instruction = std::find_if(rolling.begin(), rolling.end(), [](Cue const& c) { return c.kind == CueKind::Instruction; });
    ASSERT_NE(first_instruction, rolling.end());
    EXPECT_LT(first_instruction - rolling.begin(), std::find_if(rolling.begin(), rolling.end(), [](Cue const& c) { return c.kind == CueKind::HoldStart; }) - rolling.begin());

    at(85s);
    auto const summary = machine.summary(clock.now());
    EXPECT_EQ(summary.tender_spots, 1);
    ASSERT_EQ(summary.holds.size(), 1u);
    EXPECT_EQ(summary.holds[0].step, 0);
    EXPECT_GT(summary.holds[0].held, 0ms);
}

TEST_F(PressTest, ATenderSpotDuringTheRestBeforeARollingStepHoldsWhenThatStepRolls)
{
    at(0ms, Event::start());
    at(90s, Event::tender_spot());
    EXPECT_EQ(machine.phase(), Phase::Transition);
    EXPECT_TRUE(of_kind(at(109s), CueKind::HoldStart).empty()) << "no hold during the glutes' set-up";
    auto const holds = of_kind(at(110s), CueKind::HoldStart);
    ASSERT_EQ(holds.size(), 1u);
    EXPECT_EQ(holds[0].step, 1);
}

TEST_F(PressTest, ATenderSpotDuringASideSwitchHoldsOnTheNextSide)
{
    at(0ms, Event::start());
    at(172s, Event::tender_spot());
    auto const holds = of_kind(at(175s), CueKind::HoldStart);
    ASSERT_EQ(holds.size(), 1u);
    EXPECT_EQ(holds[0].side, Side::Left);
}

TEST_F(PressTest, ATenderSpotDuringAHoldSaysAHoldIsAlreadyRunning)
{
    at(0ms, Event::start());
    at(30s, Event::tender_spot());
    auto const again = at(35s, Event::tender_spot());
    EXPECT_TRUE(of_kind(again, CueKind::HoldStart).empty());
    auto const notices = of_kind(again, CueKind::Notice);
    ASSERT_EQ(notices.size(), 1u);
    EXPECT_NE(notices[0].text.find("already holding"), std::string::npos);
    EXPECT_EQ(machine.summary(clock.now()).tender_spots, 1);
}

TEST_F(PressTest, ATenderSpotWhilePausedSaysToResumeFirstAndHoldsNothing)
{
    at(0ms, Event::start());
    at(30s, Event::pause());
    auto const pressed = at(40s, Event::tender_spot());
    ASSERT_EQ(of_kind(pressed, CueKind::Notice).size(), 1u);
    EXPECT_NE(of_kind(pressed, CueKind::Notice)[0].text.find("resume first"), std::string::npos);
    at(45s, Event::resume());
    EXPECT_TRUE(of_kind(at(60s), CueKind::HoldStart).empty());
    EXPECT_EQ(machine.summary(clock.now()).tender_spots, 0);
}

TEST_F(PressTest, ATenderSpotBeforeTheFinisherSaysThereIsNoRollerAndHoldsNothingLater)
{
    at(0ms, Event::start());
    auto const pressed = at(240s, Event::tender_spot());
    ASSERT_EQ(of_kind(pressed, CueKind::Notice).size(), 1u);
    EXPECT_NE(of_kind(pressed, CueKind::Notice)[0].text.find("no roller"), std::string::npos);
    MonoTime now = clock.now();
    EXPECT_TRUE(of_kind(test::run_to_end(machine, now), CueKind::HoldStart).empty());
}

TEST_F(PressTest, BackCancelsAHoldThatWasWaitingForRolling)
{
    at(0ms, Event::start());
    at(100s, Event::tender_spot());
    at(101s, Event::back());   // restarts the glutes' set-up: the press is forgotten
    EXPECT_EQ(machine.snapshot(clock.now()).step, 1);
    EXPECT_EQ(machine.phase(), Phase::Setup);
    EXPECT_TRUE(of_kind(at(101s + 15s + 10s), CueKind::HoldStart).empty()) << "rolling began at 116 s with no hold";
}

TEST_F(PressTest, EveryNoticeIsKnownAheadForPreSynthesis)
{
    auto const texts = machine.event_cue_texts();
    at(0ms, Event::start());
    std::vector<Cue> notices;
    test::append(notices, of_kind(at(10s, Event::tender_spot()), CueKind::Notice));
    test::append(notices, of_kind(at(240s, Event::tender_spot()), CueKind::Notice));
    ASSERT_EQ(notices.size(), 2u);
    for (auto const& cue : notices)
        EXPECT_NE(std::find(texts.begin(), texts.end(), cue.text), texts.end()) << cue.text;
}

TEST_F(PressTest, StartingAtALaterStepBeginsAtItsSetUpAndRecordsOnlyTheStepsRun)
{
    auto const cues = at(0ms, Event::start_at(1));
    EXPECT_EQ(machine.phase(), Phase::Setup);
    EXPECT_EQ(machine.snapshot(clock.now()).step, 1);
    EXPECT_TRUE(of_kind(cues, CueKind::Transition).empty()) << "no rest before the first step run";
    MonoTime now = clock.now();
    test::run_to_end(machine, now);
    auto const summary = machine.summary(now);
    EXPECT_EQ(summary.end_reason, EndReason::Completed);
    EXPECT_EQ(summary.completed_steps, (std::vector<int> { 1, 2 }));
    EXPECT_TRUE(summary.skipped.empty());
    EXPECT_EQ(summary.rolled[0], 0ms);
    // glutes set-up 15 + 60 + 5 + 60, rest 10, cat-cow 5 + 50
    EXPECT_EQ(summary.active, 205s);
}

TEST_F(PressTest, AStartStepOutsideThePlanStartsAtTheFirstStep)
{
    at(0ms, Event::start_at(17));
    EXPECT_EQ(machine.snapshot(clock.now()).step, 0);
}

namespace {

// The test knowledge base's rules with the shipped tiers: saddle numbness an emergency, one-leg
// numbness and sharp pain a clinician before rolling, dizziness a caution.
struct StopTest : PressTest {
    StopTest()
    {
        for (auto& rule : kb.screening.in_session) {
            if (rule.event == kb::SafetyEvent::NumbnessSaddle)
                rule.tier = kb::Tier::Emergency;
            else if (rule.event == kb::SafetyEvent::NumbnessOneLeg || rule.event == kb::SafetyEvent::SharpPain)
                rule.tier = kb::Tier::ClinicianBeforeRolling;
            else if (rule.event == kb::SafetyEvent::Dizziness)
                rule.tier = kb::Tier::ProceedWithChanges;
        }
        machine = test::make_machine(kb, plan);
    }

    Cue stop_cue(std::vector<Cue> const& cues)
    {
        auto stops = of_kind(cues, CueKind::Stop);
        auto done = of_kind(cues, CueKind::Done);
        EXPECT_EQ(stops.size() + done.size(), 1u);
        return stops.empty() ? (done.empty() ? Cue {} : done[0]) : stops[0];
    }
};

}

TEST_F(StopTest, EachStopCarriesItsKind)
{
    struct Case {
        Event event;
        StopKind kind;
    };
    for (auto const& [event, kind] : { Case { Event::safety_event(kb::SafetyEvent::NumbnessSaddle), StopKind::Emergency },
             Case { Event::safety_event(kb::SafetyEvent::NumbnessOneLeg), StopKind::Warning },
             Case { Event::safety_event(kb::SafetyEvent::SharpPain), StopKind::Warning },
             Case { Event::safety_event(kb::SafetyEvent::Dizziness), StopKind::Caution }, Case { Event::quit(), StopKind::User } }) {
        auto fresh = test::make_machine(kb, plan);
        MonoTime const t0 {};
        fresh.step(t0, Event::start());
        auto const cue = stop_cue(fresh.step(t0 + 40s, event));
        EXPECT_EQ(cue.stop_kind, kind) << to_string(event.kind) << " " << kb::to_string(event.safety);
    }
}

TEST_F(StopTest, NumbnessIsNeverUndoableEvenWhenTheKnowledgeBaseGivesItALowTier)
{
    for (auto& rule : kb.screening.in_session)
        rule.tier = kb::Tier::Proceed;
    machine = test::make_machine(kb, plan);
    at(0ms, Event::start());
    EXPECT_EQ(stop_cue(at(40s, Event::safety_event(kb::SafetyEvent::NumbnessOneLeg))).stop_kind, StopKind::Warning);
    auto const undone = at(41s, Event::undo());
    EXPECT_EQ(of_kind(undone, CueKind::Notice).size(), 1u);
    EXPECT_TRUE(machine.finished());
    EXPECT_EQ(machine.summary(clock.now()).end_reason, EndReason::SafetyStop);
}

TEST_F(StopTest, AMistakenCautionStopUndoneWithinTheWindowComesBackPausedWhereItStopped)
{
    at(0ms, Event::start());
    auto const before = machine.snapshot(clock.now() + 40s);
    at(40s, Event::safety_event(kb::SafetyEvent::Dizziness));
    ASSERT_TRUE(machine.finished());
    auto const undone = at(45s, Event::undo());
    EXPECT_FALSE(machine.finished());
    EXPECT_TRUE(machine.paused());
    ASSERT_EQ(of_kind(undone, CueKind::Paused).size(), 1u);
    auto const after = machine.snapshot(clock.now());
    EXPECT_EQ(after.step, before.step);
    EXPECT_EQ(after.session_elapsed, 40s) << "the five seconds after the stop are not rolled";
    EXPECT_EQ(after.phase_elapsed, before.phase_elapsed);
    at(60s, Event::resume());
    MonoTime now = clock.now();
    test::run_to_end(machine, now);
    auto const summary = machine.summary(now);
    EXPECT_EQ(summary.end_reason, EndReason::Completed);
    EXPECT_EQ(summary.active, 300s) << "the whole plan once: nothing lost or doubled";
    EXPECT_TRUE(summary.stop_rule.empty());
    // The journal still sees the stop and the undo.
    EXPECT_EQ(of_kind(machine.emitted(), CueKind::Stop).size(), 1u);
}

TEST_F(StopTest, AQuitCanBeUndoneButNotAfterTheWindowNorTwice)
{
    at(0ms, Event::start());
    at(30s, Event::quit());
    auto const late = at(30s + SessionMachine::undo_window + 1ms, Event::undo());
    EXPECT_EQ(of_kind(late, CueKind::Notice).size(), 1u);
    EXPECT_TRUE(machine.finished());

    auto again = test::make_machine(kb, plan);
    MonoTime const t0 {};
    again.step(t0, Event::start());
    again.step(t0 + 30s, Event::quit());
    again.step(t0 + 30s + SessionMachine::undo_window, Event::undo());
    EXPECT_FALSE(again.finished());
    again.step(t0 + 50s, Event::resume());
    again.step(t0 + 60s, Event::quit());
    again.step(t0 + 61s, Event::undo());
    EXPECT_FALSE(again.finished()) << "a second quit can be undone too";
    EXPECT_EQ(again.snapshot(t0 + 61s).session_elapsed, 40s);
}

TEST_F(StopTest, AnUndoWithNothingToUndoDoesNothing)
{
    at(0ms, Event::start());
    auto const cues = at(10s, Event::undo());
    EXPECT_TRUE(of_kind(cues, CueKind::Paused).empty());
    EXPECT_FALSE(machine.finished());
}
