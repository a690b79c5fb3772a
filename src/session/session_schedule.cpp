#include "session/session_machine.h"

#include "session/session_machine_detail.h"

#include <algorithm>
#include <fmt/core.h>

// The cues of each part of the session: making, scheduling and emitting them, and what entering
// a part (setup, rolling, side switch, rest, finisher) schedules.

namespace rc::session {

using namespace detail;

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
    m_emitted.push_back(cue);
    out.push_back(std::move(cue));
}

void SessionMachine::enter_segment(std::size_t index, Millis at, std::vector<Cue>& out)
{
    m_segment = index;
    m_segment_start = at;
    m_segment_open = true;
    auto const& seg = m_segments[index];
    m_segment_end = at + seg.duration;
    m_pending.clear();
    m_holding = false;
    m_spot_time = Millis { 0 };
    m_last_hold_end.reset();
    m_spot_moved_on = false;
    if (index == 0 || m_segments[index - 1].step != seg.step)
        m_step_start = at;
    // Back-off advice is about the exercise it was given in; the next one starts afresh.
    if (m_advice && m_advice->step != seg.step)
        m_advice.reset();

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
        schedule(make_cue(CueKind::Instruction, fmt::format("{}{}.", step.name, step.tool_phrase.empty() ? "" : ", with the " + step.tool_phrase), at));
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
    if (m_hold_requested && *m_hold_requested != seg.step)
        m_hold_requested.reset();
    if (m_hold_requested && seg.phase == Phase::Rolling) {
        m_hold_requested.reset();
        handle_tender_spot(at, out);
    }
}

}
