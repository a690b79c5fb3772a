// rollcoach stats: streak, sessions per week against the goal, minutes per zone, pain trend and
// next-day soreness, computed by the journal for "today" in the local time zone.
#include "app_context.h"

#include "common/clock.h"
#include "journal/open_journal.h"

#include <cmath>
#include <ctime>
#include <fmt/core.h>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>

namespace rc::app {

namespace {

struct StatsOptions {
    int goal { 5 };
    bool json { false };
};

std::chrono::seconds local_utc_offset(WallTime now)
{
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm local {};
    localtime_r(&t, &local);
    return std::chrono::seconds(local.tm_gmtoff);
}

std::string pain_change_sentence(journal::PainChange const& change)
{
    using journal::ChangeSize;
    if (change.size == ChangeSize::NotEnoughData)
        return "Change since your first week: not enough data yet (it needs ratings from your first week and from "
               "the last 7 days, at least a week apart).";
    auto detail = fmt::format("{:.1f} -> {:.1f}, {:+.1f} points{}", *change.baseline, *change.current, *change.points,
        change.percent ? fmt::format(", {:+.0f}%", *change.percent) : "");
    if (change.size == ChangeSize::Meaningful)
        return fmt::format("Change since your first week: {} - a meaningful {} (2 points or 30% is the usual bar).", detail,
            change.direction == journal::ChangeDirection::Better ? "improvement" : "worsening");
    return fmt::format("Change since your first week: {} - a small change, within ordinary day-to-day variation "
                       "(under 2 points and under 30%).",
        detail);
}

// The background average counts ratings before a session or on their own; ratings during and
// right after a session are said separately, so a 7/10 given after a session is never "no ratings".
std::string last_7_days_sentence(journal::PainTrend const& pain)
{
    std::string text = pain.last_7_days_average ? fmt::format("Pain, last 7 days: average {:.1f}/10", *pain.last_7_days_average)
                                                : std::string { "Pain, last 7 days: no ratings before a session or on their own" };
    if (pain.last_7_days_session_ratings > 0 && pain.last_7_days_session_average)
        text += fmt::format("{} {} rating{} during or right after a session (average {:.1f}/10)", pain.last_7_days_average ? "; and" : ";",
            pain.last_7_days_session_ratings, pain.last_7_days_session_ratings == 1 ? "" : "s", *pain.last_7_days_session_average);
    else if (!pain.last_7_days_average)
        text = "Pain, last 7 days: no ratings";
    return text + ".";
}

void print_stats(journal::Stats const& stats)
{
    std::string out;
    if (stats.uncleared_warning)
        fmt::format_to(std::back_inserter(out), "Sessions are paused: the check-in of {} reported a warning sign. See a clinician; once they have "
                   "cleared you, run `rollcoach log --cleared`.\n\n",
            journal::format_utc(stats.uncleared_warning->at).substr(0, 10));
    fmt::format_to(std::back_inserter(out), "Sessions: {} in total. Streak: {} day{} (longest {}).\n", stats.total_sessions, stats.streak.current,
        stats.streak.current == 1 ? "" : "s", stats.streak.longest);
    auto const& weekly = stats.weekly;
    if (!weekly.weeks.empty())
        fmt::format_to(std::back_inserter(out), "This week: {} of {} sessions. Complete weeks at goal: {} of the last {}.\n", weekly.weeks.back().sessions,
            weekly.goal, weekly.weeks_meeting_goal, weekly.weeks.size() - 1);
    std::string weeks;
    for (auto const& week : weekly.weeks)
        weeks += fmt::format(" {}", week.sessions);
    fmt::format_to(std::back_inserter(out), "Sessions per week, oldest first:{}\n", weeks);
    if (!stats.minutes_per_zone.empty()) {
        fmt::format_to(std::back_inserter(out), "Minutes per zone:");
        for (auto const& zone : stats.minutes_per_zone)
            fmt::format_to(std::back_inserter(out), " {} {:.0f};", zone.zone_id, zone.minutes);
        fmt::format_to(std::back_inserter(out), "\n");
    }
    auto const& pain = stats.pain;
    fmt::format_to(std::back_inserter(out), "{}\n", last_7_days_sentence(pain));
    fmt::format_to(std::back_inserter(out), "{}\n", pain_change_sentence(pain.since_first_week));
    if (pain.mean_session_change)
        fmt::format_to(std::back_inserter(out), "Right after a session, pain changed by {:+.1f} points on average (recent sessions).\n",
            *pain.mean_session_change);
    auto const& soreness = stats.soreness;
    if (soreness.checkins > 0) {
        fmt::format_to(std::back_inserter(out), "Next-day soreness (last 14 days): average {:.1f}/10 over {} check-in{}, {} high.\n", *soreness.average,
            soreness.checkins, soreness.checkins == 1 ? "" : "s", soreness.high);
        if (soreness.repeated_high)
            fmt::format_to(std::back_inserter(out), "Soreness was high after two of your last three check-ins: the next plan will be shorter and gentler.\n");
    }
    print_text(out);
}

int run_stats(AppContext const& context, StatsOptions const& options)
{
    SystemClock clock;
    journal::StatsRequest request;
    request.now = clock.wall_now();
    request.utc_offset = local_utc_offset(request.now);
    request.weekly_goal = options.goal;
    auto opened = context.open_journal(journal::Purpose::Read);
    if (!opened && opened.error().code == ErrorCode::NotFound) {
        if (options.json) {
            journal::Stats empty;
            empty.today = journal::local_day(request.now, request.utc_offset);
            empty.weekly = journal::compute_weekly_progress({}, empty.today, request.weekly_goal, request.weeks_shown);
            fmt::print("{}\n", journal::to_json(empty).dump(2));
        }
        else
            fmt::print("Nothing logged yet: statistics start with your first session or pain rating.\n");
        return ExitCode::Ok;
    }
    if (!opened)
        return report(opened.error());
    auto stats = (*opened)->compute_stats(request);
    if (!stats)
        return report(stats.error());
    if (options.json)
        fmt::print("{}\n", journal::to_json(*stats).dump(2));
    else
        print_stats(*stats);
    return ExitCode::Ok;
}

}

void register_stats(CLI::App& app, AppContext& context, int& exit_code)
{
    auto options = std::make_shared<StatsOptions>();
    auto* command = app.add_subcommand("stats", "Streak, sessions per week, minutes per zone, pain trend and soreness");
    command->add_option("--goal", options->goal, "Sessions per week you aim for (default 5)")->check(CLI::Range(1, 14));
    command->add_flag("--json", options->json, "Print the statistics as JSON");
    command->callback([&context, &exit_code, options] { exit_code = run_stats(context, *options); });
}

}
