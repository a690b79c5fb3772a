// A session stopped for a warning sign that needs a clinician blocks the sessions after it.
//
// The in-session rules (data/knowledge/screening/in_session.toml) stop a session at once on
// numbness around the bottom (emergency tier), numbness down one leg or sharp pain (see a
// clinician before rolling again). Their advice says not to roll again until someone has
// checked it, so the next plan is refused until:
// - an emergency stop: a screening taken after the session, once the person has been checked
//   and the sign has gone (its emergency questions ask again; a clearance never covers one);
// - any other stop tier: a clinician's clearance that covers the rule, dated on or after the
//   session's day (clearance.h: a sign newer than the clinician's date is not covered).
// Stops that need no clinician (dizziness, "feels wrong") and the back-off at pain 7 block
// nothing: the person rests and may roll another day.
//
//   if (auto stop = blocking_stop(kb, latest_session)) { ... as_verdict(*stop) ... }
#pragma once

#include "coach/clearance.h"
#include "journal/records.h"
#include "knowledge/model.h"

#include <optional>
#include <string>
#include <string_view>

namespace rc::coach {

struct SessionStop {
    kb::InSessionRule const* rule { nullptr };   // into the knowledge base: never null in a returned stop
    WallTime started_at {};                      // the session's start: anything recorded after it came after the stop
    Day day {};                                  // the start's day (UTC), as a check-in warning's
};

// The stop that ended `session`, when it was one of an in-session rule of a stop tier; nothing
// for a session that was finished, quit, or stopped for a reason that needs no clinician, and
// for a record whose cues do not name a rule this knowledge base has (an old or edited import).
std::optional<SessionStop> blocking_stop(kb::KnowledgeBase const& kb, journal::SessionRecord const& session);

// The code of a session's last stop cue (the in-session rule that ended it), if its cues have one.
std::optional<std::string> last_stop_code(nlohmann::json const& cues);

// The stop of the in-session rule `rule_id` in a session that started at `started_at`, when that
// rule stops a session at a tier that needs a clinician; blocking_stop's rule, for a reader that
// has only the rule's id (the clinic's patient list reads it straight from the journal's tables).
std::optional<SessionStop> stop_for_rule(kb::KnowledgeBase const& kb, std::string_view rule_id, WallTime started_at);

// Whether a screening taken at `latest_screening` lifts the stop: only an emergency stop, and only
// by a screening taken after the session started (the person was checked and the sign has gone;
// the screening asked its emergency questions again). Other stops need a clinician's clearance.
bool screening_lifts(SessionStop const& stop, std::optional<WallTime> latest_screening);

// The stop as a verdict with one reason, so a clearance lifts it as it lifts a screening's flags.
kb::Verdict as_verdict(SessionStop const& stop);

// The stop as a flag a clearance may cover (raised on the session's day).
Flag as_flag(SessionStop const& stop);

// The in-session rule with this id, or null.
kb::InSessionRule const* find_in_session_rule(kb::KnowledgeBase const& kb, std::string_view id);

}
