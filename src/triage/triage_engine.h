// The triage engine: answers in, a Verdict out; an in-session event in, a SafetyResponse out.
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

// The immediate response to an in-session event, from in_session.toml. A pain rating given
// with any event, at or above kb.thresholds.pain_back_off, also brings in the pain_high rule,
// and the stricter of the two responses is returned (stop beats back off, then the higher tier).
// A validated knowledge base has a rule for every event; without one the answer is a plain
// Stop with rule id "no_rule_for_event" (never "carry on").
kb::SafetyResponse respond(kb::KnowledgeBase const& kb, kb::SafetyEvent event, std::optional<int> pain = std::nullopt);

// For a pain rating on its own: the pain_high response when pain >= kb.thresholds.pain_back_off,
// nothing below it.
std::optional<kb::SafetyResponse> respond_to_pain(kb::KnowledgeBase const& kb, int pain);

// A short headline a front-end shows above the reasons: "You can roll, with a few changes.",
// "Get help now: call emergency services or go to A&E.". An incomplete verdict (missing answers)
// gets "Please answer the remaining questions before rolling.".
std::string_view headline(kb::Verdict const& verdict);

// Whether the verdict could be computed from complete answers (no missing answers).
inline bool is_complete(kb::Verdict const& verdict) { return verdict.missing_answers.empty(); }

}
