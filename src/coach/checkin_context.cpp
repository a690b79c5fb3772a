#include "coach/checkin_context.h"

#include "triage/verdict_json.h"

#include <algorithm>

namespace rc::coach {

using nlohmann::json;

CheckinContext checkin_context(kb::KnowledgeBase const& kb, std::optional<WallTime> last_session_end, WallTime now)
{
    CheckinContext context;
    if (!last_session_end)
        return context;
    // A session "in the future" (a clock set back) counts as just now.
    auto const since = std::max(std::chrono::hours(0), std::chrono::floor<std::chrono::hours>(now - *last_session_end));
    context.since_last_session = since;
    context.recent = since <= kb.thresholds.normal_soreness_window;
    return context;
}

namespace {

bool made_moot(kb::Question const& question, triage::Answers const& answers)
{
    if (!question.not_asked_when)
        return false;
    auto const found = answers.find(question.not_asked_when->question_id);
    auto const* given = found == answers.end() ? nullptr : std::get_if<std::string>(&found->second);
    return given && *given == question.not_asked_when->is;
}

}

bool is_asked(kb::Question const& question, CheckinContext const& context, triage::Answers const& answers)
{
    if (question.from_journal != kb::JournalFact::None || made_moot(question, answers))
        return false;
    // "After your last session" means a session the journal knows: with none on record there is
    // nothing for the soreness to have started after, and no hours to judge it by.
    return question.asked != kb::AskWhen::WithoutRecentSession || (context.since_last_session && !context.recent);
}

void fill_from_journal(kb::KnowledgeBase const& kb, CheckinContext const& context, triage::Answers& answers)
{
    bool hours_given = false;
    for (auto const* question : kb.screening.questions_of(kb::Questionnaire::Checkin))
        if (question->from_journal == kb::JournalFact::HoursSinceLastSession && answers.contains(question->id))
            hours_given = true;
    for (auto const* question : kb.screening.questions_of(kb::Questionnaire::Checkin)) {
        if (made_moot(*question, answers) && !answers.contains(question->id))
            std::visit([&](auto const& value) { answers[question->id] = value; }, question->not_asked_when->counts_as);
        if (question->from_journal == kb::JournalFact::HoursSinceLastSession) {
            if (context.since_last_session) {
                auto hours = static_cast<double>(context.since_last_session->count());
                answers[question->id] = std::min(hours, question->max.value_or(hours));
            } else if (!answers.contains(question->id)) {
                answers[question->id] = question->max.value_or(0.0);
            }
        }
        // After a recent session the soreness is about that session.
        if (question->asked == kb::AskWhen::WithoutRecentSession && context.recent && question->find_choice("after_session"))
            answers[question->id] = std::string("after_session");
        // With no session on record (and no hours given instead) the soreness cannot be judged
        // against a session: it counts as the usual ache, so no rule reads the invented "long
        // ago" as soreness that outlasted a session.
        if (question->asked == kb::AskWhen::WithoutRecentSession && !context.since_last_session && !hours_given
            && question->find_choice("usual"))
            answers[question->id] = std::string("usual");
    }
}

json checkin_questionnaire_json(kb::KnowledgeBase const& kb, CheckinContext const& context)
{
    auto out = triage::questionnaire_to_json(kb, kb::Questionnaire::Checkin);
    json asked = json::array();
    for (auto& entry : out["questions"]) {
        auto const* question = kb.screening.find_question(entry["id"].get<std::string>());
        if (!question || !is_asked(*question, context))
            continue;
        if (question->not_asked_when)
            entry["not_asked_when"] = { { "question", question->not_asked_when->question_id }, { "is", question->not_asked_when->is } };
        asked.push_back(std::move(entry));
    }
    out["questions"] = std::move(asked);
    out["last_session"] = { { "hours", context.since_last_session ? json(context.since_last_session->count()) : json(nullptr) },
        { "recent", context.recent } };
    return out;
}

}
