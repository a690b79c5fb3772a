// LiveSession: one guided session over /ws/session. The C++ SessionMachine decides every cue;
// this adapter feeds it the browser's events, asks to be woken when the machine's next cue is
// due (the Beast layer arms an asio steady_timer for it), and has the coach record the session
// when it ends (coach::make_session_record: the same record the terminal coach and
// `rollcoach session --script --save` make from the same events). Due times are fixed from the
// session start on the monotonic clock, so delivery never drifts.
//
// Motion: landmark frames from the browser's pose estimator go to a motion::Analyzer for the
// current exercise; each form finding is stepped into the machine as a form_check event (the
// machine rate-limits form cues), so camera advice arrives as ordinary cues.
//
// Speed: with speed N (rollcoach serve --speed N, for tests and demos) the machine runs on a
// session clock N times faster than the real one (common/clock.h, SpeedScale).
//
// Every message is handled on its own: a malformed one (bad JSON, a number out of range, a
// field of the wrong type) is answered with an error message, and the connection and the
// server carry on.
//
// Protocol (JSON text messages; docs/web.md has examples):
//   browser -> server  {"type": "start", "pain_before": 3}
//                      {"type": "event", "event": {"type": "pause"}}   (session event JSON)
//                      {"type": "frame", "frame": {...}}   (pose landmarks, docs/motion.md)
//                      {"type": "finish", "pain_after": 2}
//   server -> browser  {"type": "started", "speed", "plan", "snapshot", "cues", "speech"}
//                      {"type": "update", "snapshot", "cues", "late_ms"}   (a frame with
//                                         findings adds "analysis")
//                      {"type": "ended", "snapshot", "cues", "summary"}
//                      {"type": "saved", "session_id", "summary"}
//                      {"type": "error", "code", "message"}   (the connection stays open; after
//                                         a failed save, "finish" may be sent again)
#pragma once

#include "coach/coach.h"
#include "motion/analyzer.h"
#include "server/ws_handler.h"
#include "session/session_machine.h"

#include <optional>

namespace rc::server {

class LiveSession final : public WsHandler {
public:
    LiveSession(rc::coach::Coach& coach, double speed);

    WsOutput on_open(MonoTime now) override;
    WsOutput on_text(std::string const& text, MonoTime now) override;
    WsOutput on_timer(MonoTime now) override;
    void on_close(MonoTime now) override;

private:
    WsOutput handle(nlohmann::json const& message, std::string const& type, MonoTime now);
    WsOutput start(nlohmann::json const& message, MonoTime now);
    WsOutput handle_event(nlohmann::json const& message, MonoTime now);
    WsOutput finish(nlohmann::json const& message, MonoTime now);
    WsOutput handle_frame(nlohmann::json const& message, MonoTime now);
    WsOutput after_cues(std::vector<session::Cue> const& cues, MonoTime real_now, char const* type, std::optional<double> late_ms);
    static WsOutput error(std::string code, std::string const& message);
    static WsOutput error(Error const& error);

    MonoTime session_now(MonoTime real) const;
    Result<journal::RecordId> record(MonoTime real_now);

    rc::coach::Coach& m_coach;
    double m_speed;
    std::optional<session::SessionMachine> m_machine;
    SpeedScale m_scale;
    WallTime m_wall_start {};
    std::optional<MonoTime> m_scheduled;   // the real time the timer is armed for
    std::optional<motion::Analyzer> m_analyzer;
    std::string m_analyzer_exercise;       // the exercise m_analyzer was made for
    bool m_recorded { false };
};

// The WsHandlerFactory for /ws/session.
WsHandlerFactory live_session_factory(rc::coach::Coach& coach, double speed);

}
