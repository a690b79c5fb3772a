#include "knowledge/motion_thresholds_loader.h"

#include <fmt/core.h>
#include <set>

namespace rc::kb {

namespace {

struct Field {
    std::string_view key;
    double MotionThresholds::* number;
    double min;
    double max;
};

struct CheckField {
    std::string_view name;   // "lumbar" -> lumbar_lasts_seconds, lumbar_repeats_seconds
    MotionThresholds::Check MotionThresholds::* check;
};

constexpr Field numbers[] {
    { "start_fraction", &MotionThresholds::start_fraction, 0.2, 0.6 },
    { "lumbar_fraction", &MotionThresholds::lumbar_fraction, 0.6, 0.8 },
    { "neck_fraction", &MotionThresholds::neck_fraction, 0.0, 0.15 },
    { "too_fast_cm_s", &MotionThresholds::too_fast_cm_s, 5, 60 },
    { "still_cm_s", &MotionThresholds::still_cm_s, 0.5, 10 },
    { "hold_start_seconds", &MotionThresholds::hold_start_seconds, 0.5, 10 },
    { "hold_end_seconds", &MotionThresholds::hold_end_seconds, 0.1, 5 },
    { "hold_good_seconds", &MotionThresholds::hold_good_seconds, 5, 120 },
    { "hold_too_long_seconds", &MotionThresholds::hold_too_long_seconds, 10, 300 },
    { "hold_reminder_seconds", &MotionThresholds::hold_reminder_seconds, 5, 120 },
    { "calibration_still_seconds", &MotionThresholds::calibration_still_seconds, 0.2, 5 },
    { "calibration_still_cm", &MotionThresholds::calibration_still_cm, 0.3, 10 },
    { "head_unsupported_trunk_lengths", &MotionThresholds::head_unsupported_trunk_lengths, 0.2, 1.5 },
    { "hips_down_cm", &MotionThresholds::hips_down_cm, 0, 10 },
    { "framing_bad_share", &MotionThresholds::framing_bad_share, 0.1, 1 },
    { "clear_seconds", &MotionThresholds::clear_seconds, 0, 10 },
    { "angle_evidence_rise_deg", &MotionThresholds::angle_evidence_rise_deg, 0, 15 },
    { "angle_evidence_travel_ratio", &MotionThresholds::angle_evidence_travel_ratio, 0, 10 },
    { "angle_evidence_travel_slack_cm", &MotionThresholds::angle_evidence_travel_slack_cm, 0, 20 },
    { "hips_drop_cm", &MotionThresholds::hips_drop_cm, 0.5, 15 },
    { "hips_drop_ankle_cm", &MotionThresholds::hips_drop_ankle_cm, 0.5, 15 },
    { "roller_min_confidence", &MotionThresholds::roller_min_confidence, 0, 1 },
    { "roller_weak_confidence", &MotionThresholds::roller_weak_confidence, 0, 1 },
    { "roller_start_sightings", &MotionThresholds::roller_start_sightings, 2, 30 },
    { "roller_look_interval_seconds", &MotionThresholds::roller_look_interval_s, 0, 2 },
    { "roller_agree_cm", &MotionThresholds::roller_agree_cm, 0.5, 15 },
    { "roller_start_window_cm", &MotionThresholds::roller_start_window_cm, 0.5, 20 },
    { "roller_start_max_cm", &MotionThresholds::roller_start_max_cm, 0, 40 },
    { "roller_lordosis_cm_per_fraction", &MotionThresholds::roller_lordosis_cm_per_fraction, 0, 40 },
    { "roller_lordosis_from_fraction", &MotionThresholds::roller_lordosis_from_fraction, 0.2, 0.8 },
};

constexpr CheckField checks[] {
    { "lumbar", &MotionThresholds::lumbar }, { "neck", &MotionThresholds::neck }, { "too_fast", &MotionThresholds::too_fast },
    { "head", &MotionThresholds::head }, { "hips", &MotionThresholds::hips }, { "framing", &MotionThresholds::framing },
};

}

void read_motion_thresholds(toml::table const& document, std::filesystem::path const& file, Diagnostics& diagnostics,
    MotionThresholds& out, CiteSource const& cite)
{
    TableReader top(document, file, diagnostics, "");
    auto table = top.table("motion", Need::Required);
    top.finish();
    if (!table)
        return;
    std::vector<std::string> keys;
    for (Field const& f : numbers) {
        out.*f.number = table->number_or(f.key, out.*f.number, f.min, f.max);
        keys.emplace_back(f.key);
    }
    for (CheckField const& c : checks) {
        auto lasts = fmt::format("{}_lasts_seconds", c.name);
        auto repeats = fmt::format("{}_repeats_seconds", c.name);
        (out.*c.check).lasts = table->number_or(lasts, (out.*c.check).lasts, 0, 10);
        (out.*c.check).repeats = table->number_or(repeats, (out.*c.check).repeats, 1, 300);
        keys.push_back(lasts);
        keys.push_back(repeats);
    }
    if (out.neck_fraction >= out.lumbar_fraction)
        table->report("neck_fraction", fmt::format("({}) must be below lumbar_fraction ({})", out.neck_fraction, out.lumbar_fraction),
            "lower neck_fraction (defaults 0.05 and 0.709)");
    if (out.start_fraction <= out.neck_fraction || out.start_fraction >= out.lumbar_fraction)
        table->report("start_fraction", fmt::format("({}) must lie between neck_fraction ({}) and lumbar_fraction ({})", out.start_fraction, out.neck_fraction, out.lumbar_fraction),
            "the roller starts just below the shoulder blades: use about 0.43");
    if (out.hold_good_seconds >= out.hold_too_long_seconds)
        table->report("hold_good_seconds", fmt::format("({} s) must be shorter than hold_too_long_seconds ({} s)", out.hold_good_seconds, out.hold_too_long_seconds),
            "lower hold_good_seconds or raise hold_too_long_seconds (defaults 20 s and 30 s)");
    // Every number cites its sources; a key here that is not a threshold is a typo.
    if (auto sources = table->table("sources", Need::Required)) {
        for (std::string const& key : keys) {
            std::vector<std::string> ids;
            for (auto& entry : sources->located_string_array(key, Need::Required)) {
                cite(entry, fmt::format("[motion.sources] {}", key));
                ids.push_back(entry.text);
            }
            out.source_ids.emplace(key, std::move(ids));
        }
        sources->finish();
    }
    table->finish();
}

Result<void> set_motion_threshold(MotionThresholds& thresholds, std::string_view key, double value)
{
    auto in_range = [&](double min, double max) -> Result<void> {
        if (!(value >= min && value <= max))
            return Error::invalid_data(fmt::format("{} must be from {} to {}, not {}", key, min, max, value));
        return {};
    };
    for (Field const& f : numbers)
        if (f.key == key) {
            TRY(in_range(f.min, f.max));
            thresholds.*f.number = value;
            return {};
        }
    for (CheckField const& c : checks) {
        if (key == fmt::format("{}_lasts_seconds", c.name)) {
            TRY(in_range(0, 10));
            (thresholds.*c.check).lasts = value;
            return {};
        }
        if (key == fmt::format("{}_repeats_seconds", c.name)) {
            TRY(in_range(1, 300));
            (thresholds.*c.check).repeats = value;
            return {};
        }
    }
    return Error::invalid_data(fmt::format("{} is not a threshold of motion.toml", key));
}

Result<MotionThresholds> load_motion_thresholds(std::filesystem::path const& dir)
{
    Diagnostics diagnostics;
    MotionThresholds out;
    std::set<std::string, std::less<>> known;
    if (auto sources = parse_toml_file(dir / "sources.toml", diagnostics)) {
        TableReader top(*sources, dir / "sources.toml", diagnostics, "");
        for (auto& source : top.tables("source", Need::Required)) {
            if (auto id = source.optional_string("id"))
                known.insert(*id);
        }
    }
    Diagnostics motion;
    auto document = parse_toml_file(dir / "motion.toml", motion);
    if (document) {
        read_motion_thresholds(*document, dir / "motion.toml", motion, out, [&](LocatedString const& id, std::string owner) {
            if (!known.empty() && !known.contains(id.text))
                motion.add(id.where, fmt::format("{} cites source '{}', which sources.toml does not define", owner, id.text),
                    "add it to sources.toml or cite a defined source");
        });
    }
    if (!motion.empty())
        return motion.to_error("the motion thresholds are invalid");
    return out;
}

}
