// LiveSession's camera work (the protocol is in live_session.h): landmark frames, JSON or binary
// RCMF, go to a motion::Analyzer made for the set the session is on, and its form findings are
// stepped into the session machine as form_check events, so camera advice arrives as cues.
#include "server/live_session.h"

#include "motion/frame_codec.h"

#include <fmt/core.h>

namespace rc::server {

using nlohmann::json;

bool LiveSession::running() const
{
    return m_state && m_state->machine.started() && !m_state->machine.finished() && !m_recorded;
}

Result<motion::Analyzer*> LiveSession::analyzer_for_set(MonoTime now)
{
    // One analyser per set: its calibration (where the roller started) and its smoothing belong
    // to one exercise on one side, so a new step or side starts a fresh one.
    auto snapshot = m_state->machine.snapshot(session_now(now));
    auto set = fmt::format("{}/{}/{}", snapshot.step, static_cast<int>(snapshot.side), snapshot.exercise_id);
    if (!m_analyzer || m_analyzer_set != set) {
        // The thresholds are the knowledge base's (motion.toml), as for `rollcoach analyze`.
        auto analyzer = TRY(motion::Analyzer::create({ .exercise = snapshot.exercise_id, .body_height = m_body_height, .thresholds = m_coach.kb().motion }));
        m_analyzer.emplace(std::move(analyzer));
        m_analyzer_set = std::move(set);
    }
    return &*m_analyzer;
}

Result<LiveSession::Analysed> LiveSession::analyse(motion::Frame const& frame, MonoTime now)
{
    auto* analyzer = TRY(analyzer_for_set(now));
    Analysed out { analyzer->push(frame), {} };
    // A paused session keeps its analyser up to date (the page still shows where the roller
    // is) but gives no advice: the user has stopped.
    if (m_state->machine.paused())
        return out;
    auto const now_in_session = session_now(now);
    for (auto const& finding : out.analysis.findings) {
        auto more = m_state->machine.step(now_in_session, session::Event::form_check(std::string(motion::to_string(finding.code)), std::string(finding.message)));
        out.cues.insert(out.cues.end(), more.begin(), more.end());
    }
    return out;
}

WsOutput LiveSession::handle_frame(json const& message, MonoTime now)
{
    // Through the same gate as the camera's binary frames (motion_stream.h): one budget of 30
    // frames a second per connection for both kinds, and the same counts in motion_stats. What
    // the sender can fix (no session running, a malformed frame) is still answered, as a script
    // wants to know; a frame over the rate or out of order is only counted, never answered, so a
    // flood of JSON frames gets no flood of answers.
    WsOutput out;
    if (auto dropped = m_motion.arrive(running(), now)) {
        if (*dropped == FrameDrop::NotRunning)
            out = error("conflict", "frames are analysed only during a running session");
    } else if (!message.contains("frame") || !message["frame"].is_object()) {
        m_motion.count_dropped(FrameDrop::Malformed);
        out = error("invalid_message", "a frame message needs a \"frame\" object with the pose landmarks (docs/motion.md)");
    } else if (auto parsed = motion::parse_frame(message["frame"]); !parsed) {
        // The frame arrived parsed with the message: validated as an object, not via text again.
        m_motion.count_dropped(FrameDrop::Malformed);
        out = error("invalid_argument", parsed.error().message);
    } else if (auto frame = m_motion.in_order(std::move(*parsed))) {
        auto analysed = analyse(*frame, now);
        if (!analysed) {
            m_motion.count_dropped(FrameDrop::NoAnalyser);
            out = error(analysed.error());
        } else {
            m_motion.count_analysed();
            if (!analysed->analysis.findings.empty()) {
                out = after_cues(analysed->cues, now, m_state->machine.finished() ? "ended" : "update", std::nullopt);
                auto update = json::parse(out.messages.front());
                update["analysis"] = analysed->analysis;
                out.messages.front() = update.dump();
            }
        }
    }
    if (auto stats = m_motion.stats_if_due(now))
        out.messages.push_back(stats->dump());
    return out;
}

WsOutput LiveSession::on_binary(std::span<std::uint8_t const> bytes, MonoTime now)
{
    if (m_parking)
        m_parking->sweep(now);
    WsOutput out;
    if (auto frame = m_motion.admit(bytes, running(), now)) {
        auto analysed = analyse(*frame, now);
        if (analysed) {
            m_motion.count_analysed();
            auto const min_visibility = m_analyzer->options().min_visibility;
            out.messages.push_back(motion_message(analysed->analysis, assess_framing(*frame, analysed->analysis, min_visibility)).dump());
            if (!analysed->cues.empty()) {
                auto cues = after_cues(analysed->cues, now, m_state->machine.finished() ? "ended" : "update", std::nullopt);
                // The frame's own time, so the page can measure camera frame -> cue on screen.
                auto update = json::parse(cues.messages.front());
                update["t_us"] = frame->timestamp.count();
                cues.messages.front() = update.dump();
                out.wake_at = cues.wake_at;
                for (auto& message : cues.messages)
                    out.messages.push_back(std::move(message));
            }
        } else {
            // The analyser cannot be made for this exercise (the knowledge base has an exercise
            // the motion module does not know): counted, never answered per frame.
            m_motion.count_dropped(FrameDrop::NoAnalyser);
        }
    }
    if (auto stats = m_motion.stats_if_due(now))
        out.messages.push_back(stats->dump());
    return out;
}

WsOutput LiveSession::calibrate(json const&, MonoTime now)
{
    if (!running())
        return error("conflict", "calibrate during a running session, with the roller just below your shoulder blades");
    auto analyzer = analyzer_for_set(now);
    if (!analyzer)
        return error(analyzer.error());
    (*analyzer)->recalibrate();
    WsOutput out;
    out.messages.push_back(json { { "type", "calibrating" }, { "exercise", m_analyzer->options().exercise } }.dump());
    return out;
}

void LiveSession::add_final_stats(WsOutput& out, MonoTime now)
{
    if (m_motion.received() > 0)
        out.messages.push_back(m_motion.stats(now).dump());
}

}
