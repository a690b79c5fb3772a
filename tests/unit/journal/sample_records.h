// Sample records for the journal tests and their child-process writer (no GoogleTest here).
#pragma once

#include "journal/records.h"

namespace rc::journal::test {

using namespace std::chrono_literals;

// 2026-01-05 08:00 UTC, a Monday: FakeClock's start.
inline WallTime monday_8am() { return WallTime { std::chrono::sys_days { std::chrono::year { 2026 } / 1 / 5 } + 8h }; }

inline SessionRecord sample_session(WallTime start, int pain_before = 5, int pain_after = 3)
{
    SessionRecord session;
    session.started_at = start;
    session.ended_at = start + 10min;
    session.end_reason = EndReason::Completed;
    session.plan = { { "steps", nlohmann::json::array({ { { "zone", "upper_back" }, { "seconds", 120 } } }) } };
    session.completed_steps = nlohmann::json::array({ 0 });
    session.cues = nlohmann::json::array({ { { "at_ms", 0 }, { "text", "Roll slowly" } } });
    session.zones = { { "upper_back", 240s }, { "glutes", 180s }, { "hip_flexors", 120s } };
    session.tender_spots = { { "upper_back", 30s }, { "glutes", 45s } };
    session.pain = { { 0, start, pain_before, PainMoment::Before, std::nullopt, "" },
        { 0, start + 10min, pain_after, PainMoment::After, std::nullopt, "" } };
    return session;
}

}
