#include "coach/coach.h"

#include "coach/json_text.h"
#include "coach/session_stop.h"
#include "common/day_words.h"
#include "journal/record_json.h"
#include "journal/stats.h"
#include "plan/plan_json.h"
#include "triage/triage_engine.h"
#include "triage/verdict_json.h"

#include <array>
#include <fmt/core.h>

namespace rc::coach {

using nlohmann::json;

char const* const no_screening_message = "No safety screening on record: answer the safety questions first "
                                         "(`rollcoach screen`, or Safety check in the app). rollcoach makes no plan "
                                         "and starts no session before the screening.";

Coach::Coach(kb::KnowledgeBase const& kb, std::unique_ptr<journal::Journal> journal, Clock const& clock)
    : m_kb(kb)
    , m_journal(std::move(journal))
    , m_clock(clock)
{
}

namespace {

// A next-day check-in is offered once the last session is this old and none was recorded since.
constexpr auto checkin_after = std::chrono::hours(12);

Day today_of(WallTime now)
{
    return std::chrono::floor<std::chrono::days>(now);
}

// Screening questions with no answer at all in a stored answer document ("not sure" counts as
// an answer).
// The screening questions without an answer in a stored screening. The journal keeps answers as
// triage::answers_to_json writes them, {"questionnaire", "answers": {id: value}}; a bare
// {id: value} object is read too.
std::size_t unanswered(kb::KnowledgeBase const& kb, json const& stored)
{
    auto const inner = stored.is_object() ? stored.find("answers") : stored.end();
    json const& answers = stored.is_object() && inner != stored.end() && inner->is_object() ? *inner : stored;
    std::size_t count = 0;
    for (auto const* question : kb.screening.questions_of(kb::Questionnaire::Screening))
        if (!answers.is_object() || !answers.contains(question->id))
            ++count;
    return count;
}

std::string first_message(kb::Verdict const& verdict)
{
    for (auto const& reason : verdict.reasons)
        if (reason.tier == verdict.tier)
            return reason.message;
    return verdict.reasons.empty() ? std::string {} : verdict.reasons.front().message;
}

// The refusal's words for each tier: what it means and what to do, said once.
Refusal stop_tier_refusal(kb::Verdict const& verdict, std::vector<std::string> clearable)
{
    Refusal r;
    r.kind = "stop_tier";
    r.tier = verdict.tier;
    auto const why = first_message(verdict);
    auto const because = why.empty() ? std::string {} : " " + why;
    auto const clearance = std::string(" If a clinician has already assessed this and said rolling is fine, record their clearance "
                                       "(`rollcoach clearance add`, or the form under your screening result).");
    switch (verdict.tier) {
    case kb::Tier::Emergency:
        r.reason = "Do not roll: your answers point to a possible emergency." + because;
        r.what_to_do = "Call emergency services now (999, 112 or 911) or go to the nearest emergency department.";
        r.clearable.clear();
        return r;
    case kb::Tier::ClinicianToday:
        r.reason = "No session today: contact a doctor today." + because;
        r.what_to_do = "Call your doctor or an urgent care line today." + clearance;
        break;
    case kb::Tier::ClinicianSoon:
        r.reason = "No session for now: see a doctor in the next few days." + because;
        r.what_to_do = "Book an appointment with your doctor." + clearance;
        break;
    default:
        r.reason = "Not yet: get checked by a clinician before you roll." + because;
        r.what_to_do = "Ask your doctor or physiotherapist whether foam rolling is fine for you." + clearance;
        break;
    }
    r.clearable = std::move(clearable);
    return r;
}

// A block a clearance lifted (a check-in warning, a session stop): its limits join the plan's, and
// its notes are said once.
void take_limits(Permission& permission, Lifted lifted)
{
    permission.verdict.changes.merge(lifted.verdict.changes);
    if (!permission.clearance_pressure_why)
        permission.clearance_pressure_why = std::move(lifted.pressure_why);
    for (auto& note : lifted.notes)
        if (std::find(permission.clearance_notes.begin(), permission.clearance_notes.end(), note) == permission.clearance_notes.end())
            permission.clearance_notes.push_back(std::move(note));
}

// The refusal after a session stopped for a warning sign (session_stop.h): what stopped it, when,
// and the knowledge base's words for what to do before rolling again.
Refusal session_stop_refusal(SessionStop const& stop, Day today)
{
    Refusal r;
    r.kind = "session_stop";
    r.tier = stop.rule->tier;
    // The rule's message is for the moment of the stop ("Stop now. ..."); afterwards names the sign itself.
    r.reason = fmt::format("No session for now: your session {} stopped for a warning sign.", rc::day_in_words(stop.day, today));
    r.what_to_do = stop.rule->afterwards;
    r.advice = stop.rule->afterwards;
    if (stop.rule->tier != kb::Tier::Emergency) {
        r.what_to_do += " If they say rolling is fine, record their clearance (`rollcoach clearance add`, or the form under this message).";
        r.clearable.push_back(stop.rule->id);
    }
    return r;
}

}

json Refusal::to_json() const
{
    json out = { { "kind", kind }, { "tier", tier ? json(kb::to_string(*tier)) : json(nullptr) }, { "reason", reason },
        { "what_to_do", what_to_do }, { "clearable", clearable } };
    if (!advice.empty())
        out["advice"] = advice;
    return out;
}

Result<journal::Journal*> Coach::journal_locked()
{
    if (!m_journal)
        return Error::not_found("there is no journal yet: answer the safety questions (`rollcoach screen`) to start one");
    return m_journal.get();
}

Result<std::optional<kb::Verdict>> Coach::latest_verdict_locked()
{
    if (!m_journal)
        return std::optional<kb::Verdict> {};
    auto latest = TRY(m_journal->find_latest_screening());
    if (!latest)
        return std::optional<kb::Verdict> {};
    auto verdict = triage::parse_verdict(latest->verdict);
    if (!verdict)
        return Error::invalid_data(fmt::format("the journal's last screening verdict is unreadable ({}): answer the safety questions again",
            verdict.error().message));
    return std::optional<kb::Verdict> { std::move(*verdict) };
}

Result<json> Coach::status()
{
    std::lock_guard lock(m_mutex);
    json out = { { "screening", nullptr }, { "profile", false }, { "checkin_due", false }, { "blocked", false }, { "may_roll", false } };
    if (!m_journal)
        return out;
    out["unfinished"] = false;
    if (auto screening = TRY(m_journal->find_latest_screening())) {
        out["screening"] = { { "tier", screening->tier }, { "taken_at", journal::format_utc(screening->taken_at) } };
        // A screening started and left part-way (the web stores the empty answers when it starts,
        // and an emergency or "today" answer at once): it blocks the plan until finished.
        out["unfinished"] = unanswered(m_kb, screening->answers) > 0;
    }
    out["profile"] = TRY(m_journal->find_profile()).has_value();
    auto decision = TRY(decide_locked(std::nullopt));
    out["blocked"] = decision.refusal && decision.refusal->kind == "warning_sign";
    // The screening's own tier stays as stored; may_roll says what the clearances make of it.
    out["may_roll"] = !decision.refusal;

    std::optional<WallTime> last_session;
    std::optional<WallTime> last_checkin;
    for (auto const& entry : TRY(m_journal->history(200))) {
        if (entry.kind == journal::EntryKind::Session && !last_session)
            last_session = entry.at;
        if (entry.kind == journal::EntryKind::CheckIn && !last_checkin)
            last_checkin = entry.at;
    }
    if (last_session && (!last_checkin || *last_checkin < *last_session) && m_clock.wall_now() - *last_session >= checkin_after)
        out["checkin_due"] = true;
    return out;
}

json Coach::screening_questions() const
{
    return triage::questionnaire_to_json(m_kb, kb::Questionnaire::Screening);
}

Result<CheckinContext> Coach::checkin_context_locked()
{
    std::optional<WallTime> last_end;
    if (m_journal)
        if (auto latest = TRY(m_journal->find_latest_session()))
            last_end = latest->ended_at;
    return checkin_context(m_kb, last_end, m_clock.wall_now());
}

Result<CheckinContext> Coach::checkin_context_now()
{
    std::lock_guard lock(m_mutex);
    return checkin_context_locked();
}

Result<json> Coach::checkin_questions()
{
    return checkin_questionnaire_json(m_kb, TRY(checkin_context_now()));
}

Result<triage::Answers> Coach::complete_answers(kb::Questionnaire questionnaire, triage::Answers answers)
{
    if (questionnaire == kb::Questionnaire::Checkin)
        fill_from_journal(m_kb, TRY(checkin_context_now()), answers);
    return answers;
}

Result<kb::Verdict> Coach::evaluate(kb::Questionnaire questionnaire, triage::Answers const& answers) const
{
    return triage::evaluate(m_kb, questionnaire, answers);
}

Result<journal::RecordId> Coach::keep_answers(kb::Questionnaire questionnaire, triage::Answers const& answers, kb::Verdict const& verdict)
{
    std::lock_guard lock(m_mutex);
    auto* journal = TRY(journal_locked());
    if (questionnaire == kb::Questionnaire::Screening) {
        journal::ScreeningRecord record;
        record.taken_at = m_clock.wall_now();
        record.tier = kb::to_string(verdict.tier);
        record.answers = triage::answers_to_json(questionnaire, answers);
        record.verdict = verdict;
        return journal->add_screening(record);
    }
    journal::CheckIn checkin;
    checkin.at = m_clock.wall_now();
    if (auto it = answers.find("checkin_intensity"); it != answers.end())
        if (auto const* number = std::get_if<double>(&it->second))
            checkin.soreness = static_cast<int>(*number);
    checkin.warning = kb::is_stop_tier(verdict.tier) ? journal::WarningSign::Present : journal::WarningSign::Absent;
    checkin.tier = kb::to_string(verdict.tier);
    checkin.answers = triage::answers_to_json(questionnaire, answers);
    checkin.verdict = verdict;
    if (auto latest = TRY(journal->find_latest_session()))
        checkin.session_id = latest->id;
    return journal->add_checkin(checkin);
}

namespace {

// A body must be JSON before it can be answers: malformed text is a 400, answers that do not fit
// the questionnaire a 422 (parse_answers_text).
Result<triage::Answers> answers_from_body(kb::KnowledgeBase const& kb, kb::Questionnaire questionnaire, std::string const& body)
{
    TRY(parse_json_text(body, "the request body"));
    return triage::parse_answers_text(kb, questionnaire, body, "the answers sent");
}

}

Result<json> Coach::submit_screening(std::string const& body)
{
    auto answers = TRY(answers_from_body(m_kb, kb::Questionnaire::Screening, body));
    auto verdict = TRY(evaluate(kb::Questionnaire::Screening, answers));
    TRY(keep_answers(kb::Questionnaire::Screening, answers, verdict));
    return triage::verdict_to_json(m_kb, kb::Questionnaire::Screening, verdict);
}

Result<json> Coach::submit_checkin(std::string const& body)
{
    auto answers = TRY(complete_answers(kb::Questionnaire::Checkin, TRY(answers_from_body(m_kb, kb::Questionnaire::Checkin, body))));
    auto verdict = TRY(evaluate(kb::Questionnaire::Checkin, answers));
    TRY(keep_answers(kb::Questionnaire::Checkin, answers, verdict));
    return triage::verdict_to_json(m_kb, kb::Questionnaire::Checkin, verdict);
}

Result<json> Coach::evaluate_only(kb::Questionnaire questionnaire, std::string const& body)
{
    auto answers = TRY(complete_answers(questionnaire, TRY(answers_from_body(m_kb, questionnaire, body))));
    auto verdict = TRY(evaluate(questionnaire, answers));
    auto out = triage::verdict_to_json(m_kb, questionnaire, verdict);
    out["stored"] = false;
    out["settled"] = triage::settles_at_once(verdict);
    return out;
}

Result<json> Coach::profile()
{
    std::lock_guard lock(m_mutex);
    if (!m_journal)
        return json { { "profile", nullptr } };
    auto found = TRY(m_journal->find_profile());
    if (!found)
        return json { { "profile", nullptr } };
    return json { { "profile", found->document } };
}

Result<json> Coach::save_profile(std::string const& body)
{
    auto document = TRY(parse_json_text(body, "the request body"));
    auto parsed = TRY(plan::parse_profile(document));
    for (auto const& tool : parsed.rollers_owned) {
        if (!m_kb.find_tool(tool))
            return Error::invalid_data(fmt::format("'{}' is not a roller rollcoach knows; pick one from /api/kb/tools", tool));
    }
    journal::Profile profile;
    profile.updated_at = m_clock.wall_now();
    profile.document = parsed;   // normalised: every field present
    std::lock_guard lock(m_mutex);
    auto* journal = TRY(journal_locked());
    TRY(journal->save_profile(profile));
    return json { { "profile", profile.document } };
}

Result<std::vector<StoredClearance>> Coach::clearances_locked()
{
    std::vector<StoredClearance> out;
    if (!m_journal)
        return out;
    for (auto const& record : TRY(m_journal->find_clearances()))
        out.push_back(read_stored(record));
    return out;
}

// The flags on record now: the latest screening's stop-tier reasons and those of the newest
// warning-sign check-in not cleared by a bare (pre-schema-4) clearance.
Result<std::vector<Flag>> Coach::flags_locked()
{
    std::vector<Flag> flags;
    if (auto latest = TRY(latest_verdict_locked()))
        flags = flags_of(*latest, std::nullopt);
    if (m_journal) {
        if (auto warning = TRY(m_journal->find_uncleared_warning())) {
            auto verdict = triage::parse_verdict(warning->verdict);
            if (verdict && !(verdict->tier == kb::Tier::Emergency && TRY(screened_since_locked(warning->at))))
                for (auto& flag : flags_of(*verdict, today_of(warning->at)))
                    flags.push_back(std::move(flag));
        }
    }
    if (auto stop = TRY(session_stop_locked()))
        flags.push_back(as_flag(*stop));
    return flags;
}

// The latest session's stop for a warning sign that needs a clinician (session_stop.h), unless it
// was an emergency and a screening has been taken since (the person was checked and it has gone:
// the screening asked its emergency questions again). A clearance's part is decide_locked's.
Result<std::optional<SessionStop>> Coach::session_stop_locked()
{
    if (!m_journal)
        return std::optional<SessionStop> {};
    auto latest = TRY(m_journal->find_latest_session());
    auto stop = latest ? blocking_stop(m_kb, *latest) : std::nullopt;
    if (stop && stop->rule->tier == kb::Tier::Emergency) {
        auto screening = TRY(m_journal->find_latest_screening());
        if (screening_lifts(*stop, screening ? std::optional<WallTime>(screening->taken_at) : std::nullopt))
            stop.reset();
    }
    return stop;
}

Result<bool> Coach::screened_since_locked(WallTime at)
{
    if (!m_journal)
        return false;
    auto screening = TRY(m_journal->find_latest_screening());
    return screening && screening->taken_at > at;
}

// Whether a check-in's warning no longer blocks: an emergency with a screening since, or a
// clearance that covers it (the same test as decide_locked's).
Result<bool> Coach::warning_lifted_locked(journal::CheckIn const& warning)
{
    auto verdict = triage::parse_verdict(warning.verdict);
    if (!verdict)
        return false;
    if (verdict->tier == kb::Tier::Emergency)
        return screened_since_locked(warning.at);
    auto const today = today_of(m_clock.wall_now());
    auto checked = apply_clearances(m_kb, *verdict, today_of(warning.at), TRY(clearances_locked()), today, m_kb.thresholds.clearance_valid_months);
    return checked.lifted_any && !kb::is_stop_tier(checked.verdict.tier);
}

Result<Coach::Decision> Coach::decide_locked(std::optional<kb::Verdict> const& given)
{
    Decision decision;
    auto& permission = decision.permission;
    if (given) {
        permission.verdict = *given;
    } else {
        auto latest = TRY(latest_verdict_locked());
        if (!latest) {
            // The message already says what to do.
            decision.refusal = Refusal { "no_screening", std::nullopt, no_screening_message, "", {}, {} };
            return decision;
        }
        permission.verdict = std::move(*latest);
    }
    int const months = m_kb.thresholds.clearance_valid_months;
    auto const today = today_of(m_clock.wall_now());
    auto const clearances = TRY(clearances_locked());
    auto lifted = apply_clearances(m_kb, std::move(permission.verdict), std::nullopt, clearances, today, months);
    permission.verdict = std::move(lifted.verdict);
    permission.clearance_notes = std::move(lifted.notes);
    permission.clearance_pressure_why = std::move(lifted.pressure_why);
    if (m_therapist_limits) {
        // The therapist's limits join the verdict the same way a clearance's do: the stricter wins.
        if (auto limits = TRY(m_therapist_limits()); limits && !limits->empty()) {
            permission.verdict.changes.merge(plan_changes(*limits));
            for (auto& note : therapist_notes(m_kb, *limits, today))
                permission.clearance_notes.push_back(std::move(note));
            if (limits->gentle_pressure && !permission.clearance_pressure_why)
                permission.clearance_pressure_why = fmt::format("Gentle pressure only: your therapist set this{}.", set_by_words(*limits, today));
            permission.therapist_limits = std::move(*limits);
        }
    }

    std::optional<journal::CheckIn> warning;
    if (m_journal) {
        journal::StatsRequest request;
        request.now = m_clock.wall_now();
        permission.history = TRY(m_journal->history_for_planning(request));
        if (permission.history.warning_sign_pending)
            warning = TRY(m_journal->find_uncleared_warning());
        TRY(apply_latest_checkin_locked(permission));
    }

    auto const& verdict = permission.verdict;
    if (kb::is_stop_tier(verdict.tier)) {
        std::size_t fired = 0;
        for (auto const& reason : verdict.reasons)
            fired += kb::is_stop_tier(reason.tier) ? 1 : 0;
        if (fired == 0 && !verdict.missing_answers.empty()) {
            decision.refusal = Refusal { "unfinished", verdict.tier,
                fmt::format("Your safety questions are not finished ({} still open), so rollcoach cannot say rolling is safe.",
                    verdict.missing_answers.size()),
                "Finish the safety questions (`rollcoach screen`, or Safety check in the app); \"Not sure\" is an answer too.", {}, {} };
            return decision;
        }
        std::vector<std::string> clearable;
        for (auto const& flag : flags_of(verdict, std::nullopt))
            if (flag.tier != kb::Tier::Emergency)
                clearable.push_back(flag.rule_id);
        decision.refusal = stop_tier_refusal(verdict, std::move(clearable));
        return decision;
    }

    if (auto stop = TRY(session_stop_locked())) {
        auto lifted = apply_clearances(m_kb, as_verdict(*stop), stop->day, clearances, today, months);
        if (!lifted.lifted_any || kb::is_stop_tier(lifted.verdict.tier)) {
            decision.refusal = session_stop_refusal(*stop, today);
            return decision;
        }
        take_limits(permission, std::move(lifted));
    }

    if (warning) {
        auto checkin_verdict = triage::parse_verdict(warning->verdict);
        // An emergency sign no clearance covers: once checked and gone, a new screening asks it again.
        if (checkin_verdict && checkin_verdict->tier == kb::Tier::Emergency && TRY(screened_since_locked(warning->at))) {
            permission.history.warning_sign_pending = false;
            return decision;
        }
        if (checkin_verdict) {
            auto checked = apply_clearances(m_kb, *checkin_verdict, today_of(warning->at), clearances, today, months);
            if (checked.lifted_any && !kb::is_stop_tier(checked.verdict.tier)) {
                permission.history.warning_sign_pending = false;
                take_limits(permission, std::move(checked));
                return decision;
            }
        }
        Refusal r;
        r.kind = "warning_sign";
        r.tier = checkin_verdict ? std::optional<kb::Tier>(checkin_verdict->tier) : std::nullopt;
        auto const what = checkin_verdict ? first_message(*checkin_verdict) : std::string {};
        r.reason = fmt::format("No session for now: your check-in {} reported a warning sign{}",
            rc::day_in_words(today_of(warning->at), today_of(m_clock.wall_now())),
            what.empty() ? std::string(".") : ": " + what);
        if (r.tier == kb::Tier::Emergency) {
            r.what_to_do = "If nobody has checked it yet, call emergency services now (999, 112 or 911) or go to the nearest emergency "
                           "department. Once a doctor has seen you and it has gone, answer the safety questions again before you roll.";
        } else {
            r.what_to_do = "See a clinician. If they say rolling is fine, record their clearance (`rollcoach clearance add`, or the form "
                           "under your check-in result).";
            if (checkin_verdict)
                for (auto const& flag : flags_of(*checkin_verdict, today_of(warning->at)))
                    if (flag.tier != kb::Tier::Emergency)
                        r.clearable.push_back(flag.rule_id);
        }
        decision.refusal = std::move(r);
    }
    return decision;
}

Result<Permission> Coach::may_roll(std::optional<kb::Verdict> const& given)
{
    std::lock_guard lock(m_mutex);
    auto decision = TRY(decide_locked(given));
    if (decision.refusal)
        return Error::conflict(decision.refusal->what_to_do.empty() ? decision.refusal->reason
                                                                    : fmt::format("{} {}", decision.refusal->reason, decision.refusal->what_to_do));
    // The planner's own check, kept as a second lock on the door.
    TRY(plan::check_may_roll(decision.permission.verdict, decision.permission.history));
    return std::move(decision.permission);
}

Result<std::optional<Refusal>> Coach::refusal(std::optional<kb::Verdict> const& given)
{
    std::lock_guard lock(m_mutex);
    auto decision = TRY(decide_locked(given));
    return std::move(decision.refusal);
}

namespace {

// What make_plan cannot be told through a verdict: an exercise switched off, a roller firmer than
// the therapist allows. Their steps leave the plan, each saying why.
void leave_out_for_therapist(kb::KnowledgeBase const& kb, TherapistLimits const& limits, plan::Plan& plan)
{
    std::vector<plan::PlanStep> kept;
    for (auto& step : plan.steps) {
        auto const* exercise = kb.find_exercise(step.exercise_id);
        auto const name = exercise ? exercise->name : step.exercise_id;
        if (std::find(limits.exercises_off.begin(), limits.exercises_off.end(), step.exercise_id) != limits.exercises_off.end()) {
            plan.left_out.push_back(fmt::format("{}: switched off by your therapist.", name));
            continue;
        }
        auto const* tool = step.tool_id.empty() ? nullptr : kb.find_tool(step.tool_id);
        if (tool && limits.roller && tool->firmness > *limits.roller) {
            plan.left_out.push_back(fmt::format("{}: it needs a roller firmer than your therapist allows ({}).", name, kb::to_string(*limits.roller)));
            continue;
        }
        kept.push_back(std::move(step));
    }
    plan.steps = std::move(kept);
}

}

// A check-in answers for the session after it: "your next session will be a little shorter and
// gentler" (docs/triage.md) holds until a session starts after the check-in. A stop tier is
// not this function's: a warning sign refuses the plan until it is cleared (decide_locked).
// Check-ins kept without a readable verdict (older journals, imports) have nothing to apply.
Result<void> Coach::apply_latest_checkin_locked(Permission& permission)
{
    auto checkin = TRY(m_journal->find_latest_checkin());
    if (!checkin)
        return {};
    // Started, not ended: a sped-up session (serve --speed) records its end on the session clock,
    // minutes after the wall-clock moment the check-in was taken.
    if (auto session = TRY(m_journal->find_latest_session()); session && session->started_at >= checkin->at)
        return {};
    auto verdict = triage::parse_verdict(checkin->verdict);
    if (!verdict || kb::is_stop_tier(verdict->tier) || verdict->changes.empty())
        return {};
    permission.verdict.changes.merge(verdict->changes);
    auto const day = rc::day_in_words(today_of(checkin->at), today_of(m_clock.wall_now()));
    permission.clearance_notes.push_back(fmt::format("Your check-in {} asked for a shorter, gentler session next: this is it.", day));
    if (verdict->changes.gentle_pressure_only && !permission.clearance_pressure_why)
        permission.clearance_pressure_why = fmt::format("Gentle pressure only, as your check-in {} asked.", day);
    return {};
}

Result<plan::Plan> Coach::todays_plan(PlanRequest const& request)
{
    auto permission = TRY(may_roll(request.verdict));
    plan::Profile profile;
    if (request.profile) {
        profile = *request.profile;
    } else {
        std::lock_guard lock(m_mutex);
        if (m_journal) {
            if (auto stored = TRY(m_journal->find_profile()))
                profile = TRY(plan::parse_profile(stored->document));
        }
    }
    auto plan = TRY(plan::make_plan(m_kb, profile, permission.verdict, permission.history));
    // The limits a clinician set say so, next to the plan's own reasons.
    for (auto const& note : permission.clearance_notes)
        plan.notes.push_back(note);
    if (permission.clearance_pressure_why && plan.pressure == plan::Pressure::Gentle)
        plan.pressure_why = *permission.clearance_pressure_why;
    if (permission.therapist_limits)
        leave_out_for_therapist(m_kb, *permission.therapist_limits, plan);
    return plan;
}

Result<json> Coach::add_clearance(std::string const& body)
{
    auto document = TRY(parse_json_text(body, "the request body"));
    int const months = m_kb.thresholds.clearance_valid_months;
    std::lock_guard lock(m_mutex);
    auto* journal = TRY(journal_locked());
    auto const now = m_clock.wall_now();
    auto terms = TRY(parse_clearance_request(m_kb, document, today_of(now), TRY(flags_locked())));
    journal::Clearance record;
    record.at = now;
    record.note = terms.note;
    record.detail = to_detail(terms, months);
    record.id = TRY(journal->add_clearance(record));
    return to_json(m_kb, read_stored(record), today_of(now), months);
}

Result<json> Coach::clearances()
{
    int const months = m_kb.thresholds.clearance_valid_months;
    std::lock_guard lock(m_mutex);
    auto const today = today_of(m_clock.wall_now());
    auto stored = TRY(clearances_locked());
    json list = json::array();
    for (auto it = stored.rbegin(); it != stored.rend(); ++it)
        list.push_back(to_json(m_kb, *it, today, months));
    json flagged = json::array();
    for (auto const& flag : TRY(flags_locked())) {
        json covered_by = nullptr;
        for (auto const& clearance : stored)
            if (clearance.terms && covers(*clearance.terms, flag, today, months))
                covered_by = clearance.id;
        flagged.push_back({ { "rule_id", flag.rule_id }, { "tier", kb::to_string(flag.tier) }, { "message", flag.message },
            { "clearable", flag.tier != kb::Tier::Emergency }, { "covered_by", covered_by },
            { "raised_on", flag.raised_on ? json(format_day(*flag.raised_on)) : json(nullptr) } });
    }
    return json { { "clearances", list }, { "flagged", flagged }, { "valid_months", months } };
}

}
