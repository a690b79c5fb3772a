// SessionRecord: what rollcoach keeps about one session, typed, and built the same way by every
// front-end (the terminal coach, `rollcoach session --script --save`, the web app's live
// session) from the session machine's own account of it. No front-end measures anything itself,
// so the same events give byte-identical journal records whichever front-end ran them.
//
//   auto record = coach::make_session_record(machine, clock.now(), started_at);
//   coach.record_session(record);
//
// Times: the session's own clock (pauses excluded, sped up with --speed) is laid on the wall
// clock from `started_at`, so ended_at = started_at + active session time, a rating given 95 s
// into the session is stamped started_at + 95 s, the rating before at started_at and the rating
// after at ended_at.
#pragma once

#include "common/clock.h"
#include "journal/records.h"
#include "plan/plan.h"
#include "session/cue.h"
#include "session/session_machine.h"

#include <string>
#include <vector>

namespace rc::coach {

struct CompletedStep {
    int step { 0 };
    std::string exercise_id;
    bool operator==(CompletedStep const&) const = default;
};

struct SkippedStep {
    int step { 0 };
    std::string exercise_id;
    session::Phase phase { session::Phase::Rolling };   // what it was doing when skipped
    bool operator==(SkippedStep const&) const = default;
};

struct SessionRecord {
    WallTime started_at {};
    WallTime ended_at {};
    journal::EndReason end_reason { journal::EndReason::Completed };
    plan::Plan plan;
    std::vector<CompletedStep> completed_steps;
    std::vector<SkippedStep> skipped_steps;
    std::vector<session::Cue> cues;
    std::vector<journal::ZoneTime> zones;            // rolling time per zone, by zone id
    std::vector<journal::TenderSpot> tender_spots;   // in the order they were held
    std::vector<journal::PainRating> pain;           // before, during and after, in order
};

// The record of a session as the machine tells it at `now` (its monotonic clock). Front-ends
// finish the machine first (a quit event), so a finished machine's record does not depend on
// `now`.
SessionRecord make_session_record(session::SessionMachine const& machine, MonoTime now, WallTime started_at);

// The journal's storage form (documents as JSON; the screening it ran under is set by the coach).
journal::SessionRecord to_journal_record(SessionRecord const& record);

}
