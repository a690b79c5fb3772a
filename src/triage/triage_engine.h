// The triage engine: answers in, a Verdict out.
// Every decision comes from the knowledge base's screening rules (data/knowledge/screening/);
// this file only evaluates them. Pure: no I/O, no clock.
//
//   auto verdict = rc::triage::screen(kb, answers);
//   if (!verdict) return verdict.error();              // an answer the questionnaire cannot take
//   if (rc::kb::is_stop_tier(verdict->tier)) ...        // no plan, no session
//
// How a verdict is made (docs/triage.md has the full story):
// - a rule fires when all of its conditions hold; the tier is the highest fired rule's tier
//   (Proceed when none fires); every fired rule becomes a Reason (highest tier first, then in
//   data order); their plan changes are merged, the stricter of each.
// - an answer that is missing or "unknown" satisfies no condition. A rule whose conditions are
//   all true or undecided, and whose tier is above the fired tier, could still raise the
//   verdict: its undecided questions are listed in Verdict::missing_answers (questionnaire
//   order) and the tier becomes at least ClinicianBeforeRolling, a stop tier. So an incomplete
//   questionnaire never proceeds, and a front-end shows "answer these first" rather than a
//   referral when missing_answers is non-empty.
#pragma once

#include "common/result.h"
#include "knowledge/model.h"
#include "triage/answers.h"

#include <optional>
#include <string_view>

namespace rc::triage {

// The screening questionnaire. Fails (InvalidData) only if an answer is invalid for its question.
Result<kb::Verdict> screen(kb::KnowledgeBase const& kb, Answers const& answers);

// The next-day check-in; same contract as screen().
Result<kb::Verdict> check_in(kb::KnowledgeBase const& kb, Answers const& answers);

// Either of the two (screen and check_in call this).
Result<kb::Verdict> evaluate(kb::KnowledgeBase const& kb, kb::Questionnaire questionnaire, Answers const& answers);

// In-session events are answered by kb::respond_in_session (knowledge/in_session_responder.h),
// the one responder the session machine uses.

// A short headline a front-end shows above the reasons: "You can roll, with a few changes.",
// "Get help now: call emergency services or go to A&E.". An incomplete verdict (missing answers)
// gets "Please answer the remaining questions before rolling.".
std::string_view headline(kb::Verdict const& verdict);

// Stop at once: a fired reason of the emergency or "today" tier already settles the verdict (no
// further answer can lower it), so every front-end ends the questions there and shows its advice:
// the CLI's interactive questions, the API's "settled" field and the web's screening.
bool settles_at_once(kb::Verdict const& verdict);

// Whether the verdict could be computed from complete answers (no missing answers).
inline bool is_complete(kb::Verdict const& verdict) { return verdict.missing_answers.empty(); }

}
