#include "session/session_machine.h"

#include "knowledge/in_session_responder.h"
#include "session/session_machine_detail.h"

#include <algorithm>

// What front-ends read from the machine: the snapshot to draw, the summary to record, and the
// cue texts to synthesise ahead of time.

namespace rc::session {

using namespace detail;

Snapshot SessionMachine::snapshot(MonoTime now) const
{
    // A front-end may ask between two advance() calls: show the state `now`, not the last one.
    if (auto due = next_due(); due && now >= *due) {
        SessionMachine copy = *this;
        copy.advance(now);
        return copy.snapshot(now);
    }
    Snapshot s;
    s.phase = phase();
    s.paused = m_paused;
    s.step_count = static_cast<int>(m_plan.steps.size());
    s.last_cue = m_last_cue;
    s.advice = m_advice;
    s.end_reason = m_end_reason;
    Millis const t = m_finished ? m_end_at : session_time(now);
    s.session_elapsed = t;
    s.session_total = t + session_remaining_at(t);
    s.progress = s.session_total.count() > 0 ? static_cast<double>(t.count()) / static_cast<double>(s.session_total.count()) : 0.0;
    if (!m_started || m_finished) {
        if (!m_started && !m_plan.steps.empty()) {
            s.next = m_plan.steps.front().name;
        }
        return s;
    }
    auto const& seg = m_segments[m_segment];
    auto const& step = m_plan.steps[static_cast<std::size_t>(seg.step)];
    s.step = seg.step;
    s.exercise_id = step.exercise_id;
    s.exercise_name = step.name;
    s.tool_name = step.tool_name;
    s.side = seg.side;
    if (seg.phase == Phase::Setup)
        s.instructions = step.setup;
    else if (!step.movement.empty())
        s.instructions = { step.movement };
    s.phase_elapsed = std::max(Millis { 0 }, t - m_segment_start);
    s.phase_total = m_segment_end - m_segment_start;
    s.step_total = step_total_at(t);
    s.step_elapsed = s.step_total - step_remaining_at(t);
    if (static_cast<std::size_t>(seg.step) + 1 < m_plan.steps.size())
        s.next = m_plan.steps[static_cast<std::size_t>(seg.step) + 1].name;
    if (m_holding)
        s.hold = HoldState { std::min(t - m_hold_start, m_hold_end - m_hold_start), m_hold_end - m_hold_start,
            m_spot_time + std::min(t - m_hold_start, m_hold_end - m_hold_start) };
    return s;
}

Summary SessionMachine::summary(MonoTime now) const
{
    Summary s;
    s.end_reason = m_end_reason;
    s.active = m_finished ? m_end_at : session_time(now);
    auto paused = m_paused_total;
    if (m_paused)
        paused += now - m_pause_began;
    s.paused = std::chrono::duration_cast<Millis>(paused);
    s.steps_total = static_cast<int>(m_plan.steps.size());
    s.steps_completed = m_steps_completed;
    s.tender_spots = m_tender_spots;
    s.back_offs = m_back_offs;
    s.pain = m_pain;
    s.stop_rule = m_stop_rule;
    s.stop_message = m_stop_message;
    s.completed_steps = m_completed;
    s.skipped = m_skipped;
    s.rolled = m_rolled;
    s.holds = m_holds;
    return s;
}

std::vector<Cue> SessionMachine::planned_cues() const
{
    SessionMachine copy(m_plan, m_thresholds, m_rules);
    MonoTime const t0 {};
    auto cues = copy.step(t0, Event::start());
    Millis total { 0 };
    for (auto const& s : m_segments)
        total += s.duration;
    auto rest = copy.advance(t0 + total + Millis { 1 });
    cues.insert(cues.end(), rest.begin(), rest.end());
    return cues;
}

std::vector<std::string> SessionMachine::event_cue_texts() const
{
    std::vector<std::string> texts { breathe_in_text, breathe_out_text, hold_end_text, move_on_text, move_on_again_text,
        hold_queued_text, hold_already_text, hold_paused_text, hold_finisher_text, undone_text };
    for (auto const& step : m_plan.steps)
        if (step.kind == kb::ExerciseKind::Rolling)
            texts.push_back(hold_start_text(step.hold.max_hold));
    for (auto const& rule : m_rules)
        texts.push_back(rule.message);
    for (auto event : { kb::SafetyEvent::NumbnessOneLeg, kb::SafetyEvent::NumbnessSaddle, kb::SafetyEvent::SharpPain,
             kb::SafetyEvent::PainHigh, kb::SafetyEvent::Dizziness, kb::SafetyEvent::FeelsWrong })
        texts.push_back(kb::respond_in_session(m_rules, m_thresholds.pain_back_off, event).reason.message);
    std::sort(texts.begin(), texts.end());
    texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
    return texts;
}

}
