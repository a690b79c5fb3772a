// A script: timed events for a session run without a terminal (tests, demos, the scenario
// suite). Times are milliseconds on the monotonic clock since the start event, pauses included.
//
//   [{"at_ms": 0, "type": "start"}, {"at_ms": 70000, "type": "tender_spot"},
//    {"at_ms": 95000, "type": "pain", "rating": 7}, {"at_ms": 120000, "type": "quit"}]
//
// run_script() feeds them to a machine in virtual time (instantly) and returns every cue; after
// the last event it lets the session run to its end (unless it is paused or already over).
#pragma once

#include "common/result.h"
#include "session/cue.h"
#include "session/event.h"
#include "session/session_machine.h"

#include <nlohmann/json.hpp>
#include <vector>

namespace rc::session {

struct ScriptEvent {
    Millis at { 0 };
    Event event;
};

// The latest "at_ms" a script may hold: a day, far past any session, and far inside what the
// monotonic clock's nanoseconds can count (a time of 350,000 years overflowed it).
inline constexpr Millis longest_script { std::chrono::hours { 24 } };

// Accepts a JSON array of events each with "at_ms", or {"events": [...]}. Times must not go
// backwards nor past longest_script. A script without a start event gets one at 0 ms (events
// before an explicit start, such as the pain rating before the session, stay before it).
Result<std::vector<ScriptEvent>> parse_script(nlohmann::json const& json);

struct ScriptResult {
    std::vector<Cue> cues;
    Summary summary;
};

ScriptResult run_script(SessionMachine& machine, std::vector<ScriptEvent> const& events);

}
