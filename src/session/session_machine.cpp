#include "session/session_machine.h"

#include "common/enum_names.h"
#include "knowledge/in_session_responder.h"
#include "session/session_machine_detail.h"

#include <algorithm>
#include <array>
#include <fmt/core.h>
#include <utility>

// Events and time: creating the machine, stepping it, and what each event does. The cues of each
// part are scheduled in session_schedule.cpp; the snapshot and summary are in session_views.cpp.

namespace rc::session {

using namespace detail;

namespace {

constexpr std::array phase_names {
    std::pair { Phase::Ready, "ready" },
    std::pair { Phase::Setup, "setup" },
    std::pair { Phase::Rolling, "rolling" },
    std::pair { Phase::Hold, "hold" },
    std::pair { Phase::SideSwitch, "side_switch" },
    std::pair { Phase::Transition, "transition" },
    std::pair { Phase::Finisher, "finisher" },
    std::pair { Phase::Done, "done" },
    std::pair { Phase::Stopped, "stopped" },
};

constexpr std::array reason_names {
    std::pair { EndReason::None, "none" },
    std::pair { EndReason::Completed, "completed" },
    std::pair { EndReason::Quit, "quit" },
    std::pair { EndReason::SafetyStop, "safety_stop" },
};

}

char const* to_string(Phase phase)
{
    return to_word(phase_names, phase);
}

char const* to_string(EndReason reason)
{
    return to_word(reason_names, reason);
}

SessionMachine::SessionMachine(plan::Plan plan, kb::Thresholds thresholds, std::vector<kb::InSessionRule> rules)
    : m_plan(std::move(plan))
    , m_thresholds(thresholds)
    , m_rules(std::move(rules))
    , m_rolled(m_plan.steps.size(), Millis { 0 })
{
    for (std::size_t k = 0; k < m_plan.steps.size(); ++k) {
        auto const& s = m_plan.steps[k];
        int const step = static_cast<int>(k);
        if (k > 0 && m_plan.transition_rest.count() > 0)
            m_segments.push_back({ Phase::Transition, step, Side::None, ms(m_plan.transition_rest) });
        if (s.setup_time.count() > 0)
            m_segments.push_back({ Phase::Setup, step, Side::None, ms(s.setup_time) });
        if (s.kind == kb::ExerciseKind::Finisher) {
            m_segments.push_back({ Phase::Finisher, step, Side::None, ms(s.per_repetition * s.repetitions) });
            continue;
        }
        auto const sides = s.side_order();
        for (std::size_t i = 0; i < sides.size(); ++i) {
            if (i > 0 && s.side_switch.count() > 0)
                m_segments.push_back({ Phase::SideSwitch, step, sides[i], ms(s.side_switch) });
            m_segments.push_back({ Phase::Rolling, step, sides[i], ms(s.per_side) });
        }
    }
}

Result<SessionMachine> SessionMachine::create(kb::KnowledgeBase const& kb, plan::Plan plan)
{
    if (plan.steps.empty())
        return Error::invalid_argument("a session needs a plan with at least one step");
    for (auto const& s : plan.steps) {
        if (s.kind == kb::ExerciseKind::Rolling) {
            if (s.per_side.count() < 1)
                return Error::invalid_argument(fmt::format("step '{}' has no rolling time: set per_side_s >= 1", s.exercise_id));
            if (s.tempo.min_per_pass.count() < 1 || s.tempo.max_per_pass < s.tempo.min_per_pass)
                return Error::invalid_argument(fmt::format("step '{}': the tempo needs 1 s <= min <= max per pass", s.exercise_id));
            if (s.hold.min_hold.count() < 1 || s.hold.max_hold < s.hold.min_hold || s.hold.move_on_after < s.hold.max_hold)
                return Error::invalid_argument(fmt::format("step '{}': the hold needs 1 s <= min <= max <= move-on time", s.exercise_id));
        } else if (s.repetitions < 1 || s.per_repetition.count() < 1) {
            return Error::invalid_argument(fmt::format("finisher '{}' needs at least one repetition of at least 1 s", s.exercise_id));
        }
    }
    if (kb.thresholds.inhale.count() < 1 || kb.thresholds.exhale.count() < 1)
        return Error::invalid_data("thresholds: inhale and exhale must be at least 1 s");
    return SessionMachine(std::move(plan), kb.thresholds, kb.screening.in_session);
}

Millis SessionMachine::session_time(MonoTime now) const
{
    if (!m_started)
        return Millis { 0 };
    auto const until = m_paused ? m_pause_began : now;
    auto const active = until - m_start - m_paused_total;
    return std::max(Millis { 0 }, std::chrono::duration_cast<Millis>(active));
}

Phase SessionMachine::phase() const
{
    if (m_finished)
        return m_end_reason == EndReason::SafetyStop ? Phase::Stopped : Phase::Done;
    if (!m_started)
        return Phase::Ready;
    if (m_holding)
        return Phase::Hold;
    return m_segments[m_segment].phase;
}

Millis SessionMachine::breath_cycle() const { return ms(m_thresholds.inhale + m_thresholds.exhale); }

Millis SessionMachine::step_remaining_at(Millis t) const
{
    if (!m_started || m_finished)
        return Millis { 0 };
    int const step = m_segments[m_segment].step;
    Millis remaining = std::max(Millis { 0 }, m_segment_end - t);
    for (std::size_t i = m_segment + 1; i < m_segments.size() && m_segments[i].step == step; ++i)
        remaining += m_segments[i].duration;
    return remaining;
}

Millis SessionMachine::step_total_at(Millis t) const
{
    if (!m_started || m_finished)
        return Millis { 0 };
    return std::max(Millis { 0 }, t - m_step_start) + step_remaining_at(t);
}

Millis SessionMachine::session_remaining_at(Millis t) const
{
    if (!m_started) {
        Millis total { 0 };
        for (auto const& s : m_segments)
            total += s.duration;
        return total;
    }
    if (m_finished)
        return Millis { 0 };
    Millis remaining = std::max(Millis { 0 }, m_segment_end - t);
    for (std::size_t i = m_segment + 1; i < m_segments.size(); ++i)
        remaining += m_segments[i].duration;
    return remaining;
}

void SessionMachine::end_hold(Millis at)
{
    if (!m_holding)
        return;
    m_holding = false;
    m_holds.push_back({ m_segments[m_segment].step, std::max(Millis { 0 }, std::min(at, m_hold_end) - m_hold_start) });
    m_spot_time += m_hold_end - m_hold_start;
    m_last_hold_end = m_hold_end;
}

void SessionMachine::emit_due(Millis t, std::vector<Cue>& out)
{
    while (!m_pending.empty() && m_pending.front().at <= t) {
        Cue cue = std::move(m_pending.front());
        m_pending.pop_front();
        if (m_holding && cue.at >= m_hold_end)
            end_hold(m_hold_end);
        push(std::move(cue), out);
    }
    if (m_holding && t >= m_hold_end)
        end_hold(m_hold_end);
}

void SessionMachine::leave_segment(Millis at)
{
    if (!m_segment_open)
        return;
    m_segment_open = false;
    auto const& seg = m_segments[m_segment];
    if (seg.phase == Phase::Rolling)
        m_rolled[static_cast<std::size_t>(seg.step)] += std::max(Millis { 0 }, at - m_segment_start);
}

void SessionMachine::finish(EndReason reason, Millis at)
{
    end_hold(at);
    leave_segment(at);
    m_finished = true;
    m_end_reason = reason;
    m_end_at = at;
    m_holding = false;
    m_pending.clear();
    m_advice.reset();
    if (m_paused)
        m_paused = false;
}

void SessionMachine::finish_segment_and_continue(std::vector<Cue>& out)
{
    end_hold(m_segment_end);
    auto const end = m_segment_end;
    leave_segment(end);
    std::size_t const next = m_segment + 1;
    if (next >= m_segments.size() || m_segments[next].step != m_segments[m_segment].step) {
        ++m_steps_completed;
        if (std::find(m_completed.begin(), m_completed.end(), m_segments[m_segment].step) == m_completed.end())
            m_completed.push_back(m_segments[m_segment].step);
    }
    if (next < m_segments.size()) {
        enter_segment(next, end, out);
        return;
    }
    auto done = make_cue(CueKind::Done, "That's the whole session. Well done.", end, Priority::High);
    auto prompt = make_cue(CueKind::Prompt, "How is your back now? Rate your pain from 0 to 10.", end);
    finish(EndReason::Completed, end);
    done.step = prompt.step = -1;
    done.side = prompt.side = Side::None;
    done.exercise_id.clear();
    prompt.exercise_id.clear();
    done.step_remaining = done.step_total = prompt.step_remaining = prompt.step_total = Millis { 0 };
    done.session_remaining = prompt.session_remaining = Millis { 0 };
    done.session_total = prompt.session_total = end;
    m_last_cue = done;
    m_emitted.push_back(done);
    out.push_back(std::move(done));
    m_last_cue = prompt;
    m_emitted.push_back(prompt);
    out.push_back(std::move(prompt));
}

std::vector<Cue> SessionMachine::advance(MonoTime now)
{
    std::vector<Cue> out;
    if (!m_started || m_finished || m_paused)
        return out;
    Millis const t = session_time(now);
    for (;;) {
        emit_due(std::min(t, m_segment_end), out);
        if (m_finished || t < m_segment_end)
            break;
        finish_segment_and_continue(out);
        if (m_finished)
            break;
    }
    return out;
}

std::vector<Cue> SessionMachine::step(MonoTime now, Event const& event)
{
    std::vector<Cue> out;
    if (event.kind == EventKind::Start) {
        if (m_started)
            return out;
        m_started = true;
        m_start = now;
        m_pending.clear();
        std::size_t first = 0;
        if (event.from_step > 0 && static_cast<std::size_t>(event.from_step) < m_plan.steps.size()) {
            for (std::size_t i = 0; i < m_segments.size(); ++i)
                if (m_segments[i].step == event.from_step && m_segments[i].phase != Phase::Transition) {
                    first = i;
                    break;
                }
        }
        auto prompt = make_cue(CueKind::Prompt, "Before we begin: how is your back, from 0 to 10?", Millis { 0 });
        auto reminder = make_cue(CueKind::Instruction,
            "If you feel numbness, tingling or sharp pain at any point, say so and we stop at once.", Millis { 0 });
        prompt.speak = Speak::No;
        push(std::move(prompt), out);
        push(std::move(reminder), out);
        enter_segment(first, Millis { 0 }, out);
        return out;
    }
    if (event.kind == EventKind::Resume) {
        if (m_started && !m_finished && m_paused) {
            m_paused_total += now - m_pause_began;
            m_paused = false;
            push(make_cue(CueKind::Resumed, "Carrying on.", session_time(now)), out);
        }
        auto due = advance(now);
        out.insert(out.end(), std::make_move_iterator(due.begin()), std::make_move_iterator(due.end()));
        return out;
    }
    out = advance(now);
    m_event_now = now;
    Millis const t = session_time(now);
    handle(t, event, out);
    return out;
}

void SessionMachine::handle(Millis t, Event const& event, std::vector<Cue>& out)
{
    switch (event.kind) {
    case EventKind::Pain: {
        if (event.rating < 0 || event.rating > 10)
            return;
        auto const moment = !m_started ? RatingMoment::Before : m_finished ? RatingMoment::After : RatingMoment::During;
        m_pain.push_back({ t, event.rating, moment == RatingMoment::During ? m_segments[m_segment].step : -1, moment });
        if (moment == RatingMoment::During && kb::respond_to_pain(m_rules, m_thresholds.pain_back_off, event.rating)) {
            handle_safety(t, kb::SafetyEvent::PainHigh, event.rating, out);
            return;
        }
        if (moment == RatingMoment::During)
            m_advice.reset();   // it hurts less now: the back-off advice has done its work
        auto ack = make_cue(CueKind::Instruction, fmt::format("Pain {} out of 10, noted.", event.rating), t, Priority::Low);
        ack.speak = Speak::No;
        push(std::move(ack), out);
        return;
    }
    case EventKind::Safety:
        if (m_started && !m_finished)
            handle_safety(t, event.safety, event.with_pain, out);
        return;
    case EventKind::Undo:
        undo(out);
        return;
    case EventKind::Acknowledge:
        m_advice.reset();
        return;
    case EventKind::Quit: {
        if (!m_started || m_finished)
            return;
        m_before_stop = std::make_shared<SessionMachine const>(*this);
        m_stopped_at = m_event_now;
        if (m_paused) {
            m_paused_total += m_event_now - m_pause_began;
            m_paused = false;
        }
        auto cue = make_cue(CueKind::Done, "Session ended early. That's fine: a short session still counts.", t, Priority::High);
        cue.stop_kind = StopKind::User;
        finish(EndReason::Quit, t);
        cue.step_remaining = cue.session_remaining = Millis { 0 };
        cue.session_total = t;
        m_last_cue = cue;
        m_emitted.push_back(cue);
        out.push_back(std::move(cue));
        return;
    }
    default:
        break;
    }
    if (!m_started || m_finished)
        return;

    switch (event.kind) {
    case EventKind::Pause:
        if (m_paused)
            return;
        push(make_cue(CueKind::Paused, "Paused. Rest as long as you like.", t), out);
        m_paused = true;
        m_pause_began = m_start + m_paused_total + t;
        return;
    default:
        break;
    }
    if (m_paused) {
        // While paused only pain, safety, resume and quit count; a tender spot says so.
        if (event.kind == EventKind::TenderSpot)
            push(make_cue(CueKind::Notice, hold_paused_text, t), out);
        return;
    }

    switch (event.kind) {
    case EventKind::Skip:
        m_skipped.push_back({ m_segments[m_segment].step, phase() });
        end_hold(t);
        m_segment_end = t;
        m_pending.clear();
        finish_segment_and_continue(out);
        return;
    case EventKind::Back:
        go_back(t, out);
        return;
    case EventKind::TenderSpot:
        handle_tender_spot(t, out);
        return;
    case EventKind::BreathCheck: {
        auto const in = m_thresholds.inhale.count();
        auto const ex = m_thresholds.exhale.count();
        push(make_cue(CueKind::Breathing,
                 fmt::format("Breathe in through your nose for {}, then out slowly for {}. Don't hold your breath.", in, ex), t),
            out);
        return;
    }
    case EventKind::FormCheck: {
        auto const ph = phase();
        if (ph != Phase::Setup && ph != Phase::Rolling && ph != Phase::Hold && ph != Phase::Finisher)
            return;
        if (auto it = m_last_form.find(event.code); it != m_last_form.end() && t - it->second < form_cue_interval)
            return;
        m_last_form[event.code] = t;
        auto cue = make_cue(CueKind::Form, event.message.empty() ? "Check your position." : event.message, t, Priority::High);
        cue.code = event.code;
        push(std::move(cue), out);
        return;
    }
    default:
        return;
    }
}

void SessionMachine::handle_tender_spot(Millis t, std::vector<Cue>& out)
{
    auto const& seg = m_segments[m_segment];
    if (m_holding) {
        push(make_cue(CueKind::Notice, hold_already_text, t), out);
        return;
    }
    if (seg.phase != Phase::Rolling) {
        if (m_plan.steps[static_cast<std::size_t>(seg.step)].kind != kb::ExerciseKind::Rolling) {
            push(make_cue(CueKind::Notice, hold_finisher_text, t), out);
            return;
        }
        // Set-up, a side switch or the rest before a rolling step: hold once rolling begins.
        m_hold_requested = seg.step;
        push(make_cue(CueKind::Notice, hold_queued_text, t), out);
        return;
    }
    auto const& step = m_plan.steps[static_cast<std::size_t>(m_segments[m_segment].step)];
    bool const same_spot = m_last_hold_end && t - *m_last_hold_end <= same_spot_gap;
    if (!same_spot) {
        m_spot_time = Millis { 0 };
        m_spot_moved_on = false;
    }
    Millis const limit = ms(step.hold.move_on_after);
    Millis const hold = std::min(ms(step.hold.max_hold), limit - m_spot_time);
    if (m_spot_moved_on || hold < 1000ms) {
        m_spot_moved_on = true;
        push(make_cue(CueKind::MoveOn, move_on_again_text, t, Priority::High), out);
        return;
    }
    ++m_tender_spots;
    m_holding = true;
    m_hold_start = t;
    m_hold_end = t + hold;
    // The hold replaces the rolling cues it overlaps; the side is extended if the hold outlasts it.
    std::erase_if(m_pending, [&](Cue const& c) { return c.at >= t && c.at <= m_hold_end; });
    if (m_hold_end > m_segment_end)
        m_segment_end = m_hold_end;
    push(make_cue(CueKind::HoldStart, hold_start_text(std::chrono::duration_cast<std::chrono::seconds>(hold)), t, Priority::High), out);
    Millis const cycle = breath_cycle();
    for (Millis o = 1000ms; o + 2000ms <= hold; o += cycle) {
        schedule(make_cue(CueKind::Breathing, breathe_in_text, t + o));
        if (o + ms(m_thresholds.inhale) + 2000ms <= hold)
            schedule(make_cue(CueKind::Breathing, breathe_out_text, t + o + ms(m_thresholds.inhale)));
    }
    bool const last = m_spot_time + hold >= limit;
    if (last) {
        m_spot_moved_on = true;
        schedule(make_cue(CueKind::MoveOn, move_on_text, m_hold_end, Priority::High));
    } else {
        schedule(make_cue(CueKind::HoldEnd, hold_end_text, m_hold_end, Priority::High));
    }
}

void SessionMachine::handle_safety(Millis t, kb::SafetyEvent event, std::optional<int> pain, std::vector<Cue>& out)
{
    auto const response = kb::respond_in_session(m_rules, m_thresholds.pain_back_off, event, pain);
    if (response.action == kb::SafetyAction::BackOff) {
        ++m_back_offs;
        auto cue = make_cue(CueKind::BackOff, response.reason.message, t, Priority::Urgent);
        cue.code = response.reason.rule_id;
        cue.detail = response.reason.what_to_do;
        m_advice = cue;
        push(std::move(cue), out);
        return;
    }
    auto cue = make_cue(CueKind::Stop, response.reason.message, t, Priority::Urgent);
    cue.code = response.reason.rule_id;
    cue.detail = response.reason.what_to_do;
    // Numbness is never taken back, whatever tier the knowledge base gives it.
    bool const numbness = event == kb::SafetyEvent::NumbnessOneLeg || event == kb::SafetyEvent::NumbnessSaddle;
    cue.stop_kind = response.reason.tier == kb::Tier::Emergency       ? StopKind::Emergency
        : numbness || response.reason.tier >= kb::Tier::ClinicianBeforeRolling ? StopKind::Warning
                                                                               : StopKind::Caution;
    m_before_stop.reset();
    if (cue.stop_kind == StopKind::Caution) {
        m_before_stop = std::make_shared<SessionMachine const>(*this);
        m_stopped_at = m_event_now;
    }
    m_stop_rule = cue.code;
    m_stop_message = cue.text;
    if (m_paused) {
        m_paused_total += m_event_now - m_pause_began;
        m_paused = false;
    }
    finish(EndReason::SafetyStop, t);
    cue.step_remaining = cue.session_remaining = Millis { 0 };
    cue.session_total = t;
    m_last_cue = cue;
    m_emitted.push_back(cue);
    out.push_back(std::move(cue));
}

std::optional<Millis> SessionMachine::undo_left(MonoTime now) const
{
    if (!m_finished || !m_before_stop || now - m_stopped_at > undo_window)
        return std::nullopt;
    return undo_window - std::chrono::duration_cast<Millis>(now - m_stopped_at);
}

void SessionMachine::undo(std::vector<Cue>& out)
{
    if (!m_finished)
        return;
    auto const now = m_event_now;
    if (!m_before_stop) {
        char const* why = m_end_reason == EndReason::SafetyStop
            ? "A stop for numbness, sharp pain or an emergency cannot be undone. Get off the roller slowly."
            : "The session is over and cannot be undone.";
        push(make_cue(CueKind::Notice, why, m_end_at), out);
        return;
    }
    if (now - m_stopped_at > undo_window) {
        push(make_cue(CueKind::Notice, "Too late to undo the stop: start a new session when you are ready.", m_end_at), out);
        return;
    }
    // Back to the moment before the stop, paused there; the journal keeps the stop and the undo.
    auto emitted = std::move(m_emitted);
    auto const stopped_at = m_stopped_at;
    SessionMachine restored = *m_before_stop;
    *this = std::move(restored);
    m_emitted = std::move(emitted);
    m_before_stop.reset();
    m_event_now = now;
    if (!m_paused) {
        m_paused = true;
        m_pause_began = stopped_at;
    }
    push(make_cue(CueKind::Paused, undone_text, session_time(now), Priority::High), out);
}

void SessionMachine::go_back(Millis t, std::vector<Cue>& out)
{
    int step = m_segments[m_segment].step;
    if (t - m_step_start < back_to_previous_within && step > 0)
        --step;
    std::size_t target = 0;
    for (std::size_t i = 0; i < m_segments.size(); ++i)
        if (m_segments[i].step == step && m_segments[i].phase != Phase::Transition) {
            target = i;
            break;
        }
    end_hold(t);
    leave_segment(t);
    m_hold_requested.reset();
    // Steps completed after the target are done again.
    int redone = 0;
    for (std::size_t i = target; i < m_segment; ++i)
        if (i + 1 < m_segments.size() && m_segments[i + 1].step != m_segments[i].step)
            ++redone;
    m_steps_completed = std::max(0, m_steps_completed - redone);
    int const target_step = m_segments[target].step;
    std::erase_if(m_completed, [&](int done) { return done >= target_step; });
    enter_segment(target, t, out);
    m_step_start = t;
}

std::optional<MonoTime> SessionMachine::next_due() const
{
    if (!m_started || m_finished || m_paused)
        return std::nullopt;
    Millis next = m_segment_end;
    if (!m_pending.empty())
        next = std::min(next, m_pending.front().at);
    if (m_holding)
        next = std::min(next, m_hold_end);
    return m_start + m_paused_total + next;
}

}
