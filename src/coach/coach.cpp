#include "coach/coach.h"

#include "coach/history_lines.h"
#include "coach/json_text.h"
#include "journal/exports.h"
#include "journal/record_json.h"
#include "journal/stats.h"
#include "plan/plan_json.h"
#include "triage/triage_engine.h"
#include "triage/verdict_json.h"

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
    json out = { { "screening", nullptr }, { "profile", false }, { "checkin_due", false }, { "blocked", false } };
    if (!m_journal)
        return out;
    if (auto screening = TRY(m_journal->find_latest_screening()))
        out["screening"] = { { "tier", screening->tier }, { "taken_at", journal::format_utc(screening->taken_at) } };
    out["profile"] = TRY(m_journal->find_profile()).has_value();
    out["blocked"] = TRY(m_journal->find_uncleared_warning()).has_value();

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

json Coach::checkin_questions() const
{
    return triage::questionnaire_to_json(m_kb, kb::Questionnaire::Checkin);
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
    auto answers = TRY(answers_from_body(m_kb, kb::Questionnaire::Checkin, body));
    auto verdict = TRY(evaluate(kb::Questionnaire::Checkin, answers));
    TRY(keep_answers(kb::Questionnaire::Checkin, answers, verdict));
    return triage::verdict_to_json(m_kb, kb::Questionnaire::Checkin, verdict);
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

Result<Permission> Coach::may_roll(std::optional<kb::Verdict> const& given)
{
    std::lock_guard lock(m_mutex);
    Permission permission;
    if (given) {
        permission.verdict = *given;
    } else {
        auto latest = TRY(latest_verdict_locked());
        if (!latest)
            return Error::conflict(no_screening_message);
        permission.verdict = std::move(*latest);
    }
    if (m_journal) {
        journal::StatsRequest request;
        request.now = m_clock.wall_now();
        permission.history = TRY(m_journal->history_for_planning(request));
    }
    TRY(plan::check_may_roll(permission.verdict, permission.history));
    return permission;
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
    return plan::make_plan(m_kb, profile, permission.verdict, permission.history);
}

Result<std::vector<journal::HistoryEntry>> Coach::history_entries(int limit)
{
    std::lock_guard lock(m_mutex);
    if (!m_journal)
        return std::vector<journal::HistoryEntry> {};
    auto entries = TRY(m_journal->history(limit));
    describe(entries);
    return entries;
}

Result<json> Coach::history(int limit)
{
    json out = json::array();
    for (auto const& entry : TRY(history_entries(limit)))
        out.push_back(journal::to_json(entry));
    return out;
}

Result<json> Coach::stats(std::chrono::seconds utc_offset)
{
    journal::StatsRequest request;
    request.now = m_clock.wall_now();
    request.utc_offset = utc_offset;
    request.weekly_goal = m_kb.thresholds.weekly_goal_sessions;
    std::lock_guard lock(m_mutex);
    auto* journal = TRY(journal_locked());
    json out = journal::to_json(TRY(journal->compute_stats(request)));
    // The streak calendar needs the days themselves, not only the streak's length.
    std::vector<std::string> days;
    for (auto const& entry : TRY(journal->history(400))) {
        if (entry.kind != journal::EntryKind::Session)
            continue;
        auto day = journal::format_day(journal::local_day(entry.at, utc_offset));
        if (days.empty() || days.back() != day)
            days.push_back(day);
    }
    out["session_days"] = days;
    return out;
}

Result<json> Coach::add_clearance(std::string const& body)
{
    journal::Clearance clearance;
    clearance.at = m_clock.wall_now();
    if (!body.empty()) {
        auto document = TRY(parse_json_text(body, "the request body"));
        if (!document.is_object() || (document.contains("note") && !document["note"].is_string()))
            return Error::invalid_data("send a JSON object such as {\"note\": \"seen by my GP\"}");
        clearance.note = document.value("note", std::string {});
    }
    std::lock_guard lock(m_mutex);
    auto* journal = TRY(journal_locked());
    auto id = TRY(journal->add_clearance(clearance));
    return json { { "clearance_id", id } };
}

Result<void> Coach::export_journal(journal::ExportFormat format, std::string const& csv_table, journal::OutputSink& out)
{
    std::lock_guard lock(m_mutex);
    auto* journal = TRY(journal_locked());
    return journal::write_export(*journal, format, csv_table, out);
}

Result<void> Coach::read_journal(std::function<Result<void>(journal::Journal*)> const& read)
{
    std::lock_guard lock(m_mutex);
    return read(m_journal.get());
}

Result<journal::RecordId> Coach::record_session(SessionRecord const& record)
{
    auto stored = to_journal_record(record);
    std::lock_guard lock(m_mutex);
    auto* journal = TRY(journal_locked());
    if (auto screening = TRY(journal->find_latest_screening()))
        stored.screening_id = screening->id;
    return journal->add_session(stored);
}

}
