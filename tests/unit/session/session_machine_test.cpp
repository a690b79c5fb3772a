#include "session/session_machine.h"
#include "session_helpers.h"

#include <gtest/gtest.h>

using namespace rc;
using namespace rc::session;
using namespace std::chrono_literals;
using rc::test::of_kind;

namespace {

// Default plan with the test knowledge base: thoracic (setup 25 s, 60 s), rest 10 s, glutes
// (setup 15 s, right 60 s, switch 5 s, left 60 s), rest 10 s, cat-cow (setup 5 s, 5 x 10 s).
// Thoracic rolling runs 25-85 s; glute right 110-170 s, switch 170-175 s, left 175-235 s.
struct SessionTest : ::testing::Test {
    kb::KnowledgeBase kb = test::make_test_knowledge();
    plan::Plan plan = test::default_plan(kb);
    SessionMachine machine = test::make_machine(kb, plan);
    FakeClock clock;
    std::vector<Cue> all;

    std::vector<Cue> at(Millis t, Event const& e = Event::tick())
    {
        auto const target = MonoTime {} + t;
        if (clock.now() < target)
            clock.advance(target - clock.now());
        auto cues = machine.step(clock.now(), e);
        test::append(all, cues);
        return cues;
    }
};

}

TEST_F(SessionTest, TheSegmentsAddUpToThePlanTotal)
{
    Millis total { 0 };
    for (auto const& s : machine.segments())
        total += s.duration;
    EXPECT_EQ(total, std::chrono::duration_cast<Millis>(plan.total()));
    EXPECT_EQ(plan.total(), 300s);
}

TEST_F(SessionTest, StartAsksForAPainRatingAndReadsTheFirstSetupStep)
{
    auto const cues = at(0ms, Event::start());
    ASSERT_GE(cues.size(), 3u);
    EXPECT_EQ(cues[0].kind, CueKind::Prompt);
    auto const setup = of_kind(cues, CueKind::Instruction);
    ASSERT_FALSE(setup.empty());
    EXPECT_EQ(machine.phase(), Phase::Setup);
    EXPECT_EQ(machine.snapshot(clock.now()).exercise_id, "thoracic_roll");
}

TEST_F(SessionTest, RollingGivesATempoCueEveryThreeSecondsUnlessAnotherCueTakesItsPlace)
{
    at(0ms, Event::start());
    auto const cues = at(85s);
    auto const tempo = of_kind(cues, CueKind::Tempo);
    ASSERT_GE(tempo.size(), 10u);
    for (auto const& c : tempo) {
        EXPECT_EQ((c.at - 25s).count() % 3000, 0) << c.at.count();
        EXPECT_EQ(c.priority, Priority::Low);
    }
    EXPECT_EQ(of_kind(cues, CueKind::Countdown).front().at, 75s);
    EXPECT_FALSE(of_kind(cues, CueKind::Breathing).empty());
}

TEST_F(SessionTest, TenderSpotHoldsForTheMaximumWithSlowBreathingThenReleases)
{
    at(0ms, Event::start());
    at(30s);
    auto const start = at(30s, Event::tender_spot());
    ASSERT_EQ(start.size(), 1u);
    EXPECT_EQ(start[0].kind, CueKind::HoldStart);
    EXPECT_EQ(machine.phase(), Phase::Hold);
    auto const hold = at(60s);
    auto const breathing = of_kind(hold, CueKind::Breathing);
    ASSERT_GE(breathing.size(), 4u);
    EXPECT_EQ(breathing[0].at, 31s);
    EXPECT_EQ(breathing[1].at, 35s);   // inhale 4 s, then a long exhale
    EXPECT_EQ(breathing[2].at, 41s);   // one breath every 10 s: 6 a minute
    EXPECT_TRUE(of_kind(hold, CueKind::Tempo).empty());
    auto const end = of_kind(hold, CueKind::HoldEnd);
    ASSERT_EQ(end.size(), 1u);
    EXPECT_EQ(end[0].at, 60s);
    EXPECT_EQ(machine.phase(), Phase::Rolling);
}

TEST_F(SessionTest, HoldOnTenderSpotEndsWithMoveOnCueAfterMaximum)
{
    plan.steps[0].hold.move_on_after = 60s;
    machine = test::make_machine(kb, plan);
    at(0ms, Event::start());
    at(26s, Event::tender_spot());   // 26-56 s
    at(57s, Event::tender_spot());   // the same spot: 30 s more reaches the 60 s limit
    at(90s);
    auto const move_on = of_kind(all, CueKind::MoveOn);
    ASSERT_EQ(move_on.size(), 1u);
    EXPECT_EQ(move_on[0].at, 87s);
    EXPECT_EQ(of_kind(all, CueKind::HoldEnd).size(), 1u);
    // The side ran past its end (85 s) to finish the hold; the schedule after it moved with it.
    auto const transition = of_kind(all, CueKind::Transition);
    ASSERT_EQ(transition.size(), 1u);
    EXPECT_EQ(transition[0].at, 87s);
}

TEST_F(SessionTest, ATenderSpotSoonAfterMoveOnRepeatsMoveOnButANewSpotGetsAHold)
{
    plan.steps[0].hold.move_on_after = 60s;
    plan.steps[0].per_side = 120s;
    machine = test::make_machine(kb, plan);
    at(0ms, Event::start());
    at(26s, Event::tender_spot());
    at(57s, Event::tender_spot());
    at(87s);
    ASSERT_EQ(of_kind(all, CueKind::MoveOn).size(), 1u);
    auto const again = at(90s, Event::tender_spot());
    EXPECT_TRUE(of_kind(again, CueKind::HoldStart).empty());
    EXPECT_EQ(of_kind(again, CueKind::MoveOn).size(), 1u);
    auto const fresh = at(110s, Event::tender_spot());
    EXPECT_EQ(of_kind(fresh, CueKind::HoldStart).size(), 1u);
}

TEST_F(SessionTest, PainAtTheBackOffThresholdGivesABackOffCueAndCarriesOn)
{
    at(0ms, Event::start());
    auto const low = at(40s, Event::pain(6));
    EXPECT_TRUE(of_kind(low, CueKind::BackOff).empty());
    auto const high = at(41s, Event::pain(7));
    auto const back_off = of_kind(high, CueKind::BackOff);
    ASSERT_EQ(back_off.size(), 1u);
    EXPECT_EQ(back_off[0].code, "back_off_high_pain");
    EXPECT_EQ(back_off[0].priority, Priority::Urgent);
    EXPECT_FALSE(machine.finished());
    EXPECT_EQ(machine.summary(clock.now()).pain.size(), 2u);
}

// A person on the floor may not have heard the back-off cue: its advice stays in the snapshot
// (for every front-end to show) well past the cues that follow it, until the user acts.
TEST_F(SessionTest, BackOffAdviceStaysInTheSnapshotWhileCuesGoOnUntilThePainIsRatedLower)
{
    at(0ms, Event::start());
    at(41s, Event::pain(7));
    auto const later = at(80s);   // tempo beats, a minute's worth of cues
    EXPECT_GE(later.size(), 5u);
    auto advice = machine.snapshot(clock.now()).advice;
    ASSERT_TRUE(advice);
    EXPECT_EQ(advice->kind, CueKind::BackOff);
    EXPECT_EQ(advice->code, "back_off_high_pain");
    EXPECT_NE(machine.snapshot(clock.now()).last_cue->kind, CueKind::BackOff);
    at(81s, Event::pain(7));
    EXPECT_TRUE(machine.snapshot(clock.now()).advice) << "a second rating as high keeps it";
    at(82s, Event::pain(4));
    EXPECT_FALSE(machine.snapshot(clock.now()).advice);
}

TEST_F(SessionTest, BackOffAdviceGoesWhenAcknowledgedOrWhenTheNextExerciseBegins)
{
    at(0ms, Event::start());
    at(41s, Event::pain(8));
    at(50s, Event::pause());
    at(60s, Event::acknowledge());
    EXPECT_FALSE(machine.snapshot(clock.now()).advice) << "acknowledged, even while paused";
    at(61s, Event::resume());

    at(70s, Event::pain(9));
    at(84s);
    EXPECT_TRUE(machine.snapshot(clock.now()).advice) << "to the end of its exercise";
    at(110s);   // 99 s of session time (the pause does not count): the glutes' set-up
    EXPECT_EQ(machine.snapshot(clock.now()).step, 1);
    EXPECT_FALSE(machine.snapshot(clock.now()).advice);

    at(115s, Event::pain(7));
    EXPECT_TRUE(machine.snapshot(clock.now()).advice);
    at(130s, Event::quit());
    EXPECT_FALSE(machine.snapshot(clock.now()).advice) << "an ended session has no standing advice";
}

TEST_F(SessionTest, NumbnessStopsAtOnceWithTheRulesMessageAndNothingFollows)
{
    at(0ms, Event::start());
    auto const cues = at(50s, Event::safety_event(kb::SafetyEvent::NumbnessOneLeg));
    ASSERT_FALSE(cues.empty());
    EXPECT_EQ(cues.back().kind, CueKind::Stop);
    EXPECT_EQ(cues.back().text, "Message for stop_numbness_one_leg.");
    EXPECT_EQ(cues.back().detail, "What to do for stop_numbness_one_leg.");
    EXPECT_TRUE(machine.finished());
    EXPECT_EQ(machine.phase(), Phase::Stopped);
    EXPECT_TRUE(at(400s).empty());
    EXPECT_TRUE(at(401s, Event::resume()).empty());
    EXPECT_FALSE(machine.next_due().has_value());
    EXPECT_EQ(machine.summary(clock.now()).stop_rule, "stop_numbness_one_leg");
}

TEST_F(SessionTest, ASafetyEventWithNoRuleStopsConservatively)
{
    kb.screening.in_session.clear();
    machine = test::make_machine(kb, plan);
    at(0ms, Event::start());
    auto const cues = at(50s, Event::safety_event(kb::SafetyEvent::FeelsWrong));
    ASSERT_FALSE(cues.empty());
    EXPECT_EQ(cues.back().kind, CueKind::Stop);
    EXPECT_FALSE(cues.back().text.empty());
    EXPECT_TRUE(machine.finished());
}

TEST_F(SessionTest, PauseFreezesTheSessionClockAndResumeShiftsTheSchedule)
{
    at(0ms, Event::start());
    at(40s, Event::pause());
    auto const before = machine.snapshot(clock.now());
    EXPECT_TRUE(before.paused);
    EXPECT_TRUE(at(100s).empty());
    auto const during = machine.snapshot(clock.now());
    EXPECT_EQ(during.step_elapsed, before.step_elapsed);
    EXPECT_EQ(during.session_elapsed, 40s);
    at(100s, Event::resume());
    // The thoracic side would have ended at 85 s; after a 60 s pause, the rest is due at 145 s.
    auto const cues = at(145s);
    auto const transition = of_kind(cues, CueKind::Transition);
    ASSERT_EQ(transition.size(), 1u);
    EXPECT_EQ(transition[0].at, 85s);
    EXPECT_EQ(*machine.next_due(), MonoTime {} + 60s + 92s);   // the "3" before the glutes
}

TEST_F(SessionTest, SkipMovesStraightToTheNextPart)
{
    at(0ms, Event::start());
    auto const cues = at(5s, Event::skip());
    EXPECT_EQ(machine.phase(), Phase::Rolling);
    EXPECT_EQ(cues.front().at, 5s);
    at(6s, Event::skip());
    EXPECT_EQ(machine.phase(), Phase::Transition);
    EXPECT_EQ(machine.snapshot(clock.now()).exercise_id, "glute_roll");
}

TEST_F(SessionTest, BackRestartsTheExerciseAndNearItsStartGoesToThePreviousOne)
{
    at(0ms, Event::start());
    at(50s, Event::back());
    EXPECT_EQ(machine.phase(), Phase::Setup);
    EXPECT_EQ(machine.snapshot(clock.now()).step_elapsed, 0ms);
    at(140s);   // everything moved 50 s later: the rest before the glutes
    EXPECT_EQ(machine.snapshot(clock.now()).exercise_id, "glute_roll");
    at(141s, Event::back());
    at(142s, Event::back());
    EXPECT_EQ(machine.snapshot(clock.now()).exercise_id, "thoracic_roll");
}

TEST_F(SessionTest, SidesSwitchWithACueAndTheLeftSideFollows)
{
    at(0ms, Event::start());
    auto const cues = at(180s);
    auto const sw = of_kind(cues, CueKind::SideSwitch);
    ASSERT_EQ(sw.size(), 1u);
    EXPECT_EQ(sw[0].at, 170s);
    EXPECT_EQ(sw[0].side, plan::Side::Left);
    EXPECT_EQ(sw[0].priority, Priority::High);
    EXPECT_EQ(machine.snapshot(clock.now()).side, plan::Side::Left);
}

TEST_F(SessionTest, CatCowCountsFiveRepetitionsThenTheSessionIsDone)
{
    at(0ms, Event::start());
    auto const cues = at(300s);
    auto const reps = of_kind(cues, CueKind::Repetition);
    ASSERT_EQ(reps.size(), 5u);
    EXPECT_EQ(reps[0].at, 250s);
    EXPECT_EQ(reps[4].at, 290s);
    EXPECT_EQ(reps[4].text.substr(0, 6), "5 of 5");
    auto const done = of_kind(cues, CueKind::Done);
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].at, 300s);
    EXPECT_TRUE(machine.finished());
    EXPECT_EQ(machine.summary(clock.now()).end_reason, EndReason::Completed);
    EXPECT_EQ(machine.summary(clock.now()).steps_completed, 3);
}

TEST_F(SessionTest, FormCuesAreRateLimitedPerCode)
{
    at(0ms, Event::start());
    at(30s);
    EXPECT_EQ(at(30s, Event::form_check("too_fast", "Slow down.")).size(), 1u);
    EXPECT_TRUE(of_kind(at(35s, Event::form_check("too_fast", "Slow down.")), CueKind::Form).empty());
    EXPECT_EQ(of_kind(at(36s, Event::form_check("near_neck", "Stop before the neck.")), CueKind::Form).size(), 1u);
    auto const later = of_kind(at(38s, Event::form_check("too_fast", "Slow down.")), CueKind::Form);
    ASSERT_EQ(later.size(), 1u);
    EXPECT_EQ(later[0].code, "too_fast");
}

TEST_F(SessionTest, DueTimesDoNotDependOnHowOftenTheClockIsPolled)
{
    auto other = test::make_machine(kb, plan);
    at(0ms, Event::start());
    at(300s);
    std::vector<Cue> polled = other.step(MonoTime {}, Event::start());
    for (Millis t = 7ms; t <= 300s; t += 997ms)
        test::append(polled, other.advance(MonoTime {} + t));
    test::append(polled, other.advance(MonoTime {} + 300s));
    ASSERT_EQ(polled.size(), all.size());
    for (std::size_t i = 0; i < all.size(); ++i)
        EXPECT_EQ(polled[i], all[i]) << i;
}

TEST_F(SessionTest, QuitEndsTheSessionEarly)
{
    at(0ms, Event::start());
    auto const cues = at(42s, Event::quit());
    ASSERT_EQ(cues.back().kind, CueKind::Done);
    EXPECT_EQ(machine.summary(clock.now()).end_reason, EndReason::Quit);
    EXPECT_EQ(machine.summary(clock.now()).active, 42s);
}

TEST_F(SessionTest, BreathCheckGivesTheBreathingPatternFromTheThresholds)
{
    at(0ms, Event::start());
    auto const cues = at(3s, Event::breath_check());
    ASSERT_EQ(cues.size(), 1u);
    EXPECT_EQ(cues[0].kind, CueKind::Breathing);
    EXPECT_NE(cues[0].text.find("Don't hold your breath"), std::string::npos);
}

TEST_F(SessionTest, CuesCarryRemainingTimesForTheStepAndTheSession)
{
    auto const cues = at(0ms, Event::start());
    EXPECT_EQ(cues.back().session_total, 300s);
    EXPECT_EQ(cues.back().session_remaining, 300s);
    EXPECT_EQ(cues.back().step_total, 85s);
    auto const later = at(30s);
    ASSERT_FALSE(later.empty());
    EXPECT_EQ(later.back().session_remaining, 300s - later.back().at);
}

TEST_F(SessionTest, EveryCueAnEventCanRaiseIsKnownAheadForPreSynthesis)
{
    auto const texts = machine.event_cue_texts();
    auto known = [&](std::string const& text) { return std::find(texts.begin(), texts.end(), text) != texts.end(); };
    at(0ms, Event::start());
    at(30s, Event::tender_spot());
    at(61s, Event::pain(8));
    auto const stop = at(62s, Event::safety_event(kb::SafetyEvent::SharpPain));
    for (auto const& cue : all)
        if (cue.kind == CueKind::HoldStart || cue.kind == CueKind::HoldEnd || cue.kind == CueKind::BackOff
            || cue.kind == CueKind::Stop || (cue.kind == CueKind::Breathing && cue.at > 30s && cue.at < 60s)) {
            EXPECT_TRUE(known(cue.text)) << cue.text;
        }
    EXPECT_EQ(stop.back().kind, CueKind::Stop);
}

TEST(SessionMachineCreate, RefusesAnEmptyPlan)
{
    auto const kb = test::make_test_knowledge();
    auto machine = SessionMachine::create(kb, plan::Plan {});
    ASSERT_FALSE(machine.has_value());
    EXPECT_EQ(machine.error().code, ErrorCode::InvalidArgument);
}

TEST_F(SessionTest, AHighPainRatingWithNoRuleStopsRatherThanBacksOff)
{
    // The one responder (kb::respond_in_session) answers an event without a rule with a stop.
    std::erase_if(kb.screening.in_session, [](kb::InSessionRule const& r) { return r.event == kb::SafetyEvent::PainHigh; });
    machine = test::make_machine(kb, plan);
    at(0ms, Event::start());
    auto const cues = at(40s, Event::pain(9));
    ASSERT_FALSE(cues.empty());
    EXPECT_EQ(cues.back().kind, CueKind::Stop);
    EXPECT_EQ(cues.back().code, "no_rule_for_event");
    EXPECT_TRUE(machine.finished());
}

TEST_F(SessionTest, PainGivenWithASafetyEventBringsInThePainRuleWhenItIsStricter)
{
    for (auto& rule : kb.screening.in_session) {
        if (rule.event == kb::SafetyEvent::Dizziness)
            rule.action = kb::SafetyAction::BackOff;
        if (rule.event == kb::SafetyEvent::PainHigh)
            rule.action = kb::SafetyAction::Stop;
    }
    machine = test::make_machine(kb, plan);
    at(0ms, Event::start());
    auto const mild = at(40s, Event::safety_event(kb::SafetyEvent::Dizziness, 2));
    ASSERT_FALSE(mild.empty());
    EXPECT_EQ(mild.back().kind, CueKind::BackOff);
    auto const severe = at(45s, Event::safety_event(kb::SafetyEvent::Dizziness, 9));
    ASSERT_FALSE(severe.empty());
    EXPECT_EQ(severe.back().kind, CueKind::Stop);
    EXPECT_TRUE(machine.finished());
}

TEST_F(SessionTest, TheSummaryKeepsWhatTheJournalRecords)
{
    at(0ms, Event::pain(3));
    at(0ms, Event::start());
    at(40s, Event::tender_spot());
    at(50s, Event::skip());   // ends thoracic rolling at 50 s, during the hold
    at(200s, Event::quit());
    at(201s, Event::pain(2));
    auto const summary = machine.summary(clock.now());
    ASSERT_EQ(summary.pain.size(), 2u);
    EXPECT_EQ(summary.pain[0].moment, RatingMoment::Before);
    EXPECT_EQ(summary.pain[1].moment, RatingMoment::After);
    ASSERT_EQ(summary.skipped.size(), 1u);
    EXPECT_EQ(summary.skipped[0].step, 0);
    EXPECT_EQ(summary.skipped[0].phase, Phase::Hold);
    ASSERT_EQ(summary.holds.size(), 1u);
    EXPECT_EQ(summary.holds[0].held, 10s);           // cut short by the skip
    ASSERT_EQ(summary.rolled.size(), plan.steps.size());
    EXPECT_EQ(summary.rolled[0], 25s);               // rolling ran 25-50 s
    // The skip moves everything 35 s earlier: glutes right 75-135 s, left 140-200 s.
    EXPECT_EQ(summary.rolled[1], 120s);
    EXPECT_EQ(summary.completed_steps, (std::vector<int> { 0, 1 }));   // passed, skipped or not
    EXPECT_EQ(machine.emitted().size(), all.size());
}
