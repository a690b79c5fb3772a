// JSON for cues, events, snapshots and summaries: what the web server sends over its WebSocket,
// what `rollcoach session --script` reads and prints, and what the scenario tests compare.
// Shapes are documented in docs/session.md. Names are stable snake_case strings.
//
//   cue:   {"kind": "hold_start", "text": "...", "at_ms": 61000, "step": 1,
//           "exercise_id": "glute_roll", "side": "right", "step_remaining_ms": 59000,
//           "step_total_ms": 135000, "session_remaining_ms": 170000, "session_total_ms": 231000,
//           "speak": true, "priority": "high", "code": "", "detail": ""}
//   event: {"type": "pain", "rating": 7} | {"type": "safety", "event": "numbness_one_leg"}
//        | {"type": "form_check", "code": "too_fast", "message": "Slow down."} | {"type": "skip"} ...
#pragma once

#include "common/result.h"
#include "session/cue.h"
#include "session/event.h"
#include "session/session_machine.h"

#include <nlohmann/json.hpp>

namespace rc::session {

void to_json(nlohmann::json& json, Cue const& cue);
void from_json(nlohmann::json const& json, Cue& cue);
void to_json(nlohmann::json& json, Event const& event);
void from_json(nlohmann::json const& json, Event& event);
void to_json(nlohmann::json& json, Snapshot const& snapshot);
void to_json(nlohmann::json& json, Summary const& summary);
void to_json(nlohmann::json& json, PainRating const& rating);

// An event from untrusted JSON (a WebSocket message, a script file) as a Result.
Result<Event> parse_event(nlohmann::json const& json);

}
