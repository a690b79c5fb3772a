// Cue: one thing the coach shows and may say, at a time fixed on the session clock.
//
// The session machine decides every cue; front-ends (terminal, web, voice) only show and speak
// them. A cue's `at` is milliseconds of session time since start: it excludes pauses, so a cue
// is due on the monotonic clock at start + total paused time + at.
#pragma once

#include "common/clock.h"
#include "common/result.h"
#include "plan/plan.h"

#include <string>
#include <string_view>

namespace rc::session {

using plan::Side;

enum class CueKind {
    Prompt,        // a question for the user (pain rating before and after)
    Instruction,   // a setup step or how to move
    Countdown,     // "ten seconds left", "3", "2", "1"
    Tempo,         // one slow pass of the roller
    Breathing,     // breathe in / long breath out / don't hold your breath
    HoldStart,     // stay on a tender spot
    HoldEnd,       // release the spot and keep rolling
    MoveOn,        // enough time on one spot
    SideSwitch,
    Transition,    // rest before the next exercise
    Repetition,    // one finisher repetition (cat-cow)
    BackOff,       // lighter pressure or a softer roller
    Stop,          // a safety stop: the session is over
    Paused,
    Resumed,
    Form,          // a form finding from the camera
    Notice,        // the answer to a press that cannot act now (and what happens instead)
    Done,          // the session ended (completed or quit)
};

// Stable names for JSON and logs: "prompt", "instruction", "countdown", "tempo", "breathing",
// "hold_start", "hold_end", "move_on", "side_switch", "transition", "repetition", "back_off",
// "stop", "paused", "resumed", "form", "notice", "done".
char const* to_string(CueKind kind);
Result<CueKind> parse_cue_kind(std::string_view text);

// Which cue wins when two compete for the speaker: a front-end may drop a lower-priority cue
// that would overlap a higher one, never the reverse.
enum class Priority { Low = 0, Normal = 1, High = 2, Urgent = 3 };
char const* to_string(Priority priority);   // "low", "normal", "high", "urgent"
Result<Priority> parse_priority(std::string_view text);

enum class Speak { No, Yes };

// What kind of ending a stop or done cue is, so that every front-end treats it the same way:
//   Emergency  a stop whose rule's tier is emergency: call for help, never undone;
//   Warning    a stop whose rule sends the user to a clinician (numbness, sharp pain): never undone;
//   Caution    a stop for a sign that usually settles (dizziness, "feels wrong"): may be undone;
//   User       the user ended the session: may be undone.
// Only Caution and User stops can be undone, within SessionMachine::undo_window.
enum class StopKind { None, Emergency, Warning, Caution, User };
char const* to_string(StopKind kind);   // "none", "emergency", "warning", "caution", "user"
Result<StopKind> parse_stop_kind(std::string_view text);

struct Cue {
    CueKind kind { CueKind::Instruction };
    std::string text;            // what to show and say, plain words
    Millis at { 0 };             // session time since start (pauses excluded)
    int step { -1 };             // index into the plan's steps; -1 before the first / after the last
    std::string exercise_id;
    Side side { Side::None };
    Millis step_remaining { 0 };
    Millis step_total { 0 };
    Millis session_remaining { 0 };
    Millis session_total { 0 };
    Speak speak { Speak::Yes };
    Priority priority { Priority::Normal };
    std::string code;            // form finding code or safety rule id; empty otherwise
    std::string detail;          // what to do next (safety), or the form message's source
    StopKind stop_kind { StopKind::None };   // stop and done cues that end the session

    bool operator==(Cue const&) const = default;
};

}
