// SessionMachine: the guided session as a pure state machine. Events in, cues out; time is
// injected and never read.
//
//   auto machine = SessionMachine::create(kb, plan);          // Result<SessionMachine>
//   auto cues = machine->step(clock.now(), Event::start());   // the first cues, due at 0 ms
//   clock.advance(3s);
//   cues = machine->advance(clock.now());                     // whatever fell due meanwhile
//   cues = machine->step(clock.now(), Event::tender_spot());  // a 20-30 s hold with breathing
//
// The plan becomes a fixed list of segments (setup, rolling per side, side switch, transition
// rest, finisher). Cue times are computed from the session start, never accumulated, so there
// is no drift; pause freezes the session clock (the schedule shifts by the pause, the step clock
// does not move). A tender-spot hold never exceeds the exercise's maximum hold and ends with
// "move on" once the time on one spot reaches its limit. A stop's cue carries its StopKind (cue.h):
// a Caution stop (dizziness, "feels wrong") or the user's own quit can be undone within
// undo_window, which brings the session back paused where it stopped; an emergency, numbness or
// sharp-pain stop never can. A tender-spot press during set-up, a
// side switch or the rest before a rolling step is kept and starts the hold the moment rolling
// begins; at any other time (holding already, paused, a finisher) a notice cue says why nothing
// is held. No press is dropped without a cue. A stop-tier safety event ends the
// session at once: a stop cue, then nothing more.
//
// In-session safety: every safety event and every pain rating at or above the back-off
// threshold goes to kb::respond_in_session (knowledge/in_session_responder.h), the one
// responder, driven by the knowledge base's in-session rules; its answer (stop or back off) and
// its rule's message become the cue. An event with no rule stops the session. A back-off cue
// also becomes the snapshot's standing advice (Snapshot::advice) until the user acts on it.
//
// The machine also keeps what the journal records (Summary): the steps completed and skipped,
// the rolling time per step, each hold, and every cue it emitted, so every front-end records a
// session from the same facts (coach::make_session_record).
#pragma once

#include "common/clock.h"
#include "common/result.h"
#include "knowledge/model.h"
#include "plan/plan.h"
#include "session/cue.h"
#include "session/event.h"

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rc::session {

enum class Phase { Ready, Setup, Rolling, Hold, SideSwitch, Transition, Finisher, Done, Stopped };
// "ready", "setup", "rolling", "hold", "side_switch", "transition", "finisher", "done", "stopped".
char const* to_string(Phase phase);

enum class EndReason { None, Completed, Quit, SafetyStop };
char const* to_string(EndReason reason);   // "none", "completed", "quit", "safety_stop"

// One part of the session timeline with its planned length.
struct Segment {
    Phase phase { Phase::Setup };
    int step { 0 };
    Side side { Side::None };
    Millis duration { 0 };
};

// When a rating was given: before the start, during the session, or after its end.
enum class RatingMoment { Before, During, After };

struct PainRating {
    Millis at { 0 };
    int rating { 0 };
    int step { -1 };
    RatingMoment moment { RatingMoment::During };
    bool operator==(PainRating const&) const = default;
};

// A skip event: which step, and what it was doing.
struct SkippedStep {
    int step { 0 };
    Phase phase { Phase::Rolling };
    bool operator==(SkippedStep const&) const = default;
};

// A tender-spot hold as it happened (cut short by a skip, back or stop).
struct HeldSpot {
    int step { 0 };
    Millis held { 0 };
    bool operator==(HeldSpot const&) const = default;
};

struct HoldState {
    Millis elapsed { 0 };
    Millis total { 0 };
    Millis on_spot { 0 };   // time on this spot including earlier holds
};

// What a front-end draws now.
struct Snapshot {
    Phase phase { Phase::Ready };
    bool paused { false };
    int step { -1 };
    int step_count { 0 };
    std::string exercise_id;
    std::string exercise_name;
    std::string tool_name;
    Side side { Side::None };
    std::vector<std::string> instructions;   // setup sentences or the movement
    Millis phase_elapsed { 0 };
    Millis phase_total { 0 };
    Millis step_elapsed { 0 };
    Millis step_total { 0 };
    Millis session_elapsed { 0 };
    Millis session_total { 0 };
    double progress { 0.0 };                 // session, 0..1
    std::optional<std::string> next;         // the next exercise's name
    std::optional<HoldState> hold;
    std::optional<Cue> last_cue;
    // Back-off advice (a pain rating at or above the threshold) stays here, for every front-end
    // to keep on screen, until the user acts on it: rates the pain below the threshold, presses
    // acknowledge, or the session moves to another exercise or ends. Said once, shown throughout:
    // a person on the floor may not have heard it.
    std::optional<Cue> advice;
    EndReason end_reason { EndReason::None };
};

// What the journal records about a finished (or running) session.
struct Summary {
    EndReason end_reason { EndReason::None };
    Millis active { 0 };         // session time (pauses excluded)
    Millis paused { 0 };
    int steps_total { 0 };
    int steps_completed { 0 };
    int tender_spots { 0 };
    int back_offs { 0 };
    std::vector<PainRating> pain;
    std::string stop_rule;       // the safety rule that ended it, if any
    std::string stop_message;

    // For the journal (not part of the summary's JSON):
    std::vector<int> completed_steps;     // steps whose every part was passed, in order, once each
    std::vector<SkippedStep> skipped;     // one per skip event
    std::vector<Millis> rolled;           // rolling time (holds included) per plan step
    std::vector<HeldSpot> holds;
};

class SessionMachine {
public:
    static Result<SessionMachine> create(kb::KnowledgeBase const& kb, plan::Plan plan);

    // Emits the cues due up to `now`, then handles the event.
    std::vector<Cue> step(MonoTime now, Event const& event);
    // The cues due up to `now` (same as step(now, Event::tick())).
    std::vector<Cue> advance(MonoTime now);

    Snapshot snapshot(MonoTime now) const;
    Summary summary(MonoTime now) const;

    // When the next cue or segment change falls due on the monotonic clock; nothing while not
    // started, paused or finished.
    std::optional<MonoTime> next_due() const;
    // Session time at `now`: milliseconds since start, pauses excluded.
    Millis session_time(MonoTime now) const;

    // How much longer the stop or quit that ended the session can be undone; nothing if never.
    std::optional<Millis> undo_left(MonoTime now) const;

    bool started() const { return m_started; }
    bool finished() const { return m_finished; }
    bool paused() const { return m_paused; }
    Phase phase() const;

    plan::Plan const& plan() const { return m_plan; }
    std::vector<Segment> const& segments() const { return m_segments; }
    // Every cue of an undisturbed run, for pre-synthesising speech.
    std::vector<Cue> planned_cues() const;
    // The texts of cues that events can raise at any moment (holds, breathing, back-off and stop
    // messages), so a speaker can have them ready before they are needed.
    std::vector<std::string> event_cue_texts() const;
    // Every cue emitted so far, in order (what the journal keeps).
    std::vector<Cue> const& emitted() const { return m_emitted; }

    // At most one form cue per code in this window of session time.
    static constexpr Millis form_cue_interval { 8000 };
    // How long after a Caution or User stop an undo is accepted (session clock).
    static constexpr Millis undo_window { 10'000 };

private:
    SessionMachine(plan::Plan plan, kb::Thresholds thresholds, std::vector<kb::InSessionRule> rules);

    void enter_segment(std::size_t index, Millis at, std::vector<Cue>& out);
    void finish_segment_and_continue(std::vector<Cue>& out);
    void emit_due(Millis t, std::vector<Cue>& out);
    void end_hold(Millis at);
    void leave_segment(Millis at);
    void finish(EndReason reason, Millis at);
    void handle(Millis t, Event const& event, std::vector<Cue>& out);
    void handle_tender_spot(Millis t, std::vector<Cue>& out);
    void handle_safety(Millis t, kb::SafetyEvent event, std::optional<int> pain, std::vector<Cue>& out);
    void go_back(Millis t, std::vector<Cue>& out);
    void undo(std::vector<Cue>& out);
    void schedule(Cue cue);
    Cue make_cue(CueKind kind, std::string text, Millis at, Priority priority = Priority::Normal) const;
    void push(Cue cue, std::vector<Cue>& out);
    Millis step_remaining_at(Millis t) const;
    Millis session_remaining_at(Millis t) const;
    Millis step_total_at(Millis t) const;
    Millis breath_cycle() const;

    plan::Plan m_plan;
    kb::Thresholds m_thresholds;
    std::vector<kb::InSessionRule> m_rules;
    std::vector<Segment> m_segments;

    bool m_started { false };
    bool m_finished { false };
    bool m_paused { false };
    EndReason m_end_reason { EndReason::None };
    MonoTime m_start {};
    MonoTime m_pause_began {};
    MonoTime m_event_now {};
    MonoTime::duration m_paused_total {};
    Millis m_end_at { 0 };

    std::size_t m_segment { 0 };
    Millis m_segment_start { 0 };
    Millis m_segment_end { 0 };
    Millis m_step_start { 0 };
    std::deque<Cue> m_pending;   // cues of the current segment, by time

    bool m_holding { false };
    Millis m_hold_start { 0 };
    Millis m_hold_end { 0 };
    Millis m_spot_time { 0 };
    std::optional<Millis> m_last_hold_end;
    bool m_spot_moved_on { false };
    std::optional<int> m_hold_requested;   // the step whose rolling starts with a hold

    std::map<std::string, Millis> m_last_form;
    std::optional<Cue> m_last_cue;
    std::optional<Cue> m_advice;   // Snapshot::advice
    std::vector<PainRating> m_pain;
    int m_tender_spots { 0 };
    int m_back_offs { 0 };
    int m_steps_completed { 0 };
    std::string m_stop_rule;
    std::string m_stop_message;

    bool m_segment_open { false };
    std::vector<int> m_completed;
    std::vector<SkippedStep> m_skipped;
    std::vector<Millis> m_rolled;
    std::vector<HeldSpot> m_holds;
    std::vector<Cue> m_emitted;

    // The machine just before an undoable stop, and when (monotonic) that stop came.
    std::shared_ptr<SessionMachine const> m_before_stop;
    MonoTime m_stopped_at {};
};

}
