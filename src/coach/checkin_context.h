// What the next-day check-in knows from the journal, so it never asks the user for it: the
// hours since the last session the journal recorded, and whether that session is recent
// (within data/knowledge/thresholds.toml normal_soreness_window_hours, 72 h: soreness from
// rolling peaks at 24-72 h, clinical-facts.md section 5).
//
// - A question with from_journal (checkin_hours) is never asked: the coach fills it in. With no
//   session on record it counts as long ago (the question's max), unless the answers give it.
// - A question asked only without a recent session (checkin_soreness_origin: "did this start
//   after your last session, or is it your usual ache?") is skipped after a recent session and
//   answered "after_session" for the user: then the soreness is about the session.
//
//   auto context = checkin_context(kb, latest_session_end, clock.wall_now());
//   for (auto const* q : kb.screening.questions_of(Questionnaire::Checkin))
//       if (is_asked(*q, context)) ask(*q);
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

bool is_asked(kb::Question const& question, CheckinContext const& context);

void fill_from_journal(kb::KnowledgeBase const& kb, CheckinContext const& context, triage::Answers& answers);

// The check-in questionnaire as the user is asked it now (triage::questionnaire_to_json without
// the questions the journal answers), plus "last_session": {"hours": n | null, "recent": bool}.
nlohmann::json checkin_questionnaire_json(kb::KnowledgeBase const& kb, CheckinContext const& context);

}
