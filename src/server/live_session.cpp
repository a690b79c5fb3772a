#include "server/live_session.h"

#include "coach/json_text.h"
#include "motion/frame_codec.h"
#include "plan/plan_json.h"
#include "session/session_json.h"

#include <fmt/core.h>
#include <set>

namespace rc::server {

using nlohmann::json;

namespace {

// A 0-10 rating in `message[key]`, absent or null for none.
Result<std::optional<int>> optional_rating(json const& message, char const* key)
{
    auto it = message.find(key);
    if (it == message.end() || it->is_null())
        return std::optional<int> {};
    if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > 10)
        return Error::invalid_argument(fmt::format("{} must be a whole number from 0 to 10", key));
    return std::optional<int> { it->get<int>() };
}

}

LiveSession::LiveSession(rc::coach::Coach& coach, double speed)
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

WsOutput LiveSession::error(Error const& e)
{
    return error(to_string(e.code), e.message);
}

MonoTime LiveSession::session_now(MonoTime real) const
{
    if (!m_machine || !m_machine->started())
        return real;
    return m_scale.to_session(real);
}

WsOutput LiveSession::on_open(MonoTime)
{
    return {};
}

WsOutput LiveSession::on_text(std::string const& text, MonoTime now)
{
    auto message = coach::parse_json_text(text, "the message");
    if (!message)
        return error("invalid_json", message.error().message + "; send an object such as {\"type\": \"start\"}");
    if (!message->is_object() || !message->contains("type") || !(*message)["type"].is_string())
        return error("invalid_message", "a message must be a JSON object with a \"type\": start, event, frame or finish");
    auto type = (*message)["type"].get<std::string>();
    // Each handler checks its fields; this is the last line so that no message, however
    // malformed, can end the connection or the server.
    try {
        return handle(*message, type, now);
    } catch (json::exception const&) {
        return error("invalid_message", fmt::format("the {} message has a field of the wrong type (docs/web.md shows each message)", type));
    } catch (std::exception const& e) {
        return error("internal", fmt::format("the {} message could not be handled ({}); the session carries on", type, e.what()));
    }
}

WsOutput LiveSession::handle(json const& message, std::string const& type, MonoTime now)
{
    if (type == "start")
        return start(message, now);
    if (type == "event")
        return handle_event(message, now);
    if (type == "finish")
        return finish(message, now);
    if (type == "frame")
        return handle_frame(message, now);
    return error("invalid_message", fmt::format("unknown message type '{}': use start, event, frame or finish", type));
}

WsOutput LiveSession::handle_frame(json const& message, MonoTime now)
{
    if (!m_machine || m_machine->finished())
        return error("conflict", "frames are analysed only during a running session");
    if (!message.contains("frame") || !message["frame"].is_object())
        return error("invalid_message", "a frame message needs a \"frame\" object with the pose landmarks (docs/motion.md)");
    auto now_in_session = session_now(now);
    auto snapshot = m_machine->snapshot(now_in_session);
    if (!m_analyzer || m_analyzer_exercise != snapshot.exercise_id) {
        // The thresholds are the knowledge base's (motion.toml), as for `rollcoach analyze`.
        auto analyzer = motion::Analyzer::create({ .exercise = snapshot.exercise_id, .thresholds = m_coach.kb().motion });
        if (!analyzer)
            return error(analyzer.error());
        m_analyzer.emplace(std::move(*analyzer));
        m_analyzer_exercise = snapshot.exercise_id;
    }
    // The frame arrived parsed with the message: validate it as an object, not via text again.
    auto frame = motion::parse_frame(message["frame"]);
    if (!frame)
        return error("invalid_argument", frame.error().message);
    auto analysis = m_analyzer->push(*frame);
    if (analysis.findings.empty())
        return {};
    std::vector<session::Cue> cues;
    for (auto const& finding : analysis.findings) {
        auto more = m_machine->step(now_in_session, session::Event::form_check(std::string(motion::to_string(finding.code)), std::string(finding.message)));
        cues.insert(cues.end(), more.begin(), more.end());
    }
    WsOutput out = after_cues(cues, now, m_machine->finished() ? "ended" : "update", std::nullopt);
    auto update = json::parse(out.messages.back());
    update["analysis"] = analysis;
    out.messages.back() = update.dump();
    return out;
}

WsOutput LiveSession::start(json const& message, MonoTime now)
{
    if (m_machine)
        return error("conflict", "this session has already started; open a new connection for another one");
    auto pain_before = optional_rating(message, "pain_before");
    if (!pain_before)
        return error(pain_before.error());
    auto plan = m_coach.todays_plan();
    if (!plan)
        return error(plan.error());
    auto machine = session::SessionMachine::create(m_coach.kb(), *plan);
    if (!machine)
        return error(machine.error());
    m_machine.emplace(std::move(*machine));
    m_scale = SpeedScale(now, m_speed);
    m_wall_start = m_coach.clock().wall_now();

    // The rating before is an event like any other, so every front-end records it the same way.
    std::vector<session::Cue> cues;
    if (*pain_before)
        cues = m_machine->step(now, session::Event::pain(**pain_before));
    auto started_cues = m_machine->step(now, session::Event::start());
    cues.insert(cues.end(), started_cues.begin(), started_cues.end());
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
    auto cues = m_machine->step(session_now(now), *event);
    return after_cues(cues, now, m_machine->finished() ? "ended" : "update", std::nullopt);
}

WsOutput LiveSession::on_timer(MonoTime now)
{
    if (!m_machine || m_machine->finished())
        return {};
    std::optional<double> late_ms;
    if (m_scheduled)
        late_ms = std::chrono::duration<double, std::milli>(now - *m_scheduled).count();
    auto cues = m_machine->advance(session_now(now));
    if (cues.empty() && !m_machine->finished()) {
        // Woken early (or for a segment change without a cue): re-arm only.
        WsOutput out;
        if (auto due = m_machine->next_due()) {
            m_scheduled = m_scale.to_real(*due);
            out.wake_at = m_scheduled;
        }
        return out;
    }
    return after_cues(cues, now, m_machine->finished() ? "ended" : "update", late_ms);
}

WsOutput LiveSession::after_cues(std::vector<session::Cue> const& cues, MonoTime real_now, char const* type, std::optional<double> late_ms)
{
    auto now_in_session = session_now(real_now);
    json message = {
        { "type", type },
        { "snapshot", m_machine->snapshot(now_in_session) },
        { "cues", cues },
    };
    if (late_ms)
        message["late_ms"] = *late_ms;
    if (m_machine->finished())
        message["summary"] = m_machine->summary(now_in_session);
    WsOutput out;
    out.messages.push_back(message.dump());
    if (auto due = m_machine->next_due(); due && !m_machine->finished()) {
        m_scheduled = m_scale.to_real(*due);
        out.wake_at = m_scheduled;
    } else {
        m_scheduled.reset();
    }
    return out;
}

Result<journal::RecordId> LiveSession::record(MonoTime real_now)
{
    auto id = TRY(m_coach.record_session(coach::make_session_record(*m_machine, session_now(real_now), m_wall_start)));
    m_recorded = true;
    return id;
}

WsOutput LiveSession::finish(json const& message, MonoTime now)
{
    if (!m_machine)
        return error("conflict", "no session has started on this connection");
    if (m_recorded)
        return error("conflict", "this session is already saved");
    auto pain_after = optional_rating(message, "pain_after");
    if (!pain_after)
        return error(pain_after.error());
    if (!m_machine->finished())
        m_machine->step(session_now(now), session::Event::quit());
    // A retried finish (after a failed save) does not rate twice.
    if (*pain_after && (m_machine->summary(session_now(now)).pain.empty()
            || m_machine->summary(session_now(now)).pain.back().moment != session::RatingMoment::After))
        m_machine->step(session_now(now), session::Event::pain(**pain_after));
    auto id = record(now);
    if (!id)
        return error(id.error().code == ErrorCode::Storage || id.error().code == ErrorCode::Io ? "not_saved" : to_string(id.error().code),
            fmt::format("The session was not saved: {} Send finish again to retry.", id.error().message));
    WsOutput out;
    json summary = m_machine->summary(session_now(now));
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
        m_machine->step(session_now(now), session::Event::quit());
    (void)record(now);
}

WsHandlerFactory live_session_factory(rc::coach::Coach& coach, double speed)
{
    return [&coach, speed](HttpRequest const&, BackgroundPoster) -> std::unique_ptr<WsHandler> {
        return std::make_unique<LiveSession>(coach, speed);
    };
}

}
