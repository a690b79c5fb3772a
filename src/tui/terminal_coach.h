// The terminal coach: runs a SessionMachine full-screen with ncursesw on a monotonic clock and
// speaks its cues. Shows the current step and its instructions, a large countdown, a progress
// bar for the step and one for the session, what comes next and the last cue; back-off advice
// in its place instead, for as long as the session keeps it standing (Snapshot::advice).
//
// Keys: space pause/resume, t tender spot, p then a digit pain rating, n numbness or tingling
// (stops at once), s skip, b back, h breathing help, a "I have eased off" (clears back-off
// advice), q quit (asks to confirm).
// Works in 80x24, plain without colour when NO_COLOR is set, and always restores the terminal:
// on return, on an exception and on Ctrl-C / SIGTERM / SIGHUP.
#pragma once

#include "common/result.h"
#include "session/session_machine.h"
#include "voice/cue_speaker.h"

namespace rc::tui {

struct CoachOptions {
    double speed { 1.0 };                     // the session clock runs this many times faster
    bool color { true };
    voice::CueSpeaker* speaker { nullptr };   // nothing: silent
    std::string note;                         // a line kept on screen (where the voice goes)
};

enum class CoachExit { Finished, Interrupted };

struct CoachResult {
    CoachExit exit { CoachExit::Finished };
    session::Summary summary;
    std::optional<session::Cue> stop_cue;     // the safety stop, to repeat after the screen closes
    std::vector<session::Cue> cues;           // every cue emitted
    MonoTime ended {};                        // the session clock when the coach closed
};

Result<CoachResult> run_terminal_coach(session::SessionMachine& machine, CoachOptions const& options);

}
