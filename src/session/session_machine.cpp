#include "session/session_machine.h"

#include "common/enum_names.h"

#include <algorithm>
#include <array>
#include <fmt/core.h>
#include <utility>

namespace rc::session {

namespace {

using namespace std::chrono_literals;

constexpr char const* breathe_in_text = "Breathe in slowly.";
constexpr char const* breathe_out_text = "And a long, slow breath out.";
constexpr char const* hold_end_text = "Ease off the spot and keep rolling slowly.";
constexpr char const* move_on_text = "That's enough time on this spot. Ease off and roll on to a new one.";
constexpr char const* move_on_again_text = "You've spent long enough on that spot. Roll on to a new one.";
constexpr char const* generic_back_off_text = "Back off: lighter pressure, more weight on your hands and feet, or a softer roller.";

std::string hold_start_text(std::chrono::seconds hold)
{
    return fmt::format("Stay on this spot for about {} seconds. Let your weight sink in; moderate pressure is enough.", hold.count());
}

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

// A second tender spot this soon after releasing the last one counts as the same spot.
constexpr Millis same_spot_gap { 10'000 };
// "Back" within this much of a step's start goes to the previous step.
constexpr Millis back_to_previous_within { 3000 };
// Other cues this close to a tempo cue take its place.
constexpr Millis tempo_clearance { 1500 };
// A reminder (breathing or the exercise's own cue) every this often while rolling.
constexpr Millis reminder_first { 15'000 };
constexpr Millis reminder_every { 30'000 };
constexpr Millis ten_seconds { 10'000 };

Millis ms(std::chrono::seconds s) { return std::chrono::duration_cast<Millis>(s); }

char const* side_word(Side side) { return side == Side::Left ? "left" : side == Side::Right ? "right" : ""; }

std::string capitalised(std::string text)
{
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z')
        text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text;
}

std::string generic_safety_text(kb::SafetyEvent event)
{
    switch (event) {
    case kb::SafetyEvent::NumbnessOneLeg:
        return "Numbness or tingling down a leg: stop rolling now.";
    case kb::SafetyEvent::NumbnessSaddle:
        return "Numbness in the saddle area: stop now and get urgent medical help.";
    case kb::SafetyEvent::SharpPain:
        return "Sharp pain: stop rolling now.";
    case kb::SafetyEvent::PainHigh:
        return "That pain is too high: stop rolling for today.";
    case kb::SafetyEvent::Dizziness:
        return "Dizzy: stop, sit up slowly and breathe normally.";
    case kb::SafetyEvent::FeelsWrong:
        return "Something feels wrong: stop rolling now.";
    }
    return "Stop rolling now.";
}

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

Cue SessionMachine::make_cue(CueKind kind, std::string text, Millis at, Priority priority) const
{
    Cue cue;
    cue.kind = kind;
    cue.text = std::move(text);
    cue.at = at;
    cue.priority = priority;
    if (m_started && !m_finished) {
        auto const& seg = m_segments[m_segment];
        cue.step = seg.step;
        cue.exercise_id = m_plan.steps[static_cast<std::size_t>(seg.step)].exercise_id;
        cue.side = seg.side;
        cue.step_remaining = step_remaining_at(at);
        cue.step_total = step_total_at(at);
    }
    cue.session_remaining = session_remaining_at(at);
    cue.session_total = at + cue.session_remaining;
    return cue;
}

void SessionMachine::schedule(Cue cue)
{
    auto it = std::upper_bound(m_pending.begin(), m_pending.end(), cue.at, [](Millis at, Cue const& c) { return at < c.at; });
    m_pending.insert(it, std::move(cue));
}

void SessionMachine::push(Cue cue, std::vector<Cue>& out)
{
    // Remaining times are computed when the cue is emitted, so they reflect holds and skips.
    if (m_started && !m_finished) {
        cue.step_remaining = step_remaining_at(cue.at);
        cue.step_total = step_total_at(cue.at);
        cue.session_remaining = session_remaining_at(cue.at);
        cue.session_total = cue.at + cue.session_remaining;
    }
    m_last_cue = cue;
    out.push_back(std::move(cue));
}

void SessionMachine::enter_segment(std::size_t index, Millis at, std::vector<Cue>& out)
{
    m_segment = index;
    m_segment_start = at;
    auto const& seg = m_segments[index];
    m_segment_end = at + seg.duration;
    m_pending.clear();
    m_holding = false;
    m_spot_time = Millis { 0 };
    m_last_hold_end.reset();
    m_spot_moved_on = false;
    if (index == 0 || m_segments[index - 1].step != seg.step)
        m_step_start = at;

    auto const& step = m_plan.steps[static_cast<std::size_t>(seg.step)];
    bool const first_of_step_movement = index == 0 || m_segments[index - 1].step != seg.step
        || (m_segments[index - 1].phase != Phase::Rolling && m_segments[index - 1].phase != Phase::SideSwitch);
    Millis const end = seg.duration;

    switch (seg.phase) {
    case Phase::Transition: {
        schedule(make_cue(CueKind::Transition, fmt::format("Rest for a moment. Next: {}.", step.name), at, Priority::High));
        if (end >= 4000ms)
            for (int n = 3; n >= 1; --n)
                schedule(make_cue(CueKind::Countdown, std::to_string(n), at + end - Millis { n * 1000 }, Priority::High));
        break;
    }
    case Phase::Setup: {
        auto const n = static_cast<long>(step.setup.size());
        if (n == 0) {
            schedule(make_cue(CueKind::Instruction, fmt::format("Get into position for {}.", step.name), at));
            break;
        }
        schedule(make_cue(CueKind::Instruction, fmt::format("{}{}.", step.name, step.tool_name.empty() ? "" : ", with the " + step.tool_name), at));
        for (long i = 0; i < n; ++i)
            schedule(make_cue(CueKind::Instruction, step.setup[static_cast<std::size_t>(i)], at + end * i / n));
        break;
    }
    case Phase::SideSwitch:
        schedule(make_cue(CueKind::SideSwitch, fmt::format("Switch sides: now the {} side.", side_word(seg.side)), at, Priority::High));
        break;
    case Phase::Rolling: {
        std::vector<Cue> cues;
        std::string opening = step.movement.empty() ? std::string { "Roll slowly." } : step.movement;
        if (seg.side != Side::None)
            opening = first_of_step_movement ? fmt::format("{} side first. {}", capitalised(side_word(seg.side)), opening)
                                             : fmt::format("{} side: the same slow movement.", capitalised(side_word(seg.side)));
        cues.push_back(make_cue(CueKind::Instruction, opening, at));
        std::vector<Cue> others;
        std::size_t cue_index = 0;
        bool breathing_turn = true;
        for (Millis o = reminder_first; o + 5000ms <= end; o += reminder_every) {
            if (breathing_turn || step.cues.empty())
                others.push_back(make_cue(CueKind::Breathing, "Keep breathing slowly, with a long breath out. Don't hold your breath.", at + o));
            else
                others.push_back(make_cue(CueKind::Instruction, step.cues[cue_index++ % step.cues.size()], at + o));
            breathing_turn = !breathing_turn;
        }
        if (end >= 25'000ms)
            others.push_back(make_cue(CueKind::Countdown, "Ten seconds left.", at + end - ten_seconds, Priority::High));
        // One tempo cue per pass, at the middle of the 2-4 s range; other cues take their place.
        Millis const pass = ms(step.tempo.min_per_pass + step.tempo.max_per_pass) / 2;
        int n = 1;
        for (Millis o = pass; o + pass / 2 <= end; o += pass, ++n) {
            bool const clash = std::any_of(others.begin(), others.end(), [&](Cue const& c) {
                return c.at - (at + o) < tempo_clearance && (at + o) - c.at < tempo_clearance;
            });
            if (!clash)
                cues.push_back(make_cue(CueKind::Tempo, n % 2 ? "Slowly one way" : "and slowly back", at + o, Priority::Low));
        }
        cues.insert(cues.end(), others.begin(), others.end());
        std::stable_sort(cues.begin(), cues.end(), [](Cue const& a, Cue const& b) { return a.at < b.at; });
        for (auto& c : cues)
            schedule(std::move(c));
        break;
    }
    case Phase::Finisher: {
        schedule(make_cue(CueKind::Instruction, step.movement.empty() ? step.name : step.movement, at));
        Millis const per = ms(step.per_repetition);
        for (int r = 0; r < step.repetitions; ++r) {
            std::string first = step.cues.empty() ? std::string { "Move slowly with your breath." } : step.cues[0];
            schedule(make_cue(CueKind::Repetition, fmt::format("{} of {}. {}", r + 1, step.repetitions, first), at + per * r));
            if (step.cues.size() > 1 && per >= 2000ms)
                schedule(make_cue(CueKind::Tempo, step.cues[1], at + per * r + per / 2, Priority::Low));
        }
        break;
    }
    default:
        break;
    }
    emit_due(at, out);
}

void SessionMachine::end_hold()
{
    if (!m_holding)
        return;
    m_holding = false;
    m_spot_time += m_hold_end - m_hold_start;
    m_last_hold_end = m_hold_end;
}

void SessionMachine::emit_due(Millis t, std::vector<Cue>& out)
{
    while (!m_pending.empty() && m_pending.front().at <= t) {
        Cue cue = std::move(m_pending.front());
        m_pending.pop_front();
        if (m_holding && cue.at >= m_hold_end)
            end_hold();
        push(std::move(cue), out);
    }
    if (m_holding && t >= m_hold_end)
        end_hold();
}

void SessionMachine::finish(EndReason reason, Millis at)
{
    m_finished = true;
    m_end_reason = reason;
    m_end_at = at;
    m_holding = false;
    m_pending.clear();
    if (m_paused)
        m_paused = false;
}

void SessionMachine::finish_segment_and_continue(std::vector<Cue>& out)
{
    end_hold();
    auto const end = m_segment_end;
    std::size_t const next = m_segment + 1;
    if (next >= m_segments.size() || m_segments[next].step != m_segments[m_segment].step)
        ++m_steps_completed;
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
    out.push_back(std::move(done));
    m_last_cue = prompt;
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
        auto prompt = make_cue(CueKind::Prompt, "Before we begin: how is your back, from 0 to 10?", Millis { 0 });
        auto reminder = make_cue(CueKind::Instruction,
            "If you feel numbness, tingling or sharp pain at any point, say so and we stop at once.", Millis { 0 });
        prompt.speak = Speak::No;
        push(std::move(prompt), out);
        push(std::move(reminder), out);
        enter_segment(0, Millis { 0 }, out);
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
        m_pain.push_back({ t, event.rating, m_started && !m_finished ? m_segments[m_segment].step : -1 });
        if (event.rating >= m_thresholds.pain_back_off && m_started && !m_finished) {
            handle_safety(t, kb::SafetyEvent::PainHigh, out);
            return;
        }
        auto ack = make_cue(CueKind::Instruction, fmt::format("Pain {} out of 10, noted.", event.rating), t, Priority::Low);
        ack.speak = Speak::No;
        push(std::move(ack), out);
        return;
    }
    case EventKind::Safety:
        if (m_started && !m_finished)
            handle_safety(t, event.safety, out);
        return;
    case EventKind::Quit: {
        if (!m_started || m_finished)
            return;
        if (m_paused) {
            m_paused_total += m_event_now - m_pause_began;
            m_paused = false;
        }
        auto cue = make_cue(CueKind::Done, "Session ended early. That's fine: a short session still counts.", t, Priority::High);
        finish(EndReason::Quit, t);
        cue.step_remaining = cue.session_remaining = Millis { 0 };
        cue.session_total = t;
        m_last_cue = cue;
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
    if (m_paused)
        return;   // while paused only pain, safety, resume and quit count

    switch (event.kind) {
    case EventKind::Skip:
        end_hold();
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
    if (m_holding || m_segments[m_segment].phase != Phase::Rolling)
        return;
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

void SessionMachine::handle_safety(Millis t, kb::SafetyEvent event, std::vector<Cue>& out)
{
    auto it = std::find_if(m_rules.begin(), m_rules.end(), [&](kb::InSessionRule const& r) { return r.event == event; });
    bool const back_off = it != m_rules.end() ? it->action == kb::SafetyAction::BackOff : event == kb::SafetyEvent::PainHigh;
    if (back_off) {
        ++m_back_offs;
        auto cue = make_cue(CueKind::BackOff,
            it != m_rules.end() ? it->message : generic_back_off_text,
            t, Priority::Urgent);
        if (it != m_rules.end()) {
            cue.code = it->id;
            cue.detail = it->what_to_do;
        }
        push(std::move(cue), out);
        return;
    }
    auto cue = make_cue(CueKind::Stop, it != m_rules.end() ? it->message : generic_safety_text(event), t, Priority::Urgent);
    cue.code = it != m_rules.end() ? it->id : std::string { kb::to_string(event) };
    cue.detail = it != m_rules.end() ? it->what_to_do
                                     : "Get off the roller slowly. If it does not settle, or comes back, see a clinician.";
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
    out.push_back(std::move(cue));
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
    end_hold();
    // Steps completed after the target are done again.
    int redone = 0;
    for (std::size_t i = target; i < m_segment; ++i)
        if (i + 1 < m_segments.size() && m_segments[i + 1].step != m_segments[i].step)
            ++redone;
    m_steps_completed = std::max(0, m_steps_completed - redone);
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

}

namespace rc::session {

std::vector<std::string> SessionMachine::event_cue_texts() const
{
    std::vector<std::string> texts { breathe_in_text, breathe_out_text, hold_end_text, move_on_text, move_on_again_text,
        generic_back_off_text };
    for (auto const& step : m_plan.steps)
        if (step.kind == kb::ExerciseKind::Rolling)
            texts.push_back(hold_start_text(step.hold.max_hold));
    for (auto const& rule : m_rules)
        texts.push_back(rule.message);
    for (auto event : { kb::SafetyEvent::NumbnessOneLeg, kb::SafetyEvent::NumbnessSaddle, kb::SafetyEvent::SharpPain,
             kb::SafetyEvent::PainHigh, kb::SafetyEvent::Dizziness, kb::SafetyEvent::FeelsWrong })
        texts.push_back(generic_safety_text(event));
    std::sort(texts.begin(), texts.end());
    texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
    return texts;
}

}
