#include "server/coach.h"

#include "journal/exports.h"
#include "journal/record_json.h"
#include "journal/stats.h"
#include "plan/plan_json.h"
#include "triage/answers.h"
#include "triage/triage_engine.h"
#include "triage/verdict_json.h"

#include <fmt/core.h>

namespace rc::server {

using nlohmann::json;

Coach::Coach(kb::KnowledgeBase const& kb, std::unique_ptr<journal::Journal> journal, Clock const& clock)
    : m_kb(kb)
    , m_journal(std::move(journal))
    , m_clock(clock)
{
}

namespace {

// A next-day check-in is offered once the last session is this old and none was recorded since.
constexpr auto checkin_after = std::chrono::hours(12);

Result<json> parse_body(std::string const& body)
{
    if (body.empty())
        return Error::invalid_argument("the request body is empty; send a JSON object");
    try {
        return json::parse(body);
    } catch (json::parse_error const& e) {
        return Error::invalid_argument(fmt::format("the request body is not valid JSON (byte {}): fix the syntax and resend", e.byte));
    }
}

}

Result<std::optional<kb::Verdict>> Coach::latest_verdict_locked()
{
    auto latest = m_journal->find_latest_screening();
    if (!latest)
        return latest.error();
    if (!*latest)
        return std::optional<kb::Verdict> {};
    try {
        return std::optional<kb::Verdict> { (*latest)->verdict.get<kb::Verdict>() };
    } catch (std::exception const& e) {
        return Error::invalid_data(fmt::format("the journal's last screening verdict is unreadable ({}): answer the safety questions again", e.what()));
    }
}

Result<json> Coach::status()
{
    std::lock_guard lock(m_mutex);
    json out = { { "screening", nullptr }, { "profile", false }, { "checkin_due", false }, { "blocked", false } };
    auto screening = m_journal->find_latest_screening();
    if (!screening)
        return screening.error();
    if (*screening)
        out["screening"] = { { "tier", (*screening)->tier }, { "taken_at", journal::format_utc((*screening)->taken_at) } };
    auto profile = m_journal->find_profile();
    if (!profile)
        return profile.error();
    out["profile"] = profile->has_value();
    auto warning = m_journal->find_uncleared_warning();
    if (!warning)
        return warning.error();
    out["blocked"] = warning->has_value();

    auto entries = m_journal->history(200);
    if (!entries)
        return entries.error();
    std::optional<WallTime> last_session;
    std::optional<WallTime> last_checkin;
    for (auto const& entry : *entries) {
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

Result<json> Coach::submit_screening(std::string const& body)
{
    auto answers = triage::parse_answers_text(m_kb, kb::Questionnaire::Screening, body, "the answers sent");
    if (!answers)
        return answers.error();
    auto verdict = triage::screen(m_kb, *answers);
    if (!verdict)
        return verdict.error();
    journal::ScreeningRecord record;
    record.taken_at = m_clock.wall_now();
    record.tier = kb::to_string(verdict->tier);
    record.answers = triage::answers_to_json(kb::Questionnaire::Screening, *answers);
    record.verdict = *verdict;
    std::lock_guard lock(m_mutex);
    if (auto added = m_journal->add_screening(record); !added)
        return added.error();
    return triage::verdict_to_json(m_kb, kb::Questionnaire::Screening, *verdict);
}

Result<json> Coach::submit_checkin(std::string const& body)
{
    auto answers = triage::parse_answers_text(m_kb, kb::Questionnaire::Checkin, body, "the answers sent");
    if (!answers)
        return answers.error();
    auto verdict = triage::check_in(m_kb, *answers);
    if (!verdict)
        return verdict.error();
    journal::CheckIn checkin;
    checkin.at = m_clock.wall_now();
    if (auto it = answers->find("checkin_intensity"); it != answers->end()) {
        if (auto const* number = std::get_if<double>(&it->second))
            checkin.soreness = static_cast<int>(*number);
    }
    checkin.warning = kb::is_stop_tier(verdict->tier) ? journal::WarningSign::Present : journal::WarningSign::Absent;
    checkin.tier = kb::to_string(verdict->tier);
    checkin.answers = triage::answers_to_json(kb::Questionnaire::Checkin, *answers);
    checkin.verdict = *verdict;
    std::lock_guard lock(m_mutex);
    if (auto latest = m_journal->find_latest_session(); latest && *latest)
        checkin.session_id = (*latest)->id;
    if (auto added = m_journal->add_checkin(checkin); !added)
        return added.error();
    return triage::verdict_to_json(m_kb, kb::Questionnaire::Checkin, *verdict);
}

Result<json> Coach::profile()
{
    std::lock_guard lock(m_mutex);
    auto found = m_journal->find_profile();
    if (!found)
        return found.error();
    if (!*found)
        return json { { "profile", nullptr } };
    return json { { "profile", (*found)->document } };
}

Result<json> Coach::save_profile(std::string const& body)
{
    auto document = parse_body(body);
    if (!document)
        return document.error();
    auto parsed = plan::parse_profile(*document);
    if (!parsed)
        return Error::invalid_argument(parsed.error().message);
    for (auto const& tool : parsed->rollers_owned) {
        if (!m_kb.find_tool(tool))
            return Error::invalid_argument(fmt::format("'{}' is not a roller rollcoach knows; pick one from /api/kb/tools", tool));
    }
    journal::Profile profile;
    profile.updated_at = m_clock.wall_now();
    profile.document = *parsed;   // normalised: every field present
    std::lock_guard lock(m_mutex);
    if (auto saved = m_journal->save_profile(profile); !saved)
        return saved.error();
    return json { { "profile", profile.document } };
}

Result<plan::Plan> Coach::todays_plan()
{
    std::lock_guard lock(m_mutex);
    auto verdict = latest_verdict_locked();
    if (!verdict)
        return verdict.error();
    if (!*verdict)
        return Error::conflict("answer the safety questions first: rollcoach makes no plan before the screening");
    plan::Profile profile;
    auto stored = m_journal->find_profile();
    if (!stored)
        return stored.error();
    if (*stored) {
        auto parsed = plan::parse_profile((*stored)->document);
        if (!parsed)
            return parsed.error();
        profile = *parsed;
    }
    journal::StatsRequest request;
    request.now = m_clock.wall_now();
    auto history = m_journal->history_for_planning(request);
    if (!history)
        return history.error();
    return plan::make_plan(m_kb, profile, **verdict, *history);
}

Result<json> Coach::history(int limit)
{
    std::lock_guard lock(m_mutex);
    auto entries = m_journal->history(limit);
    if (!entries)
        return entries.error();
    json out = json::array();
    for (auto const& entry : *entries)
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
    auto stats = m_journal->compute_stats(request);
    if (!stats)
        return stats.error();
    json out = journal::to_json(*stats);
    // The streak calendar needs the days themselves, not only the streak's length.
    auto entries = m_journal->history(400);
    if (!entries)
        return entries.error();
    std::vector<std::string> days;
    for (auto const& entry : *entries) {
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
        auto document = parse_body(body);
        if (!document)
            return document.error();
        if (!document->is_object())
            return Error::invalid_argument("send a JSON object such as {\"note\": \"seen by my GP\"}");
        clearance.note = document->value("note", std::string {});
    }
    std::lock_guard lock(m_mutex);
    auto id = m_journal->add_clearance(clearance);
    if (!id)
        return id.error();
    return json { { "clearance_id", *id } };
}

Result<std::string> Coach::export_journal(std::string const& format, std::string const& table)
{
    std::lock_guard lock(m_mutex);
    auto document = m_journal->export_json();
    if (!document)
        return document.error();
    if (format == "json")
        return document->dump(2);
    auto contents = journal::parse_contents(*document);
    if (!contents)
        return contents.error();
    if (format == "fhir")
        return journal::to_fhir_bundle(*contents).dump(2);
    if (format == "csv") {
        auto tables = journal::to_csv_tables(*contents);
        std::vector<std::string> names;
        for (auto const& t : tables) {
            if (t.name == table)
                return journal::format_csv(t);
            names.push_back(t.name);
        }
        std::string list;
        for (auto const& name : names)
            list += (list.empty() ? "" : ", ") + name;
        return Error::invalid_argument(fmt::format("CSV exports one table at a time: add &table= one of {}", list));
    }
    return Error::invalid_argument(fmt::format("unknown export format '{}': use json, csv or fhir", format));
}

Result<journal::RecordId> Coach::record_session(SessionOutcome const& outcome)
{
    journal::SessionRecord record;
    record.started_at = outcome.started_at;
    record.ended_at = outcome.ended_at;
    record.end_reason = outcome.end_reason;
    record.plan = outcome.plan;
    record.completed_steps = outcome.completed_steps;
    record.skipped_steps = outcome.skipped_steps;
    record.cues = outcome.cues;
    record.zones = outcome.zones;
    record.tender_spots = outcome.tender_spots;
    auto rating = [&](int value, journal::PainMoment moment, WallTime at) {
        journal::PainRating r;
        r.at = at;
        r.value = value;
        r.moment = moment;
        return r;
    };
    if (outcome.pain_before)
        record.pain.push_back(rating(*outcome.pain_before, journal::PainMoment::Before, outcome.started_at));
    for (int value : outcome.pain_during)
        record.pain.push_back(rating(value, journal::PainMoment::During, outcome.ended_at));
    if (outcome.pain_after)
        record.pain.push_back(rating(*outcome.pain_after, journal::PainMoment::After, outcome.ended_at));
    std::lock_guard lock(m_mutex);
    if (auto screening = m_journal->find_latest_screening(); screening && *screening)
        record.screening_id = (*screening)->id;
    return m_journal->add_session(record);
}

}
