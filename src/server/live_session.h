// LiveSession: one guided session over /ws/session. The C++ SessionMachine decides every cue;
// this adapter feeds it the browser's events, asks to be woken when the machine's next cue is
// due (the Beast layer arms an asio steady_timer for it), and records the session in the
// journal when it ends. Due times are fixed from the session start on the monotonic clock, so
// delivery never drifts.
//
// Motion: landmark frames from the browser's pose estimator go to a motion::Analyzer for the
// current exercise; each form finding is stepped into the machine as a form_check event (the
// machine rate-limits form cues), so camera advice arrives as ordinary cues.
//
// Speed: with speed N (rollcoach serve --speed N, for tests and demos) the machine runs on a
// virtual clock N times faster than the real one: virtual = start + (real - start) * N.
//
// Protocol (JSON text messages; docs/web.md has examples):
//   browser -> server  {"type": "start", "pain_before": 3}
//                      {"type": "event", "event": {"type": "pause"}}   (session event JSON)
//                      {"type": "frame", "frame": {...}}   (pose landmarks, docs/motion.md)
//                      {"type": "finish", "pain_after": 2}
//   server -> browser  {"type": "started", "speed", "plan", "snapshot", "cues", "speech"}
//                      {"type": "update", "snapshot", "cues", "late_ms"}
//                      {"type": "ended", "snapshot", "cues", "summary"}
//                      {"type": "saved", "session_id", "summary"}
//                      {"type": "motion", "analysis", "snapshot", "cues"}   (a frame with findings)
//                      {"type": "error", "code", "message"}   (the connection stays open)
#pragma once

#include "motion/analyzer.h"
#include "server/coach.h"
#include "server/ws_handler.h"
#include "session/session_machine.h"

#include <optional>

namespace rc::server {

class LiveSession final : public WsHandler {
public:
    LiveSession(Coach& coach, double speed);

    WsOutput on_open(MonoTime now) override;
    WsOutput on_text(std::string const& text, MonoTime now) override;
    WsOutput on_timer(MonoTime now) override;
    void on_close(MonoTime now) override;

private:
    WsOutput start(nlohmann::json const& message, MonoTime now);
    WsOutput handle_event(nlohmann::json const& message, MonoTime now);
    WsOutput finish(nlohmann::json const& message, MonoTime now);
    WsOutput handle_frame(nlohmann::json const& message, MonoTime now);
    WsOutput after_cues(std::vector<session::Cue> const& cues, MonoTime real_now, char const* type, std::optional<double> late_ms);
    static WsOutput error(std::string code, std::string const& message);

    MonoTime virtual_time(MonoTime real) const;
    MonoTime real_time(MonoTime virtual_due) const;
    void observe(std::vector<session::Cue> const& cues, MonoTime virtual_now);
    Result<journal::RecordId> record(MonoTime real_now);

    Coach& m_coach;
    double m_speed;
    std::optional<session::SessionMachine> m_machine;
    MonoTime m_real_start {};
    WallTime m_wall_start {};
    std::optional<MonoTime> m_scheduled;
    std::optional<motion::Analyzer> m_analyzer;
    std::string m_analyzer_exercise;   // the real time the timer is armed for
    bool m_recorded { false };

    // What the journal gets.
    SessionOutcome m_outcome;
    std::map<std::string, Millis> m_zone_time;
    Millis m_observed_at { 0 };
    session::Phase m_observed_phase { session::Phase::Ready };
    int m_observed_step { -1 };
    std::optional<Millis> m_hold_started;
    std::string m_hold_zone;
};

// The WsHandlerFactory for /ws/session.
WsHandlerFactory live_session_factory(Coach& coach, double speed);

}
