// Properties of the session machine over random event sequences.
#include "session/session_machine.h"
#include "session_helpers.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

using namespace rc;
using namespace rc::session;
using namespace std::chrono_literals;

namespace {

struct Timed {
    Millis gap;   // after the previous event
    Event event;
};

::rc::Gen<Event> gen_event(bool allow_skips)
{
    std::vector<EventKind> kinds { EventKind::Pause, EventKind::Resume, EventKind::TenderSpot, EventKind::Pain,
        EventKind::BreathCheck, EventKind::FormCheck, EventKind::Acknowledge, EventKind::Tick };
    if (allow_skips) {
        kinds.push_back(EventKind::Skip);
        kinds.push_back(EventKind::Back);
    }
    return ::rc::gen::map(::rc::gen::tuple(::rc::gen::elementOf(kinds), ::rc::gen::inRange(0, 11)), [](auto const& t) {
        auto const [kind, n] = t;
        if (kind == EventKind::Pain)
            return Event::pain(std::min(n, 6));   // below the back-off threshold: no change of course
        if (kind == EventKind::FormCheck)
            return Event::form_check(n % 2 ? "too_fast" : "near_neck", "Check your form.");
        return Event::of(kind);
    });
}

std::vector<Timed> gen_script(bool allow_skips)
{
    auto const n = *::rc::gen::inRange(0, 40);
    std::vector<Timed> script;
    for (int i = 0; i < n; ++i)
        script.push_back({ Millis { *::rc::gen::inRange(0, 30'000) }, *gen_event(allow_skips) });
    return script;
}

plan::Plan gen_plan(kb::KnowledgeBase const& kb)
{
    plan::Profile profile;
    profile.experience = *::rc::gen::element(plan::Experience::FirstTime, plan::Experience::Regular);
    profile.minutes_available = std::chrono::minutes { *::rc::gen::inRange(2, 13) };
    auto plan = plan::make_plan(kb, profile, kb::Verdict {}, plan::History {});
    RC_ASSERT(plan.has_value());
    return *plan;
}

}

RC_GTEST_PROP(SessionProperties, AHoldNeverExceedsItsMaximum, ())
{
    auto const kb = test::make_test_knowledge();
    auto const plan = gen_plan(kb);
    auto machine = test::make_machine(kb, plan);
    MonoTime now {};
    std::vector<Cue> cues = machine.step(now, Event::start());
    for (auto const& e : gen_script(true)) {
        now += e.gap;
        test::append(cues, machine.step(now, e.event));
        if (auto const s = machine.snapshot(now); s.hold) {
            RC_ASSERT(s.hold->elapsed <= s.hold->total);
            auto const& step = plan.steps[static_cast<std::size_t>(s.step)];
            RC_ASSERT(s.hold->total <= std::chrono::duration_cast<Millis>(step.hold.max_hold));
            RC_ASSERT(s.hold->on_spot <= std::chrono::duration_cast<Millis>(step.hold.move_on_after));
        }
    }
    test::append(cues, test::run_to_end(machine, now));
    // Every hold start is followed by its end (release or move on) within the maximum hold.
    for (std::size_t i = 0; i < cues.size(); ++i) {
        if (cues[i].kind != CueKind::HoldStart)
            continue;
        auto const& step = plan.steps[static_cast<std::size_t>(cues[i].step)];
        for (std::size_t j = i + 1; j < cues.size(); ++j) {
            auto const k = cues[j].kind;
            if (k == CueKind::HoldEnd || k == CueKind::MoveOn || k == CueKind::Transition || k == CueKind::SideSwitch
                || k == CueKind::Instruction || k == CueKind::Done || k == CueKind::Stop) {
                if (k == CueKind::HoldEnd || k == CueKind::MoveOn)
                    RC_ASSERT(cues[j].at - cues[i].at <= std::chrono::duration_cast<Millis>(step.hold.max_hold));
                if (k == CueKind::HoldEnd || k == CueKind::MoveOn || cues[j].at > cues[i].at)
                    break;
            }
        }
    }
}

RC_GTEST_PROP(SessionProperties, PauseNeverAdvancesTheStepClock, ())
{
    auto const kb = test::make_test_knowledge();
    auto machine = test::make_machine(kb, gen_plan(kb));
    MonoTime now {};
    machine.step(now, Event::start());
    for (auto const& e : gen_script(true)) {
        now += e.gap;
        machine.step(now, e.event);
    }
    if (machine.finished())
        return;
    machine.step(now, Event::pause());
    auto const before = machine.snapshot(now);
    auto const paused_for = Millis { *::rc::gen::inRange(1, 3'600'000) };
    now += paused_for;
    RC_ASSERT(machine.advance(now).empty());
    auto const after = machine.snapshot(now);
    RC_ASSERT(after.paused);
    RC_ASSERT(after.step_elapsed == before.step_elapsed);
    RC_ASSERT(after.phase_elapsed == before.phase_elapsed);
    RC_ASSERT(after.session_elapsed == before.session_elapsed);
    RC_ASSERT(after.step == before.step);
}

RC_GTEST_PROP(SessionProperties, TotalTimeEqualsThePlanWhenNothingIsSkipped, ())
{
    auto const kb = test::make_test_knowledge();
    auto const plan = gen_plan(kb);
    auto machine = test::make_machine(kb, plan);
    MonoTime now {};
    std::vector<Cue> cues = machine.step(now, Event::start());
    for (auto const& e : gen_script(false)) {
        if (e.event.kind == EventKind::TenderSpot)
            continue;   // holds may lengthen a side; covered by their own tests
        now += e.gap;
        test::append(cues, machine.step(now, e.event));
    }
    if (machine.paused()) {
        now += 1s;
        test::append(cues, machine.step(now, Event::resume()));
    }
    test::append(cues, test::run_to_end(machine, now));
    RC_ASSERT(machine.finished());
    auto const summary = machine.summary(now);
    RC_ASSERT(summary.end_reason == EndReason::Completed);
    auto const expected = std::chrono::duration_cast<Millis>(plan.total());
    RC_ASSERT(std::chrono::abs(summary.active - expected) <= 1000ms);
    auto done = std::find_if(cues.begin(), cues.end(), [](Cue const& c) { return c.kind == CueKind::Done; });
    RC_ASSERT(done != cues.end());
    RC_ASSERT(std::chrono::abs(done->at - expected) <= 1000ms);
}

RC_GTEST_PROP(SessionProperties, AStopEventAlwaysEndsTheSessionWithNoFurtherRollingCues, ())
{
    auto const kb = test::make_test_knowledge();
    auto machine = test::make_machine(kb, gen_plan(kb));
    MonoTime now {};
    machine.step(now, Event::start());
    for (auto const& e : gen_script(true)) {
        now += e.gap;
        machine.step(now, e.event);
    }
    auto const stop_event = *::rc::gen::element(kb::SafetyEvent::NumbnessOneLeg, kb::SafetyEvent::NumbnessSaddle,
        kb::SafetyEvent::SharpPain, kb::SafetyEvent::Dizziness, kb::SafetyEvent::FeelsWrong);
    bool const was_running = !machine.finished();
    auto const cues = machine.step(now, Event::safety_event(stop_event));
    RC_ASSERT(machine.finished());
    if (was_running) {
        RC_ASSERT(!cues.empty());
        RC_ASSERT(cues.back().kind == CueKind::Stop);
    }
    for (auto const& e : gen_script(true)) {
        now += e.gap + 1s;
        RC_ASSERT(machine.step(now, e.event).empty() || e.event.kind == EventKind::Pain);
        RC_ASSERT(machine.advance(now + 1h).empty());
    }
    RC_ASSERT(!machine.next_due().has_value());
}
