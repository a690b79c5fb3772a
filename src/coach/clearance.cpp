#include "coach/clearance.h"
#include "coach/session_stop.h"

#include "common/day_words.h"
#include "common/echo.h"
#include "knowledge/zone_names.h"
#include "triage/verdict_json.h"

#include <algorithm>
#include <charconv>
#include <fmt/core.h>

namespace rc::coach {

using nlohmann::json;

namespace {

constexpr std::size_t max_text = 500;
constexpr int max_session_minutes = 60;

kb::TriageRule const* find_triage_rule(kb::KnowledgeBase const& kb, std::string_view id)
{
    for (auto const& rule : kb.screening.rules)
        if (rule.id == id)
            return &rule;
    return nullptr;
}

std::string join(std::vector<std::string> const& words)
{
    std::string out;
    for (auto const& word : words)
        out += (out.empty() ? "" : ", ") + word;
    return out;
}

bool contains(std::vector<std::string> const& list, std::string_view item)
{
    return std::find(list.begin(), list.end(), item) != list.end();
}

// "Sam Okoro, physiotherapist, on Fri 20 Nov": who cleared the user and when, in a plan note's
// brackets. The day is in words; an ISO date broke across lines on a phone.
std::string who_and_when(ClearanceTerms const& terms, Day today)
{
    return fmt::format("{}, {}", terms.cleared_by, day_in_words(terms.cleared_on, today));
}

// A text field of the request and the words a person knows it by: the web form's labels and the
// CLI's options (--by, --on) say "who cleared you", never the JSON key "by".
struct TextField {
    char const* key;
    char const* words;
    char const* when_missing;   // nothing: optional
};
constexpr TextField cleared_by_field { "by", "Who cleared you", "Say who cleared you, for example \"Dr Patel, GP\"" };
constexpr TextField cleared_on_field { "on", "The date they saw you", "Give the date the clinician saw you, like 2026-11-20" };
constexpr TextField note_field { "note", "Anything else they said", nullptr };

Result<std::string> text_field(json const& request, TextField const& field)
{
    auto it = request.find(field.key);
    if (it == request.end() || it->is_null()) {
        if (field.when_missing)
            return Error::invalid_data(field.when_missing);
        return std::string {};
    }
    if (!it->is_string())
        return Error::invalid_data(fmt::format("{} must be text", field.words));
    auto text = it->get<std::string>();
    if (field.when_missing && text.find_first_not_of(" \t") == std::string::npos)
        return Error::invalid_data(field.when_missing);
    if (text.size() > max_text)
        return Error::invalid_data(fmt::format("{} is longer than {} characters: shorten it", field.words, max_text));
    return text;
}

// The limits' messages use the form's words ("Shorter sessions", "Leave out"), which are also the
// CLI's options (--max-minutes, --leave-out); only a limit no front-end sends is named by its key.
Result<kb::PlanChanges> parse_limits(kb::KnowledgeBase const& kb, json const& limits)
{
    kb::PlanChanges out;
    if (limits.is_null())
        return out;
    if (!limits.is_object())
        return Error::invalid_data("The limits they set must be an object such as {\"soft_roller_only\": true}");
    for (auto const& [key, value] : limits.items()) {
        if (key == "excluded_zones") {
            if (!value.is_array())
                return Error::invalid_data("Leave out: give a list of parts of the body, such as [\"lats\"]");
            for (auto const& zone : value) {
                if (!zone.is_string() || !kb.find_zone(zone.get<std::string>()))
                    return Error::invalid_data(fmt::format("Leave out: {} is not a part of the body rollcoach knows; see `rollcoach zones`",
                        echo_excerpt(zone.dump())));
                if (!contains(out.excluded_zones, zone.get<std::string>()))
                    out.excluded_zones.push_back(zone.get<std::string>());
            }
        } else if (key == "soft_roller_only" || key == "gentle_pressure_only") {
            if (!value.is_boolean())
                return Error::invalid_data(fmt::format("{} must be ticked or not (true or false)",
                    key == "soft_roller_only" ? "Soft roller only" : "Gentle pressure only"));
            (key == "soft_roller_only" ? out.soft_roller_only : out.gentle_pressure_only) = value.get<bool>();
        } else if (key == "max_session_minutes") {
            if (!value.is_number_integer() || value.get<std::int64_t>() < 1 || value.get<std::int64_t>() > max_session_minutes)
                return Error::invalid_data(fmt::format("Shorter sessions: give whole minutes from 1 to {}, or no limit", max_session_minutes));
            out.max_session_length = std::chrono::minutes(value.get<int>());
        } else {
            return Error::invalid_data(fmt::format("unknown limit \"{}\"; the limits are excluded_zones, soft_roller_only, "
                                                   "gentle_pressure_only and max_session_minutes",
                echo_excerpt(key)));
        }
    }
    return out;
}

std::vector<std::string> lines_of(kb::KnowledgeBase const& kb, kb::PlanChanges const& limits)
{
    std::vector<std::string> lines;
    if (limits.soft_roller_only)
        lines.push_back("Soft roller only");
    if (limits.gentle_pressure_only)
        lines.push_back("Gentle pressure only");
    if (!limits.excluded_zones.empty()) {
        std::vector<std::string> names;
        for (auto const& id : limits.excluded_zones) {
            auto const* zone = kb.find_zone(id);
            names.push_back(zone ? std::string(kb::plain_name(*zone)) : id);
        }
        lines.push_back("Leave out " + join(names));
    }
    if (limits.max_session_length)
        lines.push_back(fmt::format("At most {} minutes a session",
            std::chrono::duration_cast<std::chrono::minutes>(*limits.max_session_length).count()));
    return lines;
}

}

std::vector<std::string> limit_lines(kb::KnowledgeBase const& kb, kb::PlanChanges const& limits)
{
    return lines_of(kb, limits);
}

std::optional<Day> parse_day(std::string_view text)
{
    int y = 0;
    unsigned m = 0;
    unsigned d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    auto number = [&](std::size_t at, std::size_t length, auto& out) {
        auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + length, out);
        return ec == std::errc() && end == text.data() + at + length;
    };
    if (!number(0, 4, y) || !number(5, 2, m) || !number(8, 2, d))
        return std::nullopt;
    std::chrono::year_month_day date { std::chrono::year { y }, std::chrono::month { m }, std::chrono::day { d } };
    if (!date.ok())
        return std::nullopt;
    return Day { date };
}

std::string format_day(Day day)
{
    std::chrono::year_month_day date { day };
    return fmt::format("{:04}-{:02}-{:02}", int(date.year()), unsigned(date.month()), unsigned(date.day()));
}

Day expires_on(ClearanceTerms const& terms, int months)
{
    std::chrono::year_month_day date { terms.cleared_on };
    auto later = date + std::chrono::months { months };
    if (!later.ok())
        later = later.year() / later.month() / std::chrono::last;
    return Day { later };
}

bool in_force(ClearanceTerms const& terms, Day today, int months)
{
    return terms.cleared_on <= today && today < expires_on(terms, months);
}

Result<ClearanceTerms> parse_clearance_request(kb::KnowledgeBase const& kb, json const& request, Day today, std::vector<Flag> const& flagged)
{
    if (!request.is_object())
        return Error::invalid_data("send a JSON object such as {\"by\": \"Dr Patel, GP\", \"on\": \"2026-11-20\", \"covers\": [\"cancer_history\"]}");
    for (auto const& [key, value] : request.items())
        if (key != "by" && key != "on" && key != "covers" && key != "limits" && key != "note")
            return Error::invalid_data(fmt::format("unknown field \"{}\": a clearance has by, on, covers, limits and note", echo_excerpt(key)));

    int const months = kb.thresholds.clearance_valid_months;
    ClearanceTerms terms;
    terms.cleared_by = TRY(text_field(request, cleared_by_field));
    auto on = TRY(text_field(request, cleared_on_field));
    auto day = parse_day(on);
    if (!day)
        return Error::invalid_data(fmt::format("{} must be a date like 2026-11-20, not \"{}\"", cleared_on_field.words, echo_excerpt(on)));
    terms.cleared_on = *day;
    // One day of slack: the user's evening can already be tomorrow in UTC.
    if (terms.cleared_on > today + std::chrono::days { 1 })
        return Error::invalid_data(fmt::format("{} ({}) is in the future: give the date the clinician saw you", cleared_on_field.words, on));
    if (!in_force(terms, std::max(today, terms.cleared_on), months))
        return Error::invalid_data(fmt::format("a clearance from {} ran out on {} (a clearance lasts {} months): see your clinician again",
            date_in_words(terms.cleared_on, today), date_in_words(expires_on(terms, months), today), months));
    terms.note = TRY(text_field(request, note_field));

    std::vector<std::string> clearable;
    for (auto const& flag : flagged)
        if (flag.tier != kb::Tier::Emergency)
            clearable.push_back(flag.rule_id);
    auto const listed = clearable.empty() ? std::string("nothing is flagged that a clearance can cover") : "flagged now: " + join(clearable);
    auto it = request.find("covers");
    if (it == request.end() || !it->is_array() || it->empty())
        return Error::invalid_data(fmt::format("What they checked: tick the flagged answers the clinician assessed ({})", listed));
    for (auto const& item : *it) {
        if (!item.is_string())
            return Error::invalid_data("What they checked must be a list of flagged answers, such as [\"cancer_history\"]");
        auto id = item.get<std::string>();
        // A screening or check-in rule, or the in-session rule that stopped a session (session_stop.h).
        auto const* rule = find_triage_rule(kb, id);
        auto const* stop_rule = rule ? nullptr : find_in_session_rule(kb, id);
        if (!rule && !stop_rule)
            return Error::invalid_data(fmt::format("What they checked: \"{}\" is not a safety rule rollcoach knows ({})", echo_excerpt(id), listed));
        if ((rule ? rule->tier : stop_rule->tier) == kb::Tier::Emergency)
            return Error::invalid_data(fmt::format("What they checked: \"{}\" is an emergency sign; a clearance never covers it. "
                                                   "Get help now if you have it; answer the questions again once it is gone",
                id));
        if (!contains(clearable, id))
            return Error::invalid_data(fmt::format("What they checked: \"{}\" is not flagged on your record, and a clearance covers only "
                                                   "answers already flagged ({})",
                id, listed));
        if (!contains(terms.covers, id))
            terms.covers.push_back(id);
    }
    terms.limits = TRY(parse_limits(kb, request.contains("limits") ? request["limits"] : json(nullptr)));
    return terms;
}

json to_detail(ClearanceTerms const& terms, int months)
{
    json limits = json::object();
    limits["excluded_zones"] = terms.limits.excluded_zones;
    limits["soft_roller_only"] = terms.limits.soft_roller_only;
    limits["gentle_pressure_only"] = terms.limits.gentle_pressure_only;
    limits["max_session_minutes"] = terms.limits.max_session_length
        ? json(std::chrono::duration_cast<std::chrono::minutes>(*terms.limits.max_session_length).count())
        : json(nullptr);
    return { { "by", terms.cleared_by }, { "on", format_day(terms.cleared_on) }, { "covers", terms.covers }, { "limits", limits },
        { "expires_on", format_day(expires_on(terms, months)) } };
}

Result<ClearanceTerms> parse_detail(json const& detail)
{
    auto bad = [](std::string what) { return Error::invalid_data("a stored clearance is unreadable: " + what); };
    if (!detail.is_object() || !detail.contains("by") || !detail["by"].is_string())
        return bad("no \"by\"");
    ClearanceTerms terms;
    terms.cleared_by = detail["by"].get<std::string>();
    auto day = detail.contains("on") && detail["on"].is_string() ? parse_day(detail["on"].get<std::string>()) : std::nullopt;
    if (!day)
        return bad("no \"on\" date");
    terms.cleared_on = *day;
    if (!detail.contains("covers") || !detail["covers"].is_array())
        return bad("no \"covers\" list");
    for (auto const& id : detail["covers"])
        if (id.is_string())
            terms.covers.push_back(id.get<std::string>());
    if (auto limits = detail.find("limits"); limits != detail.end() && limits->is_object()) {
        if (auto zones = limits->find("excluded_zones"); zones != limits->end() && zones->is_array())
            for (auto const& zone : *zones)
                if (zone.is_string())
                    terms.limits.excluded_zones.push_back(zone.get<std::string>());
        terms.limits.soft_roller_only = limits->value("soft_roller_only", false);
        terms.limits.gentle_pressure_only = limits->value("gentle_pressure_only", false);
        if (auto minutes = limits->find("max_session_minutes"); minutes != limits->end() && minutes->is_number_integer())
            terms.limits.max_session_length = std::chrono::minutes(minutes->get<int>());
    }
    return terms;
}

StoredClearance read_stored(journal::Clearance const& record)
{
    StoredClearance stored { record.id, record.at, std::nullopt };
    if (record.detail.is_object() && !record.detail.empty()) {
        // An unreadable detail (hand-edited import) covers nothing: safer than guessing.
        if (auto terms = parse_detail(record.detail)) {
            stored.terms = std::move(*terms);
            stored.terms->note = record.note;
        }
    }
    return stored;
}

bool covers(ClearanceTerms const& terms, Flag const& flag, Day today, int months)
{
    if (flag.tier == kb::Tier::Emergency || !in_force(terms, today, months) || !contains(terms.covers, flag.rule_id))
        return false;
    return !flag.raised_on || *flag.raised_on <= terms.cleared_on;
}

std::vector<Flag> flags_of(kb::Verdict const& verdict, std::optional<Day> raised_on)
{
    std::vector<Flag> flags;
    for (auto const& reason : verdict.reasons)
        if (kb::is_stop_tier(reason.tier))
            flags.push_back({ reason.rule_id, reason.tier, reason.message, raised_on });
    return flags;
}

Lifted apply_clearances(kb::KnowledgeBase const& kb, kb::Verdict verdict, std::optional<Day> raised_on, std::vector<StoredClearance> const& clearances, Day today,
    int months)
{
    Lifted out;
    std::vector<ClearanceTerms const*> used;
    for (auto& reason : verdict.reasons) {
        if (!kb::is_stop_tier(reason.tier))
            continue;
        Flag const flag { reason.rule_id, reason.tier, reason.message, raised_on };
        for (auto const& stored : clearances) {
            if (!stored.terms || !covers(*stored.terms, flag, today, months))
                continue;
            reason.tier = kb::Tier::ProceedWithChanges;
            reason.what_to_do = fmt::format("Your clinician ({}) cleared this {}; roll within the limits they set. The clearance "
                                            "lasts until {}: answer the safety questions again before then.",
                stored.terms->cleared_by, day_in_words(stored.terms->cleared_on, today),
                date_in_words(expires_on(*stored.terms, months), today));
            if (std::find(used.begin(), used.end(), &*stored.terms) == used.end())
                used.push_back(&*stored.terms);
            out.lifted_any = true;
            break;
        }
    }
    if (!out.lifted_any) {
        out.verdict = std::move(verdict);
        return out;
    }
    auto tier = kb::Tier::ProceedWithChanges;
    for (auto const& reason : verdict.reasons)
        tier = std::max(tier, reason.tier);
    if (!verdict.missing_answers.empty())
        tier = std::max(tier, kb::Tier::ClinicianBeforeRolling);
    verdict.tier = tier;
    std::stable_sort(verdict.reasons.begin(), verdict.reasons.end(), [](auto const& a, auto const& b) { return a.tier > b.tier; });
    for (auto const* terms : used) {
        verdict.changes.merge(terms->limits);
        for (auto const& line : lines_of(kb, terms->limits))
            out.notes.push_back(fmt::format("{}: your clinician set this ({}).", line, who_and_when(*terms, today)));
        if (terms->limits.gentle_pressure_only && !out.pressure_why)
            out.pressure_why = fmt::format("Gentle pressure only: your clinician set this ({}).", who_and_when(*terms, today));
        if (terms->limits.empty())
            out.notes.push_back(fmt::format("Your clinician ({}) cleared you to roll {}, with no extra limits.", terms->cleared_by,
                day_in_words(terms->cleared_on, today)));
    }
    out.verdict = std::move(verdict);
    return out;
}

json to_json(kb::KnowledgeBase const& kb, StoredClearance const& clearance, Day today, int months)
{
    json out = { { "id", clearance.id }, { "recorded_at", journal::format_utc(clearance.recorded_at) } };
    if (!clearance.terms) {
        out["status"] = "bare";
        return out;
    }
    auto const& terms = *clearance.terms;
    out.update(to_detail(terms, months));
    json covered = json::array();
    for (auto const& id : terms.covers) {
        auto const* rule = find_triage_rule(kb, id);
        auto const* stop_rule = rule ? nullptr : find_in_session_rule(kb, id);
        covered.push_back({ { "rule_id", id }, { "message", rule ? rule->message : stop_rule ? stop_rule->message : std::string {} } });
    }
    out["covers"] = covered;
    out["note"] = terms.note;
    out["status"] = in_force(terms, today, months) ? "in_force" : (today < terms.cleared_on ? "not_yet" : "expired");
    return out;
}

}
