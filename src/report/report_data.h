// ReportData: everything the patient report shows, gathered through the coach (today's plan, the
// may-I-roll decision) and one walk of the journal (Journal::visit_records), with no drawing in
// it. render_report_pdf (report_pdf.h) only lays it out, so other formats can reuse the data.
//
// Memory is bounded by days and zones, not by records: pain ratings are kept as daily averages,
// sessions as weekly counts and minutes per zone.
//
//   auto data = gather_report(coach, { .utc_offset = 1h });
//   auto pdf = render_report_pdf(*data, sink);
#pragma once

#include "coach/coach.h"
#include "common/result.h"
#include "journal/stats.h"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rc::report {

using journal::LocalDay;

struct ReportRequest {
    std::chrono::seconds utc_offset { 0 };   // days and weeks are the patient's local ones
    std::size_t max_checkins { 14 };          // the newest check-ins listed one by one
};

struct DailyPain {
    LocalDay day {};
    double average { 0 };
    int ratings { 0 };
};

struct WeekCount {
    LocalDay monday {};
    int sessions { 0 };
    double minutes { 0 };
};

struct ZoneMinutes {
    std::string zone_id;
    std::string name;   // from the knowledge base; the id when the zone is unknown
    double minutes { 0 };
};

struct CheckInLine {
    WallTime at {};
    int soreness { 0 };
    bool warning { false };
    std::string tier;
};

// One warning sign: when, what was said, and the sources the rule rests on (citations).
struct WarningLine {
    WallTime at {};
    std::string what;
    std::vector<std::string> sources;
};

struct ScreeningSummary {
    WallTime taken_at {};
    std::string tier;
    std::string headline;                 // the tier in plain words
    std::vector<std::string> reasons;     // each reason's plain-language message
};

struct PlanSummary {
    bool allowed { false };
    std::string refusal;                  // why there is no plan today (when !allowed)
    std::vector<std::string> steps;       // "Upper back on the soft roller, 2 min"
    int minutes { 0 };
    std::string pressure;
    std::vector<std::string> notes;
};

struct ReportData {
    WallTime generated_at {};
    std::chrono::seconds utc_offset { 0 };
    int total_sessions { 0 };
    double total_minutes { 0 };
    int sessions_stopped_by_warning { 0 };
    std::optional<WallTime> first_session;
    std::optional<WallTime> last_session;
    std::vector<DailyPain> pain;          // oldest first
    std::vector<WeekCount> weeks;         // every week from the first session's to the last's
    std::vector<ZoneMinutes> zones;       // most minutes first
    int checkin_count { 0 };
    int checkin_warnings { 0 };
    std::vector<CheckInLine> recent_checkins;   // newest first, at most max_checkins
    std::optional<ScreeningSummary> screening;
    int screening_count { 0 };
    std::vector<std::pair<WallTime, std::string>> clearances;   // oldest first, with their notes
    PlanSummary plan;
    std::vector<WarningLine> warnings;   // newest first
};

// Reads the journal once under the coach's lock, then asks the coach for today's plan.
Result<ReportData> gather_report(coach::Coach& coach, ReportRequest const& request = {});

// "Monday 5 January 2026" style dates and "08:30" times, in the patient's local time.
std::string format_date(WallTime time, std::chrono::seconds utc_offset);
std::string format_day_short(LocalDay day);   // "5 Jan"
std::string format_day_long(LocalDay day);    // "Monday 5 January 2026"

}
