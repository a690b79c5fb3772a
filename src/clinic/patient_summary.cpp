#include "clinic/patient_summary.h"

#include "coach/clearance.h"
#include "coach/session_stop.h"
#include "journal/postgres_journal.h"
#include "journal/records.h"
#include "knowledge/safety.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/core.h>
#include <functional>
#include <map>
#include <pqxx/pqxx>

namespace rc::clinic {

using nlohmann::json;

namespace {

constexpr std::int64_t day_ms = 86'400'000;

std::string day_of(std::int64_t at_ms)
{
    return journal::format_utc(journal::from_unix_ms(at_ms)).substr(0, 10);
}

bool is_stop_tier(std::string const& tier)
{
    return tier == "clinician_before_rolling" || tier == "clinician_soon" || tier == "clinician_today" || tier == "emergency";
}

// The stop-tier reasons of a stored verdict, as warnings of `kind`.
void add_reasons(json& warnings, char const* kind, std::int64_t at, std::string const& tier, json const& verdict)
{
    bool any = false;
    if (verdict.is_object() && verdict.contains("reasons") && verdict["reasons"].is_array()) {
        for (auto const& reason : verdict["reasons"]) {
            auto const reason_tier = reason.value("tier", std::string());
            if (!is_stop_tier(reason_tier))
                continue;
            warnings.push_back({ { "kind", kind }, { "tier", reason_tier }, { "rule_id", reason.value("rule_id", std::string()) },
                { "at", journal::format_utc(journal::from_unix_ms(at)) }, { "text", reason.value("message", std::string()) } });
            any = true;
        }
    }
    if (!any)
        warnings.push_back({ { "kind", kind }, { "tier", tier }, { "rule_id", "" }, { "at", journal::format_utc(journal::from_unix_ms(at)) },
            { "text", "A warning sign was recorded." } });
}

// The clinician's clearance (coach/clearance.h, the same rule the coach plans with) that covers a
// flagged answer of the list, if any: a screening's red flag or a check-in's warning sign. A bare
// clearance (recorded before clearances named rules) lifts the check-in warnings before it, as in
// the journal. A session's stop is add_stops's.
std::optional<json> clearance_of(json const& warning, std::int64_t warning_at, std::vector<coach::StoredClearance> const& clearances,
    coach::Day today, int months)
{
    auto const kind = warning.value("kind", std::string());
    if (kind != "red_flag" && kind != "checkin_warning")
        return std::nullopt;
    auto const tier = kb::parse_tier(warning.value("tier", std::string()));
    if (!tier)
        return std::nullopt;
    std::optional<coach::Day> raised_on;
    if (kind == "checkin_warning")
        raised_on = std::chrono::floor<std::chrono::days>(journal::from_unix_ms(warning_at));
    coach::Flag const flag { warning.value("rule_id", std::string()), *tier, warning.value("text", std::string()), raised_on };
    for (auto it = clearances.rbegin(); it != clearances.rend(); ++it) {
        auto const& stored = *it;
        if (stored.terms && coach::covers(*stored.terms, flag, today, months))
            return json { { "cleared_by", stored.terms->cleared_by }, { "cleared_on", coach::format_day(stored.terms->cleared_on) } };
        if (!stored.terms && kind == "checkin_warning" && journal::to_unix_ms(stored.recorded_at) > warning_at && *tier != kb::Tier::Emergency)
            return json { { "cleared_by", nullptr }, { "cleared_on", day_of(journal::to_unix_ms(stored.recorded_at)) } };
    }
    return std::nullopt;
}

// Moves each warning a clearance covers from `warnings` to `cleared`, with who cleared it and when.
void set_aside_cleared(json& warnings, json& cleared, std::vector<std::int64_t> const& warning_at,
    std::vector<coach::StoredClearance> const& clearances, coach::Day today, int months)
{
    json kept = json::array();
    for (std::size_t i = 0; i < warnings.size(); ++i) {
        if (auto by = clearance_of(warnings[i], warning_at[i], clearances, today, months)) {
            json entry = warnings[i];
            entry.update(*by);
            entry["lifted_by"] = "clearance";
            cleared.push_back(std::move(entry));
        } else {
            kept.push_back(std::move(warnings[i]));
        }
    }
    warnings = std::move(kept);
}

}

std::string patient_key(AccountId id) { return fmt::format("p_{}", id); }

std::optional<AccountId> parse_patient_key(std::string const& key)
{
    if (key.size() < 3 || key.size() > 20 || key.rfind("p_", 0) != 0)
        return std::nullopt;
    AccountId id = 0;
    auto const* first = key.data() + 2;
    auto const* last = key.data() + key.size();
    auto [end, ec] = std::from_chars(first, last, id);
    if (ec != std::errc() || end != last || id <= 0 || *first == '0')
        return std::nullopt;
    return id;
}

std::optional<SummaryCache::Entry> SummaryCache::find(AccountId patient) const
{
    std::lock_guard lock(m_mutex);
    if (auto it = m_entries.find(patient); it != m_entries.end())
        return it->second;
    return std::nullopt;
}

void SummaryCache::keep(AccountId patient, Entry entry)
{
    std::lock_guard lock(m_mutex);
    m_entries.insert_or_assign(patient, std::move(entry));
}

std::uint64_t SummaryCache::journals_read() const
{
    std::lock_guard lock(m_mutex);
    return m_read;
}

void SummaryCache::count_read(std::uint64_t journals)
{
    std::lock_guard lock(m_mutex);
    m_read += journals;
}

namespace {

// One patient's rows (the query below), as the rules read them.
struct Rows {
    std::optional<std::int64_t> last_session;
    std::int64_t days_rolled { 0 };
    json pain, checkin_warnings, screening, stops, clearances;
};

// The records of one journal the list needs, in one statement over its own tables ($1: the
// window's first millisecond, $2: a day's length). Planning it costs more than running it (eight
// subqueries; about 10 ms on a loaded machine), so it is prepared once per connection and schema
// and run with a generic plan (ClinicStore sets plan_cache_mode); every subquery reads a few rows
// by index.
std::string rows_query(std::string const& s)
{
    return fmt::format(
        "SELECT"
        " (SELECT max(started_at) FROM {s}.sessions),"
        " (SELECT count(DISTINCT started_at / $2) FROM {s}.sessions WHERE started_at >= $1),"
        " (SELECT coalesce(jsonb_agg(jsonb_build_array(recorded_at, value) ORDER BY recorded_at, id), '[]') FROM {s}.pain_ratings"
        "   WHERE recorded_at >= $1 AND moment IN ('before', 'standalone')),"
        " (SELECT coalesce(jsonb_agg(jsonb_build_array(recorded_at, tier, verdict) ORDER BY recorded_at DESC), '[]') FROM {s}.checkins"
        "   WHERE warning_sign AND recorded_at >= $1),"
        " (SELECT jsonb_build_array(taken_at, tier, verdict) FROM {s}.screenings ORDER BY taken_at DESC, id DESC LIMIT 1),"
        // Each stopped session with the code of its last stop cue: the in-session rule that ended it.
        // The latest session counts however old: its stop holds the sessions back until lifted.
        " (SELECT coalesce(jsonb_agg(jsonb_build_array(started_at,"
        "   (SELECT c ->> 'code' FROM jsonb_array_elements(CASE WHEN jsonb_typeof(cues) = 'array' THEN cues ELSE '[]' END)"
        "     WITH ORDINALITY AS e(c, n) WHERE c ->> 'kind' = 'stop' ORDER BY n DESC LIMIT 1))"
        "   ORDER BY started_at DESC), '[]') FROM {s}.sessions WHERE end_reason = 'stopped_warning'"
        "   AND (started_at >= $1 OR started_at = (SELECT max(started_at) FROM {s}.sessions))),"
        " (SELECT coalesce(jsonb_agg(jsonb_build_array(id, recorded_at, note, detail) ORDER BY recorded_at, id), '[]') FROM {s}.clearances)",
        fmt::arg("s", s));
}

Rows read_rows(pqxx::transaction_base& tx, std::string const& schema, std::int64_t since)
{
    auto const sql = rows_query(tx.quote_name(schema));
    auto const name = fmt::format("rc_patient_rows_{:016x}", std::hash<std::string> {}(sql));
    tx.conn().prepare(name, sql);
    auto const row = tx.exec_prepared1(name, since, day_ms);
    Rows r;
    if (!row[0].is_null())
        r.last_session = row[0].as<std::int64_t>();
    r.days_rolled = row[1].as<std::int64_t>();
    r.pain = json::parse(row[2].c_str());
    r.checkin_warnings = json::parse(row[3].c_str());
    r.screening = row[4].is_null() ? json(nullptr) : json::parse(row[4].c_str());
    r.stops = json::parse(row[5].c_str());
    r.clearances = json::parse(row[6].c_str());
    return r;
}

// A warning lifted by a screening taken since (an emergency sign, once checked and gone: the
// screening asked its emergency questions again), as the list's "cleared" shows it.
json lifted_by_screening(json warning, std::int64_t screening_at)
{
    warning.update({ { "cleared_by", nullptr }, { "cleared_on", day_of(screening_at) }, { "lifted_by", "screening" } });
    return warning;
}

// The sessions stopped in the window (newest first), by the coach's rule (coach/session_stop.h):
// the latest session's stop for a sign that needs a clinician is a warning until a clearance
// covers it (an emergency: until a screening taken since); lifted, it is listed as cleared. A stop
// that needs no clinician (dizziness, "feels wrong"), one whose rule this knowledge base does not
// have, and an earlier one that no longer holds the sessions back go to "stopped": worth seeing,
// not a warning sign.
void add_stops(json& p, Rows const& r, kb::KnowledgeBase const& kb, std::vector<coach::StoredClearance> const& clearances, coach::Day today)
{
    std::optional<WallTime> screening_at;
    if (r.screening.is_array())
        screening_at = journal::from_unix_ms(r.screening[0].get<std::int64_t>());
    for (auto const& row : r.stops) {
        auto const started = row[0].get<std::int64_t>();
        auto const code = row[1].is_string() ? row[1].get<std::string>() : std::string();
        auto const at = journal::format_utc(journal::from_unix_ms(started));
        auto const* rule = coach::find_in_session_rule(kb, code);
        json const stopped = { { "at", at }, { "rule_id", code }, { "event", rule ? kb::to_string(rule->event) : "" } };
        auto const stop = coach::stop_for_rule(kb, code, journal::from_unix_ms(started));
        if (!stop) {
            p["stopped"].push_back(stopped);
            continue;
        }
        auto const flag = coach::as_flag(*stop);
        json warning = { { "kind", "session_stop" }, { "tier", kb::to_string(flag.tier) }, { "rule_id", flag.rule_id }, { "at", at },
            { "text", flag.message } };
        if (coach::screening_lifts(*stop, screening_at)) {
            p["cleared"].push_back(lifted_by_screening(std::move(warning), journal::to_unix_ms(*screening_at)));
            continue;
        }
        std::optional<json> by;
        for (auto it = clearances.rbegin(); it != clearances.rend() && !by; ++it)
            if (it->terms && coach::covers(*it->terms, flag, today, kb.thresholds.clearance_valid_months))
                by = json { { "cleared_by", it->terms->cleared_by }, { "cleared_on", coach::format_day(it->terms->cleared_on) },
                    { "lifted_by", "clearance" } };
        if (by) {
            warning.update(*by);
            p["cleared"].push_back(std::move(warning));
        } else if (r.last_session && started == *r.last_session) {
            p["warnings"].push_back(std::move(warning));
        } else {
            p["stopped"].push_back(stopped);
        }
    }
}

// The product's rules, applied to one patient's rows: the fields of the list that come from the journal.
SummaryCache::Entry summarise(Rows const& r, coach::Day today, kb::KnowledgeBase const& kb)
{
    int const clearance_valid_months = kb.thresholds.clearance_valid_months;
    SummaryCache::Entry entry;
    json p = { { "last_session", nullptr }, { "adherence_4w", 0.0 },
        { "pain_trend", { { "first", nullptr }, { "last", nullptr }, { "points", json::array() } } }, { "warnings", json::array() },
        { "cleared", json::array() }, { "stopped", json::array() } };
    if (r.last_session) {
        entry.last_session_ms = *r.last_session;
        p["last_session"] = day_of(*r.last_session);
    }
    double const planned = planned_days_per_week * 4;
    double adherence = std::min(1.0, static_cast<double>(r.days_rolled) / planned);
    p["adherence_4w"] = std::round(adherence * 100) / 100;
    json points = json::array();
    for (auto const& point : r.pain)
        points.push_back({ { "date", day_of(point[0].get<std::int64_t>()) }, { "pain", point[1].get<int>() } });
    if (!points.empty())
        p["pain_trend"] = { { "first", points.front()["pain"].get<double>() }, { "last", points.back()["pain"].get<double>() }, { "points", points } };
    auto& warnings = p["warnings"];
    std::vector<std::int64_t> warning_at;   // the flagged record's time, per warning
    auto const add = [&](char const* kind, std::int64_t at, std::string const& tier, json const& verdict) {
        add_reasons(warnings, kind, at, tier, verdict);
        warning_at.resize(warnings.size(), at);
    };
    std::optional<std::int64_t> screening_at;
    if (auto const& screening = r.screening; screening.is_array()) {
        screening_at = screening[0].get<std::int64_t>();
        if (is_stop_tier(screening[1].get<std::string>()))
            add("red_flag", *screening_at, screening[1].get<std::string>(), screening[2]);
    }
    for (auto const& checkin : r.checkin_warnings) {
        auto const at = checkin[0].get<std::int64_t>();
        auto const tier = checkin[1].get<std::string>();
        if (tier == "emergency" && screening_at && *screening_at > at) {
            // As the coach plans: an emergency sign at a check-in no longer holds the sessions back
            // once a screening has been taken since (Coach::warning_lifted_locked).
            json lifted = json::array();
            add_reasons(lifted, "checkin_warning", at, tier, checkin[2]);
            for (auto& warning : lifted)
                p["cleared"].push_back(lifted_by_screening(std::move(warning), *screening_at));
            continue;
        }
        add("checkin_warning", at, tier, checkin[2]);
    }
    std::vector<coach::StoredClearance> clearances;
    for (auto const& c : r.clearances)
        clearances.push_back(coach::read_stored(journal::Clearance { c[0].get<std::int64_t>(), journal::from_unix_ms(c[1].get<std::int64_t>()),
            c[2].get<std::string>(), c[3] }));
    set_aside_cleared(warnings, p["cleared"], warning_at, clearances, today, clearance_valid_months);
    add_stops(p, r, kb, clearances, today);
    entry.summary = std::make_shared<json const>(std::move(p));
    return entry;
}

// "{"patient_1","patient_2"}": a text[] parameter.
std::string text_array(std::vector<std::string> const& items)
{
    std::string out = "{";
    for (auto const& item : items) {
        if (out.size() > 1)
            out += ',';
        out += '"';
        for (char c : item) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

enum class JournalState { Empty, Uncounted, Counted };

}

Result<json> patient_summaries(ClinicStore& store, std::vector<Account> const& patients, WallTime now, kb::KnowledgeBase const& kb,
    SummaryCache& cache)
{
    int const clearance_valid_months = kb.thresholds.clearance_valid_months;
    auto const today = std::chrono::floor<std::chrono::days>(now);
    auto const day = static_cast<std::int64_t>(today.time_since_epoch().count());
    auto const since = journal::to_unix_ms(today - std::chrono::days(27));

    // Which journals have tables (a patient who never opened the app has an empty schema) and
    // which count their changes. Those that do not yet are upgraded once, by the journal's own
    // migrations; one that still cannot be is read every time, never kept.
    std::vector<std::string> schemas;
    for (auto const& patient : patients)
        schemas.push_back(patient.journal_schema);
    auto states = TRY(store.read("read the patient list", [&](pqxx::transaction_base& tx) {
        json out = json::object();
        for (auto const& row : tx.exec_params("SELECT s, to_regclass(format('%I.rollcoach_schema', s)) IS NOT NULL, "
                                              "to_regclass(format('%I.journal_changes', s)) IS NOT NULL FROM unnest($1::text[]) AS s",
                 text_array(schemas)))
            out[row[0].as<std::string>()] = static_cast<int>(
                !row[1].as<bool>() ? JournalState::Empty : row[2].as<bool>() ? JournalState::Counted : JournalState::Uncounted);
        return out;
    }));
    for (auto& [schema, state] : states.items()) {
        if (state.get<int>() != static_cast<int>(JournalState::Uncounted))
            continue;
        journal::PostgresOptions options;
        options.schema = schema;
        if (auto upgraded = journal::PostgresJournal::open(store.location(), std::move(options)))
            state = static_cast<int>(JournalState::Counted);
        else
            fmt::print(stderr, "rollcoach: the journal {} could not be upgraded; the patient list reads it every time: {}\n", schema,
                upgraded.error().message);
    }
    auto state_of = [&](std::string const& schema) {
        return static_cast<JournalState>(states.value(schema, static_cast<int>(JournalState::Empty)));
    };

    // The counters first, then the records of the journals whose counter moved: a summary is kept
    // with a counter read before its records, never after. A write that commits in between moves
    // the counter past the kept one, so the next list reads that journal again; while the counter
    // still reads the same, nothing was written since the records were read.
    std::map<AccountId, SummaryCache::Entry> chosen;
    TRY(store.read("read the patient list", [&](pqxx::transaction_base& tx) {
        chosen.clear();   // a retry on a new connection starts again
        std::map<AccountId, std::int64_t> counters;
        std::uint64_t read = 0;
        std::string sql;
        for (auto const& patient : patients) {
            if (state_of(patient.journal_schema) != JournalState::Counted)
                continue;
            if (!sql.empty())
                sql += " UNION ALL ";
            sql += fmt::format("SELECT {}::bigint, counter FROM {}.journal_changes", patient.id, tx.quote_name(patient.journal_schema));
        }
        if (!sql.empty()) {
            auto const name = fmt::format("rc_patient_counters_{:016x}", std::hash<std::string> {}(sql));
            tx.conn().prepare(name, sql);
            for (auto const& row : tx.exec_prepared(name))
                counters[row[0].as<std::int64_t>()] = row[1].as<std::int64_t>();
        }
        for (auto const& patient : patients) {
            auto const state = state_of(patient.journal_schema);
            if (state == JournalState::Empty)
                continue;
            auto const counter = counters.find(patient.id);
            if (counter != counters.end()) {
                auto kept = cache.find(patient.id);
                if (kept && kept->schema == patient.journal_schema && kept->counter == counter->second && kept->day == day
                    && kept->months == clearance_valid_months) {
                    chosen.emplace(patient.id, std::move(*kept));
                    continue;
                }
            }
            auto entry = summarise(read_rows(tx, patient.journal_schema, since), today, kb);
            entry.schema = patient.journal_schema;
            entry.day = day;
            entry.months = clearance_valid_months;
            if (counter != counters.end()) {
                entry.counter = counter->second;
                cache.keep(patient.id, entry);
            }
            chosen.emplace(patient.id, std::move(entry));
            ++read;
        }
        cache.count_read(read);
        return json();
    }));

    std::vector<std::pair<std::int64_t, json>> list;   // (last session ms or -1, patient)
    for (auto const& patient : patients) {
        json p = { { "id", patient_key(patient.id) }, { "name", patient.name }, { "email", patient.email } };
        std::optional<SummaryCache::Entry> entry;
        if (auto it = chosen.find(patient.id); it != chosen.end())
            entry = std::move(it->second);
        else   // no journal tables yet
            entry = summarise(Rows { std::nullopt, 0, json::array(), json::array(), nullptr, json::array(), json::array() }, today, kb);
        p.update(*entry->summary);
        list.emplace_back(entry->last_session_ms, std::move(p));
    }
    std::stable_sort(list.begin(), list.end(), [](auto const& a, auto const& b) {
        bool const wa = !a.second["warnings"].empty();
        bool const wb = !b.second["warnings"].empty();
        if (wa != wb)
            return wa;
        return a.first > b.first;
    });
    json out = json::array();
    for (auto& [last, p] : list)
        out.push_back(std::move(p));
    return out;
}

}
