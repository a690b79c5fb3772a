#include "knowledge/thresholds_loader.h"

#include <fmt/core.h>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rc::kb {

void read_thresholds(TableReader& table, Thresholds& out, CiteSource const& cite)
{
    Thresholds& t = out;
    t.pain_back_off = static_cast<int>(table.integer_or("pain_back_off", t.pain_back_off, 1, 10));
    t.pain_target_max = static_cast<int>(table.integer_or("pain_target_max", t.pain_target_max, 0, 10));
    t.breaths_per_minute = table.number_or("breaths_per_minute", t.breaths_per_minute, 3.0, 20.0);
    t.inhale = Seconds(table.duration("inhale_seconds", Need::Optional, 15).value_or(t.inhale.count()));
    t.exhale = Seconds(table.duration("exhale_seconds", Need::Optional, 15).value_or(t.exhale.count()));
    t.transition_rest = Seconds(table.duration("transition_rest_seconds", Need::Optional, 120).value_or(t.transition_rest.count()));
    t.default_session = Seconds(table.integer_or("default_session_seconds", t.default_session.count(), 60, 1800));
    t.meaningful_pain_change_points = static_cast<int>(table.integer_or("meaningful_pain_change_points", t.meaningful_pain_change_points, 1, 10));
    t.meaningful_pain_change_fraction = table.number_or("meaningful_pain_change_fraction", t.meaningful_pain_change_fraction, 0.05, 1.0);
    t.normal_soreness_window = std::chrono::hours(table.integer_or("normal_soreness_window_hours", t.normal_soreness_window.count(), 12, 336));
    t.soreness_too_long = std::chrono::hours(table.integer_or("soreness_too_long_hours", t.soreness_too_long.count(), 24, 720));
    t.weekly_goal_sessions = static_cast<int>(table.integer_or("weekly_goal_sessions", t.weekly_goal_sessions, 1, 14));
    t.clearance_valid_months = static_cast<int>(table.integer_or("clearance_valid_months", t.clearance_valid_months, 1, 12));

    if (t.pain_target_max >= t.pain_back_off) {
        table.report("pain_target_max", fmt::format("({}) must be below pain_back_off ({})", t.pain_target_max, t.pain_back_off),
            "lower pain_target_max or raise pain_back_off (defaults 6 and 7)");
    }
    for (auto const& [key, length] : { std::pair { "inhale_seconds", t.inhale }, std::pair { "exhale_seconds", t.exhale } }) {
        if (length.count() == 0)
            table.report(key, "is 0: a breath takes at least 1 s", "use a value from 1 to 15 (defaults 4 s in, 6 s out)");
    }
    if (t.inhale.count() >= 1 && t.exhale < t.inhale) {
        table.report("exhale_seconds", fmt::format("({} s) is shorter than inhale_seconds ({} s)", t.exhale.count(), t.inhale.count()),
            "make the breath out at least as long as the breath in (defaults 4 s in, 6 s out)");
    }
    double const breath = static_cast<double>((t.inhale + t.exhale).count());
    double const expected = 60.0 / t.breaths_per_minute;
    if (breath < expected - 1.0 || breath > expected + 1.0) {
        table.report("breaths_per_minute",
            fmt::format("({}) does not match inhale_seconds + exhale_seconds ({} s; {} breaths a minute need about {:.0f} s)", t.breaths_per_minute,
                breath, t.breaths_per_minute, expected),
            "change the breath lengths or the rate so that inhale + exhale = 60 / breaths_per_minute");
    }
    if (t.soreness_too_long <= t.normal_soreness_window) {
        table.report("soreness_too_long_hours",
            fmt::format("({} h) must be longer than normal_soreness_window_hours ({} h)", t.soreness_too_long.count(), t.normal_soreness_window.count()),
            "raise soreness_too_long_hours (defaults 72 h and 168 h)");
    }

    // Every number cites its sources; a key here that is not a threshold is a typo.
    if (auto sources = table.table("sources", Need::Required)) {
        for (std::string_view field : { "pain_back_off", "pain_target_max", "breaths_per_minute", "inhale_seconds", "exhale_seconds",
                 "transition_rest_seconds", "default_session_seconds", "meaningful_pain_change_points", "meaningful_pain_change_fraction",
                 "normal_soreness_window_hours", "soreness_too_long_hours", "weekly_goal_sessions", "clearance_valid_months" }) {
            std::vector<std::string> ids;
            for (auto& entry : sources->located_string_array(field, Need::Required)) {
                cite(entry, fmt::format("[thresholds.sources] {}", field));
                ids.push_back(std::move(entry.text));
            }
            t.source_ids.emplace(std::string(field), std::move(ids));
        }
        sources->finish();
    }
    table.finish();
}

}
