#include "report/report_data.h"

#include "coach/clearance.h"
#include "coach/session_stop.h"
#include "common/day_words.h"
#include "triage/triage_engine.h"
#include "triage/verdict_json.h"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>
#include <map>
#include <set>

namespace rc::report {

using nlohmann::json;

namespace {

// The citations behind a reason, in the knowledge base's words; an unknown id is shown as it is
// so a source is never silently dropped.
std::vector<std::string> citations(kb::KnowledgeBase const& kb, std::vector<std::string> const& ids)
{
    std::vector<std::string> out;
    for (auto const& id : ids) {
        auto const* source = kb.find_source(id);
        out.push_back(source ? source->citation : id);
    }
    return out;
}

// Warning lines from a stored verdict: every reason above "proceed" with its sources. A verdict
// that no longer parses (an older format) still gives one line, without sources.
void add_verdict_warnings(kb::KnowledgeBase const& kb, WallTime at, json const& stored, std::string const& context,
    std::vector<WarningLine>& out)
{
    auto verdict = triage::parse_verdict(stored);
    if (!verdict) {
        out.push_back({ at, context, {} });
        return;
    }
    bool any = false;
    for (auto const& reason : verdict->reasons) {
        if (reason.tier == kb::Tier::Proceed)
            continue;
        out.push_back({ at, fmt::format("{}: {}", context, reason.message), citations(kb, reason.source_ids) });
        any = true;
    }
    if (!any)
        out.push_back({ at, context, {} });
}

// What the walk accumulates: per day, per week and per zone, never per record.
struct Accumulator {
    kb::KnowledgeBase const& kb;
    ReportRequest const& request;
    ReportData& data;
    std::map<LocalDay, std::pair<double, int>> pain_by_day;
    std::map<LocalDay, WeekCount> weeks;
    std::map<std::string, double> zone_minutes;
    std::optional<journal::ScreeningRecord> latest_screening;

    LocalDay day_of(WallTime at) const { return journal::local_day(at, request.utc_offset); }

    Result<void> operator()(journal::ScreeningRecord const& s)
    {
        ++data.screening_count;
        if (!latest_screening || s.taken_at >= latest_screening->taken_at)
            latest_screening = s;
        return {};
    }

    Result<void> operator()(journal::SessionRecord const& s)
    {
        ++data.total_sessions;
        auto minutes = double(std::chrono::duration_cast<std::chrono::seconds>(s.ended_at - s.started_at).count()) / 60.0;
        data.total_minutes += minutes;
        if (!data.first_session || s.started_at < *data.first_session)
            data.first_session = s.started_at;
        if (!data.last_session || s.started_at > *data.last_session)
            data.last_session = s.started_at;
        auto monday = journal::week_start(day_of(s.started_at));
        auto& week = weeks[monday];
        week.monday = monday;
        ++week.sessions;
        week.minutes += minutes;
        for (auto const& z : s.zones)
            zone_minutes[z.zone_id] += double(z.rolled.count()) / 60.0;
        if (s.end_reason == journal::EndReason::StoppedWarning) {
            ++data.sessions_stopped_by_warning;
            add_stop_warning(s);
        }
        return {};
    }

    void add_stop_warning(journal::SessionRecord const& s)
    {
        std::string what = "A session was stopped by a warning sign";
        std::vector<std::string> sources;
        if (s.cues.is_array())
            for (auto const& cue : s.cues)
                if (cue.is_object() && cue.value("kind", std::string {}) == "stop") {
                    what += ": " + cue.value("text", std::string {});
                    // The stop's code is the in-session rule's id (screening/in_session.toml),
                    // which carries the sources; kb.find_rule knows only the zone rules, so every
                    // stop read "no citation recorded".
                    auto const code = cue.value("code", std::string {});
                    if (auto const* stop = coach::find_in_session_rule(kb, code))
                        sources = citations(kb, stop->source_ids);
                    else if (auto const* rule = kb.find_rule(code))
                        sources = citations(kb, rule->source_ids);
                }
        data.warnings.push_back({ s.ended_at, what, sources });
    }

    Result<void> operator()(journal::PainRating const& r)
    {
        auto& day = pain_by_day[day_of(r.at)];
        day.first += r.value;
        ++day.second;
        return {};
    }

    Result<void> operator()(journal::CheckIn const& k)
    {
        ++data.checkin_count;
        bool warning = k.warning == journal::WarningSign::Present;
        data.checkin_warnings += warning;
        data.recent_checkins.push_back({ k.at, k.soreness, warning, k.tier });
        // Kept newest first and bounded while walking.
        std::sort(data.recent_checkins.begin(), data.recent_checkins.end(), [](auto const& a, auto const& b) { return a.at > b.at; });
        if (data.recent_checkins.size() > request.max_checkins)
            data.recent_checkins.pop_back();
        if (warning)
            add_verdict_warnings(kb, k.at, k.verdict, "Warning sign at a check-in", data.warnings);
        return {};
    }

    Result<void> operator()(journal::Note const&) { return {}; }

    // Who cleared the patient, on which day, for which flags, until when, and any note. A bare
    // clearance (recorded before clearances had terms) shows its note only.
    Result<void> operator()(journal::Clearance const& c)
    {
        auto terms = c.detail.empty() ? Result<coach::ClearanceTerms>(Error::invalid_data("a bare clearance")) : coach::parse_detail(c.detail);
        if (!terms) {
            data.clearances.emplace_back(c.at, c.note);
            return {};
        }
        // The flags in words ("cancer history"), and dates as the rest of the report gives them.
        std::string covers;
        for (auto rule : terms->covers) {
            std::replace(rule.begin(), rule.end(), '_', ' ');
            covers += (covers.empty() ? "" : ", ") + rule;
        }
        auto line = fmt::format("cleared by {} on {}, for {}; valid until {}", terms->cleared_by, format_day_long(terms->cleared_on),
            covers, format_day_long(coach::expires_on(*terms, kb.thresholds.clearance_valid_months)));
        if (!terms->note.empty())
            line += " (" + terms->note + ")";
        data.clearances.emplace_back(c.at, line);
        return {};
    }

    void finish()
    {
        for (auto const& [day, sum] : pain_by_day)
            data.pain.push_back({ day, sum.first / sum.second, sum.second });
        // Every week from the first to the last, so a gap shows as a zero bar.
        if (!weeks.empty()) {
            for (auto monday = weeks.begin()->first; monday <= weeks.rbegin()->first; monday += std::chrono::days(7)) {
                auto it = weeks.find(monday);
                data.weeks.push_back(it != weeks.end() ? it->second : WeekCount { monday, 0, 0 });
            }
        }
        for (auto const& [id, minutes] : zone_minutes) {
            auto const* zone = kb.find_zone(id);
            data.zones.push_back({ id, zone ? zone->name : id, minutes });
        }
        std::stable_sort(data.zones.begin(), data.zones.end(), [](auto const& a, auto const& b) { return a.minutes > b.minutes; });
        if (latest_screening) {
            ScreeningSummary summary { latest_screening->taken_at, latest_screening->tier, {}, {} };
            if (auto verdict = triage::parse_verdict(latest_screening->verdict)) {
                summary.headline = std::string(triage::headline(*verdict));
                for (auto const& reason : verdict->reasons)
                    summary.reasons.push_back(reason.message);
                if (verdict->tier != kb::Tier::Proceed)
                    add_verdict_warnings(kb, latest_screening->taken_at, latest_screening->verdict, "Screening", data.warnings);
            }
            data.screening = std::move(summary);
        }
        std::stable_sort(data.warnings.begin(), data.warnings.end(), [](auto const& a, auto const& b) { return a.at > b.at; });
    }
};

std::string minutes_text(kb::Seconds seconds)
{
    auto total = seconds.count();
    if (total < 60)
        return fmt::format("{} s", total);
    if (total % 60 == 0)
        return fmt::format("{} min", total / 60);
    return fmt::format("{} min {} s", total / 60, total % 60);
}

PlanSummary summarise_plan(coach::Coach& coach)
{
    PlanSummary summary;
    auto plan = coach.todays_plan();
    if (!plan) {
        summary.refusal = plan.error().message;
        return summary;
    }
    summary.allowed = true;
    summary.minutes = int(std::lround(double(plan->total().count()) / 60.0));
    summary.pressure = plan::to_string(plan->pressure);
    for (auto const& step : plan->steps) {
        auto line = step.name;
        if (!step.tool_name.empty())
            line += fmt::format(" on the {}", step.tool_name);
        line += fmt::format(", {}", minutes_text(step.duration()));
        summary.steps.push_back(std::move(line));
    }
    summary.notes = plan->notes;
    for (auto const& left : plan->left_out)
        summary.notes.push_back(left);
    return summary;
}

}

Result<ReportData> gather_report(coach::Coach& coach, ReportRequest const& request)
{
    ReportData data;
    data.generated_at = coach.clock().wall_now();
    data.utc_offset = request.utc_offset;
    Accumulator accumulator { coach.kb(), request, data, {}, {}, {}, {} };
    TRY(coach.read_journal([&](journal::Journal* journal) -> Result<void> {
        if (!journal)
            return {};
        return journal->visit_records([&](journal::AnyRecord const& record) { return std::visit(accumulator, record); });
    }));
    accumulator.finish();
    // Outside the walk: the coach takes its own lock to plan.
    data.plan = summarise_plan(coach);
    return data;
}

std::string format_date(WallTime time, std::chrono::seconds utc_offset)
{
    return format_day_long(std::chrono::floor<std::chrono::days>(time + utc_offset));
}

std::string format_day_long(LocalDay day)
{
    std::chrono::year_month_day ymd { day };
    return fmt::format("{} {} {} {}", weekday_name(std::chrono::weekday { day }), unsigned(ymd.day()), month_name(ymd.month()),
        int(ymd.year()));
}

std::string format_day_short(LocalDay day)
{
    std::chrono::year_month_day ymd { day };
    return fmt::format("{} {:.3}", unsigned(ymd.day()), month_name(ymd.month()));
}

}
