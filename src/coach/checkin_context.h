// What the next-day check-in knows from the journal, so it never asks the user for it: the
// hours since the last session the journal recorded, and whether that session is recent
// (within data/knowledge/thresholds.toml normal_soreness_window_hours, 72 h: soreness from
// rolling peaks at 24-72 h, clinical-facts.md section 5).
//
// - A question with from_journal (checkin_hours) is never asked: the coach fills it in. With no
//   session on record it counts as long ago (the question's max), unless the answers give it.
// - A question asked only without a recent session (checkin_soreness_origin: "did this start
//   after your last session, or is it your usual ache?") is skipped after a recent session and
//   answered "after_session" for the user: then the soreness is about the session. With no
//   session on record it is not asked either and counts as "usual" (unless the answers give the
//   hours since a session the journal lacks): there is no session to judge the soreness against.
// - A question with not_asked_when (where it hurts, how much, ...) is skipped once an earlier
//   answer makes it moot ("Nothing: I feel fine") and answered with its counts_as for the user.
//
//   auto context = checkin_context(kb, latest_session_end, clock.wall_now());
//   for (auto const* q : kb.screening.questions_of(Questionnaire::Checkin))
//       if (is_asked(*q, context, answers)) ask(*q);   // answers so far
//   fill_from_journal(kb, context, answers);
#pragma once

#include "common/clock.h"
#include "knowledge/model.h"
#include "triage/answers.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

namespace rc::coach {

struct CheckinContext {
    std::optional<std::chrono::hours> since_last_session;   // nothing: no session on record
    bool recent { false };
};

CheckinContext checkin_context(kb::KnowledgeBase const& kb, std::optional<WallTime> last_session_end, WallTime now);

// Whether `question` is put to the user, given the context and the answers so far (a question
// whose not_asked_when holds is not).
bool is_asked(kb::Question const& question, CheckinContext const& context, triage::Answers const& answers = {});

// Fills in what the user is not asked: the journal's facts, and the counts_as answer of each
// question an earlier answer made moot (an answer the user did give is kept).
void fill_from_journal(kb::KnowledgeBase const& kb, CheckinContext const& context, triage::Answers& answers);

// The check-in questionnaire as the user is asked it now (triage::questionnaire_to_json without
// the questions the journal answers), plus "last_session": {"hours": n | null, "recent": bool}.
// A question with not_asked_when carries "not_asked_when": {"question": id, "is": answer}: a
// front-end leaves it out once that answer is given (the coach fills it in).
nlohmann::json checkin_questionnaire_json(kb::KnowledgeBase const& kb, CheckinContext const& context);

}
