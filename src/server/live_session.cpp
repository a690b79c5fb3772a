#include "server/live_session.h"

#include "plan/plan_json.h"
#include "session/session_json.h"

#include <fmt/core.h>
#include <set>

namespace rc::server {

using nlohmann::json;

LiveSession::LiveSession(Coach& coach, double speed)
    : m_coach(coach)
    , m_speed(speed)
{
}

WsOutput LiveSession::error(std::string code, std::string const& message)
{
    for (auto& c : code)
        c = c == '-' ? '_' : c;
    WsOutput out;
    out.messages.push_back(json { { "type", "error" }, { "code", code }, { "message", message } }.dump());
    return out;
}

MonoTime LiveSession::virtual_time(MonoTime real) const
{
    if (!m_machine || !m_machine->started())
        return real;
    auto elapsed = std::chrono::duration<double, std::nano>(real - m_real_start) * m_speed;
    return m_real_start + std::chrono::duration_cast<MonoTime::duration>(elapsed);
}

MonoTime LiveSession::real_time(MonoTime virtual_due) const
{
    // Rounded up so the timer never fires a nanosecond before the machine considers a cue due.
    auto elapsed = std::chrono::duration<double, std::nano>(virtual_due - m_real_start) / m_speed;
    return m_real_start + std::chrono::duration_cast<MonoTime::duration>(elapsed) + std::chrono::nanoseconds(1);
}

WsOutput LiveSession::on_open(MonoTime)
{
    return {};
}

WsOutput LiveSession::on_text(std::string const& text, MonoTime now)
{
    json message;
    try {
        message = json::parse(text);
    } catch (json::parse_error const& e) {
        return error("invalid_json", fmt::format("the message is not valid JSON (byte {}); send an object such as {{\"type\": \"start\"}}", e.byte));
    }
    if (!message.is_object() || !message.contains("type") || !message["type"].is_string())
        return error("invalid_message", "a message must be a JSON object with a \"type\": start, event or finish");
    auto type = message["type"].get<std::string>();
    try {
        if (type == "start")
            return start(message, now);
        if (type == "event")
            return handle_event(message, now);
        if (type == "finish")
            return finish(message, now);
        if (type == "frame")
            return handle_frame(message, now);
    } catch (json::exception const& e) {
        return error("invalid_message", fmt::format("the {} message has a field of the wrong type: {}", type, e.what()));
    }
    return error("invalid_message", fmt::format("unknown message type '{}': use start, event, frame or finish", type));
}

WsOutput LiveSession::handle_frame(json const& message, MonoTime now)
{
    if (!m_machine || m_machine->finished())
        return error("conflict", "frames are analysed only during a running session");
    if (!message.contains("frame") || !message["frame"].is_object())
        return error("invalid_message", "a frame message needs a \"frame\" object with the pose landmarks (docs/motion.md)");
    auto virtual_now = virtual_time(now);
    auto snapshot = m_machine->snapshot(virtual_now);
    if (!m_analyzer || m_analyzer_exercise != snapshot.exercise_id) {
        auto analyzer = motion::Analyzer::create({ .exercise = snapshot.exercise_id });
        if (!analyzer)
            return error(to_string(analyzer.error().code), analyzer.error().message);
        m_analyzer.emplace(std::move(*analyzer));
        m_analyzer_exercise = snapshot.exercise_id;
    }
    auto analysis = m_analyzer->push_json(message["frame"].dump());
    if (!analysis)
        return error("invalid_argument", analysis.error().message);
    if (analysis->findings.empty())
        return {};
    std::vector<session::Cue> cues;
    for (auto const& finding : analysis->findings) {
        auto more = m_machine->step(virtual_now, session::Event::form_check(std::string(motion::to_string(finding.code)), std::string(finding.message)));
        cues.insert(cues.end(), more.begin(), more.end());
    }
    observe(cues, virtual_now);
    WsOutput out = after_cues(cues, now, m_machine->finished() ? "ended" : "update", std::nullopt);
    auto update = json::parse(out.messages.back());
    update["analysis"] = *analysis;
    out.messages.back() = update.dump();
    return out;
}

WsOutput LiveSession::start(json const& message, MonoTime now)
{
    if (m_machine)
        return error("conflict", "this session has already started; open a new connection for another one");
    std::optional<int> pain_before;
    if (message.contains("pain_before") && !message["pain_before"].is_null()) {
        int value = message["pain_before"].get<int>();
        if (value < 0 || value > 10)
            return error("invalid_argument", "pain_before must be a whole number from 0 to 10");
        pain_before = value;
    }
    auto plan = m_coach.todays_plan();
    if (!plan)
        return error(to_string(plan.error().code), plan.error().message);
    auto machine = session::SessionMachine::create(m_coach.kb(), *plan);
    if (!machine)
        return error(to_string(machine.error().code), machine.error().message);
    m_machine.emplace(std::move(*machine));
    m_real_start = now;
    m_wall_start = m_coach.clock().wall_now();
    m_outcome.started_at = m_wall_start;
    m_outcome.plan = *plan;
    m_outcome.pain_before = pain_before;

    auto cues = m_machine->step(now, session::Event::start());
    observe(cues, now);
    std::set<std::string> speech;
    for (auto const& cue : m_machine->planned_cues()) {
        if (cue.speak == session::Speak::Yes && !cue.text.empty())
            speech.insert(cue.text);
    }
    WsOutput out = after_cues(cues, now, "started", std::nullopt);
    auto started = json::parse(out.messages.back());
    started["speed"] = m_speed;
    started["plan"] = *plan;
    started["speech"] = speech;
    out.messages.back() = started.dump();
    return out;
}

WsOutput LiveSession::handle_event(json const& message, MonoTime now)
{
    if (!m_machine)
        return error("conflict", "send {\"type\": \"start\"} before any event");
    if (!message.contains("event"))
        return error("invalid_message", "an event message needs an \"event\" object, e.g. {\"type\": \"event\", \"event\": {\"type\": \"pause\"}}");
    auto event = session::parse_event(message["event"]);
    if (!event)
        return error("invalid_argument", event.error().message);
    if (event->kind == session::EventKind::Start)
        return error("conflict", "the session has already started");
    if (m_machine->finished())
        return error("conflict", "the session is over; send {\"type\": \"finish\", \"pain_after\": N}");
    auto virtual_now = virtual_time(now);
    if (event->kind == session::EventKind::Pain)
        m_outcome.pain_during.push_back(event->rating);
    if (event->kind == session::EventKind::Skip) {
        auto snapshot = m_machine->snapshot(virtual_now);
        if (snapshot.step >= 0)
            m_outcome.skipped_steps.push_back({ { "step", snapshot.step }, { "exercise_id", snapshot.exercise_id }, { "phase", session::to_string(snapshot.phase) } });
    }
    observe({}, virtual_now);
    auto cues = m_machine->step(virtual_now, *event);
    observe(cues, virtual_now);
    return after_cues(cues, now, m_machine->finished() ? "ended" : "update", std::nullopt);
}

WsOutput LiveSession::on_timer(MonoTime now)
{
    if (!m_machine || m_machine->finished())
        return {};
    std::optional<double> late_ms;
    if (m_scheduled)
        late_ms = std::chrono::duration<double, std::milli>(now - *m_scheduled).count();
    auto virtual_now = virtual_time(now);
    auto cues = m_machine->advance(virtual_now);
    observe(cues, virtual_now);
    if (cues.empty() && !m_machine->finished()) {
        // Woken early (or for a segment change without a cue): re-arm only.
        WsOutput out;
        if (auto due = m_machine->next_due()) {
            m_scheduled = real_time(*due);
            out.wake_at = m_scheduled;
        }
        return out;
    }
    return after_cues(cues, now, m_machine->finished() ? "ended" : "update", late_ms);
}

WsOutput LiveSession::after_cues(std::vector<session::Cue> const& cues, MonoTime real_now, char const* type, std::optional<double> late_ms)
{
    auto virtual_now = virtual_time(real_now);
    for (auto const& cue : cues)
        m_outcome.cues.push_back(cue);
    json message = {
        { "type", type },
        { "snapshot", m_machine->snapshot(virtual_now) },
        { "cues", cues },
    };
    if (late_ms)
        message["late_ms"] = *late_ms;
    if (m_machine->finished())
        message["summary"] = m_machine->summary(virtual_now);
    WsOutput out;
    out.messages.push_back(message.dump());
    if (auto due = m_machine->next_due(); due && !m_machine->finished()) {
        m_scheduled = real_time(*due);
        out.wake_at = m_scheduled;
    } else {
        m_scheduled.reset();
    }
    return out;
}

void LiveSession::observe(std::vector<session::Cue> const& cues, MonoTime virtual_now)
{
    // Minutes per zone: session time spent rolling or holding, credited to the step's zones
    // (split evenly when a step targets several).
    Millis t = m_machine->session_time(virtual_now);
    bool working = m_observed_phase == session::Phase::Rolling || m_observed_phase == session::Phase::Hold;
    auto const& steps = m_machine->plan().steps;
    if (working && m_observed_step >= 0 && m_observed_step < static_cast<int>(steps.size()) && t > m_observed_at) {
        auto const& zones = steps[static_cast<size_t>(m_observed_step)].target_zones;
        for (auto const& zone : zones)
            m_zone_time[zone] += (t - m_observed_at) / static_cast<int>(zones.size());
    }
    for (auto const& cue : cues) {
        if (cue.kind == session::CueKind::HoldStart && !m_hold_started) {
            m_hold_started = cue.at;
            m_hold_zone.clear();
            if (cue.step >= 0 && cue.step < static_cast<int>(steps.size()) && !steps[static_cast<size_t>(cue.step)].target_zones.empty())
                m_hold_zone = steps[static_cast<size_t>(cue.step)].target_zones.front();
        } else if ((cue.kind == session::CueKind::HoldEnd || cue.kind == session::CueKind::MoveOn || cue.kind == session::CueKind::Stop
                       || cue.kind == session::CueKind::Done)
            && m_hold_started) {
            auto held = std::chrono::duration_cast<std::chrono::seconds>(cue.at - *m_hold_started);
            m_outcome.tender_spots.push_back({ m_hold_zone, held });
            m_hold_started.reset();
        }
    }
    auto snapshot = m_machine->snapshot(virtual_now);
    if (snapshot.step > m_observed_step && m_observed_step >= 0 && m_observed_step < static_cast<int>(steps.size()))
        m_outcome.completed_steps.push_back({ { "step", m_observed_step }, { "exercise_id", steps[static_cast<size_t>(m_observed_step)].exercise_id } });
    m_observed_at = t;
    m_observed_phase = snapshot.phase;
    m_observed_step = snapshot.step;
}

Result<journal::RecordId> LiveSession::record(MonoTime real_now)
{
    m_recorded = true;
    auto virtual_now = virtual_time(real_now);
    observe({}, virtual_now);
    auto summary = m_machine->summary(virtual_now);
    switch (summary.end_reason) {
    case session::EndReason::Completed: m_outcome.end_reason = journal::EndReason::Completed; break;
    case session::EndReason::SafetyStop: m_outcome.end_reason = journal::EndReason::StoppedWarning; break;
    default: m_outcome.end_reason = journal::EndReason::Quit; break;
    }
    if (summary.end_reason == session::EndReason::Completed && m_observed_step >= 0
        && m_observed_step < static_cast<int>(m_machine->plan().steps.size()))
        m_outcome.completed_steps.push_back({ { "step", m_observed_step }, { "exercise_id", m_machine->plan().steps[static_cast<size_t>(m_observed_step)].exercise_id } });
    m_outcome.zones.clear();
    for (auto const& [zone, time] : m_zone_time)
        m_outcome.zones.push_back({ zone, std::chrono::duration_cast<std::chrono::seconds>(time) });
    // The wall-clock end follows the session's own (possibly accelerated) time.
    auto active = std::chrono::duration_cast<WallTime::duration>(virtual_now - m_real_start);
    m_outcome.ended_at = m_wall_start + active;
    return m_coach.record_session(m_outcome);
}

WsOutput LiveSession::finish(json const& message, MonoTime now)
{
    if (!m_machine)
        return error("conflict", "no session has started on this connection");
    if (m_recorded)
        return error("conflict", "this session is already saved");
    if (message.contains("pain_after") && !message["pain_after"].is_null()) {
        int value = message["pain_after"].get<int>();
        if (value < 0 || value > 10)
            return error("invalid_argument", "pain_after must be a whole number from 0 to 10");
        m_outcome.pain_after = value;
    }
    if (!m_machine->finished())
        m_machine->step(virtual_time(now), session::Event::quit());
    auto id = record(now);
    if (!id)
        return error(to_string(id.error().code), id.error().message);
    WsOutput out;
    json summary = m_machine->summary(virtual_time(now));
    out.messages.push_back(json { { "type", "saved" }, { "session_id", *id }, { "summary", summary } }.dump());
    out.close = true;
    return out;
}

void LiveSession::on_close(MonoTime now)
{
    // A session that was started but not saved (tab closed, connection lost) is still recorded:
    // as quit, or as completed/stopped without the rating after.
    if (!m_machine || m_recorded)
        return;
    if (!m_machine->finished())
        m_machine->step(virtual_time(now), session::Event::quit());
    (void)record(now);
}

WsHandlerFactory live_session_factory(Coach& coach, double speed)
{
    return [&coach, speed](HttpRequest const&, BackgroundPoster) -> std::unique_ptr<WsHandler> {
        return std::make_unique<LiveSession>(coach, speed);
    };
}

}
